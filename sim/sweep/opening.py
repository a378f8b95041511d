"""Opening a sweep's store for a session: a new one, the stored one resumed after checking it holds the same
design, or (with --force) a fresh one beside the old set aside; and the lock that keeps a second live
session off the same store.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sim.scenario.errors import Problem, ScenarioError
from sim.sweep.load import LoadedSweep
from sim.sweep.manifest import COSMETIC, OUTPUTS, changed_keys, code_version, design_changes, new_manifest
from sim.sweep.store import Store, store_path


def _refuse(out: Path, message: str, suggestion: str) -> ScenarioError:
    return ScenarioError([Problem(str(out), None, None, "", message, suggestion=suggestion)])


def open_store(sweep: LoadedSweep, out: Path, total: int, *, resume: bool, force: bool) -> Store:
    """A new store in `out`, or (with resume) the existing one after checking it holds this same design.

    A change of name or description is recorded and the sweep resumes. A change of design (parameters,
    design, replications, seeds, rounds, metrics, the scenario's values) would mix runs of two designs in one
    store: it is refused, or with --force the old store is set aside and a new one started."""
    if not Store.exists(out):
        return Store.create(out, new_manifest(sweep, total))
    if not resume:
        raise _refuse(
            out, "this directory already holds a sweep", "add --resume to finish it, or choose a new --out"
        )
    store = Store.open(out)
    old = store.manifest()
    outputs = changed_keys(old, sweep, lambda k: k in OUTPUTS)
    if outputs and not force:
        store.close()
        raise _refuse(
            out,
            f"the metrics changed since this sweep started ({'; '.join(outputs)})",
            "use a new --out, or add --force to keep the new metrics from now on (runs already stored lack them)",
        )
    changes = design_changes(old, sweep)
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
        return Store.create(out, new_manifest(sweep, total))
    session: dict[str, Any] = {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "code_version": code_version(),
    }
    updates: dict[str, Any] = {"resumed": [*old.get("resumed", []), session]}
    if old.get("spec_hash") != sweep.spec_hash:
        session["changed"] = outputs or ["cosmetic: " + ", ".join(COSMETIC)]
        updates.update(
            {k: v for k, v in new_manifest(sweep, total).items() if k not in ("created", "resumed")}
        )
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
