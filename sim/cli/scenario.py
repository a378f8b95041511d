"""`validate FILE...` and `schema`: the scenario language's own commands."""

from __future__ import annotations

import json

from sim.cli.options import add_root_option, add_set_option, emit, roots
from sim.scenario import LoadedScenario, ScenarioError, json_schema, load_scenario
from sim.scenario.errors import Problem


def add_parser(sub) -> None:
    p = sub.add_parser("validate", help="check scenario files and print every problem with its line")
    p.add_argument("files", nargs="+", metavar="FILE")
    add_set_option(p)
    add_root_option(p)
    p.set_defaults(handler=validate)
    p = sub.add_parser("schema", help="print the JSON Schema of scenario files")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(handler=schema)


def validate(args) -> int:
    problems: list[Problem] = []
    for path in args.files:
        try:
            loaded = load_scenario(path, args.overrides, roots(args, path))
            use = runnable(loaded)
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        s = loaded.scenario
        print(
            f"{path}: ok ({use}): {s.name!r}: {len(s.actors)} actors, {len(s.issues)} issues,"
            f" {len(s.forums)} forums, {len(s.events)} events (sha256 {loaded.content_hash[:12]})"
        )
    if problems:
        raise ScenarioError(problems)
    return 0


def runnable(loaded: LoadedScenario) -> str:
    """What the file is for: a case with belligerents is built as a model, so whatever `run` would refuse
    (sim.model's own checks: the run check, the events' live paths) is refused here too, at its line."""
    s = loaded.scenario
    if not any(a.role == "belligerent" for a in s.actors.values()):
        return "for forecast"
    from sim.model import ConflictModel

    try:
        ConflictModel(scenario=loaded, collect=False)
    except ScenarioError as exc:
        raise located(exc, loaded) from None
    return "for run and forecast"


def located(exc: ScenarioError, loaded: LoadedScenario) -> ScenarioError:
    """The model's problems name a field path; the same problems at the lines those fields were written on."""
    return ScenarioError([_at_line(p, loaded) for p in exc.problems])


def _at_line(problem: Problem, loaded: LoadedScenario) -> Problem:
    if problem.line is not None or not problem.path:
        return problem
    path = tuple(int(p) if p.isdigit() else p for p in problem.path.split("."))
    file, line, column = loaded.document.mark(path, loaded.source)
    return Problem(file, line, column, problem.path, problem.message, problem.expected, problem.suggestion)


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"


def schema(args) -> int:
    emit(schema_text(), args.out)
    return 0
