"""Scheduled and triggered scenario events: declarative conditions and effects on the live model state.

Nothing here evaluates text as code. A condition is a tree of comparisons on named metrics (`rung.LNA`,
`control.oil_crescent.LNA`, ...); an effect sets or adds a number at a dotted scenario path that is bound, when
the model is built, to the array cell that holds it live. A path that the model does not hold live is reported
as a ScenarioError with the event's location before the run starts.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass

from sim.scenario.errors import Problem, ScenarioError
from sim.scenario.schema import Condition, Effect, Event

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

    get: Callable[[], float]
    set: Callable[[float], None]


def _cell(array, *index, kind=float) -> Binding:
    def get() -> float:
        return kind(array[index])

    def put(value: float) -> None:
        array[index] = kind(value)

    return Binding(get, put)


def _attr(obj, name: str, kind=float) -> Binding:
    return Binding(lambda: kind(getattr(obj, name)), lambda v: setattr(obj, name, kind(v)))


GOALS = ("oil_access", "ceasefire_adherence", "territory", "influence", "cost_aversion")


def bind(model, dotted: str) -> Binding | str:
    """The live cell behind a scenario path, or (if there is none) the list of paths that are live."""
    p = dotted.split(".")
    m = model
    try:
        if p[0] == "actors" and len(p) >= 3:
            a = m.actor_index[p[1]]
            field = p[2]
            if len(p) == 3 and field in ("forces", "capability", "risk"):
                return _cell({"forces": m.forces, "capability": m.capability, "risk": m.risk}[field], a)
            if len(p) == 3 and field == "rung":
                return _cell(m.rung, a, kind=int)
            if len(p) == 4 and field in ("positions", "salience"):
                arr = m.positions if field == "positions" else m.salience
                return _cell(arr, a, m.issue_ids.index(p[3]))
            if len(p) == 4 and field == "goals" and p[3] in GOALS:
                return _cell(m.goals[p[3]], a)
            if len(p) == 4 and field == "affinity":
                return _cell(m.affinity, a, m.actor_index[p[3]])
            if len(p) == 5 and field == "support":
                e = m.sup_slot[(p[1], int(p[3]))]
                arrays = {
                    "level": m.sup_level,
                    "max_level": m.sup_max,
                    "leverage": m.sup_leverage,
                    "effectiveness": m.sup_eff,
                }
                return _cell(arrays[p[4]], e)
            if len(p) == 5 and field == "threats":
                t = m.threat_slot[(p[1], int(p[3]))]
                arrays = {"credibility": m.thr_cred, "magnitude": m.thr_mag, "trigger_rung": m.thr_trigger}
                return _cell(arrays[p[4]], t, kind=int if p[4] == "trigger_rung" else float)
        if p[0] == "theatre" and len(p) >= 4 and p[1] == "regions":
            r = m.region_ids.index(p[2])
            if len(p) == 4 and p[3] in ("oil", "population"):
                return _cell(m.oil if p[3] == "oil" else m.population, r)
            if len(p) == 4 and p[3] == "contested":
                return _cell(m.contested, r, kind=bool)
        if (
            p[0] == "economy"
            and len(p) == 2
            and p[1] in ("oil_baseline_bpd", "oil_price_usd", "fighting_disruption")
        ):
            return _attr(m.economy, p[1])
        if p[0] == "forums" and len(p) == 3 and p[2] in ("mediation_strength", "monitoring"):
            return _attr(m.forums[p[1]], p[2])
        if p[0] == "truce" and len(p) == 2 and p[1] == "monitoring" and m.accord is not None:
            return _attr(m.accord, "monitoring")
        if p[0] == "engine" and len(p) == 3:
            section = getattr(m.engine, p[1])
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


def metric(model, name: str) -> float:
    """The current value of a condition metric (see `Condition.metric`)."""
    m = model
    head, *rest = name.split(".")
    if head == "round":
        return float(m.round + 1)  # conditions are tested inside the round being played (1-based)
    if head == "oil_output":
        return float(m.oil_output)
    if head == "agreement":
        return 1.0 if m.agreement_signed else 0.0
    if head == "violations":
        return float(m.violations)
    if head == "forces":
        return float(m.forces[m.actor_index[rest[0]]])
    if head == "rung":
        return float(m.rung[m.actor_index[rest[0]]])
    if head == "control":
        side = m.side_of[m.actor_index[rest[1]]]
        return float(m.control[m.region_ids.index(rest[0]), side]) if side >= 0 else 0.0
    if head == "support":
        a, b = m.actor_index[rest[0]], m.actor_index[rest[1]]
        return float(m.sup_level[(m.sup_from == a) & (m.sup_to == b)].sum())
    raise KeyError(name)


def holds(model, cond: Condition) -> bool:
    if cond.metric is not None:
        return OPS[cond.op](metric(model, cond.metric), cond.value)
    if cond.all is not None:
        return all(holds(model, c) for c in cond.all)
    if cond.any is not None:
        return any(holds(model, c) for c in cond.any)
    return not holds(model, cond.not_)


@dataclass
class Due:
    """An event and its bound effects; `round` is the 1-based round of a dated event."""

    event: Event
    round: int | None
    effects: list[tuple[Effect, Binding | None]]
    fired: bool = False


def prepare(model, events: list[Event], round_of: Callable, document, source: str) -> list[Due]:
    """Bind every effect once; every unbindable path is reported together, at its line, before the run starts."""
    listed = [e.get("id") if isinstance(e, dict) else None for e in document.data.get("events", [])]
    problems, out = [], []

    def problem(ev: Event, j: int, key: str, message: str, expected: str | None = None) -> Problem:
        i = listed.index(ev.id) if ev.id in listed else None  # the file's index (disabled events included)
        path = ("events", i, "effects", j, key) if i is not None else ("events",)
        file, line, column = document.mark(path, source)
        return Problem(file, line, column, ".".join(map(str, path)), message, expected)

    for ev in events:
        bound = []
        for j, eff in enumerate(ev.effects):
            target = eff.set or eff.add
            if target is None:
                bound.append((eff, None))
                continue
            b = bind(model, target)
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
        out.append(Due(ev, round_of(ev.date) if ev.date else None, bound))
    if problems:
        raise ScenarioError(problems)
    return out


def apply(effects: list[tuple[Effect, Binding | None]], convene: Callable[[str], None]) -> list[dict]:
    """Apply an event's effects in order; returns what changed (path, old, new) for the event log."""
    changes = []
    for eff, b in effects:
        if eff.convene is not None:
            convene(eff.convene)
            changes.append({"convene": eff.convene})
            continue
        old = b.get()
        b.set(old + float(eff.value) if eff.add is not None else eff.value)
        changes.append({"path": eff.set or eff.add, "old": old, "new": b.get()})
    return changes
