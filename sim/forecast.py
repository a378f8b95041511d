"""A plain bargaining case: a loaded scenario as arrays, a run of one of the bargaining models (the EUM with its
per-round forecast table and move log; the compromise model; the Nash bargaining solution; the exchange model).

Every actor with a position on an issue bargains on it (role does not matter here); an actor without a position
on an issue takes no part in it. Delta is each issue's declared `scale`. Knows no Mesa and prints nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim import atomic
from sim.bargaining import (
    NBS_BREAKDOWN,
    EUMSettings,
    ExchangeRun,
    RunResult,
    breakdown,
    compromise,
    eum_run,
    exchange_run,
    median_voter,
    nash_bargaining,
    risk_exponent,
    weighted_mean,
)
from sim.scenario import LoadedScenario, Problem, ScenarioError

MODELS = ("eum", "compromise", "nbs", "exchange")

MOVE_COLUMNS = (
    "round",
    "issue",
    "actor",
    "toward",
    "offer",
    "old_position",
    "new_position",
    "eu_actor",
    "eu_toward",
)


@dataclass(frozen=True)
class Case:
    """A scenario's bargaining inputs as arrays: n actors x k issues."""

    name: str
    actors: list[str]
    issues: list[str]
    x: np.ndarray  # (n, k) positions, NaN: no position
    c: np.ndarray  # (n,)
    s: np.ndarray  # (n, k), 0 where no position
    lo: np.ndarray  # (k,)
    hi: np.ndarray  # (k,)
    fixed_risk: np.ndarray | None  # (n,) exponents, when the risk mode is `fixed`
    settings: EUMSettings
    rounds: int


@dataclass(frozen=True)
class Forecast:
    case: Case
    run: RunResult


def case_from_scenario(
    loaded: LoadedScenario, variant: str | None = None, rule: str | None = None, rounds: int | None = None
) -> Case:
    """Arrays from a validated scenario; `variant`, `rule`, `rounds` override `engine.bargaining`.

    Raises ScenarioError for an issue nobody can carry: no actor with a position there and a positive
    capability x salience (its forecast would be undefined).
    """
    sc = loaded.scenario
    b = sc.engine.bargaining
    actors, issues = list(sc.actors), list(sc.issues)
    nan = float("nan")
    x = np.array([[sc.actors[a].positions.get(i, nan) for i in issues] for a in actors], dtype=float)
    s = np.array([[sc.actors[a].salience.get(i, 0.0) for i in issues] for a in actors], dtype=float)
    s = np.where(np.isnan(x), 0.0, s)
    c = np.array([sc.actors[a].capability for a in actors], dtype=float)
    problems = []
    for j, iid in enumerate(issues):
        if not np.any(~np.isnan(x[:, j]) & (c * s[:, j] > 0)):
            file, line, col = loaded.document.mark(("issues", iid), loaded.source)
            problems.append(
                Problem(
                    file,
                    line,
                    col,
                    f"issues.{iid}",
                    "no actor has a position on this issue with a positive capability and salience",
                    expected="at least one actor with `positions` and `salience` entries for it, capability > 0",
                    suggestion=f"add `{iid}` under some actor's `positions` and `salience`, or remove the issue",
                )
            )
    if problems:
        raise ScenarioError(problems)
    settings = EUMSettings(variant=variant or b.variant, q=b.q, t=b.t, risk=b.risk, rule=rule or b.rule)
    fixed = risk_exponent([sc.actors[a].risk for a in actors]) if b.risk == "fixed" else None
    return Case(
        name=sc.name,
        actors=actors,
        issues=issues,
        x=x,
        c=c,
        s=s,
        lo=np.array([sc.issues[i].scale[0] for i in issues], dtype=float),
        hi=np.array([sc.issues[i].scale[1] for i in issues], dtype=float),
        fixed_risk=fixed,
        settings=settings,
        rounds=b.rounds if rounds is None else rounds,
    )


def run_case(case: Case) -> Forecast:
    run = eum_run(
        case.x, case.c, case.s, case.lo, case.hi, case.settings, case.rounds, fixed_risk=case.fixed_risk
    )
    return Forecast(case, run)


def compromise_forecast(case: Case) -> np.ndarray:
    """The compromise model per issue: sum c s x / sum c s (the EUM's round 0 with the weighted mean)."""
    return compromise(case.x, case.c, case.s)


def nbs_forecast(case: Case, loss: float = NBS_BREAKDOWN) -> np.ndarray:
    """The Nash bargaining solution per issue, with a common breakdown loss `loss` on the issue's scale."""
    return nash_bargaining(case.x, case.c, case.s, case.lo, case.hi, breakdown(case.x, loss))


def exchange_case(case: Case) -> ExchangeRun:
    """Up to the case's rounds of Stokman & Van Oosten's exchanges, all the case's issues one decision."""
    return exchange_run(case.x, case.c, case.s, case.rounds)


def final_forecasts(case: Case) -> dict[str, np.ndarray]:
    """Every model's final forecast per issue, by model name (MODELS order)."""
    return {
        "eum": run_case(case).run.forecasts[-1],
        "compromise": compromise_forecast(case),
        "nbs": nbs_forecast(case),
        "exchange": exchange_case(case).forecasts[-1],
    }


def round_rows(fc: Forecast) -> list[dict]:
    """One row per round (0 = the inputs): moves made that round, then the forecast per issue under the rule."""
    moves = np.bincount([m.round for m in fc.run.moves], minlength=fc.run.rounds_run + 1)
    return [
        {
            "round": r,
            "moves": int(moves[r]),
            **dict(zip(fc.case.issues, map(float, fc.run.forecasts[r]), strict=True)),
        }
        for r in range(fc.run.rounds_run + 1)
    ]


def final_statistics(fc: Forecast) -> dict[str, dict[str, float]]:
    """Per issue, after the last round: the weighted mean and the median voter (both rules, whichever is used)."""
    x = fc.run.positions[-1]
    mean = weighted_mean(x, fc.case.c, fc.case.s)
    median = median_voter(x, fc.case.c, fc.case.s)
    return {iid: {"mean": float(mean[j]), "median": float(median[j])} for j, iid in enumerate(fc.case.issues)}


def move_rows(fc: Forecast) -> list[dict]:
    """The move log: who moved on which issue, whose offer, of which kind, from where to where, with the EUs."""
    case = fc.case
    return [
        {
            "round": rnd,
            "issue": case.issues[m.issue],
            "actor": case.actors[m.mover],
            "toward": case.actors[m.toward],
            "offer": m.kind,
            "old_position": m.old,
            "new_position": m.new,
            "eu_actor": m.eu_mover,
            "eu_toward": m.eu_other,
        }
        for rnd, m in fc.run.moves
    ]


def write_move_log(path: str | Path, rows: list[dict]) -> None:
    """The move log as CSV (columns MOVE_COLUMNS), written atomically."""

    def write(fh) -> None:
        writer = csv.DictWriter(fh, fieldnames=MOVE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: repr(v) if isinstance(v, float) else v for k, v in row.items()})

    atomic.write_with(path, write)
