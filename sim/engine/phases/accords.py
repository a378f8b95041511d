"""Phase 8, accords (docs/MODEL.md section 6): a belligerent that the accord in force binds (`Accord.bound`)
and that fights at a rung breaking it violates it; each violation costs the other sides' trust, each round
kept builds it; enough rounds of violation collapse the accord."""

from __future__ import annotations

from sim.engine.log import EventLog, Kind
from sim.engine.state import State
from sim.engine.structure import Structure


def violations_and_trust(s: Structure, st: State, log: EventLog, r: int) -> None:
    """trust_i -= trust_loss_per_violation x (violators on other sides), else trust_i += trust_gain_per_round_kept,
    clipped to [0, 1]; the accord collapses after `collapse_violations` rounds with a violation."""
    acc = st.accord
    if acc is None or not acc.in_force:
        return
    rung = st.actors.rung
    breakers = [a for a in sorted(acc.bound) if s.ladder_breaks[rung[a]]]
    for a in breakers:
        st.violations += 1
        log.add(r, Kind.VIOLATION, [a], rung=int(rung[a]), accord=acc.kind, forum=acc.forum)
    if st.first_violation_round is None and breakers:
        st.first_violation_round = r
    ad = st.engine.adaptation
    for i in range(len(s.sides)):
        others = [a for a in breakers if s.side_of[a] != i]
        if others:
            st.trust[i] = max(0.0, st.trust[i] - ad.trust_loss_per_violation * len(others))
        else:
            st.trust[i] = min(1.0, st.trust[i] + ad.trust_gain_per_round_kept)
    if breakers:
        acc.violation_rounds += 1
        acc.held_rounds = 0
        acc.status = "violated"
        if acc.violation_rounds >= st.engine.escalation.collapse_violations:
            acc.status = "collapsed"
            log.add(
                r, Kind.COLLAPSED, breakers, accord=acc.kind, forum=acc.forum, violations=acc.violation_rounds
            )
    else:
        acc.held_rounds += 1
        acc.status = "holding"
