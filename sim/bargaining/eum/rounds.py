"""EUM rounds and runs: each round, every actor takes its best offer at once; a run repeats rounds until the
forecast settles or the rounds run out."""

from __future__ import annotations

import numpy as np

from sim.bargaining.eum.offers import choose_offers, grid
from sim.bargaining.eum.settings import KINDS, EUMSettings, Move, RoundResult, RunMove, RunResult
from sim.bargaining.eum.utilities import endogenous_risk, expected_utilities, win_probabilities
from sim.bargaining.forecasts import issue_forecast
from sim.bargaining.issues import Issues, as_issues

# Issues are grouped by their number of actors rounded up to a multiple of this (see `_round`).
_WIDTH_STEP = 4


def _check_fixed_risk(fixed_risk, n: int, k: int) -> np.ndarray:
    if fixed_risk is None:
        raise ValueError("settings.risk == 'fixed' needs fixed_risk: one exponent r_i in [0.5, 2] per actor")
    r = np.asarray(fixed_risk, dtype=float)
    if r.shape != (n,):
        raise ValueError(f"fixed_risk must have shape ({n},), got {r.shape}")
    if np.any(~((r >= 0.5) & (r <= 2.0))):
        raise ValueError("fixed_risk exponents must lie in [0.5, 2]")
    return np.broadcast_to(r[None, :], (k, n)).copy()


def _round_dense(iss: Issues, settings: EUMSettings, fixed_r: np.ndarray | None):
    """One round on issues sharing an actor axis: (kind, partner, new position, E1, E2 of the pick, r), (k, n)."""
    k, n = iss.x.shape
    mu = issue_forecast(iss, settings.rule)
    if fixed_r is None:
        ones = np.ones((k, n))
        p1 = win_probabilities(iss, ones, settings.variant)
        (e2_neutral,) = expected_utilities(iss, p1, ones, mu, settings.q, settings.t, tables=("E2",))
        r = endogenous_risk(iss, e2_neutral)
    else:
        r = fixed_r
    p = win_probabilities(iss, r, settings.variant)
    e1, e2 = expected_utilities(iss, p, r, mu, settings.q, settings.t)
    kind, partner, new = choose_offers(iss, e1, e2, settings.variant, settings.choice)
    issue, actor = grid(k, n)
    return kind, partner, new, e1[issue, actor, partner], e2[issue, actor, partner], r


def _round(iss: Issues, settings: EUMSettings, fixed_r: np.ndarray | None):
    """One round on every issue; returns new positions (k, n), the moves, and the exponents used.

    The work is O(n^3) per issue, so issues are bargained in groups by how many actors take part, each group
    on an actor axis just wide enough for it (present actors first, in their original order, so that every
    tie still goes to the actor listed first). DEU III issues have 2 to 30 actors: this saves about 3/4.
    """
    k, n = iss.x.shape
    if iss.present.all():  # one group in the original order: no regrouping to do (small tables, e.g. a forum)
        kind, partner, new, e_mover, e_other, r = _round_dense(iss, settings, fixed_r)
        return new, _moves(iss, kind, partner, new, e_mover, e_other), r
    counts = iss.present.sum(axis=1)
    widths = np.minimum(n, -(-np.maximum(counts, 1) // _WIDTH_STEP) * _WIDTH_STEP)
    kind = np.full((k, n), -1)
    partner = np.zeros((k, n), dtype=int)
    new = iss.x.copy()
    e_mover = np.zeros((k, n))
    e_other = np.zeros((k, n))
    r = np.ones((k, n))
    for m in np.unique(widths):
        q = np.flatnonzero(widths == m)
        order = np.argsort(~iss.present[q], axis=1, kind="stable")[:, :m]
        rows = q[:, None]
        sub = Issues(iss.x[rows, order], iss.present[rows, order], iss.s[rows, order], iss.w[rows, order],
                      iss.delta[q], iss.lo[q])  # fmt: skip
        fixed_sub = None if fixed_r is None else fixed_r[rows, order]
        kind_b, partner_b, new_b, e1_b, e2_b, r_b = _round_dense(sub, settings, fixed_sub)
        kind[rows, order] = kind_b
        partner[rows, order] = np.take_along_axis(order, partner_b, axis=1)
        new[rows, order] = new_b
        e_mover[rows, order] = e1_b
        e_other[rows, order] = e2_b
        r[rows, order] = r_b
    return new, _moves(iss, kind, partner, new, e_mover, e_other), np.where(iss.present, r, np.nan)


def _moves(iss: Issues, kind, partner, new, e_mover, e_other) -> list[Move]:
    """The accepted offers of a round as Moves, issue by issue, actors in their order."""
    at = np.nonzero(kind >= 0)
    columns = (partner[at], kind[at], iss.x[at], new[at], e_mover[at], e_other[at])
    return [
        Move(q, a, p, KINDS[kd], old, new_x, eu_mover, eu_other)
        for q, a, p, kd, old, new_x, eu_mover, eu_other in zip(
            at[0].tolist(), at[1].tolist(), *(col.tolist() for col in columns), strict=True
        )
    ]


def _with_positions(iss: Issues, xt: np.ndarray) -> Issues:
    return Issues(xt, iss.present, iss.s, iss.w, iss.delta, iss.lo)


def _positions(iss: Issues) -> np.ndarray:
    return np.where(iss.present, iss.x, np.nan).T.copy()


def eum_round(x, c, s, lo, hi, settings: EUMSettings, fixed_risk=None) -> RoundResult:
    """One EUM round on every issue at once; all actors move simultaneously.

    1. risk exponents: from scratch with every r = 1 (endogenous), or `fixed_risk` (n,) in [0.5, 2];
    2. win probabilities and the expected utilities of every challenge, with those exponents;
    3. each actor accepts its best offer (see `EUMSettings.choice`) and takes the new position.
    Delta = hi - lo per issue. Returns the new positions (n, k) (NaN where absent), the moves, the exponents.
    """
    iss = as_issues(x, c, s, lo, hi)
    k, n = iss.x.shape
    fixed_r = _check_fixed_risk(fixed_risk, n, k) if settings.risk == "fixed" else None
    new, moves, r = _round(iss, settings, fixed_r)
    return RoundResult(_positions(_with_positions(iss, new)), moves, r.T.copy())


def eum_run(x, c, s, lo, hi, settings: EUMSettings, rounds: int, tol=None, fixed_risk=None) -> RunResult:
    """Up to `rounds` EUM rounds; stops early once the forecast moves less than `tol` on every issue.

    BDM's stopping rule: bargaining ends when the predicted outcome changes less than a threshold from one round
    to the next (Predicting Politics, 2002). Without `tol` all rounds run. Delta = hi - lo stays fixed.
    """
    if rounds < 0:
        raise ValueError("rounds must be >= 0")
    iss = as_issues(x, c, s, lo, hi)
    k, n = iss.x.shape
    fixed_r = _check_fixed_risk(fixed_risk, n, k) if settings.risk == "fixed" else None
    positions = [_positions(iss)]
    forecasts = [issue_forecast(iss, settings.rule)]
    moves: list[RunMove] = []
    converged = False
    for rnd in range(1, rounds + 1):
        new, round_moves, _ = _round(iss, settings, fixed_r)
        iss = _with_positions(iss, new)
        positions.append(_positions(iss))
        forecasts.append(issue_forecast(iss, settings.rule))
        moves.extend(RunMove(rnd, m) for m in round_moves)
        if tol is not None:
            change = np.abs(forecasts[-1] - forecasts[-2])
            if np.all(np.where(np.isnan(change), 0.0, change) < tol):
                converged = True
                break
    return RunResult(np.stack(positions), np.stack(forecasts), moves, len(positions) - 1, converged)
