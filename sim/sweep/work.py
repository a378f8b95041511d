"""The work of one run, as a worker does it: derive the point's scenario, run the model, keep the metrics.

Everything here is picklable by reference, so the same `execute` runs in this process, in a local pool or
on a Dask worker. A failing run never raises out of `execute`: it comes back as a 'failed' RunResult.
"""

from __future__ import annotations

import math
import os
import socket
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.scenario.loader import LoadedScenario
from sim.scenario.schema import Scenario
from sim.sweep.runs import RunResult, Task

Simulate = Callable[[Scenario, int, int | None], dict]


def simulate_model(scenario: Scenario, seed: int, max_rounds: int | None) -> dict:
    """One run of the real model to its end, without per-round data collection; its summary."""
    from sim.model import run_model
    from sim.outputs import summary

    return summary(run_model(scenario, seed=seed, max_rounds=max_rounds, collect=False))


def pick(summary: dict, metric: str) -> Any:
    """`a.b` reaches into a mapping of the summary (`support_final.TUR.0` too: its keys hold a dot); a key the
    run did not produce gives None."""
    node: Any = summary
    parts = metric.split(".")
    for depth, part in enumerate(parts):
        if not isinstance(node, dict):
            return None
        if part not in node:
            return node.get(".".join(parts[depth:]))
        node = node[part]
    return node


@dataclass
class Job:
    """Everything a worker needs to run any task of one sweep; sent to each worker once."""

    scenario: LoadedScenario
    metrics: list[str]
    rounds: int | None
    simulate: Simulate = simulate_model
    _cache: dict[int, Scenario] = field(default_factory=dict, repr=False, compare=False)

    def scenario_at(self, task: Task) -> Scenario:
        # Replications of a point share one validated scenario; keep a few points, not the whole design.
        if task.point not in self._cache:
            if len(self._cache) >= 32:
                self._cache.pop(next(iter(self._cache)))
            self._cache[task.point] = self.scenario.derive(task.values)
        return self._cache[task.point]

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_cache": {}}


def non_finite(value: Any, path: str = "") -> str | None:
    """The first key of `value` (a summary) that holds inf or NaN, with the value; None if all are finite."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"{path or 'the summary'} is {value}"
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        found = non_finite(inner, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None


def error_text(exc: BaseException) -> str:
    """The exception and where it was raised (innermost frame), on one line a user can search for."""
    text = "".join(traceback.format_exception_only(exc)).strip()
    frames = traceback.extract_tb(exc.__traceback__)
    if frames:
        f = frames[-1]
        text += f" (at {Path(f.filename).name}:{f.lineno} in {f.name})"
    return text


def execute(job: Job, task: Task) -> RunResult:
    """Run one task; never raises for a failing run (it comes back as status 'failed')."""
    start = time.perf_counter()
    result = RunResult.for_task(task, "done", worker=f"{socket.gethostname()}:{os.getpid()}")
    try:
        summary = job.simulate(job.scenario_at(task), task.seed, job.rounds)
        bad = non_finite(summary)
        if bad:
            # A NaN would be stored as NULL in a run marked done, and read as a missing value, not a failure.
            result.status, result.error = "failed", f"non-finite result: {bad}"
        else:
            result.metrics = {m: pick(summary, m) for m in job.metrics}
    except Exception as exc:
        result.status, result.error = "failed", error_text(exc)
    result.seconds = time.perf_counter() - start
    return result
