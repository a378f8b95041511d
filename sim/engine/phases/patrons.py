"""Phase 5, patrons (docs/MODEL.md section 5): each patron first chooses its commitment to each channel (the
channel's ceiling: raise it a step, keep it or cut it), then every support channel moves down a step, stays or
moves up a step within it; both quantal responses (`sim.kernels.choice`) over the patron's utilities
(`sim.kernels.patrons`)."""

from __future__ import annotations

import numpy as np

from sim.engine.derived import Derived, side_intensity
from sim.engine.log import EventLog, Kind, rounded
from sim.engine.state import State, kind_values
from sim.engine.structure import Structure
from sim.kernels import choice, contest
from sim.kernels import patrons as commitment_kernel

MOVES = np.array([-1.0, 0.0, 1.0])  # a support channel's options: a step down, stay, a step up


def choose_support(
    s: Structure, st: State, d: Derived, strength: np.ndarray, rng: np.random.Generator, log: EventLog, r: int
) -> None:
    """With `engine.patrons.commitment` on, first every patron chooses its commitment to each channel
    (`choose_commitments`); then every support channel moves down a step, stays or moves up a step (quantal
    response, all at once); a channel at its floor (0) cannot move down, one at its maximum cannot move up.

    U(L) = gain_weight * influence_p * danger * p_client(L) - cost_aversion_p * cost * L
           - clash * L / max_level + [L = current] * inertia,
    cost = support_cost x the kind's cost multiplier (`engine.support_kinds`) x covert_cost_share if covert,
    danger = the highest intensity the client's opponents fight at now (a client under attack needs help;
    one at peace does not), p_client = contest of the sides' strengths with this channel at L. One U(0, 1)
    draw per channel for each choice (commitments first), drawn even when no channel can move.
    """
    pa, e, c, ch = st.engine.patrons, st.engine.escalation, st.engine.combat, st.channels
    commit_uniforms = rng.random(len(ch.level)) if pa.commitment else None
    uniforms = rng.random(len(ch.level))
    if pa.enforce:
        enforce(s, st, log, r)
    if len(s.sides) < 2:
        return
    intensity = side_intensity(s, st, d)
    danger_of = np.where(s.not_self, intensity[None, :], 0.0).max(axis=1)
    if commit_uniforms is not None:
        choose_commitments(s, st, d, strength, danger_of, commit_uniforms, log, r)
    live = (d.sided & (ch.max > 0)).nonzero()[0]
    if len(live) == 0:
        return
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
    cost_unit = (
        pa.support_cost * kind_values(st, "cost")[live] * np.where(ch.covert[live], pa.covert_cost_share, 1.0)
    )
    u = (
        (e.gain_weight * goals["influence"][patron] * danger_of[side])[:, None] * p_client
        - (goals["cost_aversion"][patron] * cost_unit)[:, None] * options
        - (clash(st, d, live) / top)[:, None] * options
    )
    u[:, 1] += pa.inertia
    # At the floor (ceiling) a step down (up) is no move: staying is one option, not two.
    u[:, ::2] = np.where(options[:, ::2] == level[:, None], -np.inf, u[:, ::2])
    picked = np.asarray(choice.quantal_choice(u, e.temperature, uniforms[live]))
    chosen = options[rows, picked]
    changed = (np.abs(chosen - level) > 1e-12).nonzero()[0]
    probabilities = choice.quantal_probabilities(u[changed], e.temperature)
    for n, row in enumerate(changed):
        k, j = live[row], picked[row]
        reasons = {
            "options": rounded(options[row]),
            "utilities": rounded(u[row]),
            "probabilities": rounded(probabilities[n]),
            "danger": round(float(danger_of[side[row]]), 4),
            "p_client": round(float(p_client[row, j]), 4),
            "cost": round(float(goals["cost_aversion"][patron[row]] * cost_unit[row] * options[row, j]), 4),
        }
        log.add(
            r,
            Kind.SUPPORT_CHANGED,
            [patron[row], ch.dst[k]],
            old=round(float(level[row]), 4),
            new=round(float(chosen[row]), 4),
            covert=bool(ch.covert[k]),
            reasons=reasons,
        )
        ch.level[k] = chosen[row]


def choose_commitments(
    s: Structure,
    st: State,
    d: Derived,
    strength: np.ndarray,
    danger_of: np.ndarray,
    uniforms: np.ndarray,
    log: EventLog,
    r: int,
) -> None:
    """Every channel with a starting commitment: its patron cuts the ceiling a step, keeps it or raises it a
    step (`step` x the starting commitment, within [0, limit]), a quantal response over
    `sim.kernels.patrons.commitment_utilities` (all channels at once); support above a cut ceiling comes down
    to it at once."""
    pa, e, c, ch, goals = (
        st.engine.patrons,
        st.engine.escalation,
        st.engine.combat,
        st.channels,
        st.actors.goals,
    )
    live = (d.sided & (ch.base > 0)).nonzero()[0]
    if len(live) == 0:
        return
    side, patron, eff, top = ch.side[live], ch.src[live], ch.eff[live], ch.max[live]
    options = np.minimum(
        np.maximum(top[:, None] + (pa.step * ch.base[live])[:, None] * MOVES, 0.0), ch.limit[live][:, None]
    )
    rows = np.arange(len(live))
    forces = np.empty((len(live), 3, len(s.sides)))  # (live channel, option, side): the channel given in full
    forces[:] = strength
    forces[rows, :, side] += (options - ch.level[live][:, None]) * eff[:, None]
    p_client = contest.contest(forces, c.contest_exponent)[rows, :, side]
    held = st.theatre.oil @ st.theatre.control  # (side,) the oil each side holds
    stakes = e.gain_weight * (goals["influence"][patron] + goals["oil_access"][patron] * held[side])
    stakes = stakes * danger_of[side]
    # force units this patron has committed to this side over its other channels, and its rivals' commitment,
    # each counted at the resolve its kind shows (troops in combat tie a patron's hands, money barely does)
    resolve = kind_values(st, "resolve")
    committed = ch.max * ch.eff * resolve
    others = (d.same_pair[live] * committed).sum(axis=1) - committed[live]
    rivals = (d.rival_sided[live] * committed).sum(axis=1)
    u = commitment_kernel.commitment_utilities(
        stakes,
        p_client,
        options / ch.base[live][:, None],
        goals["cost_aversion"][patron] * (1.0 + st.actors.domestic[patron]) * pa.commitment_cost,
        others[:, None] + options * (eff * resolve[live])[:, None],
        rivals,
        pa.resolve_weight * goals["influence"][patron],
    )
    u[:, 1] += pa.inertia
    u[:, ::2] = np.where(options[:, ::2] == top[:, None], -np.inf, u[:, ::2])
    picked = np.asarray(choice.quantal_choice(u, e.temperature, uniforms[live]))
    chosen = options[rows, picked]
    changed = (np.abs(chosen - top) > 1e-12).nonzero()[0]
    probabilities = choice.quantal_probabilities(u[changed], e.temperature)
    for n, row in enumerate(changed):
        k = live[row]
        reasons = {
            "options": rounded(options[row]),
            "utilities": rounded(u[row]),
            "probabilities": rounded(probabilities[n]),
            "stakes": round(float(stakes[row]), 4),
            "p_client": rounded(p_client[row]),
            "rivals": round(float(rivals[row]), 4),
        }
        log.add(
            r,
            Kind.COMMITMENT_CHANGED,
            [patron[row], ch.dst[k]],
            old=round(float(top[row]), 4),
            new=round(float(chosen[row]), 4),
            reasons=reasons,
        )
        ch.max[k] = chosen[row]
        if ch.level[k] > ch.max[k]:  # a cut commitment brings the support given down with it
            log.add(
                r,
                Kind.SUPPORT_CHANGED,
                [patron[row], ch.dst[k]],
                old=round(float(ch.level[k]), 4),
                new=round(float(ch.max[k]), 4),
                covert=bool(ch.covert[k]),
                reasons={"commitment": round(float(ch.max[k]), 4)},
            )
            ch.level[k] = ch.max[k]


def enforce(s: Structure, st: State, log: EventLog, r: int) -> None:
    """A patron that co-signed an accord its client broke last round carries out the sanction its client
    weighed (`accords.enforcement`): it cuts each of its channels to that side by `step` x the channel's
    ceiling (not below 0), before this round's choices, which move on from the cut level (the Sochi
    memorandum, 22 Oct 2019: Russia undertook the YPG's withdrawal; Salehyan 2010; Byman & Kreps 2010)."""
    ch, step = st.channels, st.engine.patrons.step
    signed = list(st.accords.values())
    if st.accord is not None and all(st.accord is not a for a in signed):  # the truce, not a forum's text
        signed.insert(0, st.accord)
    for acc in signed:
        if acc.violation_round != r - 1:
            continue
        for patron in sorted(acc.signatories):
            k = s.side_of[patron]
            if k < 0 or s.sides[k] == patron or s.sides[k] not in acc.violators:
                continue
            client = s.sides[k]
            for c in ((ch.src == patron) & (ch.side == k) & (ch.level > 0)).nonzero()[0]:
                new = max(0.0, float(ch.level[c] - step * ch.max[c]))
                log.add(
                    r,
                    Kind.SUPPORT_CHANGED,
                    [patron, ch.dst[c]],
                    old=round(float(ch.level[c]), 4),
                    new=round(new, 4),
                    covert=bool(ch.covert[c]),
                    reasons={
                        "sanction": acc.forum or acc.kind,
                        "violator": s.actor_ids[client],
                        "violation": acc.violators[client],
                    },
                )
                ch.level[c] = new


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
