"""A plain-loop Expected Utility Model: the yardstick for `sim.bargaining` (tests and the speed benchmark).

Written the slow, obvious way, one issue and one actor at a time, straight from the equations in
docs/BARGAINING.md, with the same readings as the kernel (variants, risk from r = 1, Scholz's compromise key,
exact position equality, differences under 1e-12 as ties in offers, r = 1 for equal danger levels, P = 0.5 in `paper` when no vote separates a dyad,
a tied median at the midpoint). It imports nothing from `sim`, so it checks the kernel rather than itself.

Positions are lists of lists [actor][issue] with None (or NaN) for "takes no part"; results are plain lists.
"""

from __future__ import annotations

import math

KINDS = ("confrontation", "compromise", "capitulation")
TIE = 1e-12  # differences below this (EU units; keys relative to delta) are ties, as in the kernel


def _here(v) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def mean_position(xs, ws):
    total = sum(ws)
    if total <= 0:
        return math.nan
    return sum(w * x for w, x in zip(ws, xs, strict=True)) / total


def median_position(xs, ws):
    """The Condorcet winner among the actors' positions: no more than half the weight lies on either side of it.

    (In one dimension that is the position minimising sum_i w_i |x_i - x|, i.e. winning every pairwise vote.)
    When several positions qualify (the weight splits exactly in half), the midpoint of the tied set.
    """
    top = max(ws, default=0.0)
    if top <= 0:
        return math.nan
    ws = [w / top for w in ws]
    half, slack = sum(ws) / 2, 1e-12 * sum(ws)

    def unbeaten(cand):
        below = sum(w for x, w in zip(xs, ws, strict=True) if x < cand)
        above = sum(w for x, w in zip(xs, ws, strict=True) if x > cand)
        return below <= half + slack and above <= half + slack

    tied = [cand for cand in set(xs) if unbeaten(cand)]
    return (min(tied) + max(tied)) / 2


def forecast_position(xs, ws, rule):
    return mean_position(xs, ws) if rule == "mean" else median_position(xs, ws)


def _vote(v, a, b, xs, ws, rs, delta):
    """Voter v's vote for a against b, with v's own risk exponent."""
    return ws[v] * ((abs(xs[v] - xs[b]) / delta) ** rs[v] - (abs(xs[v] - xs[a]) / delta) ** rs[v])


def all_votes(xs, ws, rs, delta):
    """Sum of |votes| over every (voter, a, b) triple: the `compat` denominator, the same for every dyad."""
    m = len(xs)
    return sum(abs(_vote(v, a, b, xs, ws, rs, delta)) for v in range(m) for a in range(m) for b in range(m))


def probability(i, j, xs, ws, rs, delta, variant, total=None):
    """Probability that the actor at index i beats the one at index j (within one issue's actor list).

    `total` is all_votes(...) for `compat` (computed once per round rather than per dyad, as Scholz's code does).
    """
    if xs[i] == xs[j]:
        return 0.0
    m = len(xs)
    top = sum(max(0.0, _vote(v, i, j, xs, ws, rs, delta)) for v in range(m))
    if variant == "paper":
        bottom = sum(abs(_vote(v, i, j, xs, ws, rs, delta)) for v in range(m))
        return top / bottom if bottom > 0 else 0.5
    bottom = all_votes(xs, ws, rs, delta) if total is None else total
    return top / bottom if bottom > 0 else 0.0


def expected_utility(view, ch, tg, xs, ss, rs, probs, delta, mu, q, t):
    """E^view(U_ch,tg): what `view` expects `ch` to get from challenging `tg`, with view's risk exponent."""
    r = rs[view]
    d = abs(xs[ch] - xs[tg]) / delta
    u_s = 2 - 4 * (0.5 - 0.5 * d) ** r
    u_f = 2 - 4 * (0.5 + 0.5 * d) ** r
    u_sq = 2 - 4 * 0.5**r
    p = probs[ch][tg]
    eu = ss[tg] * (p * u_s + (1 - p) * u_f) + (1 - ss[tg]) * u_s - q * u_sq
    if q < 1:
        m = abs(xs[ch] - mu) / delta
        u_b = 2 - 4 * max(0.5 - 0.25 * (m + d), 0.0) ** r
        u_w = 2 - 4 * (0.5 + 0.25 * (m + d)) ** r
        eu -= (1 - q) * (t * u_b + (1 - t) * u_w)
    return eu


def _all_probabilities(xs, ws, rs, delta, variant):
    m = len(xs)
    total = all_votes(xs, ws, rs, delta) if variant == "compat" else None
    return [[probability(i, j, xs, ws, rs, delta, variant, total) for j in range(m)] for i in range(m)]


def risk_exponents(xs, ss, ws, delta, mu, q, t, variant):
    m = len(xs)
    ones = [1.0] * m
    if m == 0:
        return ones
    probs = _all_probabilities(xs, ws, ones, delta, variant)
    danger = [
        sum(expected_utility(a, o, a, xs, ss, ones, probs, delta, mu, q, t) for o in range(m) if o != a)
        for a in range(m)
    ]
    hi, lo = max(danger), min(danger)
    if hi - lo <= 1e-12 * (1 + max(abs(hi), abs(lo))):
        return ones
    out = []
    for a in range(m):
        big_r = (2 * danger[a] - hi - lo) / (hi - lo)
        out.append((1 - big_r / 3) / (1 + big_r / 3))
    return out


def best_offer(a, xs, ss, rs, probs, delta, mu, q, t, variant, choice):
    """(kind, partner, new position, E1, E2) of actor a's accepted offer, or None."""
    offers = []
    for o in range(len(xs)):
        if o == a or xs[o] == xs[a]:
            continue
        e1 = expected_utility(a, a, o, xs, ss, rs, probs, delta, mu, q, t)
        e2 = expected_utility(a, o, a, xs, ss, rs, probs, delta, mu, q, t)
        if e2 - e1 > TIE and e1 > TIE:
            offers.append(("confrontation", o, xs[o], e1, e2))
        elif e2 > TIE and e1 < -TIE and e2 - abs(e1) > TIE:
            offers.append(("compromise", o, xs[a] + (xs[o] - xs[a]) * abs(e1 / e2), e1, e2))
        elif variant == "paper" and e2 > TIE and e1 < -TIE and abs(e1) - e2 > TIE:
            offers.append(("capitulation", o, xs[o], e1, e2))
    if not offers:
        return None

    def first_least(candidates, key):  # keys within TIE * delta of the least count as equal: the first wins
        least = min(key(f) for f in candidates)
        return next(f for f in candidates if key(f) <= least + TIE * delta)

    if choice == "least_move":
        ordered = sorted(offers, key=lambda f: (KINDS.index(f[0]), f[1]))
        return first_least(ordered, lambda f: abs(f[2] - xs[a]))
    for kind in KINDS:
        mine = [f for f in offers if f[0] == kind]
        if not mine:
            continue
        if kind == "compromise":
            return first_least(
                mine, lambda f: (abs(f[3]) * xs[a] + abs(f[4]) * xs[f[1]]) / (abs(f[3]) + abs(f[4]))
            )
        return first_least(mine, lambda f: abs(f[2] - xs[a]))
    return None


def issue_round(xs, cs, ss, delta, variant, q, t, rule, choice, fixed_r=None):
    """One round on one issue for the actors present. Returns (new positions, moves, exponents)."""
    ws = [c * s for c, s in zip(cs, ss, strict=True)]
    mu = forecast_position(xs, ws, rule)
    rs = risk_exponents(xs, ss, ws, delta, mu, q, t, variant) if fixed_r is None else list(fixed_r)
    probs = _all_probabilities(xs, ws, rs, delta, variant)
    new = list(xs)
    moves = []
    for a in range(len(xs)):
        offer = best_offer(a, xs, ss, rs, probs, delta, mu, q, t, variant, choice)
        if offer:
            kind, o, pos, e1, e2 = offer
            new[a] = pos
            moves.append((a, o, kind, xs[a], pos, e1, e2))
    return new, moves, rs


def run(
    x, c, s, lo, hi, variant="paper", q=1.0, t=1.0, rule="mean", choice="scholz", rounds=1, fixed_risk=None
):
    """Rounds on every issue. Returns (positions per round [round][actor][issue], forecasts, moves).

    A move is (round, issue, mover, toward, kind, old, new, eu_mover, eu_other) with global actor indices.
    """
    n, k = len(x), len(x[0])
    pos = [[x[a][i] if _here(x[a][i]) else None for i in range(k)] for a in range(n)]
    history = [[row[:] for row in pos]]
    forecasts = []
    moves = []

    def issue_forecasts():
        out = []
        for i in range(k):
            members = [a for a in range(n) if pos[a][i] is not None]
            out.append(
                forecast_position([pos[a][i] for a in members], [c[a] * s[a][i] for a in members], rule)
            )
        return out

    forecasts.append(issue_forecasts())
    for rnd in range(1, rounds + 1):
        updated = [row[:] for row in pos]
        for i in range(k):
            members = [a for a in range(n) if pos[a][i] is not None]
            xs = [pos[a][i] for a in members]
            fixed_r = None if fixed_risk is None else [fixed_risk[a] for a in members]
            new, issue_moves, _ = issue_round(
                xs,
                [c[a] for a in members],
                [s[a][i] for a in members],
                hi[i] - lo[i],
                variant,
                q,
                t,
                rule,
                choice,
                fixed_r,
            )
            for local, a in enumerate(members):
                updated[a][i] = new[local]
            for mover, toward, kind, old, newpos, e1, e2 in issue_moves:
                moves.append((rnd, i, members[mover], members[toward], kind, old, newpos, e1, e2))
        pos = updated
        history.append([row[:] for row in pos])
        forecasts.append(issue_forecasts())
    return history, forecasts, moves
