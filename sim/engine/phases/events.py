"""Phase 1, events (docs/MODEL.md section 1): scheduled events fire in their round, triggered ones when their
condition holds; each applies its effects in order, then values go back inside their schema ranges."""

from __future__ import annotations

import numpy as np

from sim.engine.bindings import Due, apply, holds
from sim.engine.derived import Derived, refresh
from sim.engine.log import EventLog, Kind
from sim.engine.state import State
from sim.engine.structure import Structure


def fire_due(
    s: Structure, st: State, d: Derived, due: list[Due], rng: np.random.Generator, log: EventLog, r: int
) -> None:
    """Each event due in round r fires once (a triggered event that is not `once` fires each round its
    condition holds); an event with probability p < 1 takes effect when a U(0, 1) draw falls below p."""
    for item in due:
        if item.fired and (item.event.once or item.round is not None):
            continue
        if item.round is not None:
            if item.round != r:
                continue
        elif item.event.when is None or not holds(s, st, r, item.event.when):
            continue
        item.fired = True
        if item.event.probability < 1.0 and rng.random() >= item.event.probability:
            continue
        changes = apply(item.effects, st.convened.add)
        keep_in_range(s, st, d)
        log.add(
            r,
            Kind.SCHEDULED_EVENT if item.round is not None else Kind.TRIGGERED_EVENT,
            id=item.event.id,
            description=item.event.description,
            changes=changes,
        )


def keep_in_range(s: Structure, st: State, d: Derived) -> None:
    """After an event: values back inside their schema ranges (an `add` can overshoot); a support level
    raised above its maximum raises the maximum (the event is authoritative)."""
    ac, ch, th, te = st.actors, st.channels, st.threats, st.theatre
    np.clip(ac.rung, 0, len(s.ladder_intensity) - 1, out=ac.rung)
    for arr in (ac.forces, ac.capability, ch.level, th.mag, te.oil, te.population):
        np.maximum(arr, 0.0, out=arr)
    for arr in (ac.salience, th.cred, ch.leverage, *ac.goals.values()):
        np.clip(arr, 0.0, 1.0, out=arr)
    np.clip(ac.risk, -1.0, 1.0, out=ac.risk)
    np.clip(ac.affinity, -1.0, 1.0, out=ac.affinity)
    np.clip(ch.eff, 0.0, 10.0, out=ch.eff)
    np.clip(ac.positions, s.lo, s.hi, out=ac.positions)
    np.maximum(ch.max, ch.level, out=ch.max)
    np.copyto(
        ch.base, ch.max, where=ch.base <= 0
    )  # a channel with no starting commitment counts it from here
    refresh(s, st, d)
