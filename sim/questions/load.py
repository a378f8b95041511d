"""Reading a question file: safe YAML with line marks, the schema, and its cross-references to a scenario.

The same machinery as scenarios (sim.scenario.parse, sim.scenario.schema_problems): every problem at once,
each with file:line, field path, what was expected and a suggestion; the CLI prints them and exits 2.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from sim.engine.recording import is_text_column
from sim.questions.evaluate import round_of
from sim.questions.schema import Predicate, Question, QuestionFile
from sim.scenario import LoadedScenario, Problem, ScenarioError
from sim.scenario.document import Document, path_text
from sim.scenario.errors import did_you_mean
from sim.scenario.files import read_text
from sim.scenario.names import side_ids
from sim.scenario.parse import parse_yaml
from sim.scenario.schema_problems import validation_problems


@dataclass
class LoadedQuestions:
    file: QuestionFile
    document: Document
    source: str

    @property
    def questions(self) -> list[Question]:
        return self.file.questions


def load_questions(path: str | Path, scenario: LoadedScenario, columns: list[str]) -> LoadedQuestions:
    """Read and validate a question file against the scenario it will be asked of (`columns`: its rounds.csv
    header); raises ScenarioError with every problem."""
    shown = str(path)
    doc = parse_yaml(read_text(Path(path), shown, "question files ship in scenarios/questions/"), shown)
    try:
        parsed = QuestionFile.model_validate(doc.data)
    except ValidationError as exc:
        problems = validation_problems(exc, doc, shown, QuestionFile)
        raise ScenarioError(sorted(problems, key=_order)) from None
    problems = [
        Problem(*doc.mark(loc, shown), path_text(loc), msg, expected, hint)
        for loc, msg, expected, hint in cross_reference_problems(parsed, scenario, columns)
    ]
    if problems:
        raise ScenarioError(sorted(problems, key=_order))
    return LoadedQuestions(parsed, doc, shown)


def _order(p: Problem):
    return (p.file, p.line or 0, p.column or 0)


def cross_reference_problems(qf: QuestionFile, loaded: LoadedScenario, columns: list[str]):
    """(path, message, expected, suggestion) for every name or time the scenario does not have."""
    spec = loaded.scenario
    actors = list(spec.actors)
    sides = side_ids(spec)
    regions = list(spec.theatre.regions) if spec.theatre else []
    forums = list(spec.forums)
    patrons = [a for a, x in spec.actors.items() if x.support]
    known = {
        "actor": actors,
        "side": sides,
        "region": regions,
        "forum": forums,
        "patron": patrons,
        "recipient": actors,
    }
    out = []
    seen: dict[str, int] = {}
    for i, q in enumerate(qf.questions):
        at = ("questions", i)
        if q.id in seen:
            out.append(
                (
                    (*at, "id"),
                    f"duplicate question id `{q.id}` (first at question {seen[q.id]})",
                    "each id once",
                    "rename one of the two",
                )
            )
        seen.setdefault(q.id, i)
        out += _time_problems((*at, "date"), q.date, spec)
        out += _predicate_problems(q.when, (*at, "when"), known, columns, spec)
    return out


def _predicate_problems(pred: Predicate, at: tuple, known: dict, columns: list[str], spec) -> list:
    out = []
    for form in pred.forms():
        key = "not" if form == "not_" else form
        value = getattr(pred, form)
        if form in ("all", "any"):
            for j, p in enumerate(value):
                out += _predicate_problems(p, (*at, key, j), known, columns, spec)
            continue
        if form == "not_":
            out += _predicate_problems(value, (*at, key), known, columns, spec)
            continue
        here = (*at, key)
        for field, names in known.items():
            name = getattr(value, field, None)
            if isinstance(name, str) and name not in names:
                out.append(_unknown((*here, field), field, name, names))
        numeric = [c for c in columns if not is_text_column(c)]
        if form == "metric" and value.column not in numeric:
            out.append(_unknown((*here, "column"), "numeric rounds.csv column", value.column, numeric))
        for field in ("at", "by", "from_", "to"):
            t = getattr(value, field, None)
            if t is not None:
                out += _time_problems((*here, "from" if field == "from_" else field), t, spec)
        lo, hi = getattr(value, "from_", None), getattr(value, "to", None)
        if lo is not None and hi is not None and _round(lo, spec) > _round(hi, spec):
            out.append(
                ((*here, "from"), "the window ends before it starts", "`from` at or before `to`", None)
            )
    return out


def _unknown(path: tuple, kind: str, name: str, choices: list[str]):
    shown = ", ".join(choices[:12]) + (", ..." if len(choices) > 12 else "")
    return (
        path,
        f"unknown {kind} `{name}`",
        f"one of: {shown or '(none in this scenario)'}",
        did_you_mean(name, choices),
    )


def _round(t, spec) -> int:
    return round_of(t, spec, spec.clock.max_rounds)


def _time_problems(path: tuple, t, spec) -> list:
    start, days, n = spec.clock.start, spec.clock.round_days, spec.clock.max_rounds
    if isinstance(t, dt.date) and t < start:
        return [
            (
                path,
                f"{t} is before the scenario starts ({start})",
                f"a date from {start}",
                "questions are about what happens after the start date",
            )
        ]
    if _round(t, spec) > n:
        last = start + dt.timedelta(days=n * days - 1)
        return [
            (
                path,
                f"{t} is after the last round the scenario can run (round {n}, ending {last})",
                f"a date up to {last} or a round up to {n}",
                "raise clock.max_rounds in the scenario (or with --set) or move the date",
            )
        ]
    return []
