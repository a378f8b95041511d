"""The EUM's votes and expected utilities: win probabilities, the utility of every challenge, risk exponents.

Dyad tables are issue-major, (k, n, n): M[q, a, o] reads "on issue q, actor a's view of actor o".
"""

from __future__ import annotations

import numpy as np

from sim.bargaining.issues import Issues

# Danger levels closer than this (relative) count as all equal: R = 0, r = 1 (Scholz's port divides by zero).
_EQUAL_DANGER = 1e-12
# Largest (issue x voter x row x column) block built at once when summing votes; bounds the temporary at ~8 MB.
_VOTE_BLOCK = 1_000_000


def risk_exponent(big_r) -> np.ndarray:
    """r = (1 - R/3) / (1 + R/3): maps a risk attitude R in [-1, 1] (1 most risk-acceptant) to r in [0.5, 2].

    Source: Scholz et al. (2011), eq. 8. Also maps a scenario's fixed `risk` attitude to its exponent.
    """
    big_r = np.asarray(big_r, dtype=float)
    return (1 - big_r / 3) / (1 + big_r / 3)


def _vote_numerator(dist: np.ndarray, w: np.ndarray) -> np.ndarray:
    """N[q, i, j] = sum_v w[q, v] * max(dist[q, v, j] - dist[q, v, i], 0): the votes for i against j.

    dist[q, v, a] is voter v's (risk-weighted) distance to actor a's position. O(k n^3) work, built in
    blocks of rows so that memory stays bounded.
    """
    k, n, _ = dist.shape
    out = np.empty((k, n, n))
    per_issue = n * n * n
    issues_per_block = max(1, _VOTE_BLOCK // max(per_issue, 1))
    rows_per_block = n if issues_per_block > 1 else max(1, _VOTE_BLOCK // max(n * n, 1))
    for q0 in range(0, k, issues_per_block):
        q1 = min(k, q0 + issues_per_block)
        for i0 in range(0, n, rows_per_block):
            i1 = min(n, i0 + rows_per_block)
            diff = dist[q0:q1, :, None, :] - dist[q0:q1, :, i0:i1, None]  # (q, v, i, j)
            np.maximum(diff, 0.0, out=diff)
            # einsum rather than a batched matmul: no BLAS threads (slow on a busy machine for these thin
            # products) and one fixed summation order on every machine.
            prod = np.einsum("qv,qvm->qm", w[q0:q1], diff.reshape(q1 - q0, n, -1))
            out[q0:q1, i0:i1, :] = prod.reshape(q1 - q0, i1 - i0, n)
    return out


def win_probabilities(iss: Issues, r: np.ndarray, variant: str) -> np.ndarray:
    """P[q, i, j]: probability that i beats j on issue q, from every actor's votes.

        P_ij = sum_{v: d_v > 0} w_v d_v / D,   d_v = (|x_v - x_j| / Delta)^r_v - (|x_v - x_i| / Delta)^r_v

    with w_v = c_v s_v and the voter's own risk exponent r_v in the votes (Scholz's code). The denominator is
    D_ij = sum_v w_v |d_v| in the `paper` variant, so P_ij + P_ji = 1 (0.5 each when nobody's vote separates
    them), and D = sum over all (v, a, b) triples in `compat` (one number per issue; P = 0 if it is 0).
    P = 0 where x_i = x_j (exact equality, as in the port). Source: Scholz et al. (2011), eq. 3.
    """
    gap = np.abs(iss.x[:, :, None] - iss.x[:, None, :]) / iss.delta[:, None, None]
    dist = gap if np.all(r == 1.0) else gap ** r[:, :, None]
    num = _vote_numerator(dist, iss.w)
    pair = iss.present[:, :, None] & iss.present[:, None, :]
    num = np.where(pair, num, 0.0)
    both = num + num.transpose(0, 2, 1)  # sum_v w_v |d_v|, since max(d, 0) + max(-d, 0) = |d|
    if variant == "paper":
        p = np.divide(num, both, out=np.full_like(num, 0.5), where=both > 0)
    else:
        total = both.sum(axis=(1, 2))[:, None, None]
        p = np.divide(num, total, out=np.zeros_like(num), where=total > 0)
    same = iss.x[:, :, None] == iss.x[:, None, :]
    return np.where(same | ~pair, 0.0, p)


def expected_utilities(
    iss: Issues, p: np.ndarray, r: np.ndarray, mu: np.ndarray, q: float, t: float, tables=("E1", "E2")
) -> list[np.ndarray]:
    """E1[., a, o] = E^a(U_ao) (a challenges o) and E2[., a, o] = E^a(U_oa) (o challenges a), both as a sees them.

        E^a(U_ij) = s_j [P_ij U_s + (1 - P_ij) U_f] + (1 - s_j) U_s - Q U_sq - (1 - Q)[T U_b + (1 - T) U_w]
        U_s  = 2 - 4 (0.5 - 0.5 |x_i - x_j| / Delta)^r_a          U_f = 2 - 4 (0.5 + 0.5 |x_i - x_j| / Delta)^r_a
        U_b  = 2 - 4 (0.5 - 0.25 (|x_i - mu| + |x_i - x_j|) / Delta)^r_a     U_w: the same with +
        U_sq = 2 - 4 (0.5)^r_a

    a's own exponent r_a is used for every utility a computes, also those it attributes to others (Scholz et
    al.; the port's docstring). s_j is the salience of the actor challenged (the paper's mirror expression
    prints s_j; Masad flags it as a typo and so do we). mu is the current forecast (BDM: the expected outcome
    if nobody challenges). Source: Scholz et al. (2011), eqs. 4-7.
    Returns the tables named in `tables`, in that order (the neutral-risk pass needs only E2).
    """
    ra = r[:, :, None]
    d = np.abs(iss.x[:, :, None] - iss.x[:, None, :]) / iss.delta[:, None, None]
    u_s = 2 - 4 * (0.5 - 0.5 * d) ** ra
    u_f = 2 - 4 * (0.5 + 0.5 * d) ** ra
    u_sq = 2 - 4 * 0.5**ra
    m = np.abs(iss.x - mu[:, None]) / iss.delta[:, None] if q < 1 else None
    out = []
    for table in tables:
        # E1: the challenger i is a (axis 1) and j is o (axis 2); E2 the other way round
        e1 = table == "E1"
        s_j = iss.s[:, None, :] if e1 else iss.s[:, :, None]
        p_ij = p if e1 else p.transpose(0, 2, 1)
        e = s_j * (p_ij * u_s + (1 - p_ij) * u_f) + (1 - s_j) * u_s - q * u_sq
        if m is not None:
            m_challenger = m[:, :, None] if e1 else m[:, None, :]
            # m + d <= 2 on the scale; rounding (a forecast a hair outside the hull) must not make the base < 0
            u_b = 2 - 4 * np.maximum(0.5 - 0.25 * (m_challenger + d), 0.0) ** ra
            u_w = 2 - 4 * (0.5 + 0.25 * (m_challenger + d)) ** ra
            e -= (1 - q) * (t * u_b + (1 - t) * u_w)
        out.append(e)
    return out


def endogenous_risk(iss: Issues, e2: np.ndarray) -> np.ndarray:
    """Risk exponents from each actor's exposure relative to everyone else's (Scholz's reading).

        danger_a = sum_{o != a} E^a(U_oa)
        R_a = (2 danger_a - max_b danger_b - min_b danger_b) / (max - min),   r_a = (1 - R_a/3) / (1 + R_a/3)

    computed from E2 evaluated with every r = 1. All (nearly) equal danger levels give R = 0, r = 1, where
    Scholz's port divides by zero. Source: Scholz et al. (2011), eqs. 8-9; BDM (1985).
    """
    k, n = iss.x.shape
    others = iss.present[:, None, :] & ~np.eye(n, dtype=bool)[None]
    danger = np.where(others, e2, 0.0).sum(axis=2)
    hi = np.where(iss.present, danger, -np.inf).max(axis=1, initial=-np.inf)
    lo = np.where(iss.present, danger, np.inf).min(axis=1, initial=np.inf)
    some = iss.present.any(axis=1)
    hi, lo = np.where(some, hi, 0.0), np.where(some, lo, 0.0)
    spread = hi - lo
    ok = spread > _EQUAL_DANGER * (1 + np.maximum(np.abs(hi), np.abs(lo)))
    big_r = np.where(ok[:, None], (2 * danger - (hi + lo)[:, None]) / np.where(ok, spread, 1.0)[:, None], 0.0)
    return np.where(iss.present, risk_exponent(big_r), 1.0)
