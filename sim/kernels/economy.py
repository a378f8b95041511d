"""The oil economy: blockades, output, revenue. Pure NumPy functions; no Mesa, no YAML, no I/O.

Arrays: control (R, S) shares of each region held by each side, oil (R,) shares of national output,
blockading (S,) whether each side shuts the oil it controls, intensity (R,) fighting intensity per region.
"""

from __future__ import annotations

import numpy as np


def blocked_share(control: np.ndarray, blockading: np.ndarray) -> np.ndarray:
    """Share of each region's output shut by blockades (R,): b_r = sum_i [blockading_i] c_ri.

    A side that blockades shuts the oil installations it holds (fields, pipelines, terminals), as LNA-aligned
    groups shut the eastern terminals on 17-18 Jan 2020; the part of a region held by others keeps flowing.
    """
    return control @ np.asarray(blockading, dtype=float)


def disruption(contested: np.ndarray, intensity: np.ndarray | float, per_intensity: float) -> np.ndarray:
    """Share of each region's output lost to fighting (R,): D_r = min(1, f * I_r) in contested regions, 0 elsewhere.

    `intensity` is per region (R,) or one number for every region."""
    return np.where(contested, np.minimum(1.0, per_intensity * np.asarray(intensity, dtype=float)), 0.0)


def oil_output(baseline: float, oil: np.ndarray, blocked: np.ndarray, disrupted: np.ndarray) -> float:
    """National output (barrels/day): Y = B * [(1 - sum_r o_r) + sum_r o_r (1 - b_r)(1 - D_r)].

    The national Y = B (1 - blockaded share)(1 - disruption) applied region by region, so fighting does not
    'disrupt' oil that a blockade has already shut. Output not attributed to any region (1 - sum o_r) flows
    regardless. 0 <= Y <= B whenever the shares lie in [0, 1].
    """
    oil = np.asarray(oil, dtype=float)
    flowing = (oil * (1.0 - blocked) * (1.0 - disrupted)).sum()
    return float(baseline * max(0.0, (1.0 - oil.sum()) + flowing))  # max: rounding when sum o_r = 1


def revenue_shares(control: np.ndarray, oil: np.ndarray, receiver: int | None) -> np.ndarray:
    """Share of national oil revenue each side would receive with no blockade (S,).

    With a national receiver (Libya: the NOC and the Central Bank in Tripoli, recognised buyers pay them only)
    everything goes to that side; otherwise each side sells what it holds: r_i = sum_r o_r c_ri / sum_r o_r.
    """
    n = control.shape[1]
    if receiver is not None:
        out = np.zeros(n)
        out[receiver] = 1.0
        return out
    total = float(np.sum(oil))
    if total <= 0.0:
        return np.zeros(n)
    return (np.asarray(oil) @ control) / total


def blockade_utility(
    held_oil: float,
    own_revenue_share: float,
    oil_access: float,
    dissatisfaction: float,
    leverage_weight: float,
    political_cost: float,
    inertia: float,
    blockading_now: bool,
) -> float:
    """Utility of blockading (vs not) for one side this round:

    U = lambda * s * h - w_oil * h * rho - kappa + (iota if blockading now else -iota)

    h: share of national oil the side holds (what it can shut); rho: the share of that revenue it would itself
    receive (0 when the revenue goes to its opponent's institutions); s: its dissatisfaction with the terms on
    the table (salience-weighted distance, 0..1): coercion is worth something only to a party that wants
    better terms (Schelling 1966, Arms and Influence: compellence); lambda: leverage weight; w_oil: its
    `oil_access` goal; kappa: political cost; iota: inertia for the status quo (it favours blockading on
    for a side that blockades, and staying open for one that does not). The blockade starts with
    logit probability 1 / (1 + exp(-U / T)).
    """
    u = (
        leverage_weight * dissatisfaction * held_oil
        - oil_access * held_oil * own_revenue_share
        - political_cost
    )
    return u + (inertia if blockading_now else -inertia)
