"""Learning from fighting: a side's estimate of its chance of winning as a belief the battles update.

Pure NumPy; docs/MODEL.md section "Learning" explains how the model uses them. War as an information process:
fighting reveals the balance the sides disagreed about, so their estimates converge (Wagner 2000, "Bargaining
and war"; Slantchev 2003, "The principle of convergence in wartime negotiations"; Powell 2004, "Bargaining and
learning while fighting"; Smith & Stam 2004, "Bargaining and the nature of war").
"""

from __future__ import annotations

import numpy as np


def battle_share(result: np.ndarray, contested: np.ndarray, weight: np.ndarray | None) -> np.ndarray:
    """Each side's realised share of this round's battles (S,): its result in each contested region's battle
    (`sim.kernels.contest.realise`: the combat kernel's chance of winning plus battle luck), averaged over the
    contested regions weighted by `weight` (population + area + oil; equal weights where none is given or the
    contested regions weigh nothing)."""
    q = result[contested]
    w = np.ones(len(q)) if weight is None else weight[contested]
    if w.sum() <= 0.0:
        w = np.ones(len(q))
    return (w @ q) / w.sum()


def win_estimate(
    p_forces: np.ndarray, optimism: np.ndarray, evidence: np.ndarray, strength: float
) -> np.ndarray:
    """Posterior mean of each side's chance of winning (S,), a Beta belief.

    Prior Beta(n m, n (1 - m)) with m = clip(p_forces + optimism, 0, 1): centred on the side's own reading of
    the balance of forces now (the contest of strengths, which moves as support arrives) shifted by its
    optimism, with strength n in rounds of all-out fighting. Each round of fighting at intensity I adds I
    observations with the realised battle share q: evidence = (sum I q, sum I). The mean
    (n m + sum I q) / (n + sum I) tends to what the battles show as fighting goes on, so mismatched optimism
    shrinks (Slantchev 2003's convergence).
    """
    m = np.minimum(np.maximum(p_forces + optimism, 0.0), 1.0)
    return (strength * m + evidence[:, 0]) / (strength + evidence[:, 1])


def believed_strength(
    strength: np.ndarray, p_forces: np.ndarray, p_believed: np.ndarray, exponent: float
) -> np.ndarray:
    """The strengths each side believes in (S, S): row i is side i's view, its own strength scaled so that the
    contest gives its believed chance of winning, the others' as they are.

    With p_i = F_i^m / sum_j F_j^m, side i's odds p / (1 - p) scale with F_i^m, so the own strength that gives
    p_believed is F_i (odds(p_believed) / odds(p_forces))^(1/m) (shares clipped to [1e-9, 1 - 1e-9]).
    """
    lo, hi = 1e-9, 1.0 - 1e-9
    p0 = np.minimum(np.maximum(p_forces, lo), hi)
    p1 = np.minimum(np.maximum(p_believed, lo), hi)
    scale = (p1 / (1.0 - p1) * (1.0 - p0) / p0) ** (1.0 / exponent)
    view = np.tile(np.asarray(strength, dtype=float), (len(strength), 1))
    view[np.arange(len(strength)), np.arange(len(strength))] *= scale
    return view
