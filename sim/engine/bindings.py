"""Scheduled and triggered scenario events: declarative conditions and effects on the live state.

Nothing here evaluates text as code. A condition is a tree of comparisons on named metrics (`rung.LNA`,
`control.oil_crescent.LNA`, ...); an effect sets or adds a number at a dotted scenario path that is bound, when
the model is built, to the state table, field and index that hold it live; the array is looked up when the
effect is applied. A path that the model does not hold live is reported
as a ScenarioError with the event's location before the run starts.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sim.engine.state import State
from sim.engine.structure import Structure
from sim.engine.tables import GOALS
from sim.scenario.errors import Problem, ScenarioError
from sim.scenario.events import Condition, Effect, Event
from sim.scenario.loader import Document

OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


@dataclass
class Binding:
    """A live number in the model: `get()` and `set(value)`."""

    get: Callable[[], Any]
    set: Callable[[Any], None]


def _cell(table: object, name: str, *index: int, kind: Callable = float) -> Binding:
    """Cell `index` of the array `table.<name>` (or `table[name]` for a dict), looked up each time it is read
    or written: a phase may replace the array (the rungs every round, the channels when a threat opens one)."""
    array = partial(table.__getitem__, name) if isinstance(table, dict) else partial(getattr, table, name)

    def get() -> float:
        return kind(array()[index])

    def put(value: float) -> None:
        array()[index] = kind(value)

    return Binding(get, put)


def _attr(obj, name: str, kind=float) -> Binding:
    return Binding(lambda: kind(getattr(obj, name)), lambda v: setattr(obj, name, kind(v)))


def bind(s: Structure, st: State, dotted: str) -> Binding | str:
    """The live cell behind a scenario path, or (if there is none) the list of paths that are live."""
    p = dotted.split(".")
    ac, ch, th, te = st.actors, st.channels, st.threats, st.theatre
    try:
        if p[0] == "actors" and len(p) >= 3:
            a = s.actor_index[p[1]]
            field = p[2]
            if len(p) == 3 and field in ("forces", "capability", "risk"):
                return _cell(ac, field, a)
            if len(p) == 3 and field == "rung":
                return _cell(ac, "rung", a, kind=int)
            if len(p) == 4 and field in ("positions", "salience"):
                return _cell(ac, field, a, s.issue_ids.index(p[3]))
            if len(p) == 4 and field == "goals" and p[3] in GOALS:
                return _cell(ac.goals, p[3], a)
            if len(p) == 4 and field == "affinity":
                return _cell(ac, "affinity", a, s.actor_index[p[3]])
            if len(p) == 5 and field == "support":
                e = s.sup_slot[(p[1], int(p[3]))]
                column = {
                    "level": "level",
                    "max_level": "max",
                    "leverage": "leverage",
                    "effectiveness": "eff",
                }
                return _cell(ch, column[p[4]], e)
            if len(p) == 5 and field == "threats":
                t = s.threat_slot[(p[1], int(p[3]))]
                column = {"credibility": "cred", "magnitude": "mag", "trigger_rung": "trigger"}
                return _cell(th, column[p[4]], t, kind=int if p[4] == "trigger_rung" else float)
        if p[0] == "theatre" and len(p) >= 4 and p[1] == "regions":
            r = s.region_ids.index(p[2])
            if len(p) == 4 and p[3] in ("oil", "population"):
                return _cell(te, p[3], r)
            if len(p) == 4 and p[3] == "contested":
                return _cell(te, "contested", r, kind=bool)
        if (
            p[0] == "economy"
            and len(p) == 2
            and p[1] in ("oil_baseline_bpd", "oil_price_usd", "fighting_disruption")
        ):
            return _attr(st.economy, p[1])
        if p[0] == "forums" and len(p) == 3 and p[2] in ("mediation_strength", "monitoring"):
            return _attr(st.forums[p[1]], p[2])
        if p[0] == "truce" and len(p) == 2 and p[1] == "monitoring" and st.accord is not None:
            return _attr(st.accord, "monitoring")
        if p[0] == "engine" and len(p) == 3:
            section = getattr(st.engine, p[1])
            if p[2] in type(section).model_fields:
                return _attr(section, p[2], kind=type(getattr(section, p[2])))
    except (KeyError, ValueError, IndexError, AttributeError):
        pass
    return (
        "actors.<id>.{forces, capability, risk, rung,"
        " positions.<issue>, salience.<issue>, goals.<goal>, affinity.<actor>, support.<i>.{level, max_level,"
        " leverage, effectiveness}, threats.<i>.{credibility, magnitude, trigger_rung}}, theatre.regions.<id>.{oil, population,"
        " contested}, economy.{oil_baseline_bpd, oil_price_usd, fighting_disruption},"
        " forums.<id>.{mediation_strength, monitoring}, truce.monitoring, engine.<section>.<field>"
    )


def metric(s: Structure, st: State, r: int, name: str) -> float:
    """The current value of a condition metric (see `Condition.metric`) in round r (1-based) being played."""
    head, *rest = name.split(".")
    if head == "round":
        return float(r)
    if head == "oil_output":
        return float(st.oil_output)
    if head == "agreement":
        return 1.0 if st.agreement_signed else 0.0
    if head == "violations":
        return float(st.violations)
    if head == "forces":
        return float(st.actors.forces[s.actor_index[rest[0]]])
    if head == "rung":
        return float(st.actors.rung[s.actor_index[rest[0]]])
    if head == "control":
        side = s.side_of[s.actor_index[rest[1]]]
        return float(st.theatre.control[s.region_ids.index(rest[0]), side]) if side >= 0 else 0.0
    if head == "support":
        a, b = s.actor_index[rest[0]], s.actor_index[rest[1]]
        ch = st.channels
        return float(ch.level[(ch.src == a) & (ch.dst == b)].sum())
    raise KeyError(name)


def holds(s: Structure, st: State, r: int, cond: Condition) -> bool:
    if cond.metric is not None:
        assert cond.op is not None and cond.value is not None  # the schema requires them with a metric
        return OPS[cond.op](metric(s, st, r, cond.metric), cond.value)
    if cond.all is not None:
        return all(holds(s, st, r, c) for c in cond.all)
    if cond.any is not None:
        return any(holds(s, st, r, c) for c in cond.any)
    assert cond.not_ is not None
    return not holds(s, st, r, cond.not_)


@dataclass
class Due:
    """An event and its bound effects; `round` is the 1-based round of a dated event."""

    event: Event
    round: int | None
    effects: list[tuple[Effect, Binding | None]]
    fired: bool = False


def prepare(s: Structure, st: State, events: list[Event], document: Document, source: str) -> list[Due]:
    """Bind every effect once; every unbindable path is reported together, at its line, before the run starts."""
    listed = [e.get("id") if isinstance(e, dict) else None for e in document.data.get("events", [])]
    problems, out = [], []

    def problem(ev: Event, j: int, key: str, message: str, expected: str | None = None) -> Problem:
        i = listed.index(ev.id) if ev.id in listed else None  # the file's index (disabled events included)
        path = ("events", i, "effects", j, key) if i is not None else ("events",)
        file, line, column = document.mark(path, source)
        return Problem(file, line, column, ".".join(map(str, path)), message, expected)

    for ev in events:
        bound: list[tuple[Effect, Binding | None]] = []
        for j, eff in enumerate(ev.effects):
            target = eff.set or eff.add
            if target is None:
                bound.append((eff, None))
                continue
            b = bind(s, st, target)
            if isinstance(b, str):
                problems.append(
                    problem(
                        ev,
                        j,
                        "set" if eff.set else "add",
                        f"`{target}` cannot change during a run",
                        f"a path the model keeps live: {b}",
                    )
                )
            elif eff.add is not None and not isinstance(eff.value, int | float):
                problems.append(problem(ev, j, "value", "`add` needs a number"))
            else:
                bound.append((eff, b))
        out.append(Due(ev, s.round_of(ev.date) if ev.date else None, bound))
    if problems:
        raise ScenarioError(problems)
    return out


def apply(
    effects: list[tuple[Effect, Binding | None]], convene: Callable[[str], None]
) -> list[dict[str, Any]]:
    """Apply an event's effects in order; returns what changed (path, old, new) for the event log."""
    changes: list[dict[str, Any]] = []
    for eff, b in effects:
        if eff.convene is not None:
            convene(eff.convene)
            changes.append({"convene": eff.convene})
            continue
        assert b is not None  # `prepare` bound every set and add
        old = b.get()
        value = eff.value
        if eff.add is not None:
            assert isinstance(value, int | float)  # `prepare` checked that an add has a number
            value = old + float(value)
        b.set(value)
        changes.append({"path": eff.set or eff.add, "old": old, "new": b.get()})
    return changes
