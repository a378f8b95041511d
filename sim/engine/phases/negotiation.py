"""Phase 2, negotiation (docs/MODEL.md section 2.1): each forum in session bargains with the model of
`engine.bargaining.model` (`sim.bargaining`; the EUM by default), its mediators pulling toward the forecast
between rounds, and tables the forecast as its text; the required signatories then sign or refuse (`signing`). In round 1 a text that the scenario puts on a table is
read first, by forums not in session."""

from __future__ import annotations

import numpy as np

from sim import bargaining
from sim.engine.agreements import Forum
from sim.engine.derived import Derived
from sim.engine.log import EventLog, Kind
from sim.engine.phases.signing import decide, terms_of
from sim.engine.state import State
from sim.engine.structure import Structure


def negotiate(
    s: Structure, st: State, d: Derived, strength: np.ndarray, rng: np.random.Generator, log: EventLog, r: int
) -> None:
    if r == 1:
        for forum in st.forums.values():
            if forum.terms is not None and forum.id not in st.convened:
                log.add(r, Kind.PROPOSAL, forum.required, forum=forum.id, terms=terms_of(s, forum), open=True)
                decide(s, st, d, forum, strength, rng, log, r)
    for fid in sorted(st.convened, key=list(st.forums).index):
        bargain(s, st, d, st.forums[fid], strength, rng, log, r)


def bargain(
    s: Structure,
    st: State,
    d: Derived,
    forum: Forum,
    strength: np.ndarray,
    rng: np.random.Generator,
    log: EventLog,
    r: int,
) -> None:
    """Bargaining on the forum's issues (`session`), then its text is put to the required signatories.

    A forum whose table has not changed materially since it last drafted its text (same capabilities and
    saliences, no position moved by more than `redraft_threshold` of its scale) tables that text again
    instead of redrafting it: every model is deterministic, and diplomats do not redraft for a nuance. The table
    is compared with the last redraft's, so small moves each session add up until they make one.
    """
    ac = st.actors
    p, q = forum.participants, forum.issues
    table = (ac.positions[forum.grid], ac.capability[p], ac.salience[forum.grid])
    last = forum.last_table
    threshold = st.engine.bargaining.redraft_threshold
    if (
        last is None
        or (table[1] != last[1]).any()  # same shapes: the forum's participants and issues
        or (table[2] != last[2]).any()
        or (np.abs(table[0] - last[0]) > threshold * s.span[q]).any()  # NaN (no stand) compares False
    ):
        forum.last_table = tuple(a.copy() for a in table)
        forum.last_session = session(s, st, forum, table[0])
    assert forum.last_session is not None
    terms, kinds = forum.last_session
    forum.terms = terms.copy()
    forum.signed = set()
    st.forecast[q] = forum.terms
    log.add(r, Kind.FORUM_CONVENED, p, forum=forum.id, name=forum.name, moves=dict(kinds))
    log.add(r, Kind.PROPOSAL, forum.required, forum=forum.id, terms=terms_of(s, forum), open=False)
    issues = set(q.tolist())
    if any(a.kind == "agreement" and not issues.isdisjoint(a.issues.tolist()) for a in st.in_force()):
        return  # the forum talks on, but a signed agreement in force on one of its issues is not reopened
    decide(s, st, d, forum, strength, rng, log, r)


def session(s: Structure, st: State, forum: Forum, x: np.ndarray) -> tuple[np.ndarray, dict[str, int]]:
    """One session from positions x (participant, issue) under `engine.bargaining.model`: its text (the
    scale's midpoint where no one takes a stand) and the count of each kind of move (none for the models
    without rounds)."""
    b, ac = st.engine.bargaining, st.actors
    p, q = forum.participants, forum.issues
    c = ac.capability[p]
    sal = np.where(np.isnan(x), 0.0, ac.salience[forum.grid])
    lo, hi = s.lo[q], s.hi[q]
    kinds: dict[str, int] = {}
    if b.model == "compromise":
        terms = bargaining.compromise(x, c, sal)
    elif b.model == "nbs":
        d = bargaining.breakdown(x, bargaining.NBS_BREAKDOWN)
        terms = bargaining.nash_bargaining(x, c, sal, lo, hi, d)
    elif b.model == "exchange":
        terms, kinds = _exchanges(forum, x, c, sal, b.rounds)
    else:
        terms, kinds = _eum(st, forum, x, c, sal, lo, hi)
    return np.where(np.isnan(terms), (lo + hi) / 2, terms), kinds


def _eum(st: State, forum: Forum, x, c, sal, lo, hi) -> tuple[np.ndarray, dict[str, int]]:
    """`rounds` EUM rounds, mediators pulling after each; the forecast under `rule` and the moves by kind."""
    b = st.engine.bargaining
    settings = bargaining.EUMSettings(variant=b.variant, q=b.q, t=b.t, risk=b.risk, rule=b.rule)
    x = x.copy()
    fixed = bargaining.risk_exponent(st.actors.risk[forum.participants]) if b.risk == "fixed" else None
    kinds = dict.fromkeys(bargaining.KINDS, 0)
    for _ in range(b.rounds):
        res = bargaining.eum_round(x, c, sal, lo, hi, settings, fixed_risk=fixed)
        x = res.x
        for mv in res.moves:
            kinds[mv.kind] += 1
        _mediate(forum, x, bargaining.forecast(x, c, sal, b.rule))
    return bargaining.forecast(x, c, sal, b.rule), kinds


def _exchanges(forum: Forum, x, c, sal, rounds: int) -> tuple[np.ndarray, dict[str, int]]:
    """`rounds` rounds of position exchanges among the forum's issues (one decision), mediators pulling the
    voting positions after each; the compromise model of the final voting positions and the exchanges made."""
    made = 0
    for _ in range(rounds):
        run = bargaining.exchange_run(x, c, sal, 1)
        x, made = run.positions[-1], made + len(run.exchanges)
        _mediate(forum, x, run.forecasts[-1])
    return bargaining.compromise(x, c, sal), {"exchange": made}


def _mediate(forum: Forum, x: np.ndarray, fc: np.ndarray) -> None:
    """Every participant who is not a mediator moves toward the forecast fc by `mediation_strength`, in place."""
    if forum.pulled.any() and forum.mediation_strength > 0:
        x[forum.pulled] += forum.mediation_strength * (fc[None, :] - x[forum.pulled])
