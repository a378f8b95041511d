"""Running a sweep: the driver that streams tasks to an executor and writes each finished run to the store
at once.

Memory stays flat: tasks are generated lazily and at most a small window of them is in flight; results go
to disk as they arrive and are then dropped. A run that raises becomes a 'failed' row with its error.
Workers never write to the store, so a killed worker can lose only runs that were not yet recorded, and
those are simply run again (the store keeps each run id once).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from sim.sweep.designs import Points, tasks
from sim.sweep.executors import check_scheduler, run_dask, run_inline, run_pool
from sim.sweep.load import LoadedSweep
from sim.sweep.opening import open_store, session_lock
from sim.sweep.runs import RunResult
from sim.sweep.work import Job, Simulate, simulate_model


@dataclass
class Session:
    """What a call to `run_sweep` did; `stored` and `failed_stored` are read back from the store at the end."""

    total: int
    already: int
    ran: int = 0
    failed: int = 0
    interrupted: bool = False
    stored: int = 0
    failed_stored: int = 0


def run_sweep(
    sweep: LoadedSweep,
    out: str | Path,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    resume: bool = False,
    force: bool = False,
    retry_failed: bool = False,
    simulate: Simulate = simulate_model,
    progress: bool = True,
) -> Session:
    """Run every run of `sweep` not yet in the store at `out`, writing each as it finishes."""
    out = Path(out)
    if scheduler:
        check_scheduler(scheduler)
    points = Points(sweep.spec)
    total = len(points) * sweep.spec.replications
    # Locked before the store is opened: a second live session is refused before it reads or writes anything.
    with session_lock(out), open_store(sweep, out, total, resume=resume, force=force) as store:
        if retry_failed:
            store.delete(store.run_ids("failed"))
        stored = store.run_ids()
        session = Session(total=total, already=len(stored))
        todo = tasks(sweep.spec, points, skip=stored)
        del stored
        job = Job(sweep.scenario, list(sweep.spec.metrics), sweep.spec.rounds, simulate)
        bar = _progress(total, session.already, progress)

        def on_result(result: RunResult) -> None:
            if store.record(result):
                session.ran += 1
                session.failed += result.status == "failed"
                bar.update(1)
                if session.failed:
                    bar.set_postfix(failed=session.failed, refresh=False)

        try:
            if scheduler:
                run_dask(job, todo, on_result, scheduler)
            elif workers > 1:
                run_pool(job, todo, on_result, workers)
            else:
                run_inline(job, todo, on_result)
        except KeyboardInterrupt:
            session.interrupted = True
        finally:
            bar.close()
            counts = store.counts()  # read back: what the store holds, whoever wrote it
            session.stored = sum(counts.values())
            session.failed_stored = counts.get("failed", 0)
    return session


def _progress(total: int, initial: int, enabled: bool):
    from tqdm import tqdm

    # No monitor thread: the bar is updated at every run anyway, and a thread would rule out forking workers.
    tqdm.monitor_interval = 0
    return tqdm(
        total=total,
        initial=initial,
        unit="run",
        smoothing=0.05,
        dynamic_ncols=True,
        disable=not enabled,
        file=sys.stderr,
    )
