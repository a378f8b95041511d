"""Running a sweep: the executors (in-process, local process pool, Dask), and the driver
that streams tasks to them and writes each finished run to the store at once.

Memory stays flat: tasks are generated lazily and at most a small window of them is in flight; results go
to disk as they arrive and are then dropped. A run that raises becomes a 'failed' row with its error.
Workers never write to the store, so a killed worker can lose only runs that were not yet recorded, and
those are simply run again (the store keeps each run id once).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.scenario.errors import Problem, ScenarioError
from sim.sweep.designs import Points, tasks
from sim.sweep.runs import RunResult, Task
from sim.sweep.spec import LoadedSweep, canonical_hash
from sim.sweep.store import Store, store_path
from sim.sweep.work import Job, Simulate, error_text, execute, simulate_model

OnResult = Callable[[RunResult], None]

# -------------------------------------------------------------------------------------------- executors


def run_inline(job: Job, todo: Iterator[Task], on_result: OnResult) -> None:
    """One worker: run in this process (no pool start-up, no pickling)."""
    for task in todo:
        on_result(execute(job, task))


_JOB: Job | None = None


def _init_worker(job: Job) -> None:
    global _JOB
    _JOB = job
    # Ctrl-C goes to the whole process group; only the driver should react (it drains, records, stops).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the driver's own handler (stop gracefully) is not ours
    # A pool worker outlives a driver killed with SIGKILL (it would wait for tasks forever): leave with it.
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _execute_in_worker(task: Task) -> RunResult:
    assert _JOB is not None
    return execute(_JOB, task)


def _mp_context():
    """How pool workers start. fork, when this process has no other thread: workers inherit the imported
    model at once (spawn and forkserver import it again, ~1-2 s). With threads alive fork is unsafe (a lock
    held by another thread stays locked in the child), so forkserver, preloaded; spawn where neither exists."""
    import multiprocessing as mp

    methods = mp.get_all_start_methods()
    if "fork" in methods and sys.platform == "linux" and threading.active_count() == 1:
        return mp.get_context("fork")
    if "forkserver" in methods:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["sim.sweep.work", "sim.model", "sim.outputs"])
        return ctx
    return mp.get_context("spawn")


def run_pool(job: Job, todo: Iterator[Task], on_result: OnResult, workers: int) -> None:
    """A local process pool; at most `4 x workers` tasks in flight. On Ctrl-C, runs already under way are
    finished and recorded, the rest cancelled. If a worker dies (killed, out of memory) the pool is lost:
    the sweep stops with a clear message and `--resume` finishes it."""
    window = 4 * workers
    pool = ProcessPoolExecutor(workers, mp_context=_mp_context(), initializer=_init_worker, initargs=(job,))
    inflight: set[Future] = set()
    try:
        for task in todo:
            if len(inflight) >= window:
                inflight = _record_some(inflight, on_result)
            inflight.add(pool.submit(_execute_in_worker, task))
        while inflight:
            inflight = _record_some(inflight, on_result)
    except KeyboardInterrupt:
        for fut in inflight:
            fut.cancel()
        for fut in inflight:
            if not fut.cancelled() and fut.exception() is None:
                on_result(fut.result())
        raise
    except BrokenProcessPool:
        raise ScenarioError(
            [
                Problem(
                    f"--workers {workers}",
                    None,
                    None,
                    "",
                    "a worker process died (killed, or out of memory); every finished run is stored",
                    suggestion="finish the sweep with the same command and --resume",
                )
            ]
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _record_some(inflight: set[Future], on_result: OnResult) -> set[Future]:
    """Wait for at least one run, record every finished one; the futures still running."""
    done, rest = wait(inflight, return_when=FIRST_COMPLETED)
    for fut in done:
        on_result(fut.result())
    return rest


def run_dask(job: Job, todo: Iterator[Task], on_result: OnResult, address: str) -> None:
    """A Dask distributed cluster at `address`. Tasks on a worker that dies are rescheduled by Dask on the
    others; a task that keeps killing workers comes back as a failed run (KilledWorker)."""
    from distributed import Client, KilledWorker, as_completed

    # Dask's client-side loggers (client, batched comms, ...) log a lost connection with full tracebacks;
    # this function reports it as one problem instead. Workers and the scheduler keep their own logs.
    # Dask's logging config gives some of them levels of their own, so each one is quietened by name.
    for name in [n for n in logging.root.manager.loggerDict if n.split(".")[0] == "distributed"]:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        client = Client(address, timeout="10s")
    except OSError as exc:
        raise _unreachable(address, exc) from None
    with client:
        # Sent once and replicated on every worker; tasks refer to it by key.
        job_future = client.scatter(job, broadcast=True, hash=False)
        threads = sum(client.nthreads().values())
        if not threads:
            print(f"note: {address} has no workers yet; runs start when workers join", file=sys.stderr)
        window = max(4, 4 * threads)
        queue = as_completed()
        session = uuid.uuid4().hex[:12]  # keys unique to this call, whoever else uses the cluster
        by_key: dict[Hashable, Task] = {}  # by future key (ours are str; Dask types keys more widely)

        def submit(task: Task) -> None:
            fut = client.submit(execute, job_future, task, key=f"run-{session}-{task.run_id}", pure=False)
            by_key[fut.key] = task
            queue.add(fut)

        for task in _take(todo, window):
            submit(task)
        try:
            for fut in queue:
                task = by_key.pop(fut.key)
                try:
                    result = fut.result()
                except KilledWorker as exc:  # this run took down worker after worker: record it, go on
                    result = RunResult.for_task(task, "failed", error=error_text(exc))
                fut.release()
                on_result(result)
                for nxt in _take(todo, 1):
                    submit(nxt)
        except KeyboardInterrupt:
            client.cancel(list(queue.futures))
            raise
        except Exception as exc:  # the scheduler or the connection is gone: stop; nothing finished is lost
            raise ScenarioError(
                [
                    Problem(
                        f"--scheduler {address}",
                        None,
                        None,
                        "",
                        f"lost the Dask cluster mid-sweep: {error_text(exc)}; every finished run is stored",
                        suggestion="when the cluster is back, run the same command with --resume",
                    )
                ]
            ) from None


def _unreachable(address: str, reason: object) -> ScenarioError:
    return ScenarioError(
        [
            Problem(
                f"--scheduler {address}",
                None,
                None,
                "",
                f"cannot reach the Dask scheduler: {reason}",
                expected="the address of a running scheduler, e.g. tcp://127.0.0.1:8786",
                suggestion="start one with `dask scheduler` and workers with `dask worker ADDRESS --nthreads 1`",
            )
        ]
    )


def check_scheduler(address: str) -> None:
    """Fail at once, before any store is made, if nothing listens at the address (Dask itself would retry
    for its whole connect timeout)."""
    from urllib.parse import urlsplit

    parts = urlsplit(address)
    if not parts.scheme or not parts.hostname:
        raise _unreachable(address, "not an address")
    if parts.scheme == "tcp":
        try:
            socket.create_connection((parts.hostname, parts.port or 8786), timeout=10).close()
        except OSError as exc:
            raise _unreachable(address, exc) from None


def _take(it: Iterator[Task], n: int) -> list[Task]:
    out = []
    for task in it:
        out.append(task)
        if len(out) == n:
            break
    return out


# ----------------------------------------------------------------------------------------------- driver


def code_version() -> str:
    """The package version and, in a git checkout, the commit (with `+dirty` for uncommitted changes)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        text = version("stakesim")
    except PackageNotFoundError:
        text = "unknown"
    root = Path(__file__).resolve().parents[2]
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
        )
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "sim"],
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.TimeoutExpired):
        return text
    if commit.returncode == 0:
        text += f"+g{commit.stdout.strip()}" + ("-dirty" if dirty.stdout.strip() else "")
    return text


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


# Keys of a sweep file that change no run: editing them keeps the stored runs valid. `metrics` changes what
# is kept of each run, not the run: with --force the store gains a column (empty for the runs already stored).
# Every other key, and the scenario's values, is the design: it decides each run's result.
COSMETIC = ("name", "description")
OUTPUTS = ("metrics",)


def design_hash(spec: dict[str, Any], scenario_hash: str) -> str:
    """What decides every run's result: the sweep file but its cosmetic and output keys, and the scenario."""
    design = {k: v for k, v in spec.items() if k not in (*COSMETIC, *OUTPUTS)}
    return canonical_hash({"spec": design, "scenario_hash": scenario_hash})


def _changes(old: dict[str, Any], sweep: LoadedSweep, keys: Callable[[str], bool]) -> list[str]:
    """In words, the keys picked by `keys` that differ between the stored sweep and this one."""
    spec = sweep.spec.model_dump(mode="json")
    before = old.get("spec") or {}
    return [
        f"{key} {json.dumps(before.get(key), default=str)} -> {json.dumps(spec.get(key), default=str)}"
        for key in spec
        if keys(key) and before.get(key) != spec.get(key)
    ]


def _design_changes(old: dict[str, Any], sweep: LoadedSweep) -> list[str]:
    changes = _changes(old, sweep, lambda k: k not in (*COSMETIC, *OUTPUTS))
    if old.get("scenario_hash") != sweep.scenario_hash:
        changes.append("the scenario's values")
    return changes


def _manifest(sweep: LoadedSweep, total: int) -> dict[str, Any]:
    spec = sweep.spec.model_dump(mode="json")
    return {
        "spec": spec,
        "spec_hash": sweep.spec_hash,
        "design_hash": design_hash(spec, sweep.scenario_hash),
        "scenario_hash": sweep.scenario_hash,
        "code_version": code_version(),
        "sweep_file": sweep.source,
        "total_runs": total,
        "parameters": list(sweep.spec.parameters),
        "metrics": list(sweep.spec.metrics),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "resumed": [],
    }


def _refuse(out: Path, message: str, suggestion: str) -> ScenarioError:
    return ScenarioError([Problem(str(out), None, None, "", message, suggestion=suggestion)])


def open_store(sweep: LoadedSweep, out: Path, total: int, *, resume: bool, force: bool) -> Store:
    """A new store in `out`, or (with resume) the existing one after checking it holds this same design.

    A change of name or description is recorded and the sweep resumes. A change of design (parameters,
    design, replications, seeds, rounds, metrics, the scenario's values) would mix runs of two designs in one
    store: it is refused, or with --force the old store is set aside and a new one started."""
    if not Store.exists(out):
        return Store.create(out, _manifest(sweep, total))
    if not resume:
        raise _refuse(
            out, "this directory already holds a sweep", "add --resume to finish it, or choose a new --out"
        )
    store = Store.open(out)
    old = store.manifest()
    outputs = _changes(old, sweep, lambda k: k in OUTPUTS)
    if outputs and not force:
        store.close()
        raise _refuse(
            out,
            f"the metrics changed since this sweep started ({'; '.join(outputs)})",
            "use a new --out, or add --force to keep the new metrics from now on (runs already stored lack them)",
        )
    changes = _design_changes(old, sweep)
    if changes and not force:
        store.close()
        raise _refuse(
            out,
            f"the design changed since this sweep started ({'; '.join(changes)}): its stored runs would mix"
            " with runs of another design",
            "use a new --out, or add --force to set the stored runs aside and start this design anew",
        )
    if changes:
        stored = sum(store.counts().values())
        store.close()
        kept = set_aside(out, old.get("created", "old"))
        print(
            f"note: the design changed ({'; '.join(changes)}); --force starts the store anew. The"
            f" {stored} runs of the old design are kept in {kept}",
            file=sys.stderr,
        )
        return Store.create(out, _manifest(sweep, total))
    session: dict[str, Any] = {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "code_version": code_version(),
    }
    updates: dict[str, Any] = {"resumed": [*old.get("resumed", []), session]}
    if old.get("spec_hash") != sweep.spec_hash:
        session["changed"] = outputs or ["cosmetic: " + ", ".join(COSMETIC)]
        updates.update({k: v for k, v in _manifest(sweep, total).items() if k not in ("created", "resumed")})
    store.update_manifest(updates)
    if old.get("code_version") != session["code_version"]:
        print(
            f"note: the code changed since this sweep started ({old.get('code_version')} -> {session['code_version']})",
            file=sys.stderr,
        )
    return store


def set_aside(out: Path, created: str) -> Path:
    """Rename the store (and any WAL files) to results-<created>.sqlite beside it; the new name."""
    stamp = "".join(c for c in str(created) if c.isalnum()) or "old"
    kept = out / f"results-{stamp}.sqlite"
    n = 1
    while kept.exists():
        n += 1
        kept = out / f"results-{stamp}-{n}.sqlite"
    for suffix in ("-wal", "-shm"):
        side = Path(f"{store_path(out)}{suffix}")
        if side.exists():
            os.replace(side, f"{kept}{suffix}")
    os.replace(store_path(out), kept)
    return kept


LOCKFILE = ".lock"


@contextlib.contextmanager
def session_lock(out: Path) -> Iterator[None]:
    """Hold the store's lock file for the session; a second live session on the same store is refused."""
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / LOCKFILE, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
            raise _refuse(
                out,
                f"another sweep session ({holder}) is running on this store",
                "wait for it to end, or stop it; each run is stored once either way",
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock


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
