"""`validate FILE...` and `schema`: the scenario language's own commands."""

from __future__ import annotations

import json

from sim.cli.options import add_set_option, emit
from sim.scenario import ScenarioError, json_schema, load_scenario
from sim.scenario.errors import Problem


def add_parser(sub) -> None:
    p = sub.add_parser("validate", help="check scenario files and print every problem with its line")
    p.add_argument("files", nargs="+", metavar="FILE")
    add_set_option(p)
    p.set_defaults(handler=validate)
    p = sub.add_parser("schema", help="print the JSON Schema of scenario files")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(handler=schema)


def validate(args) -> int:
    problems: list[Problem] = []
    for path in args.files:
        try:
            loaded = load_scenario(path, args.overrides)
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        s = loaded.scenario
        print(
            f"{path}: ok: {s.name!r}: {len(s.actors)} actors, {len(s.issues)} issues, {len(s.forums)} forums,"
            f" {len(s.events)} events (sha256 {loaded.content_hash[:12]})"
        )
    if problems:
        raise ScenarioError(problems)
    return 0


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"


def schema(args) -> int:
    emit(schema_text(), args.out)
    return 0
