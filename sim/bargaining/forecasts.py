"""Where the issues would settle under a decision rule: the weighted mean or the median voter, per issue."""

from __future__ import annotations

import numpy as np

from sim.bargaining.issues import Issues, as_issues

RULES = ("mean", "median")


def _weighted_mean(iss: Issues) -> np.ndarray:
    w = iss.w
    top = w.max(axis=1, keepdims=True)
    # Subnormal weights keep few digits, so w x would round off the position (a lone 5e-324 x 1.5 gives 2.0);
    # an issue whose weights are all that small is scaled by its largest. Normal weights are left as they are.
    tiny = (top > 0) & (top < np.finfo(float).tiny)
    if tiny.any():
        w = np.where(tiny, w / np.where(tiny, top, 1.0), w)
    total = w.sum(axis=1)
    num = (w * iss.x).sum(axis=1)
    return np.divide(num, total, out=np.full_like(total, np.nan), where=total > 0)


def _median_voter(iss: Issues) -> np.ndarray:
    key = np.where(iss.present, iss.x, np.inf)
    order = np.argsort(key, axis=1, kind="stable")
    xs = np.take_along_axis(iss.x, order, axis=1)
    ws = np.take_along_axis(iss.w, order, axis=1)
    top = ws.max(axis=1, keepdims=True)
    ws = np.divide(ws, top, out=np.zeros_like(ws), where=top > 0)  # scale-free: tiny weights cannot underflow
    cum = np.cumsum(ws, axis=1)
    total = cum[:, -1:]
    half = total / 2
    slack = 1e-12 * total
    # The minimisers of sum_i w_i |x_i - x| form [x_L, x_U]: x_L where the weight below first reaches half,
    # x_U where it first exceeds half. They differ only when the weight splits exactly in half: take the midpoint.
    low = np.argmax(cum >= half - slack, axis=1)
    high = np.argmax(cum > half + slack, axis=1)
    rows = np.arange(len(low))
    out = (xs[rows, low] + xs[rows, high]) / 2
    return np.where(total[:, 0] > 0, out, np.nan)


def weighted_mean(x, c, s) -> np.ndarray:
    """Capability x salience weighted mean per issue: mu = sum_i c_i s_i x_i / sum_i c_i s_i.  (k,)

    Absent actors (NaN position) are left out; an issue where no one has weight gets NaN.
    Source: BDM (1994); Scholz et al. (2011), eq. 1.
    """
    return _weighted_mean(as_issues(x, c, s))


def median_voter(x, c, s) -> np.ndarray:
    """BDM's "median voter": the actor position that wins every pairwise vote.  (k,)

    v(j vs m) = sum_i c_i s_i (|x_i - x_m| - |x_i - x_j|) / Delta; in one dimension the Condorcet winner among
    the actors' positions is the capability x salience weighted median. When the weight splits exactly in
    half, the positions between the two middle ones tie and the midpoint of that interval is returned.
    Source: Scholz et al. (2011), eq. 2; BDM (1994).
    """
    return _median_voter(as_issues(x, c, s))


def forecast(x, c, s, rule: str) -> np.ndarray:
    """The forecast per issue under a decision rule: `mean` (weighted mean) or `median` (median voter)."""
    if rule not in RULES:
        raise ValueError(f"rule must be one of {RULES}, got {rule!r}")
    return weighted_mean(x, c, s) if rule == "mean" else median_voter(x, c, s)


def issue_forecast(iss: Issues, rule: str) -> np.ndarray:
    """`forecast` on inputs already checked and issue-major (the EUM's rounds)."""
    return _weighted_mean(iss) if rule == "mean" else _median_voter(iss)
