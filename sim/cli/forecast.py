"""`forecast FILE`: a plain bargaining case with the Expected Utility Model, round by round, and its move log."""

from __future__ import annotations

from pathlib import Path

from sim.cli.options import add_root_option, add_set_option, roots
from sim.scenario import load_scenario


def add_parser(sub) -> None:
    p = sub.add_parser(
        "forecast",
        help="forecast a bargaining case with the Expected Utility Model; print it by round, write the move log",
        description=(
            "Runs the Expected Utility Model (Bueno de Mesquita; Scholz et al. 2011) on every issue of FILE, prints"
            " the forecast after each round and at the end, and writes OUT/moves.csv: who moved, whose offer,"
            " what kind (confrontation, compromise, capitulation), old and new position."
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
