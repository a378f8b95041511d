"""Sweeps on a real Dask cluster: a `dask scheduler` and two `dask worker` processes on 127.0.0.1. The same
spec gives the same store as the in-process runner, and killing a worker mid-sweep loses no run and
stores none twice."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sweep_support import ROOT, cli, read_runs, stable, wait_for_rows, write_sweep

from sim.sweep.driver import run_sweep
from sim.sweep.load import load_sweep

pytestmark = pytest.mark.dask
DASK = str(Path(sys.executable).with_name("dask"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [DASK, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def cluster():
    """(address, scheduler, [worker, worker]) for this module; the worker-killing test runs last. Every
    process is stopped afterwards."""
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [start("scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard")]
    try:
        workers = [
            start(
                "worker",
                address,
                "--nthreads",
                "1",
                "--nworkers",
                "1",
                "--host",
                "127.0.0.1",
                "--no-dashboard",
            )
            for _ in range(2)
        ]
        procs += workers
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address, procs[0], workers
    finally:
        for proc in reversed(procs):
            stop(proc)


def test_dask_runner_gives_the_same_store_as_one_process(cluster, tmp_path):
    address, _, _ = cluster
    sweep = load_sweep(write_sweep(tmp_path))
    run_sweep(sweep, tmp_path / "local", progress=False)
    session = run_sweep(sweep, tmp_path / "dask", scheduler=address, progress=False)
    assert (session.ran, session.failed) == (12, 0)
    dask_runs = read_runs(tmp_path / "dask")
    assert stable(dask_runs) == stable(read_runs(tmp_path / "local"))
    assert dask_runs["worker"].nunique() == 2


def test_killing_a_worker_mid_sweep_loses_no_run_and_doubles_none(cluster, tmp_path):
    address, _, workers = cluster
    path = write_sweep(tmp_path, replications=25, rounds=8)  # 100 runs
    out = tmp_path / "out"
    proc = cli("sweep", str(path), "--out", str(out), "--scheduler", address, "--no-progress")
    try:
        before = wait_for_rows(out, 15, proc)
        assert before < 100, "the sweep finished before a worker could be killed; make it longer"
        os.killpg(workers[0].pid, signal.SIGKILL)
        killed_at = time.monotonic()
        _, stderr = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, stderr
    assert workers[0].wait(timeout=10) == -signal.SIGKILL and time.monotonic() > killed_at
    runs = read_runs(out)
    assert list(runs["run_id"]) == list(range(100))  # every run, each exactly once (run_id is the key)
    assert set(runs["status"]) == {"done"}
    run_sweep(load_sweep(path), tmp_path / "local", progress=False)
    assert stable(runs) == stable(read_runs(tmp_path / "local"))


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    path = write_sweep(tmp_path)
    proc = cli(
        "sweep", str(path), "--out", str(tmp_path / "o"), "--scheduler", f"tcp://127.0.0.1:{free_port()}"
    )
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert "cannot reach the Dask scheduler" in stderr and "Traceback" not in stderr
    assert not (tmp_path / "o").exists()  # nothing made, so the same command works once a cluster is up


def test_losing_the_scheduler_stops_cleanly_and_resume_finishes(tmp_path):
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = start("scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard")
    worker = start("worker", address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard")
    path = write_sweep(tmp_path, replications=25, rounds=8)  # 100 runs
    out = tmp_path / "out"
    try:
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(1, timeout=60)
        proc = cli("sweep", str(path), "--out", str(out), "--scheduler", address, "--no-progress")
        assert wait_for_rows(out, 10, proc) < 100
        os.killpg(scheduler.pid, signal.SIGKILL)
        _, stderr = proc.communicate(timeout=120)
    finally:
        stop(worker)
        stop(scheduler)
    assert proc.returncode == 2, stderr
    assert "lost the Dask cluster mid-sweep" in stderr and "Traceback" not in stderr
    stored = read_runs(out)
    assert set(stored["status"]) == {"done"} and 0 < len(stored) < 100
    run_sweep(load_sweep(path), out, resume=True, workers=2, progress=False)
    assert list(read_runs(out)["run_id"]) == list(range(100))
