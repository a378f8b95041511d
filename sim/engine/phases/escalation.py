"""Phase 3, escalation (docs/MODEL.md section 3): every belligerent (each member of a coalition too) picks a
rung of the ladder at once, a quantal response over rung utilities (`sim.kernels.escalation`) built from the
ground each rung is expected to win (`sim.kernels.contest`), Richardson's grievance, the rung's cost and the penalty for breaking a truce."""

from __future__ import annotations

import numpy as np

from sim.engine.derived import Derived, member_weights, placed, side_intensity, weariness
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
    """Every belligerent picks a rung at once (quantal response over rung utilities, all vectorised).

    Utilities are computed for each belligerent b and candidate rung k with everyone else on their current
    rungs (simultaneous moves): b's side fights at the intensity it would have with b at k (a lead's own rung,
    or for a coalition the members' force-weighted mean, `derived.side_intensity`), each side seeing its own
    strength as its belief about its chance of winning says (learning), and b weighs the ground its side is
    expected to win by its own region values; at rungs at or above an open threat's trigger against b's side,
    or at rungs expected to carry a watched side's control of a region across a red line, the threatener's
    side fights with an extra credibility x magnitude x (that rung's intensity): the threat is expected to be
    answered in kind.
    """
    e, c, ac, th = st.engine.escalation, st.engine.combat, st.actors, st.threats
    deciders, side = s.belligerents, s.member_side
    n_b, n_sides, k_rungs = len(deciders), len(s.sides), len(s.ladder_intensity)
    ks = s.rung_index
    rows = np.arange(n_b)
    uniforms = rng.random(n_b)
    rungs = ac.rung[deciders]
    current = side_intensity(s, st, d)  # (side,)
    eff = np.empty((n_b, k_rungs, n_sides))  # (belligerent, rung, side): the intensities with b at rung k
    eff[:] = current
    eff[rows, :, side] = candidate_intensity(s, st, d, current)
    p_win = learning.estimate(s, st, strength)
    view = strength
    if st.engine.learning.on:
        p_forces = contest.contest(strength, c.contest_exponent)
        view = beliefs.believed_strength(strength, p_forces, p_win, c.contest_exponent)[side][:, None, :]

    te = st.theatre
    # Each side's strength stands where its forces do: its share in each region (R, S) places its believed
    # strength and a threatener's strike in kind (which would arrive as support to the side it helps).
    power, _ = placed(s, st, d)
    fronts = te.contested / max(te.contested.sum(), 1)
    share = np.where(strength > 0, power / np.where(strength > 0, strength, 1.0), fronts[:, None])
    view = view[..., None, :] * share

    def expected(extra: np.ndarray) -> np.ndarray:
        q, _, fight = contest.region_battles(view, eff, te.control, te.defence, c.defence_effort, extra=extra)
        return contest.expected_shift(q, fight, te.control, te.pace)  # (belligerent, rung, region, side)

    threat = np.zeros((n_b, k_rungs, n_sides))  # the threatener strikes back in kind

    def answered(t: int | np.integer, i: int | np.integer, hit: np.ndarray) -> None:
        """Threat t against side i is expected to be answered at the rungs `hit` ((K,), or (B, K) per member)."""
        for b in (side == i).nonzero()[0]:
            at = hit if hit.ndim == 1 else hit[b]
            threat[b, at, th.side[t]] += e.deterrence_weight * th.cred[t] * th.mag[t] * s.ladder_intensity[at]

    lines = []  # red lines on territory: whether a rung crosses one depends on the ground it is expected to win
    for t in th.open.nonzero()[0]:
        i = s.side_of[th.target[t]]
        if i >= 0 and th.region[t] >= 0:
            lines.append((t, i))
        elif i >= 0:
            answered(t, i, ks >= th.trigger[t])
    if lines:
        before = expected(threat[..., None, :] * share)
        for t, i in lines:
            g, w = th.region[t], th.watch[t]
            answered(t, i, st.theatre.control[g, w] + before[:, :, g, w] > th.above[t])
    strike = threat[..., None, :] * share  # (belligerent, rung, region, side)
    guarded = peacekeeping(s, st)
    if guarded is not None:  # where peacekeepers stand, an attacker also meets them (all of them, there)
        extra, where = guarded
        strike = strike + extra[side][..., None, :] * where[:, None]
    shift = expected(strike)
    own = shift[rows, :, :, side]  # (belligerent, rung, region): its side's expected change
    stakes = d.region_values[deciders] * st.theatre.contested  # what fighting can win, as b values it
    gain = e.gain_weight * (own * stakes[:, None, :]).sum(axis=2)
    is_bound = np.array([bound(st, b) for b in deciders], dtype=bool)
    penalty = np.zeros(n_b)
    if is_bound.any():
        assert st.accord is not None
        # per belligerent: its side's co-signing patrons' enforcement raises the chance of sanction
        acc = st.accord
        m = np.array([sanction(e, acc, enforcement(s, st, acc, b, strength)) for b in deciders.tolist()])
        adherence = ac.goals["ceasefire_adherence"][deciders]
        penalty = np.where(
            is_bound, escalation.truce_penalty(adherence, m, e.unmonitored_restraint, e.truce_cost), 0.0
        )
    grievance = e.grievance_weight * d.grievance[deciders]
    u = escalation.rung_utilities(
        gain,
        s.ladder_intensity,
        s.ladder_cost,
        ac.goals["cost_aversion"][deciders][:, None] * weariness(st),
        grievance[:, None],
        s.ladder_breaks[None, :] & is_bound[:, None],
        penalty[:, None],
    )
    # Climb at most max_step rungs (escalation takes mobilising; standing down takes an order, so any lower
    # rung is open), but a belligerent may always answer the highest rung of the other sides' belligerents at
    # once, and one bound by a truce may always stand down to a rung that keeps it.
    answer = np.where(side[:, None] != side[None, :], rungs[None, :], 0).max(axis=1)
    allowed = (
        (ks[None, :] - rungs[:, None] <= e.max_step)
        | (ks[None, :] <= answer[:, None])
        | (is_bound[:, None] & ~s.ladder_breaks[None, :])
    )
    u = np.where(allowed, u, -np.inf)
    new = ac.rung.copy()
    new[deciders] = chosen = np.asarray(choice.quantal_choice(u, e.temperature, uniforms))
    for i, b in enumerate(deciders.tolist()):
        if new[b] != ac.rung[b]:
            k = chosen[i]
            reasons = {
                "utilities": rounded(u[i]),
                "probability": round(float(choice.quantal_probabilities(u[i], e.temperature)[k]), 4),
                "gain": round(float(gain[i, k]), 4),
                "grievance": round(float(grievance[i] * s.ladder_intensity[k]), 4),
                "cost": round(float(ac.goals["cost_aversion"][b] * weariness(st) * s.ladder_cost[k]), 4),
                "truce_penalty": round(float(penalty[i]), 4) if s.ladder_breaks[k] and is_bound[i] else 0.0,
                "p_win": round(float(p_win[side[i]]), 4),
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


def candidate_intensity(s: Structure, st: State, d: Derived, current: np.ndarray) -> np.ndarray:
    """(B, K) the intensity of belligerent b's side if b fought at rung k and its fellow members stayed: the
    rung's own intensity for a side of one, else the force-weighted mean with b's share moved to rung k."""
    ladder = s.ladder_intensity
    single = ~s.coalition[s.member_side]
    if single.all():
        return np.broadcast_to(ladder, (len(s.belligerents), len(ladder)))
    w = member_weights(s, st, d)
    total = np.bincount(s.member_side, weights=w, minlength=len(s.sides))[s.member_side]
    share = np.where(total > 0, w / np.where(total > 0, total, 1.0), 0.0)
    own = ladder[st.actors.rung[s.belligerents]]
    moved = current[s.member_side][:, None] + share[:, None] * (ladder[None, :] - own[:, None])
    return np.where(single[:, None], ladder[None, :], moved)
