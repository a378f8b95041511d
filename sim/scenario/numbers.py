"""The scenario language's numbers: the bounded number types every field uses and the strict base model.

Bounds and strictness are declared once here so the scenario sections (`sim.scenario.schema` and its section modules), the engine
section (`sim.scenario.engine`, `sim.scenario.patrons`) and the other file languages (sweeps, questions) refuse the same things.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

# Numbers are numbers: `strict` refuses text ('150') and true/false where a number belongs, and every model
# refuses .inf and .nan (`allow_inf_nan=False` below). Upper bounds keep every product the model forms finite;
# each is far above any real case and has a meaning (docs/SCENARIOS.md, "Numbers and their bounds").
MAX_FORCES = 10_000.0  # thousands of fighters (or their equivalent): ten million
MAX_CAPABILITY = 1_000_000.0  # bargaining clout on any relative scale
MAX_SCALE = 1_000_000_000.0  # largest magnitude of an issue scale's end, a position or a term
MAX_COST = 1_000.0  # rung-cost units: a thousand times the costliest rung of the shipped ladders
MAX_WEIGHT = 10_000.0  # engine weights and costs, in rung-cost or proposal-utility units
MAX_BPD = 1_000_000_000.0  # barrels a day: ten times the world's output
MAX_PRICE = 100_000.0  # USD a barrel
MAX_ROUNDS = 10_000
Float = Annotated[float, Field(strict=True)]
Int = Annotated[int, Field(strict=True)]
Share = Annotated[float, Field(strict=True, ge=0.0, le=1.0)]
Weight = Annotated[float, Field(strict=True, ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(strict=True, ge=0.0, le=MAX_WEIGHT)]
Forces = Annotated[float, Field(strict=True, ge=0.0, le=MAX_FORCES)]
Affinity = Annotated[float, Field(strict=True, ge=-1.0, le=1.0)]
Point = Annotated[float, Field(strict=True, ge=-MAX_SCALE, le=MAX_SCALE)]
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]


class Strict(BaseModel):
    """Base: unknown keys are errors (they are usually typos), and the schema forbids them too."""

    model_config = ConfigDict(extra="forbid", validate_default=True, allow_inf_nan=False)
