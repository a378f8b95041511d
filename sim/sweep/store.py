"""The result store: one SQLite file per sweep, `DIR/results.sqlite`, in WAL mode.

Why SQLite rather than Parquet parts: every finished run is one INSERT committed at once, which SQLite makes
atomic (a crash or Ctrl-C leaves every earlier run intact and never half a row); resuming is one SELECT of
the run ids present; a run id is the PRIMARY KEY, so no run can be stored twice; there are no part files to
compact; it is in the standard library; and pandas reads it in one line (no pyarrow needed):

    pd.read_sql("SELECT * FROM runs", sqlite3.connect("DIR/results.sqlite"))

Tables (docs/SWEEPS.md has the full description):
- `manifest(key, value)`: JSON values: spec, spec_hash, design_hash, scenario_hash, code_version, sweep_file,
  total_runs, parameters, metrics, created, and `resumed` (a list of later sessions).
- `runs`: run_id, point, replication, seed, status ('done' or 'failed'), error, seconds, worker,
  finished_at, then one column per parameter (named by its dotted path) and one per metric.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sim.sweep.runs import RunResult

FILENAME = "results.sqlite"


def _cell(value: Any) -> Any:
    """SQLite holds numbers, text and NULL; anything else (a mapping, a list) is stored as JSON text."""
    if value is None or isinstance(value, int | float | str):
        return value
    if hasattr(value, "item"):  # a numpy scalar
        return value.item()
    return json.dumps(value, sort_keys=True, default=str)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def store_path(directory: str | Path) -> Path:
    return Path(directory) / FILENAME


class Store:
    """An open result store. Only the process that drives a sweep writes to it."""

    def __init__(self, path: Path):
        self.path = path
        # isolation_level=None: we commit explicitly, one transaction per run.
        self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode: a committed run survives any crash of this process (not a power cut).
        self.db.execute("PRAGMA synchronous=NORMAL")

    @classmethod
    def exists(cls, directory: str | Path) -> bool:
        return store_path(directory).exists()

    @classmethod
    def create(cls, directory: str | Path, manifest: dict[str, Any]) -> Store:
        """A new store; `manifest` must name its `parameters` and `metrics`, which become columns."""
        Path(directory).mkdir(parents=True, exist_ok=True)
        store = cls(store_path(directory))
        columns = [*manifest["parameters"], *manifest["metrics"]]
        with store.db:
            store.db.execute("BEGIN")
            store.db.execute("CREATE TABLE manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            store.db.execute(
                "CREATE TABLE runs (run_id INTEGER PRIMARY KEY, point INTEGER NOT NULL,"
                " replication INTEGER NOT NULL, seed INTEGER NOT NULL,"
                " status TEXT NOT NULL CHECK (status IN ('done', 'failed')), error TEXT, seconds REAL,"
                " worker TEXT, finished_at TEXT" + "".join(f", {_quote(c)}" for c in columns) + ")"
            )
            store._write_manifest(manifest)
        return store

    @classmethod
    def open(cls, directory: str | Path) -> Store:
        path = store_path(directory)
        if not path.exists():
            raise FileNotFoundError(path)
        return cls(path)

    def _write_manifest(self, manifest: dict[str, Any]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO manifest (key, value) VALUES (?, ?)",
            # Key order kept: the spec's parameter order defines the design's columns and run numbering.
            [(k, json.dumps(v, default=str)) for k, v in manifest.items()],
        )

    def update_manifest(self, changes: dict[str, Any]) -> None:
        with self.db:
            self.db.execute("BEGIN")
            self._write_manifest(changes)
            present = {row[1] for row in self.db.execute("PRAGMA table_info(runs)")}
            for column in [*changes.get("parameters", []), *changes.get("metrics", [])]:
                if column not in present:
                    self.db.execute(f"ALTER TABLE runs ADD COLUMN {_quote(column)}")

    def manifest(self) -> dict[str, Any]:
        return {k: json.loads(v) for k, v in self.db.execute("SELECT key, value FROM manifest")}

    def run_ids(self, status: str | None = None) -> set[int]:
        query = "SELECT run_id FROM runs" + (" WHERE status = ?" if status else "")
        return {row[0] for row in self.db.execute(query, (status,) if status else ())}

    def counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT status, COUNT(*) FROM runs GROUP BY status").fetchall())

    def record(self, result: RunResult) -> bool:
        """Write one run and commit; False if that run id is already stored (it is never stored twice)."""
        row = {
            "run_id": result.run_id,
            "point": result.point,
            "replication": result.replication,
            "seed": result.seed,
            "status": result.status,
            "error": result.error,
            "seconds": result.seconds,
            "worker": result.worker,
            "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **{k: _cell(v) for k, v in result.values.items()},
            **{k: _cell(v) for k, v in result.metrics.items()},
        }
        names = ", ".join(_quote(k) for k in row)
        marks = ", ".join("?" for _ in row)
        cursor = self.db.execute(f"INSERT OR IGNORE INTO runs ({names}) VALUES ({marks})", list(row.values()))
        return cursor.rowcount == 1

    def delete(self, run_ids: Iterable[int]) -> None:
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany("DELETE FROM runs WHERE run_id = ?", [(i,) for i in run_ids])

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
