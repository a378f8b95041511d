"""`run [FILE]`: simulate a scenario (the bundled Libya case by default), print what happened, write the files.

One run: rounds.csv, events.jsonl, summary.json, report.png in `--out` (default runs/<stem>-seed<N>/).
`--replications N`: N runs with seeds spawned from the base seed (NumPy SeedSequence): one summary row each in
replications.csv, every run's rounds in trajectories.parquet, the outcome shares with 95% Wilson intervals in
shares.json and the runs' fan in fan.png (`sim.replications`). `--workers W` spreads them over W processes;
the files do not depend on W. A progress bar with an ETA goes to stderr when it is a terminal (not with --json).
"""

from __future__ import annotations

import sys
from pathlib import Path

from sim.cli.options import add_root_option, add_set_option, roots
from sim.narrative import notable, sentence
from sim.scenario import load_scenario

DEFAULT_SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "libya_2020.yaml"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "run", help="run a scenario and write rounds.csv, events.jsonl, summary.json, report.png"
    )
    p.add_argument("file", nargs="?", default=str(DEFAULT_SCENARIO), metavar="FILE")
    p.add_argument("--seed", type=int, help="random seed (default: the scenario's `seed`)")
    p.add_argument("--rounds", type=int, help="stop after this many rounds (default: clock.max_rounds)")
    p.add_argument("--out", metavar="DIR", help="output directory (default: runs/<scenario>-seed<N>/)")
    add_set_option(p)
    add_root_option(p)
    p.add_argument("--json", action="store_true", help="print the summary as JSON instead of the text report")
    p.add_argument("--replications", type=int, metavar="N", help="run N seeded replications")
    p.add_argument(
        "--workers", type=int, default=1, metavar="W", help="processes for replications (default 1)"
    )
    p.set_defaults(handler=handle)


def _problem(field: str, message: str) -> int:
    print(f"run: {field}: {message}", file=sys.stderr)
    return 2


def handle(args) -> int:
    if args.rounds is not None and args.rounds < 1:
        return _problem("--rounds", f"got {args.rounds}; expected a whole number >= 1")
    if args.seed is not None and args.seed < 0:
        return _problem("--seed", f"got {args.seed}; expected a whole number >= 0")
    if args.replications is not None and args.replications < 1:
        return _problem("--replications", f"got {args.replications}; expected a whole number >= 1")
    if args.workers < 1:
        return _problem("--workers", f"got {args.workers}; expected a whole number >= 1")
    loaded = load_scenario(args.file, args.overrides, roots(args, args.file))
    clock = loaded.scenario.clock
    if args.rounds is not None and clock is not None and args.rounds > clock.max_rounds:
        # Past its clock the calendar validate checked no longer holds; say how to move the clock instead.
        hint = (
            f"the scenario's clock.max_rounds is {clock.max_rounds}; add --set clock.max_rounds={args.rounds}"
        )
        return _problem("--rounds", f"got {args.rounds}; {hint}")
    seed = args.seed if args.seed is not None else loaded.scenario.seed
    stem = Path(args.file).stem
    if args.replications:
        out = Path(args.out or f"runs/{stem}-seed{seed}-x{args.replications}")
        return _replicate(loaded, seed, args.rounds, args.replications, args.workers, out, args.json)
    from sim.cli.scenario import located
    from sim.model import run_model
    from sim.outputs import summary, to_json, write_run
    from sim.scenario import ScenarioError

    try:
        model = run_model(loaded, seed=seed, max_rounds=args.rounds, collect=False)
    except ScenarioError as exc:  # the model's own checks (docs/SCENARIOS.md): at the lines of the file
        raise located(exc, loaded) from None
    out = Path(args.out or f"runs/{stem}-seed{seed}")
    paths = write_run(model, out)
    result = summary(model)
    if args.json:
        print(to_json(result))
    else:
        print(report_text(model, result))
        print(f"\nwrote {', '.join(str(p) for p in paths.values())}")
    return 0


def report_text(model, s: dict) -> str:
    """The readable summary: outcome, key dates, control and oil, and a short narrative of the main events."""
    from sim.outputs import has_oil, has_oil_regions

    weights = "population + oil" if has_oil_regions(model.spec) else "population"
    lines = [
        f"{s['scenario']}  seed {s['seed']}  ({s['rounds_run']} rounds of {s['round_days']} days,"
        f" {s['start']} .. {s['end_date']})",
        f"outcome: {s['outcome']}" + (f" (winner {s['winner']})" if s["winner"] else ""),
        "",
        "key dates:",
        f"  first violation of the truce/agreement: {_when(s, 'violation')}",
        f"  first signed agreement:                 {_when(s, 'agreement')}",
        *([f"  first oil blockade:                     {_when(s, 'blockade')}"] if has_oil(model) else []),
        "",
        f"control (share of the country, {weights} weighted), start -> end:",
    ]
    for side, end in s["control_final"].items():
        lines.append(
            f"  {side:>8}: {s['control_start'][side]:.2f} -> {end:.2f}   highest rung {s['max_rung'][side]}"
        )
    if has_oil(model):  # a case without an oil economy has nothing to say about oil
        lines.append(
            f"oil: output {s['oil_output_final_bpd'] / 1e6:.2f} m b/d at the end (lowest"
            f" {s['oil_output_min_bpd'] / 1e6:.2f}); {s['oil_loss_bbl'] / 1e6:.1f} m barrels"
            f" (${s['revenue_loss_usd'] / 1e9:.1f} bn) lost against the baseline"
        )
    lines.append(
        "cost of fighting on at the end (war cost x cost aversion x weariness): "
        + ", ".join(f"{side} {c:.3g}" for side, c in s["war_cost_final"].items())
    )
    for fid, acc in s["accords"].items():
        lines.append(
            f"{model.spec.forums[fid].name}: text signed by {', '.join(acc['signatories'])}"
            f" in round {acc['signed_round']} ({acc['signed_date']}), {acc['status']} at the end"
        )
    lines += [
        f"violations: {s['violations']}; agreement status at the end: {s['agreement_status']}",
        "",
        "what happened:",
    ]
    lines += [f"  {line}" for line in narrative(model)]
    return "\n".join(lines)


def _when(s: dict, key: str) -> str:
    r = s[f"first_{key}_round"]
    return "never" if r is None else f"round {r} (week of {s[f'first_{key}_date']})"


def narrative(model, limit: int = 24) -> list[str]:
    """One dated line per notable event (sim.narrative.notable); events.jsonl has every one."""
    out = [f"{e['date']} (round {e['round']:>2}): {sentence(e, model.spec)}" for e in notable(model.events)]
    if len(out) > limit:
        out = [*out[: limit - 1], f"... and {len(out) - limit + 1} more in events.jsonl"]
    return out


# ------------------------------------------------------------------------------------------ replications


def _replicate(loaded, base_seed: int, rounds, n: int, workers: int, out: Path, as_json: bool) -> int:
    from sim.outputs import to_json
    from sim.replications import write_replications
    from sim.sweep.designs import run_seed

    seeds = [run_seed(base_seed, i) for i in range(n)]
    done = write_replications(
        loaded, seeds, rounds, workers, out, progress=sys.stderr.isatty() and not as_json
    )
    if as_json:
        print(to_json(done.shares))
    else:
        print(shares_text(loaded.scenario.name, base_seed, done.shares))
        print(f"\nwrote {', '.join(str(p) for p in done.paths.values())}")
    return 0


def shares_text(name: str, base_seed: int, s: dict) -> str:
    def fmt(x: dict) -> str:
        return f"{x['share']:6.1%}  [{x['ci95'][0]:.1%}, {x['ci95'][1]:.1%}]  ({x['count']})"

    lines = [
        f"{name}: {s['replications']} replications from base seed {base_seed} (95% Wilson intervals)",
        "",
    ]
    lines.append("outcome:")
    lines += [f"  {label:<22} {fmt(x)}" for label, x in s["outcomes"].items()]
    lines.append("signed agreement by round:")
    lines += [f"  {'round ' + r:<22} {fmt(x)}" for r, x in s["agreement_signed_by_round"].items()]
    lines.append("at any time in the run:")
    lines.append(f"  {'oil blockade':<22} {fmt(s['blockade'])}")
    lines.append(f"  {'partial signing':<22} {fmt(s['partial_signing'])}")
    lines.append(f"  {'truce violated':<22} {fmt(s['violated'])}")
    med = s["median_first_violation_round"]
    lines.append(f"  median round of the first violation: {'none' if med is None else f'{med:g}'}")
    return "\n".join(lines)
