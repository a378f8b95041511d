"""Phase 8, accords (docs/MODEL.md section 6): a belligerent that an accord in force binds (`Accord.bound`)
violates a ceasefire accord by fighting at a rung that breaks it, an oil accord by blockading; each
violation costs the other sides' trust, each round with every accord kept builds it (trust is one belief
about the other side, carried from accord to accord); enough rounds of violation collapse an accord."""

from __future__ import annotations

from sim.engine.log import EventLog, Kind
from sim.engine.state import Accord, State
from sim.engine.structure import Structure
from sim.scenario.engine import Escalation


def sanction(e: Escalation, acc: Accord) -> float:
    """P(sanction) for breaking the accord (Epstein's rule, docs/MODEL.md section 3): m = min(1,
    monitoring_weight x monitoring), raised by a third-party guarantee g (guarantors, peacekeepers; Walter 2002,
    Fortna 2008) to m + (1 - m) g."""
    m = min(1.0, e.monitoring_weight * acc.monitoring)
    return m + (1.0 - m) * acc.guarantee


def violations_and_trust(s: Structure, st: State, log: EventLog, r: int) -> None:
    """trust_i -= trust_loss_per_violation x (violations by other sides, over every accord in force), else
    trust_i += trust_gain_per_round_kept, clipped to [0, 1]; an accord collapses after `collapse_violations`
    rounds with a violation of it."""
    accords = st.in_force()
    if not accords:
        return
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
        fare(st, acc, who, log, r)


def breakers(s: Structure, st: State, acc: Accord) -> list[tuple[int, str]]:
    """The belligerents the accord binds who violate it this round, each once, and how: `rung` or `blockade`."""
    rung = st.actors.rung
    out = []
    for a in sorted(acc.bound):
        k = s.side_of[a]
        if acc.ceasefire and s.ladder_breaks[rung[a]]:
            out.append((a, "rung"))
        elif acc.oil and k >= 0 and s.sides[k] == a and st.blockading[k]:
            out.append((a, "blockade"))
    return out


def fare(st: State, acc: Accord, who: list[tuple[int, str]], log: EventLog, r: int) -> None:
    """Log the accord's violations and move its status: violated (and collapsed after enough) or holding."""
    for a, how in who:
        st.violations += 1
        log.add(r, Kind.VIOLATION, [a], rung=int(st.actors.rung[a]), accord=acc.kind, forum=acc.forum, by=how)
    if st.first_violation_round is None and who:
        st.first_violation_round = r
    if who:
        acc.violation_rounds += 1
        acc.held_rounds = 0
        acc.status = "violated"
        if acc.violation_rounds >= st.engine.escalation.collapse_violations:
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
