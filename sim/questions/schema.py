"""The question file: typed models with field paths for every error (loaded like a scenario, sim.questions.load).

A predicate (`when`) is declarative, never code. State predicates (`control`, `rung`, `metric`, `support`)
read rounds.csv values at a time: `at` a round, at some round `by` one, or in every round `from` .. `to`.
Event predicates (`signed`, `event`) look for an events.jsonl entry `by` a round (and `from` one).
A time is a date (the round that contains it), a round number, or `end` (the last round run).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from sim.scenario.numbers import Identifier, Strict

When = dt.date | Annotated[int, Field(ge=0)] | Literal["end"]

EventType = Literal[
    "scheduled_event",
    "triggered_event",
    "forum_convened",
    "proposal",
    "signed",
    "refused",
    "partial_signing",
    "agreement",
    "rung_changed",
    "blockade_started",
    "blockade_lifted",
    "support_changed",
    "threat_carried_out",
    "threat_called",
    "control_changed",
    "violation",
    "collapsed",
]

COMPARISONS = ("at_least", "at_most", "gain_above", "gain_below")


class StateTest(Strict):
    """One comparison of a value (or of its change since round 0) at a time, at some time, or throughout."""

    at_least: float | None = Field(None, description="Holds when the value is >= this.")
    at_most: float | None = Field(None, description="Holds when the value is <= this.")
    gain_above: float | None = Field(
        None, description="Holds when the value minus its round-0 value is > this."
    )
    gain_below: float | None = Field(
        None, description="Holds when the value minus its round-0 value is < this."
    )
    at: When | None = Field(None, description="The round read (default: the question's date).")
    by: When | None = Field(None, description="Holds if it holds in some round from 0 up to this one.")
    from_: When | None = Field(
        None, alias="from", description="With `to`: holds in every round of the window."
    )
    to: When | None = Field(None, description="Last round of the `from` window.")

    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_default=True)

    @model_validator(mode="after")
    def _one_comparison_one_time(self) -> StateTest:
        given = [c for c in COMPARISONS if getattr(self, c) is not None]
        if len(given) != 1:
            raise ValueError(f"needs exactly one of: {', '.join(COMPARISONS)}")
        times = [self.at is not None, self.by is not None, self.from_ is not None or self.to is not None]
        if sum(times) > 1:
            raise ValueError("give at most one of: `at`, `by`, `from` with `to`")
        if (self.from_ is None) != (self.to is None):
            raise ValueError("`from` and `to` go together")
        return self


class Control(StateTest):
    side: Identifier = Field(description="A belligerent (a side).")
    region: Identifier | None = Field(
        None, description="A region id; none: the side's share of the country (control_<side>)."
    )


class RungTest(StateTest):
    side: Identifier = Field(description="A belligerent (a side); the value is its rung (0 = first rung).")


class Metric(StateTest):
    column: str = Field(description="Any numeric rounds.csv column, e.g. `oil_output_bpd`, `strength_GNA`.")


class SupportTest(StateTest):
    patron: Identifier = Field(description="An actor with `support` entries; the value sums its entries.")
    recipient: Identifier | None = Field(None, description="Only the entries to this actor (default: all).")


class EventWindow(Strict):
    by: When | None = Field(
        None, description="Last round in which it may happen (default: the question's date)."
    )
    from_: When | None = Field(
        None, alias="from", description="First round in which it may happen (default 1)."
    )

    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_default=True)


class Signed(EventWindow):
    """Without `actor`: an agreement in force (every required party signed). With `actor`: that party signed."""

    forum: Identifier | None = Field(None, description="A forum id (default: any forum).")
    actor: Identifier | None = Field(None, description="A party whose own signature is asked about.")


class EventTest(EventWindow):
    type: EventType = Field(description="An events.jsonl type (docs/FORMATS.md).")
    actor: Identifier | None = Field(None, description="An actor among the event's `actors`.")
    forum: Identifier | None = Field(None, description="The event's forum.")
    region: Identifier | None = Field(None, description="The event's region (`control_changed`).")


class Predicate(Strict):
    """Exactly one form: a state test, an event test, or `all` / `any` / `not` of predicates."""

    control: Control | None = None
    rung: RungTest | None = None
    metric: Metric | None = None
    support: SupportTest | None = None
    signed: Signed | None = None
    event: EventTest | None = None
    all: list[Predicate] | None = Field(None, min_length=1)
    any: list[Predicate] | None = Field(None, min_length=1)
    not_: Predicate | None = Field(None, alias="not")

    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_default=True)

    @model_validator(mode="after")
    def _one_form(self) -> Predicate:
        if len(self.forms()) != 1:
            raise ValueError(
                "a predicate needs exactly one of: control, rung, metric, support, signed, event, all, any, not"
            )
        return self

    def forms(self) -> list[str]:
        names = ("control", "rung", "metric", "support", "signed", "event", "all", "any", "not_")
        return [n for n in names if getattr(self, n) is not None]


class Question(Strict):
    id: Identifier
    text: str = Field(description="The question as a reader would ask it, with its date.")
    date: When = Field(
        description="When it resolves: the default `at` of state tests and `by` of event tests."
    )
    when: Predicate = Field(description="Yes when this holds in a run.")
    observed: bool = Field(description="What happened: true (yes) or false (no).")
    resolution: str = Field(description="What happened, in words.")
    source: str = Field(description="Where the resolution comes from: URLs with their dates.")


class QuestionFile(Strict):
    case: str = Field(description="The case these questions are about.")
    scenario: str | None = Field(
        None, description="The scenario file they were written for, relative to this file."
    )
    provenance: str = Field(
        description="Who wrote the questions, when, and what they had seen (honesty note)."
    )
    questions: list[Question] = Field(min_length=1)
