"""Validation of a merged scenario document: the schema, duplicate names, cross-references and event effects,
every problem in one ScenarioError, in file and line order.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import ValidationError

from sim.scenario import names
from sim.scenario.checks import cross_reference_problems
from sim.scenario.document import Document, FieldPath, path_text
from sim.scenario.effects import effect_problems
from sim.scenario.errors import Problem, ScenarioError
from sim.scenario.fields import SCENARIO_KEYS
from sim.scenario.schema import Scenario
from sim.scenario.schema_problems import validation_problems


def _misspelt_sections(data: dict[str, Any]) -> dict[str, str]:
    """Top-level keys that are near misses of a section the file lacks (`actrs` for `actors`)."""
    out = {}
    for key in data:
        if key not in SCENARIO_KEYS:
            close = difflib.get_close_matches(str(key), [k for k in SCENARIO_KEYS if k not in data], 1, 0.75)
            if close:
                out[key] = close[0]
    return out


def _read_as(doc: Document, renames: dict[str, str]) -> Document:
    """The document with misspelt sections renamed, marks following, so one typo gives one problem (not one
    per reference into the section) and the section's own problems are still found."""
    data = {renames.get(k, k): v for k, v in doc.data.items()}
    return Document(data, {_renamed(p, renames): m for p, m in doc.marks.items()})


def _renamed(path: FieldPath, renames: dict[str, str]) -> FieldPath:
    head = path[0] if path else None
    return (renames[head], *path[1:]) if isinstance(head, str) and head in renames else path


def validate(doc: Document, source: str) -> Scenario:
    """Validate a merged document; every structural and cross-reference problem in one ScenarioError.

    A misspelt section comes first, then every other problem in file and line order; the checks read the
    section under the name it was surely meant to have."""
    renames = _misspelt_sections(doc.data)
    first = [
        Problem(
            *doc.mark((key,), source),
            str(key),
            f"unknown key `{key}`",
            expected=f"one of: {', '.join(SCENARIO_KEYS)}",
            suggestion=f"did you mean `{meant}`? (the rest of this report reads it as `{meant}`)",
        )
        for key, meant in renames.items()
    ]
    doc = _read_as(doc, renames) if renames else doc
    problems: list[Problem] = []
    scenario = None
    try:
        scenario = Scenario.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, doc, source, Scenario))
    problems += names.duplicate_problems(doc, source)
    for path, message, expected, suggestion in cross_reference_problems(doc.data):
        file, line, col = doc.mark(path, source)
        problems.append(Problem(file, line, col, path_text(path), message, expected, suggestion))
    if scenario is not None and not problems and not first:
        problems += effect_problems(scenario, doc, source)
    if problems or first:
        problems.sort(key=lambda p: (p.file, p.line or 0, p.column or 0))
        raise ScenarioError([*first, *problems])
    assert scenario is not None
    return scenario
