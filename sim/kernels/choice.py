"""Quantal response: how an agent turns utilities into a random choice (McKelvey & Palfrey 1995).

Pure NumPy; the uniforms come from the model's RNG so the draw order is fixed.
"""

from __future__ import annotations

import numpy as np


def quantal_choice(
    utilities: np.ndarray, temperature: float, uniform: np.ndarray | float
) -> np.ndarray | int:
    """Draw one option per row with logit quantal-response probabilities P_k = exp(U_k / T) / sum_j exp(U_j / T).

    McKelvey & Palfrey (1995), "Quantal response equilibria for normal form games": T -> 0 is the best
    response, large T uniform noise. Options with U = -inf have probability 0 (a row with no possible option
    is uniform). `utilities` (N, K) or (K,); `uniform` (N,) or scalar: U(0, 1) draws from the model's RNG
    (inverse-CDF sampling: the first k whose cumulative weight exceeds uniform x total), so the draw order is
    fixed and runs are reproducible. Returns the chosen indices (N,) (or one index for one row).
    """
    u = np.asarray(utilities, dtype=float)
    rows = u if u.ndim == 2 else u[None, :]
    top = rows.max(axis=1, keepdims=True)
    if not np.isfinite(top).all():
        rows = np.where(np.isfinite(top), rows, 0.0)
        top = rows.max(axis=1, keepdims=True)
    cum = np.exp((rows - top) / temperature).cumsum(axis=1)
    k = (cum <= np.asarray(uniform).reshape(-1, 1) * cum[:, -1:]).sum(axis=1)
    if k.max() >= rows.shape[1]:  # a uniform draw rounding up to 1: take the last possible option
        k = np.minimum(k, rows.shape[1] - 1 - np.argmax(np.isfinite(rows[:, ::-1]), axis=1))
    return k if u.ndim == 2 else int(k[0])


def logistic(x: float, temperature: float) -> float:
    """P = 1 / (1 + exp(-x / T)): a binary quantal response (McKelvey & Palfrey 1995)."""
    z = -x / temperature
    if z > 700.0:
        return 0.0
    return 1.0 / (1.0 + np.exp(z))


def quantal_probabilities(utilities: np.ndarray, temperature: float) -> np.ndarray:
    """The logit quantal-response probabilities P_k = exp(U_k / T) / sum_j exp(U_j / T) of each row of
    utilities (N, K) or (K,) (McKelvey & Palfrey 1995), 0 where U = -inf: what `quantal_choice` draws from."""
    u = np.asarray(utilities, dtype=float)
    w = np.exp((u - u.max(axis=-1, keepdims=True)) / temperature)
    return w / w.sum(axis=-1, keepdims=True)
