"""`forecast FILE`: a plain bargaining case with one of the bargaining models (default the Expected Utility Model,
round by round, with its move log), or all four side by side."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.cli.options import add_root_option, add_set_option, roots
from sim.scenario import load_scenario


def add_parser(sub) -> None:
    p = sub.add_parser(
        "forecast",
        help="forecast a bargaining case (EUM, compromise, Nash bargaining, exchange, or all side by side)",
        description=(
            "Runs a bargaining model on every issue of FILE. The default, the Expected Utility Model (Bueno de"
            " Mesquita; Scholz et al. 2011), prints the forecast after each round and at the end, and writes"
            " OUT/moves.csv: who moved, whose offer, what kind (confrontation, compromise, capitulation), old and"
            " new position. --model compromise|nbs|exchange runs the compromise model, the Nash bargaining"
            " solution or Stokman's exchange model instead; --model all prints the four side by side."
        ),
    )
    p.add_argument("file", metavar="FILE", help="scenario YAML (actors with capability, positions, salience)")
    p.add_argument(
        "--rounds", type=int, metavar="N", help="rounds to run (default: engine.bargaining.rounds)"
    )
    p.add_argument(
        "--variant",
        choices=("paper", "compat"),
        help="EUM reading: paper (P_ij + P_ji = 1) or compat (Scholz's code; default: engine.bargaining.variant)",
    )
    p.add_argument(
        "--rule",
        choices=("mean", "median"),
        help="forecast rule: weighted mean or median voter (default: engine.bargaining.rule)",
    )
    p.add_argument(
        "--model",
        choices=("eum", "compromise", "nbs", "exchange", "all"),
        default="eum",
        help="bargaining model (default eum); all: the four final forecasts side by side",
    )
    p.add_argument("--out", metavar="DIR", help="directory for moves.csv (default: out/forecast/<file stem>)")
    add_set_option(p, "actors.UK.salience.emission=0.5")
    add_root_option(p)
    p.set_defaults(handler=handle)


def _number(v: float, width: int) -> str:
    return f"{v:>{width}.3f}" if v == v else f"{'-':>{width}}"


def handle(args) -> int:
    from sim.forecast import (
        case_from_scenario,
        final_statistics,
        move_rows,
        round_rows,
        run_case,
        write_move_log,
    )
    from sim.scenario import Problem, ScenarioError

    if args.rounds is not None and not 0 <= args.rounds <= 10_000:
        raise ScenarioError(
            [
                Problem(
                    "--rounds",
                    None,
                    None,
                    "",
                    f"got {args.rounds}",
                    expected="a whole number from 0 to 10000",
                )
            ]
        )
    loaded = load_scenario(args.file, args.overrides, roots(args, args.file))
    case = case_from_scenario(loaded, variant=args.variant, rule=args.rule, rounds=args.rounds)
    if args.model != "eum":
        return _other_model(args.model, loaded, case)
    fc = run_case(case)
    cfg = case.settings
    print(
        f"{case.name}: {len(case.actors)} actors, {len(case.issues)} issue{'s' if len(case.issues) != 1 else ''};"
        f" EUM variant {cfg.variant}, rule {cfg.rule}, risk {cfg.risk}, Q={cfg.q:g}, T={cfg.t:g},"
        f" {case.rounds} round{'s' if case.rounds != 1 else ''}"
    )
    widths = [max(9, len(i) + 1) for i in case.issues]
    print(
        f"{'round':>5} {'moves':>5}" + "".join(f"{i:>{w}}" for i, w in zip(case.issues, widths, strict=True))
    )
    for row in round_rows(fc):
        cells = "".join(_number(row[i], w) for i, w in zip(case.issues, widths, strict=True))
        print(f"{row['round']:>5} {row['moves']:>5}{cells}")

    sc = loaded.scenario
    print(
        f"\nForecast after {fc.run.rounds_run} round{'s' if fc.run.rounds_run != 1 else ''} ({cfg.rule} rule):"
    )
    stats = final_statistics(fc)
    for iid in case.issues:
        issue = sc.issues[iid]
        lo, hi = issue.scale
        print(
            f"  {iid}: {stats[iid][cfg.rule]:.3f}   (weighted mean {stats[iid]['mean']:.3f},"
            f" median voter {stats[iid]['median']:.3f}; scale {lo:g}..{hi:g})"
        )
        print(f"      {issue.name}\n      {lo:g}: {issue.low}\n      {hi:g}: {issue.high}")
    out = Path(args.out) if args.out else Path("out") / "forecast" / Path(args.file).stem
    rows = move_rows(fc)
    write_move_log(out / "moves.csv", rows)
    kinds = {k: sum(r["offer"] == k for r in rows) for k in ("confrontation", "compromise", "capitulation")}
    print(
        f"\nMove log: {out / 'moves.csv'} ({len(rows)} moves: "
        + ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in kinds.items())
        + ")"
    )
    return 0


def _scale_lines(issue, lo: float, hi: float) -> str:
    return f"      {issue.name}\n      {lo:g}: {issue.low}\n      {hi:g}: {issue.high}"


def _other_model(model: str, loaded, case) -> int:
    """The compromise model, the NBS, the exchange model (round by round), or all four side by side."""
    from sim.forecast import (
        NBS_BREAKDOWN,
        compromise_forecast,
        exchange_case,
        final_forecasts,
        nbs_forecast,
    )

    sc = loaded.scenario
    plural = "s" if len(case.issues) != 1 else ""
    print(f"{case.name}: {len(case.actors)} actors, {len(case.issues)} issue{plural}; model {model}")
    if model == "all":
        table = final_forecasts(case)
        cfg = case.settings
        print(
            f"  eum: variant {cfg.variant}, rule {cfg.rule}, {case.rounds} rounds; nbs: breakdown loss"
            f" K={NBS_BREAKDOWN:g}; exchange: up to {case.rounds} rounds"
        )
        width = max(9, *(len(i) + 1 for i in case.issues))
        print(f"{'issue':<{width}}" + "".join(f"{m:>12}" for m in table) + "   scale")
        for j, iid in enumerate(case.issues):
            lo, hi = sc.issues[iid].scale
            cells = "".join(_number(float(v[j]), 12) for v in table.values())
            print(f"{iid:<{width}}{cells}   {lo:g}..{hi:g}")
        return 0
    if model == "exchange":
        run = exchange_case(case)
        widths = [max(9, len(i) + 1) for i in case.issues]
        print(
            f"{'round':>5} {'exch.':>5}"
            + "".join(f"{i:>{w}}" for i, w in zip(case.issues, widths, strict=True))
        )
        per_round = np.bincount([e.round for e in run.exchanges], minlength=run.rounds_run + 1)
        for r in range(run.rounds_run + 1):
            cells = "".join(_number(float(v), w) for v, w in zip(run.forecasts[r], widths, strict=True))
            print(f"{r:>5} {per_round[r]:>5}{cells}")
        stop = "no exchange left" if run.converged else f"{case.rounds} rounds"
        print(f"\nForecast after {run.rounds_run} round{'s' if run.rounds_run != 1 else ''} ({stop}):")
        final = run.forecasts[-1]
    else:
        final = compromise_forecast(case) if model == "compromise" else nbs_forecast(case)
        what = (
            "compromise model"
            if model == "compromise"
            else f"Nash bargaining, breakdown loss K={NBS_BREAKDOWN:g}"
        )
        print(f"\nForecast ({what}):")
    for j, iid in enumerate(case.issues):
        lo, hi = sc.issues[iid].scale
        print(f"  {iid}: {_number(float(final[j]), 0).strip()}   (scale {lo:g}..{hi:g})")
        print(_scale_lines(sc.issues[iid], lo, hi))
    return 0
