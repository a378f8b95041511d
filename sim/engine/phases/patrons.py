"""Phase 5, patrons (docs/MODEL.md section 5): every support channel moves down a step, stays or moves up a
step, a quantal response (`sim.kernels.choice`) over the patron's utility of each level."""

from __future__ import annotations

import numpy as np

from sim.engine.derived import Derived
from sim.engine.log import EventLog, Kind
from sim.engine.state import State
from sim.engine.structure import Structure
from sim.kernels import choice, contest

MOVES = np.array([-1.0, 0.0, 1.0])  # a support channel's options: a step down, stay, a step up


def choose_support(
    s: Structure, st: State, d: Derived, strength: np.ndarray, rng: np.random.Generator, log: EventLog, r: int
) -> None:
    """Every support channel moves down a step, stays or moves up a step (quantal response, all at once);
    a channel at its floor (0) cannot move down, one at its maximum cannot move up.

    U(L) = gain_weight * influence_p * danger * p_client(L) - cost_aversion_p * cost * L
           - clash * L / max_level + [L = current] * inertia,
    danger = the highest intensity the client's opponents fight at now (a client under attack needs help;
    one at peace does not), p_client = contest of the sides' strengths with this channel at L. One U(0, 1)
    draw per channel, drawn even when no channel can move.
    """
    pa, e, c, ch = st.engine.patrons, st.engine.escalation, st.engine.combat, st.channels
    uniforms = rng.random(len(ch.level))
    live = (d.sided & (ch.max > 0)).nonzero()[0]
    if len(live) == 0 or len(s.sides) < 2:
        return
    intensity = s.ladder_intensity[st.actors.rung[s.side_actors]]
    danger_of = np.where(s.not_self, intensity[None, :], 0.0).max(axis=1)
    side = ch.side[live]
    level, top = ch.level[live], ch.max[live]
    options = np.minimum(np.maximum(level[:, None] + (pa.step * top)[:, None] * MOVES, 0.0), top[:, None])
    rows = np.arange(len(live))
    forces = np.empty((len(live), 3, len(s.sides)))  # (live channel, option, side)
    forces[:] = strength
    forces[rows, :, side] += (options - level[:, None]) * ch.eff[live][:, None]
    p_client = contest.contest(forces, c.contest_exponent)[rows, :, side]
    patron = ch.src[live]
    goals = st.actors.goals
    cost_unit = pa.support_cost * np.where(ch.covert[live], pa.covert_cost_share, 1.0)
    u = (
        (e.gain_weight * goals["influence"][patron] * danger_of[side])[:, None] * p_client
        - (goals["cost_aversion"][patron] * cost_unit)[:, None] * options
        - (clash(st, d, live) / top)[:, None] * options
    )
    u[:, 1] += pa.inertia
    # At the floor (ceiling) a step down (up) is no move: staying is one option, not two.
    u[:, ::2] = np.where(options[:, ::2] == level[:, None], -np.inf, u[:, ::2])
    chosen = options[rows, choice.quantal_choice(u, e.temperature, uniforms[live])]
    for row in (np.abs(chosen - level) > 1e-12).nonzero()[0]:
        k = live[row]
        log.add(
            r,
            Kind.SUPPORT_CHANGED,
            [patron[row], ch.dst[k]],
            old=round(float(level[row]), 4),
            new=round(float(chosen[row]), 4),
            covert=bool(ch.covert[k]),
        )
        ch.level[k] = chosen[row]


def clash(st: State, d: Derived, live: np.ndarray) -> np.ndarray:
    """Per channel: clash_aversion x its patron's positive affinity toward each other patron that now
    supports another side."""
    ch = st.channels
    active = (ch.level > 0) & d.sided
    rival_channel = d.rival_pair[live] & active  # (live channel, any channel)
    # (live channel, actor): the actor runs at least one rival channel (a boolean product: any of them)
    rival_patron = rival_channel @ d.patron_of
    affinity = np.maximum(st.actors.affinity[ch.src[live]], 0.0)
    return st.engine.patrons.clash_aversion * (rival_patron * affinity).sum(axis=1)
