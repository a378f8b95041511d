"""Phase 8, accords (docs/MODEL.md section 6): a belligerent that an accord in force binds (`Accord.bound`)
violates a ceasefire accord by fighting at a rung that breaks it, an oil accord by blockading; each
violation costs the other sides' trust, each round with every accord kept builds it (trust is one belief
about the other side, carried from accord to accord); enough rounds of violation collapse an accord. A signed
text's territorial terms move control when due and bind the sides that handed a region over or agreed a
buffer zone; its peacekeepers watch and deter; a patron that co-signed it enforces it on its client."""

from __future__ import annotations

import math

import numpy as np

from sim.engine.agreements import Accord
from sim.engine.log import EventLog, Kind
from sim.engine.state import State
from sim.engine.structure import Structure
from sim.scenario.engine import Escalation


def sanction(e: Escalation, acc: Accord, enforcement: float = 0.0) -> float:
    """P(sanction) for breaking the accord (Epstein's rule, docs/MODEL.md section 3): m = min(1,
    monitoring_weight x monitoring), raised by a third-party guarantee g (guarantors, peacekeepers; Walter 2002,
    Fortna 2008) to m' = m + (1 - m) g, by peacekeepers on a front (`Accord.watched`, their monitoring) to
    m'' = m' + (1 - m') w, and by the breaker's own patrons' enforcement q (`enforcement`) to
    m'' + (1 - m'') q: independent chances that the breach is punished."""
    m = min(1.0, e.monitoring_weight * acc.monitoring)
    m = m + (1.0 - m) * acc.guarantee
    m = m + (1.0 - m) * acc.watched
    return m + (1.0 - m) * enforcement


def enforcement(s: Structure, st: State, acc: Accord, a: int, strength: np.ndarray) -> float:
    """The chance that belligerent a's patrons who co-signed the accord punish its breach by cutting their
    support (the Sochi pattern: a patron that signs for its client answers for it; principal-agent control
    of proxies, Salehyan 2010, Byman & Kreps 2010): q = 1 - prod over those patrons P of (1 - lambda_P
    sigma_P), lambda_P the leverage of P's strongest lever to a's side, sigma_P = (P's support to that side,
    force units) / (the side's strength F_i) the share of its strength a would stand to lose. 0 with
    `engine.patrons.enforce` off, for an accord no patron of a's side signed, and for a not bound by it."""
    k = s.side_of[a]
    if not st.engine.patrons.enforce or k < 0 or a not in acc.bound or strength[k] <= 0:
        return 0.0
    ch = st.channels
    keep = 1.0
    for patron in sorted(acc.signatories):
        if patron == a or s.side_of[patron] != k:
            continue
        mine = (ch.src == patron) & (ch.side == k) & (ch.level > 0)
        if mine.any():
            share = min(1.0, float((ch.level[mine] * ch.eff[mine]).sum()) / float(strength[k]))
            keep *= 1.0 - float(ch.leverage[mine].max()) * share
    return 1.0 - keep


def violations_and_trust(s: Structure, st: State, log: EventLog, r: int) -> None:
    """trust_i -= trust_loss_per_violation x (violations by other sides, over every accord in force), else
    trust_i += trust_gain_per_round_kept, clipped to [0, 1]; an accord collapses after `collapse_violations`
    rounds with a violation of it (`collapse_rounds`)."""
    accords = st.in_force()
    if not accords:
        return
    for acc in accords:
        hand_over(s, st, acc, log, r)
    broken = [(acc, breakers(s, st, acc)) for acc in accords]
    every = [a for _, who in broken for a, _ in who]
    ad = st.engine.adaptation
    for i in range(len(s.sides)):
        others = [a for a in every if s.side_of[a] != i]
        if others:
            st.trust[i] = max(0.0, st.trust[i] - ad.trust_loss_per_violation * len(others))
        else:
            st.trust[i] = min(1.0, st.trust[i] + ad.trust_gain_per_round_kept)
    for acc, who in broken:
        fare(st, acc, who, log, r, s.round_days)


def breakers(s: Structure, st: State, acc: Accord) -> list[tuple[int, str]]:
    """The belligerents the accord binds who violate it this round, each once, and how: `rung` or `blockade`."""
    rung = st.actors.rung
    front = st.theatre.contested
    out = []
    for a in sorted(acc.bound):
        k = s.side_of[a]
        fights = bool(s.ladder_breaks[rung[a]])
        if acc.ceasefire and fights:
            out.append((a, "rung"))
        elif acc.oil and k >= 0 and s.sides[k] == a and st.blockading[k]:
            out.append((a, "blockade"))
        elif fights and any(k in h.gave and front[h.region] for h in acc.handovers if h.done):
            out.append((a, "territory"))  # it fights on for a region it handed over
        elif fights and front[acc.buffer].any():
            out.append((a, "buffer"))  # the front runs through a buffer zone: its fighting reaches it
    return out


def hand_over(s: Structure, st: State, acc: Accord, log: EventLog, r: int) -> None:
    """Carry out the accord's territorial terms due by round r: a transfer gives the region whole to its
    recipient's side; a withdrawal hands the leaving side's share to the others in proportion to theirs
    (equally if they hold none). Each is logged as `control_changed` with the forum and the term."""
    control = st.theatre.control
    for h in acc.handovers:
        if h.done or h.due > r:
            continue
        h.done = True
        if h.to < 0 and len(s.sides) < 2:  # no one to leave it to
            continue
        before = control[h.region].copy()
        after = np.zeros_like(before)
        if h.to >= 0:
            after[h.to] = 1.0
        else:
            rest = np.delete(np.arange(len(before)), h.leaves)
            held = before[rest]
            after[rest] = held / held.sum() if held.sum() > 0 else 1.0 / len(rest)
        h.gave = {int(k) for k in (before > after).nonzero()[0]}
        control[h.region] = after
        lead = int(after.argmax())
        log.add(
            r,
            Kind.CONTROL_CHANGED,
            [s.sides[lead]],
            region=s.region_ids[h.region],
            share=round(float(after[lead]), 4),
            forum=acc.forum,
            term="transfer" if h.to >= 0 else "withdraw",
        )


def peacekeeping(s: Structure, st: State) -> tuple[np.ndarray, np.ndarray] | None:
    """Peacekeepers of the accords in force on the fronts they hold, as deterrent force (Fortna 2008): a side
    weighing a truce-breaking rung expects them to defend their regions against it, forces x that rung's
    intensity shared among its opponents (a threat answered in kind, as `threats`). Returns the added fighting
    strength (side, rung, side) and the regions it counts in (region,) bool, or None with no one deployed."""
    where = np.zeros(len(s.region_ids), dtype=bool)
    forces = 0.0
    for acc in st.in_force():
        pk = acc.peacekeepers
        if pk is not None and st.theatre.contested[pk.regions].any():
            where[pk.regions] = True
            forces += pk.forces
    where &= st.theatre.contested
    n = len(s.sides)
    if not where.any() or n < 2:
        return None
    hit = s.ladder_breaks * s.ladder_intensity  # (rung,)
    extra = np.where(s.not_self[:, None, :], forces / (n - 1), 0.0) * hit[None, :, None]
    return st.engine.escalation.deterrence_weight * extra, where


def collapse_rounds(e: Escalation, round_days: int) -> int:
    """Rounds with a violation after which an accord has collapsed: `collapse_violations`, or with
    `collapse_days` set, the fewest rounds whose days reach it, ceil(collapse_days / round_days), so that a
    truce fails within days of fighting whatever the round's length (a 7-day round is one such round)."""
    if e.collapse_days is None:
        return e.collapse_violations
    return max(1, math.ceil(e.collapse_days / round_days))


def fare(st: State, acc: Accord, who: list[tuple[int, str]], log: EventLog, r: int, round_days: int) -> None:
    """Log the accord's violations and move its status: violated (and collapsed after enough) or holding; the
    round's violators are kept on the accord for the patrons who co-signed it (`patrons.enforce`)."""
    acc.violators = dict(who)
    acc.violation_round = r
    for a, how in who:
        st.violations += 1
        log.add(r, Kind.VIOLATION, [a], rung=int(st.actors.rung[a]), accord=acc.kind, forum=acc.forum, by=how)
    if st.first_violation_round is None and who:
        st.first_violation_round = r
    if who:
        acc.violation_rounds += 1
        acc.held_rounds = 0
        acc.status = "violated"
        if acc.violation_rounds >= collapse_rounds(st.engine.escalation, round_days):
            acc.status = "collapsed"
            log.add(
                r,
                Kind.COLLAPSED,
                [a for a, _ in who],
                accord=acc.kind,
                forum=acc.forum,
                violations=acc.violation_rounds,
            )
    else:
        acc.held_rounds += 1
        acc.status = "holding"
