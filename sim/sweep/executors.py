"""Where a sweep's runs execute: in this process, in a local process pool, or on a Dask cluster.

Each executor takes the job, a lazy iterator of tasks and a callback, keeps only a small window of tasks in
flight, and hands every finished run to the callback as it arrives. A run that raises comes back as a
'failed' result (sim.sweep.work.execute); executors never write to the store.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from sim.scenario.errors import Problem, ScenarioError
from sim.sweep.runs import RunResult, Task
from sim.sweep.work import Job, error_text, execute

OnResult = Callable[[RunResult], None]


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
