"""Files from a finished run: rounds.csv, events.jsonl, summary.json, report.png (docs/FORMATS.md).

Every file is written atomically (`sim.atomic`), so a reader never sees half a file.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from sim import atomic
from sim.engine.log import Kind
from sim.engine.recording import OIL_COLUMNS

SUMMARY_VERSION = 1
# Only a run with an oil economy has these (`has_oil`): a war without oil has no oil figures to report.
OIL_KEYS = ("oil_output_final_bpd", "oil_output_min_bpd", "oil_loss_bbl", "revenue_loss_usd")


@functools.cache  # the installed version does not change while a process runs; reading it costs ~1 ms
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("stakesim")
    except PackageNotFoundError:
        return "0+unknown"


# The keys of summary() and what is inside each (docs/FORMATS.md): None for a single value; otherwise what the
# keys of the mapping are. A sweep's metrics are checked against this list without running the model.
SUMMARY_KEYS: dict[str, str | None] = {
    **dict.fromkeys(
        (
            "format", "version", "scenario", "scenario_hash", "source", "seed", "start", "round_days",
            "rounds_run", "end_date", "outcome", "winner", "agreement_signed", "first_agreement_round",
            "first_agreement_date", "agreement_status", "partial_signing", "violations", "first_violation_round",
            "first_violation_date", "blockade", "first_blockade_round", "first_blockade_date", "blockade_rounds",
            *OIL_KEYS,
        )
    ),
    **dict.fromkeys(
        (
            "control_start", "control_final", "forces_final", "strength_final", "max_rung", "mean_rung",
            "war_cost_final",
        ),
        "side",
    ),
    "agreement": "forum",
    "control_final_by_region": "region.side",
    "support_final": "patron.index",
    "support_kind": "patron.index",
    "last_proposal": "issue",
    "event_counts": "event type",
    "accords": "forum.accord",
    "defeated": "list",
    "threats": "list",
}  # fmt: skip


def summary(model) -> dict[str, Any]:
    """The run in one JSON-serialisable mapping; every key is documented in docs/FORMATS.md."""
    m = model
    start = m.spec.clock.start.isoformat()
    national = m.national_control()
    first, last = m.history[0], m.history[-1]
    counts: dict[str, int] = {}
    for e in m.events:
        counts[e["type"]] = counts.get(e["type"], 0) + 1
    last_proposal = next((e for e in reversed(m.events) if e["type"] == Kind.PROPOSAL), None)
    days = m.spec.clock.round_days

    def date_of(r: int | None) -> str | None:
        return None if r is None else m.date_of(r)

    return {
        "format": SUMMARY_VERSION,
        "version": _version(),
        "scenario": m.spec.name,
        "scenario_hash": m.scenario_hash,
        "source": _shown(m.source),
        "seed": m.seed if isinstance(m.seed, int) else str(m.seed),
        "start": start,
        "round_days": days,
        "rounds_run": m.round,
        "end_date": m.date.isoformat(),
        "outcome": m.outcome or "running",
        "winner": m.winner,
        "defeated": list(m.defeated),
        "agreement_signed": bool(m.agreement_signed),
        "first_agreement_round": m.first_agreement_round,
        "first_agreement_date": date_of(m.first_agreement_round),
        "agreement_status": m.accord_status,
        "agreement": {fid: fid in m.accords for fid in m.spec.forums},
        "accords": {
            fid: {
                "issues": [m.issue_ids[j] for j in acc.issues],
                "signatories": sorted(m.actor_ids[a] for a in acc.signatories),
                "signed_round": acc.signed_round,
                "signed_date": date_of(acc.signed_round),
                "status": acc.status,
                "violation_rounds": acc.violation_rounds,
                "held_rounds": acc.held_rounds,
                "monitoring": acc.monitoring,
                "guarantee": acc.guarantee,
            }
            for fid, acc in m.accords.items()
        },
        "partial_signing": bool(m.partial_signing),
        "violations": int(m.violations),
        "first_violation_round": m.first_violation_round,
        "first_violation_date": date_of(m.first_violation_round),
        "blockade": m.first_blockade_round is not None,
        "first_blockade_round": m.first_blockade_round,
        "first_blockade_date": date_of(m.first_blockade_round),
        "blockade_rounds": int(sum(any(h[f"blockade_{s}"] for s in m.side_ids) for h in m.history[1:])),
        **(
            {
                "oil_output_final_bpd": float(m.oil_output),
                "oil_output_min_bpd": float(min(h["oil_output_bpd"] for h in m.history)),
                "oil_loss_bbl": float(m.oil_loss_bbl),
                "revenue_loss_usd": float(m.revenue_loss_usd),
            }
            if has_oil(m)
            else {}
        ),
        "control_start": {s: float(first[f"control_{s}"]) for s in m.side_ids},
        "control_final": {s: float(national[i]) for i, s in enumerate(m.side_ids)},
        "control_final_by_region": {
            rid: {s: float(m.control[r, i]) for i, s in enumerate(m.side_ids)}
            for r, rid in enumerate(m.region_ids)
        },
        "forces_final": {s: float(m.forces[b]) for s, b in zip(m.side_ids, m.sides, strict=True)},
        "strength_final": {s: float(v) for s, v in zip(m.side_ids, m.strength(), strict=True)},
        "war_cost_final": {s: float(last[f"war_cost_{s}"]) for s in m.side_ids},
        "max_rung": {s: int(max(h[f"rung_{s}"] for h in m.history)) for s in m.side_ids},
        "mean_rung": {s: float(np.mean([h[f"rung_{s}"] for h in m.history[1:]] or [0])) for s in m.side_ids},
        "support_final": {f"{aid}.{j}": float(m.sup_level[e]) for (aid, j), e in m.sup_slot.items()},
        "support_kind": {f"{aid}.{j}": m.sup_kind[e] for (aid, j), e in m.sup_slot.items()},
        "threats": [
            {"by": m.actor_ids[m.thr_from[t]], "target": m.actor_ids[m.thr_target[t]], "state": state}
            for t, state in enumerate(m.thr_state)
        ],
        "last_proposal": last_proposal["terms"] if last_proposal else None,
        "event_counts": counts,
    }


def has_oil(model) -> bool:
    """Whether the run records an oil economy (`sim.engine.recording.reports_oil`): its rounds have the oil
    columns, its summary the OIL_KEYS, its pictures an oil panel."""
    return OIL_COLUMNS[0] in model.columns


def has_oil_regions(scenario) -> bool:
    """Whether some region of the scenario produces oil (control is then weighted by population + oil)."""
    return scenario.theatre is not None and any(r.oil > 0 for r in scenario.theatre.regions.values())


def _shown(source: str) -> str:
    """A scenario path inside the project as a project-relative path, so summaries match across checkouts."""
    root = Path(__file__).resolve().parents[1]
    try:
        return Path(source).resolve().relative_to(root).as_posix()
    except (ValueError, OSError):
        return source


def _json_default(x: Any) -> Any:
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.floating):
        return float(x)
    if isinstance(x, np.ndarray):
        return x.tolist()
    raise TypeError(f"not JSON-serialisable: {type(x).__name__}")


def to_json(data: Any, indent: int | None = 2) -> str:
    return json.dumps(data, indent=indent, default=_json_default, ensure_ascii=False, allow_nan=False)


def rounds_csv(model) -> str:
    """rounds.csv as text: one row per round (round 0 is the starting state)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(model.columns)
    for row in model.history:
        w.writerow("" if v is None else _cell(v) for v in row.values())
    return buf.getvalue()


def _cell(v: Any) -> Any:
    if isinstance(v, float):
        return "" if math.isnan(v) else repr(round(v, 6))
    return v


def events_jsonl(model) -> str:
    return "".join(to_json(e, indent=None) + "\n" for e in model.events)


def write_run(model, out_dir: str | Path, *, picture: bool = True) -> dict[str, Path]:
    """Write rounds.csv, events.jsonl, summary.json and (unless picture=False) report.png into out_dir.

    Every file is rendered before the first is written, and they are written together (sim.atomic.write_folder):
    a run that cannot be written leaves no half folder behind."""
    files: dict[str, str | bytes] = {
        "rounds.csv": rounds_csv(model),
        "events.jsonl": events_jsonl(model),
        "summary.json": to_json(summary(model)) + "\n",
    }
    if picture:
        from sim.plots import report_png

        files["report.png"] = report_png(model)
    return atomic.write_folder(out_dir, files)


# --------------------------------------------------------------------------------------- replications

REPLICATION_COLUMNS = (
    "replication",
    "seed",
    "outcome",
    "winner",
    "rounds_run",
    "agreement_signed",
    "first_agreement_round",
    "partial_signing",
    "violations",
    "first_violation_round",
    "blockade",
    "first_blockade_round",
    "oil_loss_bbl",
)


def replication_row(i: int, s: dict[str, Any]) -> dict[str, Any]:
    """One row of replications.csv from a run's summary (plus final control per side)."""
    row = {k: s[k] for k in REPLICATION_COLUMNS if k in s}
    row["replication"] = i
    for side, v in s["control_final"].items():
        row[f"control_final_{side}"] = v
    return row
