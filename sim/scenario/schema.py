"""The scenario language: the whole document (`Scenario`), its small sections (clock, issues, ladder) and
its JSON Schema.

Typed models with defaults, units and ranges; the larger sections have their own modules (`actors`,
`theatre`, `forums`, `events`, `engine`). One declaration gives three things: validation with field paths,
defaults for everything the model needs, and the JSON Schema (`run.py schema`, `scenarios/schema.json`) that
editors use to complete keys.
Cross-references between sections (a forum naming an actor that exists, control shares summing to 1)
live in `sim.scenario.checks`, because they need the whole document at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.scenario.actors import Actor
from sim.scenario.engine import Engine
from sim.scenario.events import Event
from sim.scenario.forums import Forum, Truce
from sim.scenario.numbers import MAX_COST, MAX_ROUNDS, Identifier, Int, Point, Share, Strict
from sim.scenario.theatre import Economy, Theatre


class Clock(Strict):
    start: dt.date = Field(description="Calendar date of round 0 (YYYY-MM-DD).")
    round_days: Int = Field(7, ge=1, le=365, description="Days in one round (one Mesa step).")
    max_rounds: Int = Field(
        52, ge=1, le=MAX_ROUNDS, description="Hard stop: the run ends after this many rounds."
    )

    @model_validator(mode="after")
    def _in_the_calendar(self) -> Clock:
        # Every round's date must exist: Python's dates end on 9999-12-31.
        last = self.start.toordinal() + (self.max_rounds + 1) * self.round_days
        if last > dt.date.max.toordinal():
            raise ValueError(
                f"the calendar runs past {dt.date.max}: {self.max_rounds} rounds of {self.round_days} days"
                f" from {self.start}; start earlier or run fewer rounds"
            )
        return self


class Issue(Strict):
    name: str = Field(description="Readable name of the issue.")
    scale: tuple[Point, Point] = Field(
        (0.0, 100.0), description="[low, high] ends of the position scale; positions lie inside it."
    )
    low: str = Field(description="What a position at the low end means.")
    high: str = Field(description="What a position at the high end means.")
    kind: Literal["ceasefire", "territory", "oil", "foreign_forces", "political", "other"] = Field(
        "other",
        description=(
            "How the model links the issue to the battlefield: `ceasefire` to escalation, `territory` to"
            " control of regions, `oil` to revenue, `foreign_forces` to patron support; `political` and"
            " `other` are bargained over only."
        ),
    )

    @model_validator(mode="after")
    def _ordered(self) -> Issue:
        if not self.scale[0] < self.scale[1]:
            raise ValueError("scale must be [low, high] with low < high")
        return self


class Rung(Strict):
    name: str = Field(description="What the rung means on the ground.")
    intensity: Share = Field(description="Fighting intensity, 0 (none) .. 1 (all-out).")
    cost: Annotated[float, Field(strict=True, ge=0.0, le=MAX_COST)] = Field(
        description="Cost per round to the actor choosing it (forces and money, relative)."
    )
    breaks_truce: bool = Field(description="Choosing this rung violates a signed truce or ceasefire.")


class Scenario(Strict):
    """A conflict and the negotiations around it."""

    name: str = Field(description="Short name of the scenario.")
    description: str = Field("", description="What the scenario represents, as of when, from which sources.")
    extends: str | None = Field(
        None, description="Path (relative to this file) of a base scenario to deep-merge this file over."
    )
    clock: Clock | None = Field(None, description="Calendar of the run; needed by `run`, not by `forecast`.")
    seed: Int = Field(0, ge=0, le=2**63 - 1, description="Default random seed (`--seed` overrides it).")
    issues: dict[Identifier, Issue] = Field(min_length=1, description="Issues by id.")
    actors: dict[Identifier, Actor] = Field(min_length=1, description="Actors by id.")
    theatre: Theatre | None = Field(None, description="Regions; needed for escalation and the oil economy.")
    economy: Economy | None = None
    forums: dict[Identifier, Forum] = Field(default_factory=dict)
    truce: Truce | None = Field(None, description="The truce or ceasefire in force at round 0, if any.")
    ladder: list[Rung] = Field(
        default_factory=list, description="Escalation rungs, from 0 (observe the truce) upward."
    )
    events: list[Event] = Field(default_factory=list)
    engine: Engine = Field(default_factory=Engine)

    @model_validator(mode="after")
    def _drop_disabled_events(self) -> Scenario:
        # A variant switches an inherited event off; the model then never sees it.
        self.events = [e for e in self.events if e.enabled]
        return self


def json_schema() -> dict:
    """The JSON Schema of a scenario file (draft 2020-12), as committed in `scenarios/schema.json`."""
    schema = Scenario.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://stakesim.invalid/scenario.schema.json"
    return schema
