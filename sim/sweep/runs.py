"""The bottom of the sweep package: what one run is (`Task`), what it leaves (`RunResult`), and the store's
fixed columns. Every other sweep module imports these from here; this module imports none of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

RUN_COLUMNS = (
    "run_id",
    "point",
    "replication",
    "seed",
    "status",
    "error",
    "seconds",
    "worker",
    "finished_at",
)


@dataclass(frozen=True)
class Task:
    """One run: its id, design point, replication, seed and the scenario values it sets."""

    run_id: int
    point: int
    replication: int
    seed: int
    values: dict[str, Any]


@dataclass
class RunResult:
    """What one run leaves behind; `metrics` is empty when it failed."""

    run_id: int
    point: int
    replication: int
    seed: int
    values: dict[str, Any]
    status: str
    error: str | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    worker: str = ""

    @classmethod
    def for_task(cls, task: Task, status: str, **rest: Any) -> RunResult:
        """The result of `task`."""
        return cls(task.run_id, task.point, task.replication, task.seed, task.values, status, **rest)
