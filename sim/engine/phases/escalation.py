"""Phase 3, escalation (docs/MODEL.md section 3): every belligerent picks a rung of the ladder at once, a
quantal response over rung utilities (`sim.kernels.escalation`) built from the ground each rung is expected
to win (`sim.kernels.contest`), Richardson's grievance, the rung's cost and the penalty for breaking a truce."""

from __future__ import annotations

import numpy as np

from sim.engine.derived import Derived, weariness
from sim.engine.log import EventLog, Kind
from sim.engine.phases.accords import sanction
from sim.engine.state import State
from sim.engine.structure import Structure
from sim.kernels import choice, contest, escalation


def bound(st: State, a: int) -> bool:
    """Is belligerent a bound by the truce or agreement in force (it, or a patron of its side, signed it)?"""
    return st.accord is not None and st.accord.in_force and a in st.accord.bound


def choose_rungs(
    s: Structure, st: State, d: Derived, strength: np.ndarray, rng: np.random.Generator, log: EventLog, r: int
) -> None:
    """Every belligerent picks a rung at once (quantal response over rung utilities, all sides vectorised).

    Utilities are computed for each side i and candidate rung k with the other sides on their current rungs
    (simultaneous moves); at rungs at or above an open threat's trigger, the threatener's side fights with
    an extra credibility x magnitude x (that rung's intensity): the threat is expected to be answered in kind.
    """
    e, c, ac, th = st.engine.escalation, st.engine.combat, st.actors, st.threats
    n_sides, k_rungs = len(s.sides), len(s.ladder_intensity)
    ks = s.rung_index
    sides = s.side_index
    uniforms = rng.random(n_sides)
    rungs = ac.rung[s.side_actors]
    current = s.ladder_intensity[rungs]
    eff = np.where(s.own_rung, s.ladder_intensity[None, :, None], current)  # (side, rung, side)
    threat = np.zeros((n_sides, k_rungs, n_sides))  # the threatener strikes back in kind
    for t in th.open.nonzero()[0]:
        i = s.side_of[th.target[t]]
        if i >= 0:
            hit = ks >= th.trigger[t]
            threat[i, hit, th.side[t]] += (
                e.deterrence_weight * th.cred[t] * th.mag[t] * s.ladder_intensity[hit]
            )
    shift, _ = contest.expected_shift(
        strength,
        eff,
        st.theatre.control,
        c.defence_effort,
        c.entrenchment,
        c.contest_exponent,
        c.control_rate,
        extra=threat,
    )  # (side, rung, region, side)
    own = shift[sides, :, :, sides]  # (side, rung, region): each side's own expected change
    gain = e.gain_weight * (own * d.stakes[:, None, :]).sum(axis=2)
    is_bound = np.array([bound(st, b) for b in s.sides], dtype=bool)
    penalty = np.zeros(n_sides)
    if is_bound.any():
        assert st.accord is not None
        m = sanction(e, st.accord)
        adherence = ac.goals["ceasefire_adherence"][s.side_actors]
        penalty = np.where(
            is_bound, escalation.truce_penalty(adherence, m, e.unmonitored_restraint, e.truce_cost), 0.0
        )
    grievance = e.grievance_weight * d.grievance[s.side_actors]
    u = escalation.rung_utilities(
        gain,
        s.ladder_intensity,
        s.ladder_cost,
        ac.goals["cost_aversion"][s.side_actors][:, None] * weariness(st),
        grievance[:, None],
        s.ladder_breaks[None, :] & is_bound[:, None],
        penalty[:, None],
    )
    # Climb at most max_step rungs (escalation takes mobilising; standing down takes an order, so any lower
    # rung is open), but a side may always answer its opponents' highest rung at once, and a side bound by a
    # truce may always stand down to a rung that keeps it.
    answer = np.where(s.not_self, rungs[None, :], 0).max(axis=1)
    allowed = (
        (ks[None, :] - rungs[:, None] <= e.max_step)
        | (ks[None, :] <= answer[:, None])
        | (is_bound[:, None] & ~s.ladder_breaks[None, :])
    )
    u = np.where(allowed, u, -np.inf)
    new = ac.rung.copy()
    new[s.side_actors] = choice.quantal_choice(u, e.temperature, uniforms)
    for b in s.sides:
        if new[b] != ac.rung[b]:
            log.add(
                r, Kind.RUNG_CHANGED, [b], old=int(ac.rung[b]), new=int(new[b]), rung=s.rung_names[new[b]]
            )
    ac.rung = new
