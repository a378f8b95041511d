"""Stokman & Van Oosten's (1994) exchange model of voting positions, with equal gains.

Stokman & Van Oosten (1994), "The exchange of voting positions: an object-oriented model of policy networks",
in Bueno de Mesquita & Stokman (eds.), *European Community Decision Making*, Yale UP; the Equal Gain version as
in Stokman's Decide model (foarsitter/decide-exchange-model, read for its conventions, none of its code used).
Actors trade support across the issues of one decision: on the issue it cares less about an actor moves its
voting position toward a partner's, who does the same for it on another issue. Every issue's outcome is the
compromise model (`sim.bargaining.compromise`) of the voting positions; saliences and capabilities stay put.

Per round, from the positions at its start (O_p the outcome of issue p, w_ip = c_ip s_ip, W_p = sum_i w_ip):

- moving actor i's voting position on p by delta shifts O_p by w_ip delta / W_p, and actor k values a shift of
  the outcome toward (away from) its position by s_kp per unit (linear loss);
- an exchange (i supplies p, j supplies q; p != q in one decision): i moves toward x_jp on p and j toward x_iq
  on q. Both gain only if i and j lie on opposite sides of the outcome on both issues and
  s_iq s_jp > s_ip s_jq (i cares relatively more about q, j about p);
- equal gain: with outcome shifts d_p (caused by i) and d_q (by j), i gains s_iq d_q - s_ip d_p and j gains
  s_jp d_p - s_jq d_q; they are equal when d_q = d_p (s_ip + s_jp) / (s_iq + s_jq), and each gains
  G = d_p (s_iq s_jp - s_ip s_jq) / (s_iq + s_jq);
- size: as large as possible while no one moves past its partner's position (d_p <= w_ip |x_ip - x_jp| / W_p)
  and no outcome moves past the position of the actor it is moved for (d_p <= |x_jp - O_p|; both on q too);
- exchanges are realised in order of gain, largest first (ties: lowest i, j, p, q), each actor-issue pair
  taking part in at most one per round: a realised (i, j, p, q) blocks every other exchange that involves i or
  j on p or q. All realised moves then happen at once and the outcomes are recomputed.

Rounds repeat until one realises no exchange (converged) or `rounds` are done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from sim.bargaining.compromise import compromise
from sim.bargaining.issues import as_issues

# Gains below this (salience x scale units) are no exchange: equal gains must not hinge on rounding noise.
_GAIN_TIE = 1e-12


class Exchange(NamedTuple):
    """One realised exchange: i moved on issue p toward j (to i_new), j moved on issue q toward i (to j_new)."""

    round: int
    i: int
    j: int
    p: int
    q: int
    gain: float  # each side's expected utility gain, equal by construction
    i_new: float
    j_new: float


@dataclass(frozen=True)
class ExchangeRun:
    positions: np.ndarray  # (rounds_run + 1, n, k) voting positions, NaN where absent
    forecasts: np.ndarray  # (rounds_run + 1, k) the compromise model of the voting positions
    exchanges: list[Exchange] = field(default_factory=list)
    rounds_run: int = 0
    converged: bool = False


def _candidates(x, w, s, total, out):
    """Every profitable exchange among the issues given: arrays i, j, p, q, gain, new_i, new_j (local p, q)."""
    n, m = x.shape
    total = np.where(total > 0, total, 1.0)  # an issue nobody weighs has no actor with w > 0 to trade on it
    side = np.where(w > 0, np.sign(x - out[None, :]), 0.0)  # an actor without weight moves no outcome
    opp = side[:, None, :] * side[None, :, :] < 0  # (i, j, issue): on opposite sides of the outcome
    ii, jj, pp, qq = np.ix_(np.arange(n), np.arange(n), np.arange(m), np.arange(m))
    ok = opp[:, :, :, None] & opp[:, :, None, :] & (pp != qq) & (ii < jj)
    s_ip, s_jp = s[:, None, :, None], s[None, :, :, None]
    s_iq, s_jq = s[:, None, None, :], s[None, :, None, :]
    cross = s_iq * s_jp - s_ip * s_jq
    ok &= cross > _GAIN_TIE
    # outcome shifts each side can give: on p by i (toward j), on q by j (toward i)
    gap = np.abs(x[:, None, :] - x[None, :, :])  # (i, j, issue)
    max_p = np.minimum(w[:, None, :] * gap / total, np.abs(x[None, :, :] - out))[:, :, :, None]
    max_q = np.minimum(w[None, :, :] * gap / total, np.abs(x[:, None, :] - out))[:, :, None, :]
    ratio = (s_ip + s_jp) / np.where(ok, s_iq + s_jq, 1.0)
    d_p = np.minimum(max_p, max_q / np.where(ok, ratio, 1.0))
    d_q = ratio * d_p
    gain = s_iq * d_q - s_ip * d_p
    ok &= gain > _GAIN_TIE
    i, j, p, q = np.nonzero(ok)
    d_p, d_q, gain = d_p[i, j, p, q], d_q[i, j, p, q], gain[i, j, p, q]
    step_i = np.minimum(d_p * total[p] / w[i, p], gap[i, j, p])
    step_j = np.minimum(d_q * total[q] / w[j, q], gap[i, j, q])
    new_i = x[i, p] + np.sign(x[j, p] - x[i, p]) * step_i
    new_j = x[j, q] + np.sign(x[i, q] - x[j, q]) * step_j
    return i, j, p, q, gain, new_i, new_j


def _realise(i, j, p, q, gain):
    """Indices of the exchanges realised: largest gain first, each actor-issue pair in at most one."""
    order = np.lexsort((q, p, j, i, -gain))
    i, j, p, q = i[order], j[order], p[order], q[order]
    alive = np.ones(len(order), dtype=bool)
    chosen = []
    while alive.any():
        at = int(np.argmax(alive))
        chosen.append(order[at])
        a, b, e, f = i[at], j[at], p[at], q[at]
        actor = (i == a) | (i == b) | (j == a) | (j == b)
        issue = (p == e) | (p == f) | (q == e) | (q == f)
        alive &= ~(actor & issue)
    return np.array(chosen, dtype=int)


def exchange_run(x, c, s, rounds: int, groups=None) -> ExchangeRun:
    """Up to `rounds` rounds of equal-gain exchanges; stops after a round without any.

    x (n, k) positions (NaN: no part), c (n,) or (n, k) capabilities, s (n, k) saliences in [0, 1]; `groups`
    (k,) labels the decision each issue belongs to (exchanges link issues of one decision only; default: all
    one decision). Source: Stokman & Van Oosten (1994).
    """
    if rounds < 0:
        raise ValueError("rounds must be >= 0")
    iss = as_issues(x, c, s)
    k, n = iss.x.shape
    groups = np.zeros(k, dtype=int) if groups is None else np.asarray(groups)
    if groups.shape != (k,):
        raise ValueError(f"groups must have shape ({k},), got {groups.shape}")
    present = iss.present.T
    w, sal = iss.w.T, iss.s.T
    c, s = np.asarray(c, dtype=float), np.asarray(s, dtype=float)
    xt = np.where(present, iss.x.T, np.nan)
    total = w.sum(axis=0)
    positions, forecasts, done = [xt.copy()], [compromise(xt, c, s)], []
    converged = False
    members = [np.flatnonzero(groups == g) for g in dict.fromkeys(groups.tolist())]
    for rnd in range(1, rounds + 1):
        out = forecasts[-1]
        new = xt.copy()
        for cols in members:
            if len(cols) < 2:
                continue
            sub = np.where(present[:, cols], xt[:, cols], 0.0)
            i, j, p, q, gain, new_i, new_j = _candidates(
                sub, w[:, cols], sal[:, cols], total[cols], out[cols]
            )
            if len(gain) == 0:
                continue
            for at in _realise(i, j, p, q, gain):
                e, f = cols[p[at]], cols[q[at]]
                new[i[at], e], new[j[at], f] = new_i[at], new_j[at]
                done.append(Exchange(rnd, int(i[at]), int(j[at]), int(e), int(f), float(gain[at]),
                                     float(new_i[at]), float(new_j[at])))  # fmt: skip
        if np.array_equal(new, xt, equal_nan=True):
            converged = True
            break
        xt = new
        positions.append(xt.copy())
        forecasts.append(compromise(xt, c, s))
    return ExchangeRun(np.stack(positions), np.stack(forecasts), done, len(positions) - 1, converged)
