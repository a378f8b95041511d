"""Shared by the sweep tests: a tiny sweep file on the real Libya scenario, store readers, and run functions
that worker processes can import by name (a wrapper that fails some runs on purpose)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from sim.sweep.work import simulate_model

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "libya_2020.yaml"
PARAMS = ("actors.RUS.support.0.level", "actors.TUR.threats.0.credibility")
VOLATILE = ("seconds", "worker", "finished_at")


def write_sweep(
    directory: Path, *, replications: int = 3, rounds: int = 4, seed: int = 11, extra: str = ""
) -> Path:
    """A 2 x 2 grid on the real scenario: 4 points x `replications` runs of `rounds` rounds."""
    path = directory / "tiny.yaml"
    rel = os.path.relpath(SCENARIO, directory)
    path.write_text(
        "# yaml-language-server: $schema=sweep.schema.json\n"
        "name: tiny\n"
        f"scenario: {rel}\n"
        "design: {kind: grid}\n"
        "parameters:\n"
        f"  {PARAMS[0]}: {{values: [0.2, 2.0]}}\n"
        f"  {PARAMS[1]}: {{values: [0.1, 0.9]}}\n"
        f"replications: {replications}\n"
        f"seed: {seed}\n"
        "metrics: [outcome, agreement_signed, violations, rounds_run, control_final.GNA]\n"
        f"rounds: {rounds}\n" + extra,
        encoding="utf-8",
    )
    return path


def read_runs(out: Path) -> pd.DataFrame:
    """The documented one-liner, ordered by run id."""
    db = sqlite3.connect(out / "results.sqlite")
    try:
        return pd.read_sql("SELECT * FROM runs ORDER BY run_id", db)
    finally:
        db.close()


def stable(df: pd.DataFrame) -> list[dict]:
    """Rows without the columns that may depend on who ran what, or when (missing values as None)."""
    df = df.drop(columns=list(VOLATILE)).astype(object)
    return df.where(df.notna(), None).to_dict("records")


def count_rows(out: Path) -> int:
    path = out / "results.sqlite"
    if not path.exists():
        return 0
    db = sqlite3.connect(path, timeout=30)
    try:
        return db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    except sqlite3.OperationalError:  # the table is being created
        return 0
    finally:
        db.close()


def fails_on_seeds_divisible_by_three(scenario, seed, max_rounds):
    """The real model, except that runs whose seed is divisible by 3 raise (picklable by name)."""
    if seed % 3 == 0:
        raise ValueError(f"planned failure for seed {seed}")
    return simulate_model(scenario, seed, max_rounds)


def cli(*args: str, **kwargs) -> subprocess.Popen:
    """`run.py ARGS` in its own process group, so a test can interrupt or kill the sweep and its workers."""
    return subprocess.Popen(
        [sys.executable, str(ROOT / "run.py"), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        **kwargs,
    )


def wait_for_rows(out: Path, at_least: int, proc: subprocess.Popen, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        n = count_rows(out)
        if n >= at_least or proc.poll() is not None:
            return n
        time.sleep(0.05)
    raise TimeoutError(f"fewer than {at_least} runs after {timeout} s")


def credibility_only(scenario, seed, max_rounds):
    """A stand-in model whose outputs depend on Turkey's threat credibility alone (no noise), for checking
    that sensitivity indices are attributed to the right parameter."""
    credibility = scenario.actors["TUR"].threats[0].credibility
    return {"violations": 10 * credibility**2, "outcome": "held" if credibility > 0.5 else "broke"}
