"""`compare A.yaml B.yaml [...] --replications N`: scenarios side by side on common random numbers.

Every scenario runs the same N seeds (child i of SeedSequence(base seed), the base seed being --seed or the
first scenario's `seed`), so a difference is the scenarios', not the dice's. Each scenario's replications go
to DIR/<stem>/ as `run --replications` writes them; DIR/comparison.csv and .json hold outcome shares and key
dates against the first scenario with 95% intervals of the paired difference, and DIR/fans.png the
scenarios' fans overlaid (sim.comparison, sim.paired, sim.fans).
"""

from __future__ import annotations

import sys
from pathlib import Path

from sim.scenario import Problem, ScenarioError, load_scenario


def add_parser(sub) -> None:
    p = sub.add_parser(
        "compare",
        help="run scenarios on the same seeds; outcome shares and dates with paired intervals, fans overlaid",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="two or more scenarios; the first is the base")
    p.add_argument("--replications", type=int, required=True, metavar="N", help="runs per scenario")
    p.add_argument("--seed", type=int, help="base seed (default: the first scenario's `seed`)")
    p.add_argument("--rounds", type=int, help="stop each run after this many rounds")
    p.add_argument("--workers", type=int, default=1, metavar="W", help="processes (default 1)")
    p.add_argument("--out", metavar="DIR", help="output directory (default: runs/compare-<base>-x<N>/)")
    p.add_argument("--json", action="store_true", help="print the comparison rows as JSON")
    p.set_defaults(handler=handle)


def _problems(args) -> list[Problem]:
    found = []

    def bad(option: str, message: str, expected: str) -> None:
        found.append(Problem(option, None, None, "", message, expected=expected))

    if len(args.files) < 2:
        bad("FILE", f"got {len(args.files)} scenario file(s)", "two or more scenarios to compare")
    if args.replications < 1:
        bad("--replications", f"got {args.replications}", "a whole number >= 1")
    if args.seed is not None and args.seed < 0:
        bad("--seed", f"got {args.seed}", "a whole number >= 0")
    if args.rounds is not None and args.rounds < 1:
        bad("--rounds", f"got {args.rounds}", "a whole number >= 1")
    if args.workers < 1:
        bad("--workers", f"got {args.workers}", "a whole number >= 1")
    stems = [Path(f).stem for f in args.files]
    for stem in sorted({s for s in stems if stems.count(s) > 1}):
        found.append(
            Problem(
                "FILE",
                None,
                None,
                "",
                f"two files are named {stem}.yaml; each scenario's runs go to DIR/<name>/",
                suggestion="copy one under another name",
            )
        )
    return found


def _load_all(files: list[str]):
    """Every file loaded and checked to be runnable; the problems of all of them at once."""
    from sim.model import ConflictModel

    loaded, problems = [], []
    for f in files:
        try:
            one = load_scenario(f)
            ConflictModel(scenario=one, collect=False)  # a plain forecasting case cannot be run
            loaded.append(one)
        except ScenarioError as exc:
            problems += exc.problems
    if problems:
        raise ScenarioError(problems)
    return loaded


def handle(args) -> int:
    problems = _problems(args)
    if problems:
        raise ScenarioError(problems)
    loaded = _load_all(args.files)

    from sim import atomic, fans
    from sim.comparison import compare, comparison_csv, comparison_text
    from sim.outputs import to_json
    from sim.replications import write_replications
    from sim.sweep.designs import run_seed
    from sim.trajectories import FILENAME

    base_seed = args.seed if args.seed is not None else loaded[0].scenario.seed
    stems = [Path(f).stem for f in args.files]
    out = Path(args.out or f"runs/compare-{stems[0]}-x{args.replications}")
    seeds = [run_seed(base_seed, i) for i in range(args.replications)]
    progress = sys.stderr.isatty() and not args.json
    done = []
    for stem, one in zip(stems, loaded, strict=True):
        done.append(
            write_replications(
                one, seeds, args.rounds, args.workers, out / stem, progress=progress, label=stem
            )
        )
    rows = compare(stems, [d.outcomes for d in done], seed=base_seed)
    atomic.write_text(out / "comparison.csv", comparison_csv(rows))
    atomic.write_text(out / "comparison.json", to_json(rows) + "\n")
    drawn = [
        (stem, fans.fan(fans.read(d.paths[FILENAME], d.layout), d.layout))
        for stem, d in zip(stems, done, strict=True)
    ]
    figure = fans.figure(fans.merge([d.layout for d in done]), drawn)
    atomic.write_bytes(out / "fans.png", fans.png(figure))
    if args.json:
        print(to_json(rows))
    else:
        print(comparison_text(rows, args.replications, base_seed))
        print(
            f"\nwrote {out / 'comparison.csv'}, {out / 'comparison.json'}, {out / 'fans.png'} and one folder per scenario"
        )
    return 0
