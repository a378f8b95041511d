"""The Nash bargaining solution (NBS) with a disagreement point, on one-dimensional issues.

Nash (1950), "The bargaining problem", Econometrica 18(2), in its asymmetric form (Kalai 1977; Roth 1979):
the outcome maximises the product of the actors' gains over the disagreement point, each raised to its
bargaining power,

    O_q = argmax_{o in F_q} prod_i (u_i(o) - d_i)^{c_i}  =  argmax_{o in F_q} sum_i c_i log(u_i(o) - d_i),
    u_i(o) = -s_i ((o - x_i) / Delta)^2,         F_q = {o in [lo, hi] : u_i(o) >= d_i for every actor},

with quadratic loss scaled by salience (Achen 2006). Only actors with c_i s_i > 0 take part (as in the
compromise model). Each term is concave in o, so the maximiser is unique; it is the root of

    g(o) = sum_i c_i (-2 s_i (o - x_i) / Delta^2) / (u_i(o) - d_i),

which decreases in o and is found by bisection on F_q (to the last bit of the scale). F_q is an interval, the
intersection of |o - x_i| <= Delta sqrt(-d_i / s_i) with the scale. An empty F_q (someone's disagreement
utility above anything it could get) has no solution (NaN); a single point is the solution.

Two readings of the disagreement point d, both built from positions (`disagreement_at`) or utilities:
- *common breakdown* (`breakdown`): d_i = -K for every actor, the same loss for all if talks fail. Achen (2006)
  shows that as K grows the NBS tends to the compromise model sum c_i s_i x_i / sum c_i s_i (the first-order
  condition becomes sum c_i s_i (x_i - o) = 0); a finite K gives more pull to the actors an outcome leaves
  nearest their breakdown (far from their position, in salience-weighted loss), so the NBS sits nearer them
  than the weighted mean does. K >= 1 keeps the whole scale feasible.
- *status quo* (`disagreement_at(x, s, lo, hi, sq)`): d_i = u_i(sq), the outcome if no law is adopted (the
  reference point), the reading of Bailer & Schneider (2006, in *The European Union Decides*) and Schneider,
  Finke & Bailer (2010, Political Studies 58). Salience then cancels (Nash's invariance to each actor's utility
  scale), and in one dimension F_q shrinks to {sq} as soon as actors sit on both sides of it, so the NBS is the
  status quo there: a unanimity reading.
"""

from __future__ import annotations

import numpy as np

from sim.bargaining.issues import as_issues

# Bisection steps: each halves the interval, so 80 take any scale below the spacing of doubles around it.
_BISECT = 80
# An interval shorter than this (relative to Delta) is one point.
_POINT = 1e-12
_TINY = 1e-300
# The common breakdown loss K used wherever one is not chosen (`run.py forecast --model nbs`, a forum under
# `engine.bargaining.model: nbs`): the value the DEU III benchmark picks most often on its training halves
# (docs/BARGAINING.md); the largest in its grid, so the NBS stays near the compromise model.
NBS_BREAKDOWN = 10.0


def breakdown(x, k: float) -> np.ndarray:
    """Disagreement utilities d_i = -K for every actor and issue (Achen's common breakdown), (n, k)."""
    if not k > 0:
        raise ValueError(f"the breakdown loss K must be > 0, got {k!r}")
    return np.full(np.shape(x), -float(k))


def disagreement_at(x, s, lo, hi, point) -> np.ndarray:
    """Disagreement utilities d_i = u_i(point_q) = -s_i ((point_q - x_i) / Delta)^2, (n, k): a status quo per issue."""
    x = np.asarray(x, dtype=float)
    delta = np.broadcast_to(np.asarray(hi, dtype=float) - np.asarray(lo, dtype=float), (x.shape[1],))
    gap = (np.asarray(point, dtype=float)[None, :] - x) / delta[None, :]
    return -np.asarray(s, dtype=float) * gap**2


def nash_bargaining(x, c, s, lo, hi, d) -> np.ndarray:
    """The asymmetric Nash bargaining solution per issue, (k,); NaN where no outcome is feasible or nobody weighs.

    x (n, k) positions (NaN: no part), c (n,) or (n, k) bargaining powers >= 0, s (n, k) saliences in [0, 1],
    lo, hi (k,) the scale, d (n, k) disagreement utilities <= 0 (from `breakdown` or `disagreement_at`).
    Sources: Nash (1950); Achen (2006); Schneider, Finke & Bailer (2010).
    """
    iss = as_issues(x, c, s, lo, hi)
    d = np.asarray(d, dtype=float)
    if d.shape != np.shape(x):
        raise ValueError(
            f"disagreement utilities must have the positions' shape {np.shape(x)}, got {d.shape}"
        )
    dt = d.T
    take = iss.present & (iss.w > 0)
    if np.any(take & ~np.isfinite(dt)):
        raise ValueError("disagreement utilities must be finite wherever an actor takes part")
    cw = np.where(take, iss.w / np.where(take, iss.s, 1.0), 0.0)  # c_i, 0 for actors who do not take part
    # The solution depends only on the powers' ratios: scaled to the largest, subnormal powers keep their pull
    top = cw.max(axis=1, keepdims=True, initial=0.0)
    cw = cw / np.where(top > 0, top, 1.0)
    hi_k = iss.lo + iss.delta
    # F = the scale cut by every participant's acceptable interval |o - x_i| <= Delta sqrt(-d_i / s_i)
    # sqrt(-d) / sqrt(s) rather than sqrt(-d / s): a tiny salience must give a huge bound, not an overflow
    reach = iss.delta[:, None] * np.sqrt(np.maximum(-dt, 0.0)) / np.sqrt(np.where(take, iss.s, 1.0))
    low = np.max(np.where(take, iss.x - reach, -np.inf), axis=1, initial=-np.inf)
    high = np.min(np.where(take, iss.x + reach, np.inf), axis=1, initial=np.inf)
    low, high = np.maximum(low, iss.lo), np.minimum(high, hi_k)
    some = take.any(axis=1)
    # rounding can leave a one-point F (the status quo reading) a hair inverted: within _POINT it is that point
    feasible = some & (high - low >= -_POINT * iss.delta) & ~np.any(take & (dt > 0), axis=1)
    point = feasible & (high - low <= _POINT * iss.delta)
    a, b = np.where(feasible, low, 0.0), np.where(feasible, high, 1.0)
    s_t, x_t = np.where(take, iss.s, 0.0), iss.x
    for _ in range(_BISECT):
        mid = (a + b) / 2
        gap = (mid[:, None] - x_t) / iss.delta[:, None]
        # once a and b meet at F's edge an actor's surplus can reach 0: the floor keeps its pull finite, inward
        surplus = np.maximum(-s_t * gap**2 - dt, _TINY)
        slope = np.where(take, cw * (-2 * s_t * gap) / surplus, 0.0).sum(axis=1)
        up = slope > 0
        a, b = np.where(up, mid, a), np.where(up, b, mid)
    out = np.where(point, (low + high) / 2, (a + b) / 2)
    return np.where(feasible, out, np.nan)
