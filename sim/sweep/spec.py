"""The sweep file language: which scenario, which parameters by dotted path, which design, how many runs.

Validated like a scenario file (same YAML reader, same line-numbered problems, every problem at once), and
also against the scenario it varies: each parameter path must exist there and its extreme values must give a
valid scenario, so a typo or an impossible value is found before the first run, not after a thousand.
This module holds the models and their JSON Schema; `sim.sweep.checks` the checks against the scenario,
`sim.sweep.load` the loading (`load_sweep`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from sim.scenario.numbers import Strict

# As in scenario files: a number is a number (no '150', no true), finite (Strict refuses .inf and .nan).
Number = Annotated[int, Field(strict=True)] | Annotated[float, Field(strict=True)]


class Range(Strict):
    low: Number = Field(description="First value.")
    high: Number = Field(description="Last value (included).")
    steps: int = Field(ge=2, le=1000, description="Number of evenly spaced values from low to high.")


class Uniform(Strict):
    low: Number
    high: Number


class Normal(Strict):
    mean: Number
    sd: float = Field(gt=0.0, description="Standard deviation.")


class Triangular(Strict):
    low: Number
    mode: Number
    high: Number


class Parameter(Strict):
    """One varied value. Grids take `values` or `range`; sampling designs take a distribution or `values`."""

    values: list[Any] | None = Field(
        None, min_length=1, description="Explicit values (grid), or equally likely choices (sampling)."
    )
    range: Range | None = Field(None, description="Evenly spaced values for a grid.")
    uniform: Uniform | None = Field(None, description="Uniform on [low, high] (sampling designs).")
    normal: Normal | None = Field(None, description="Normal(mean, sd) (lhs and sobol only: unbounded).")
    triangular: Triangular | None = Field(None, description="Triangular(low, mode, high) (sampling designs).")

    def kind(self) -> str | None:
        given = [
            k for k in ("values", "range", "uniform", "normal", "triangular") if getattr(self, k) is not None
        ]
        return given[0] if len(given) == 1 else None


class Design(Strict):
    kind: Literal["grid", "lhs", "sobol", "morris"] = Field(
        description=(
            "grid: every combination of the parameters' values. lhs: Latin hypercube sample of `samples`"
            " points. sobol: Saltelli sample for Sobol indices, samples x (2k+2) points (k+2 without"
            " second order). morris: `samples` trajectories of k+1 points for Morris screening."
        )
    )
    samples: int | None = Field(
        None,
        ge=1,
        le=1_000_000,
        description="lhs: points; sobol: base sample N (a power of 2); morris: trajectories.",
    )
    levels: int = Field(
        4, ge=2, le=100, description="morris: grid levels per parameter (even numbers are best)."
    )
    second_order: bool = Field(False, description="sobol: also estimate second-order indices (more runs).")


class SweepSpec(Strict):
    name: str = Field("", description="Short name of the sweep.")
    description: str = Field("", description="What the sweep asks.")
    scenario: str = Field(description="Path of the scenario file to vary, relative to this sweep file.")
    parameters: dict[str, Parameter] = Field(
        min_length=1,
        description="Varied values by dotted path into the scenario, e.g. actors.TUR.support.0.level.",
    )
    design: Design
    replications: int = Field(
        1, ge=1, le=100_000, description="Runs per design point, each with its own seed."
    )
    seed: int = Field(
        0,
        ge=0,
        description="Master seed: run i gets a seed spawned from (seed, i) with NumPy's SeedSequence.",
    )
    seeds: Literal["independent", "common"] = Field(
        "independent",
        description=(
            "independent: run i's seed is child i of SeedSequence(seed). common: replication r uses child r"
            " at every design point (common random numbers), so differences between points come from the"
            " parameters, not from luck; recommended for sobol and morris."
        ),
    )
    metrics: list[str] = Field(
        min_length=1,
        description="Keys of the run summary to keep (see docs/FORMATS.md); `a.b` reaches inside a mapping.",
    )
    rounds: int | None = Field(
        None, ge=1, le=10_000, description="Rounds per run (default: the scenario's clock.max_rounds)."
    )


def json_schema() -> dict:
    schema = SweepSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "stakesim sweep"
    return schema
