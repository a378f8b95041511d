"""The `events:` section of a scenario: scheduled or triggered changes, their conditions and effects."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from sim.scenario.numbers import Float, Identifier, Share, Strict


class Condition(Strict):
    """A declarative test on the model's state; never evaluated as code.

    Exactly one form: a comparison (`metric` with `op` and `value`), or `all` / `any` / `not` of conditions.
    """

    metric: str | None = Field(
        None,
        description=(
            "A state metric: `round`, `control.<region>.<actor>`, `forces.<actor>`, `rung.<actor>`,"
            " `oil_output`, `agreement` (1 signed, 0 not), `violations`, `support.<patron>.<recipient>`."
        ),
    )
    op: Literal["<", "<=", ">", ">=", "==", "!="] | None = None
    value: Float | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(None, alias="not")

    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        forms = [self.metric is not None, self.all is not None, self.any is not None, self.not_ is not None]
        if sum(forms) != 1:
            raise ValueError("a condition needs exactly one of: metric (with op and value), all, any, not")
        if self.metric is not None and (self.op is None or self.value is None):
            raise ValueError("a metric condition needs `op` and `value`")
        return self


class Effect(Strict):
    """One change an event makes. `set`/`add` take a dotted path into the scenario's live state."""

    set: str | None = Field(None, description="Dotted path to set, e.g. `actors.TUR.support.0.level`.")
    add: str | None = Field(None, description="Dotted path to add `value` to.")
    value: Float | bool | str | None = None
    convene: Identifier | None = Field(None, description="Forum id to convene this round.")

    @model_validator(mode="after")
    def _one_kind(self) -> Effect:
        kinds = [self.set is not None, self.add is not None, self.convene is not None]
        if sum(kinds) != 1:
            raise ValueError("an effect needs exactly one of: set, add, convene")
        if (self.set or self.add) and self.value is None:
            raise ValueError("`set` and `add` need a `value`")
        return self


class Event(Strict):
    id: Identifier
    description: str = Field(description="A readable sentence for the narrative, with its source.")
    date: dt.date | None = Field(None, description="Scheduled: applied in the round that contains this date.")
    when: Condition | None = Field(None, description="Triggered: applied in the first round this holds.")
    once: bool = Field(True, description="Triggered events fire once unless this is false.")
    probability: Share = Field(
        1.0, description="Chance the event happens when due (drawn from the run's RNG)."
    )
    effects: list[Effect] = Field(default_factory=list)
    enabled: bool = Field(
        True, description="false switches off an event inherited from a base scenario (`extends`)."
    )

    @model_validator(mode="after")
    def _timing(self) -> Event:
        if (self.date is None) == (self.when is None):
            raise ValueError("an event needs exactly one of `date` (scheduled) or `when` (triggered)")
        return self
