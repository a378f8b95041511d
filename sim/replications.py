"""Replications: N runs of one scenario, seed i being child i of SeedSequence(base seed), in order on any
number of processes, each written to disk as it finishes (docs/FORMATS.md, "replications").

Files in the output directory: replications.csv (one summary row per run) and trajectories.parquet (every
run's rounds, `sim.trajectories`) are streamed; shares.json and fan.png are written at the end. Memory does
not grow with N beyond a few numbers per run (`Outcomes`): no run's history is kept once it is written.
"""

from __future__ import annotations

import contextlib
import csv
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sim import atomic
from sim.outputs import REPLICATION_COLUMNS
from sim.trajectories import FILENAME as TRAJECTORIES
from sim.trajectories import Trajectory, TrajectoryWriter

# The summary keys a replication keeps, no more (memory stays flat): replications.csv's columns but its own
# index (`sim.outputs.REPLICATION_COLUMNS`; a war without oil has no oil_loss_bbl), the date of each first
# event (`Outcomes.first_date`, for the comparisons) and the final control (its control_final_<side> columns).
FIRSTS = ("agreement", "violation", "blockade")  # the events whose first round and date Outcomes keeps
KEPT = (
    *(k for k in REPLICATION_COLUMNS if k != "replication"),
    *(f"first_{event}_date" for event in FIRSTS),
    "control_final",
)


@dataclass(frozen=True)
class Run:
    """One finished replication: its summary (the KEPT keys), and its rounds (`trajectory`, whose columns
    are `columns`)."""

    index: int
    summary: dict[str, Any]
    columns: list[str]
    trajectory: Trajectory


def simulate(loaded, index: int, seed: int, rounds: int | None) -> Run:
    from sim.model import run_model
    from sim.outputs import summary
    from sim.trajectories import numeric_columns, trajectory

    model = run_model(loaded, seed=seed, max_rounds=rounds, collect=False)
    s = summary(model)
    columns = numeric_columns(model)
    return Run(index, {k: s[k] for k in KEPT if k in s}, columns, trajectory(model, columns))


_JOB: tuple | None = None


def _init_worker(job: tuple) -> None:
    global _JOB
    _JOB = job


def _simulate_in_worker(index_seed: tuple[int, int]) -> Run:
    assert _JOB is not None
    loaded, rounds = _JOB
    return simulate(loaded, *index_seed, rounds)


def run_all(loaded, seeds: list[int], rounds: int | None, workers: int = 1) -> Iterator[Run]:
    """The runs in seed order (so files do not depend on `workers`); at most 4 x workers in flight."""
    if workers <= 1:
        for i, seed in enumerate(seeds):
            yield simulate(loaded, i, seed, rounds)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn: the page runs replications from a thread, where fork is unsafe; the scenario goes once per worker.
    with ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=((loaded, rounds),),
    ) as pool:
        inflight: deque = deque()
        for task in enumerate(seeds):
            inflight.append(pool.submit(_simulate_in_worker, task))
            if len(inflight) >= 4 * workers:
                yield inflight.popleft().result()
        while inflight:
            yield inflight.popleft().result()


# --------------------------------------------------------------------------------------------- outcomes


@dataclass
class Outcomes:
    """What the shares and comparisons need from each run, a few numbers each, in replication order; `oil`:
    whether the scenario has an oil economy (`sim.engine.recording.reports_oil`)."""

    oil: bool
    seeds: list[int] = field(default_factory=list)
    outcome: list[str] = field(default_factory=list)
    rounds_run: list[int] = field(default_factory=list)
    partial_signing: list[bool] = field(default_factory=list)
    blockade: list[bool] = field(default_factory=list)
    first: dict[str, list[int | None]] = field(default_factory=lambda: {e: [] for e in FIRSTS})
    first_date: dict[str, list[str | None]] = field(default_factory=lambda: {e: [] for e in FIRSTS})

    def add(self, s: dict[str, Any]) -> None:
        self.seeds.append(s["seed"])
        self.outcome.append(s["outcome"])
        self.rounds_run.append(s["rounds_run"])
        self.partial_signing.append(bool(s["partial_signing"]))
        self.blockade.append(bool(s["blockade"]))
        for key in self.first:
            self.first[key].append(s[f"first_{key}_round"])
            self.first_date[key].append(s[f"first_{key}_date"])

    def __len__(self) -> int:
        return len(self.seeds)


def outcome_shares(o: Outcomes) -> dict:
    """Shares of the replications with 95% Wilson intervals, and the median round of the first violation."""
    from sim.sweep.analysis import wilson

    n = len(o)
    horizon = max(o.rounds_run)

    def share(k: int) -> dict:
        lo, hi = wilson(k, n)
        return {"count": int(k), "share": k / n, "ci95": [float(lo), float(hi)]}

    by_outcome = {label: share(o.outcome.count(label)) for label in sorted(set(o.outcome))}
    signed_by = {}
    for r_ in sorted({4, 13, 26, horizon}):
        if r_ <= horizon:
            signed_by[str(r_)] = share(sum(r is not None and r <= r_ for r in o.first["agreement"]))
    violations = [r for r in o.first["violation"] if r is not None]
    return {
        "replications": n,
        "outcomes": by_outcome,
        "agreement_signed_by_round": signed_by,
        "blockade": share(sum(o.blockade)),
        "partial_signing": share(sum(o.partial_signing)),
        "violated": share(len(violations)),
        "median_first_violation_round": float(np.median(violations)) if violations else None,
        "seeds": list(o.seeds),
    }


# ----------------------------------------------------------------------------------------------- files


@dataclass
class Replicated:
    """What `write_replications` made: the outcomes, the shares and the files."""

    outcomes: Outcomes
    shares: dict
    paths: dict[str, Path]
    layout: list  # the fan's panels (sim.fans.Panel)


def progress_bar(total: int, enabled: bool, label: str | None = None):
    """A tqdm bar on stderr with rate and ETA (off when `enabled` is False)."""
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: the bar is updated at every run anyway
    return tqdm(
        total=total,
        unit="run",
        desc=label,
        smoothing=0.05,
        dynamic_ncols=True,
        disable=not enabled,
        file=sys.stderr,
    )


def write_replications(
    loaded,
    seeds: list[int],
    rounds: int | None,
    workers: int,
    out: Path,
    *,
    progress: bool = False,
    label: str | None = None,
) -> Replicated:
    """Run the seeds and write replications.csv, trajectories.parquet, shares.json and fan.png into `out`."""
    from sim import fans
    from sim.engine.recording import reports_oil
    from sim.model import ConflictModel
    from sim.outputs import replication_row, to_json

    out = Path(out)
    paths = {name: out / name for name in ("replications.csv", TRAJECTORIES, "shares.json", "fan.png")}
    # A model at round 0 names the sides, regions, patrons and ladder the fan draws (no run needed).
    layout = fans.panels(ConflictModel(scenario=loaded, rng=seeds[0], collect=False))
    outcomes = Outcomes(oil=reports_oil(loaded.scenario))
    with contextlib.ExitStack() as stack:
        table = stack.enter_context(atomic.opened(paths["replications.csv"]))
        bar = stack.enter_context(progress_bar(len(seeds), progress, label))
        rows = trajectories = None
        for run in run_all(loaded, seeds, rounds, workers):
            row = replication_row(run.index, run.summary)
            if rows is None:  # the first run names the columns of both files
                rows = _csv_writer(table, row)
                trajectories = stack.enter_context(TrajectoryWriter(paths[TRAJECTORIES], run.columns))
            assert trajectories is not None  # opened with the first run's columns, just above
            rows.writerow({k: "" if row.get(k) is None else row[k] for k in rows.fieldnames})
            trajectories.add(run.index, run.summary["seed"], run.trajectory)
            outcomes.add(run.summary)
            bar.update(1)
    shares = outcome_shares(outcomes)
    atomic.write_text(paths["shares.json"], to_json(shares) + "\n")
    fan = fans.fan(fans.read(paths[TRAJECTORIES], layout), layout)
    title = f"{loaded.scenario.name}: {len(seeds)} replications"
    atomic.write_bytes(paths["fan.png"], fans.png(fans.figure(layout, [(title, fan)])))
    return Replicated(outcomes, shares, paths, layout)


def _csv_writer(fh, first_row: dict) -> csv.DictWriter:
    extra = sorted(set(first_row) - set(REPLICATION_COLUMNS))
    kept = [k for k in REPLICATION_COLUMNS if k in first_row]  # a war without oil has no oil_loss_bbl
    w = csv.DictWriter(fh, fieldnames=[*kept, *extra], lineterminator="\n")
    w.writeheader()
    return w
