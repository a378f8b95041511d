"""What a sweep's store records about the sweep (its manifest), and how a stored sweep and a new one differ.

The design hash covers what decides every run's result; cosmetic and output keys are left out of it, so
editing them keeps the stored runs valid.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sim.sweep.load import LoadedSweep, canonical_hash


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


# Keys of a sweep file that change no run: editing them keeps the stored runs valid. `metrics` changes what
# is kept of each run, not the run: with --force the store gains a column (empty for the runs already stored).
# Every other key, and the scenario's values, is the design: it decides each run's result.
COSMETIC = ("name", "description")
OUTPUTS = ("metrics",)


def design_hash(spec: dict[str, Any], scenario_hash: str) -> str:
    """What decides every run's result: the sweep file but its cosmetic and output keys, and the scenario."""
    design = {k: v for k, v in spec.items() if k not in (*COSMETIC, *OUTPUTS)}
    return canonical_hash({"spec": design, "scenario_hash": scenario_hash})


def changed_keys(old: dict[str, Any], sweep: LoadedSweep, keys: Callable[[str], bool]) -> list[str]:
    """In words, the keys picked by `keys` that differ between the stored sweep and this one."""
    spec = sweep.spec.model_dump(mode="json")
    before = old.get("spec") or {}
    return [
        f"{key} {json.dumps(before.get(key), default=str)} -> {json.dumps(spec.get(key), default=str)}"
        for key in spec
        if keys(key) and before.get(key) != spec.get(key)
    ]


def design_changes(old: dict[str, Any], sweep: LoadedSweep) -> list[str]:
    """In words, what of the design differs between the stored sweep and this one, the scenario included."""
    changes = changed_keys(old, sweep, lambda k: k not in (*COSMETIC, *OUTPUTS))
    if old.get("scenario_hash") != sweep.scenario_hash:
        changes.append("the scenario's values")
    return changes


def new_manifest(sweep: LoadedSweep, total: int) -> dict[str, Any]:
    """The manifest a new store starts with (docs/SWEEPS.md lists its keys)."""
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
