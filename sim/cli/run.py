"""`run [FILE]`: simulate a scenario (the bundled Libya case by default)."""

from __future__ import annotations

from pathlib import Path

from sim.scenario import load_scenario

DEFAULT_SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "libya_2020.yaml"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "run", help="run a scenario and write rounds.csv, events.jsonl, summary.json, report.png"
    )
    p.add_argument("file", nargs="?", default=str(DEFAULT_SCENARIO), metavar="FILE")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE")
    p.set_defaults(handler=handle)


def handle(args) -> int:
    loaded = load_scenario(args.file, args.overrides)
    s = loaded.scenario
    print(f"{s.name}: {len(s.actors)} actors, {len(s.issues)} issues (model not built yet)")
    return 0
