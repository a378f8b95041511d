"""Phase 3, escalation (docs/MODEL.md section 3): every belligerent picks a rung of the ladder at once, a
quantal response over rung utilities (`sim.kernels.escalation`) built from the ground each rung is expected
to win (`sim.kernels.contest`), Richardson's grievance, the rung's cost and the penalty for breaking a truce."""

from __future__ import annotations

import numpy as np

from sim.engine.derived import Derived, weariness
from sim.engine.log import EventLog, Kind, rounded
from sim.engine.phases import learning
from sim.engine.phases.accords import enforcement, peacekeeping, sanction
from sim.engine.state import State
from sim.engine.structure import Structure
from sim.kernels import choice, contest, escalation
from sim.kernels import learning as beliefs


def bound(st: State, a: int) -> bool:
    """Is belligerent a bound by the truce or agreement in force (it, or a patron of its side, signed it)?"""
    return st.accord is not None and st.accord.in_force and a in st.accord.bound


def choose_rungs(
    s: Structure, st: State, d: Derived, strength: np.ndarray, rng: np.random.Generator, log: EventLog, r: int
) -> None:
    """Every belligerent picks a rung at once (quantal response over rung utilities, all sides vectorised).

    Utilities are computed for each side i and candidate rung k with the other sides on their current rungs
    (simultaneous moves), each side seeing its own strength as its belief about its chance of winning says
    (learning); at rungs at or above an open threat's trigger, or at rungs expected to carry a watched side's
    control of a region across a red line, the threatener's side fights with an extra credibility x magnitude
    x (that rung's intensity): the threat is expected to be answered in kind.
    """
    e, c, ac, th = st.engine.escalation, st.engine.combat, st.actors, st.threats
    n_sides, k_rungs = len(s.sides), len(s.ladder_intensity)
    ks = s.rung_index
    sides = s.side_index
    uniforms = rng.random(n_sides)
    rungs = ac.rung[s.side_actors]
    current = s.ladder_intensity[rungs]
    eff = np.where(s.own_rung, s.ladder_intensity[None, :, None], current)  # (side, rung, side)
    p_win = learning.estimate(s, st, strength)
    view = strength
    if st.engine.learning.on:
        p_forces = contest.contest(strength, c.contest_exponent)
        view = beliefs.believed_strength(strength, p_forces, p_win, c.contest_exponent)[:, None, :]

    te = st.theatre

    def expected(extra: np.ndarray) -> np.ndarray:
        q, _, fight = contest.region_battles(view, eff, te.control, te.defence, c.defence_effort, extra=extra)
        return contest.expected_shift(q, fight, te.control, te.pace)  # (side, rung, region, side)

    threat = np.zeros((n_sides, k_rungs, n_sides))  # the threatener strikes back in kind

    def answered(t: int | np.integer, i: int | np.integer, hit: np.ndarray) -> None:
        threat[i, hit, th.side[t]] += e.deterrence_weight * th.cred[t] * th.mag[t] * s.ladder_intensity[hit]

    lines = []  # red lines on territory: whether a rung crosses one depends on the ground it is expected to win
    for t in th.open.nonzero()[0]:
        i = s.side_of[th.target[t]]
        if i >= 0 and th.region[t] >= 0:
            lines.append((t, i))
        elif i >= 0:
            answered(t, i, ks >= th.trigger[t])
    if lines:
        before = expected(threat)
        for t, i in lines:
            g, w = th.region[t], th.watch[t]
            answered(t, i, st.theatre.control[g, w] + before[i, :, g, w] > th.above[t])
    shift = expected(threat)
    guarded = peacekeeping(s, st)
    if guarded is not None:  # where peacekeepers stand, an attacker also meets them
        extra, where = guarded
        shift = np.where(where[None, None, :, None], expected(threat + extra), shift)
    own = shift[sides, :, :, sides]  # (side, rung, region): each side's own expected change
    gain = e.gain_weight * (own * d.stakes[:, None, :]).sum(axis=2)
    is_bound = np.array([bound(st, b) for b in s.sides], dtype=bool)
    penalty = np.zeros(n_sides)
    if is_bound.any():
        assert st.accord is not None
        # per side: its co-signing patrons' enforcement raises the chance of sanction (accords.enforcement)
        acc = st.accord
        m = np.array([sanction(e, acc, enforcement(s, st, acc, b, strength)) for b in s.sides])
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
    new[s.side_actors] = chosen = np.asarray(choice.quantal_choice(u, e.temperature, uniforms))
    for i, b in enumerate(s.sides):
        if new[b] != ac.rung[b]:
            k = chosen[i]
            reasons = {
                "utilities": rounded(u[i]),
                "probability": round(float(choice.quantal_probabilities(u[i], e.temperature)[k]), 4),
                "gain": round(float(gain[i, k]), 4),
                "grievance": round(float(grievance[i] * s.ladder_intensity[k]), 4),
                "cost": round(float(ac.goals["cost_aversion"][b] * weariness(st) * s.ladder_cost[k]), 4),
                "truce_penalty": round(float(penalty[i]), 4) if s.ladder_breaks[k] and is_bound[i] else 0.0,
                "p_win": round(float(p_win[i]), 4),
            }
            log.add(
                r,
                Kind.RUNG_CHANGED,
                [b],
                old=int(ac.rung[b]),
                new=int(new[b]),
                rung=s.rung_names[new[b]],
                reasons=reasons,
            )
    ac.rung = new
