"""The two baselines every question is scored against, as runs of their own (docs/cases/README.md).

"Nothing changes": the round-0 state held for every round of the horizon; no event ever happens.

"The stronger side wins": the belligerent with the largest round-0 strength (`strength_<side>` in rounds.csv:
own forces x quality plus each support channel received x its effectiveness) gains each contested region's pace
per round (`sim.kernels.contest.region_pace`: the model's own change of hands for a side sure to win the
region's battle at full intensity), taken from the other sides in
proportion to what they hold, until it holds all of it; every other value keeps its round-0 value, and no event
happens (nothing is signed, no threat is carried out). National control is recomputed with the model's weights
(each region's population + area share + oil, normalised; equal weights when no region has any, docs/FORMATS.md).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from sim.kernels import contest
from sim.questions.evaluate import Trace
from sim.scenario import Scenario
from sim.scenario.names import side_ids


def horizon_rows(first: dict, spec: Scenario) -> list[dict]:
    """Round 0 and copies of it for rounds 1 .. clock.max_rounds, each with its round number and date."""
    assert spec.clock is not None  # questions are asked of runs, and a run needs a clock
    start, days = spec.clock.start, spec.clock.round_days
    rows = [first]
    for r in range(1, spec.clock.max_rounds + 1):
        rows.append({**first, "round": r, "date": (start + dt.timedelta(days=(r - 1) * days)).isoformat()})
    return rows


def nothing_changes(first: dict, spec: Scenario) -> Trace:
    return Trace(horizon_rows(first, spec), [], spec)


def stronger_side(first: dict, spec: Scenario) -> str:
    sides = belligerents(spec)
    return max(sides, key=lambda s: (first[f"strength_{s}"], -sides.index(s)))


def belligerents(spec: Scenario) -> list[str]:
    return side_ids(spec)


def stronger_side_wins(first: dict, spec: Scenario) -> Trace:
    sides = belligerents(spec)
    winner = sides.index(stronger_side(first, spec))
    regions = spec.theatre.regions if spec.theatre else {}
    ids = list(regions)
    control = np.array([[first[f"control_{rid}_{s}"] for s in sides] for rid in ids]).reshape(
        len(ids), len(sides)
    )
    contested = np.array([regions[rid].contested for rid in ids], dtype=bool)
    area = np.array([regions[rid].area for rid in ids], dtype=float)
    share = area / area.sum() if area.sum() > 0 else area
    weight = np.array([regions[rid].population + regions[rid].oil for rid in ids], dtype=float) + share
    weight = weight / weight.sum() if weight.sum() > 0 else np.full(len(ids), 1.0 / max(len(ids), 1))
    assert spec.clock is not None
    depth = np.where(area > 0, np.sqrt(area), spec.engine.combat.depth_km)
    rate = contest.region_pace([regions[rid].terrain for rid in ids], depth, spec.clock.round_days)
    rows = horizon_rows(first, spec)
    for r, row in enumerate(rows[1:], start=1):
        now = control.copy()
        held = np.minimum(1.0, control[:, winner] + rate * r)  # rate: (R,) each region's pace
        rest = 1.0 - control[:, winner]
        scale = np.divide(1.0 - held, rest, out=np.zeros_like(rest), where=rest > 0)
        now[contested] *= scale[contested, None]
        now[contested, winner] = held[contested]
        national = weight @ now
        for i, rid in enumerate(ids):
            for j, s in enumerate(sides):
                row[f"control_{rid}_{s}"] = float(now[i, j])
        for j, s in enumerate(sides):
            row[f"control_{s}"] = float(national[j])
    return Trace(rows, [], spec)
