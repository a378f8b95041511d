"""A predicate read on one run's outputs: the rows of rounds.csv (round 0 first) and the events of events.jsonl.

Times: a date is the round that contains it (round r covers clock.start + (r - 1) * round_days and the
round_days - 1 days after; a date before the start is round 0), an integer is a round, `end` the last round run.
A run that stopped early (a durable agreement, a defeat) keeps its last state, so a time past its end reads the
last row. A value that is empty in rounds.csv (a forecast before any forum bargained) never satisfies a test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sim.questions.schema import Predicate, StateTest, When
from sim.scenario import Scenario
from sim.scenario.names import support_column


@dataclass(frozen=True)
class Trace:
    """What a predicate can read: one run's rows and events, and the scenario that produced them."""

    rows: list[dict]
    events: list[dict]
    spec: Scenario

    @property
    def last(self) -> int:
        return len(self.rows) - 1


def round_of(when: When, spec: Scenario, last: int) -> int:
    """The round a time names (`end`: the last round run)."""
    if when == "end":
        return last
    if isinstance(when, dt.date):
        assert spec.clock is not None  # a trace comes from a run, and a run needs a clock
        days = (when - spec.clock.start).days
        return 0 if days < 0 else days // spec.clock.round_days + 1
    return int(when)


def holds(pred: Predicate, trace: Trace, date: When) -> bool:
    """Whether `pred` holds in the run; `date` is the question's date (the default time)."""
    if pred.all is not None:
        return all(holds(p, trace, date) for p in pred.all)
    if pred.any is not None:
        return any(holds(p, trace, date) for p in pred.any)
    if pred.not_ is not None:
        return not holds(pred.not_, trace, date)
    if pred.signed is not None:
        s = pred.signed
        kind = "signed" if s.actor else "agreement"
        return _happened(trace, date, s, kind, actor=s.actor, forum=s.forum)
    if pred.event is not None:
        e = pred.event
        return _happened(trace, date, e, e.type, actor=e.actor, forum=e.forum, region=e.region)
    test, value = _state(pred, trace)
    return _state_holds(test, value, trace, date)


def _state(pred: Predicate, trace: Trace):
    """The state test and the function reading its value from a row."""
    if pred.control is not None:
        c = pred.control
        key = f"control_{c.region}_{c.side}" if c.region else f"control_{c.side}"
        return c, lambda row: row.get(key)
    if pred.rung is not None:
        key = f"rung_{pred.rung.side}"
        return pred.rung, lambda row: row.get(key)
    if pred.metric is not None:
        key = pred.metric.column
        return pred.metric, lambda row: row.get(key)
    s = pred.support
    assert s is not None  # Predicate's validator admits exactly one form, and the others returned above
    keys = support_columns(trace.spec, s.patron, s.recipient)
    return s, lambda row: sum(row[k] for k in keys)


def support_columns(spec: Scenario, patron: str, to: str | None) -> list[str]:
    """rounds.csv columns of a patron's support entries (`support_column`), optionally to one recipient."""
    entries = spec.actors[patron].support
    return [
        support_column(patron, i, e.kind, e.to) for i, e in enumerate(entries) if to is None or e.to == to
    ]


def _state_holds(test: StateTest, value, trace: Trace, date: When) -> bool:
    last = trace.last
    v0 = value(trace.rows[0])

    def ok(row: dict) -> bool:
        v = value(row)
        if v is None or v == "" or v0 is None or v0 == "":
            return False
        if test.at_least is not None:
            return v >= test.at_least
        if test.at_most is not None:
            return v <= test.at_most
        if test.gain_above is not None:
            return v - v0 > test.gain_above
        return v - v0 < test.gain_below

    def row(r: int) -> dict:
        return trace.rows[min(r, last)]

    if test.by is not None:
        return any(ok(row(r)) for r in range(round_of(test.by, trace.spec, last) + 1))
    if test.from_ is not None:
        assert test.to is not None  # StateTest's validator: `from` and `to` go together
        lo, hi = (round_of(t, trace.spec, last) for t in (test.from_, test.to))
        return all(ok(row(r)) for r in range(lo, hi + 1))
    return ok(row(round_of(test.at if test.at is not None else date, trace.spec, last)))


def _happened(trace: Trace, date: When, window, kind: str, **match) -> bool:
    last = trace.last
    hi = round_of(window.by if window.by is not None else date, trace.spec, last)
    lo = round_of(window.from_, trace.spec, last) if window.from_ is not None else 1
    for e in trace.events:
        if e["type"] != kind or not lo <= e["round"] <= hi:
            continue
        if match.get("actor") and match["actor"] not in e["actors"]:
            continue
        if any(match.get(k) and e.get(k) != match[k] for k in ("forum", "region")):
            continue
        return True
    return False
