"""pydantic's validation errors as the project's Problems: each at its file:line, with its field path, what
was expected and a suggestion, in words a scenario's author can act on.

One adapter for every input file validated by a pydantic model (scenarios, sweeps, question files): it reads
pydantic's ErrorDetails (`loc`, `type`, `ctx`, `input`, `msg`) and the document's line marks.
"""

from __future__ import annotations

import math
import re

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from sim.scenario.document import Document, FieldPath, path_text
from sim.scenario.errors import Problem, did_you_mean
from sim.scenario.fields import field_names, model_at
from sim.scenario.parse import load_value

# pydantic puts this step after a mapping key that is itself invalid (not its value); the key is the place.
KEY_STEP = "[key]"


def error_path(loc: tuple[int | str, ...]) -> FieldPath:
    """The document's field path of a pydantic error location."""
    return tuple(p for p in loc if p != KEY_STEP)


def validation_problems(
    exc: ValidationError, doc: Document, source: str, root_model: type[BaseModel]
) -> list[Problem]:
    """Every error of one validation against `root_model` (the file's top-level model), in pydantic's
    order."""
    return [problem_from_error(e, doc, source, root_model) for e in exc.errors()]


_EXPECTED = {
    "float_parsing": "a number",
    "float_type": "a number",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "dict_type": "a mapping of `key: value` lines",
    "model_type": "a mapping of `key: value` lines",
    "model_attributes_type": "a mapping of `key: value` lines",
    "list_type": "a list (lines starting with `- `)",
    "tuple_type": "a list like [0, 100]",
    "date_parsing": "a date written YYYY-MM-DD",
    "date_type": "a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD",
    "date_from_datetime_inexact": "a date with no time",
    "string_pattern_mismatch": "an id: a letter, then letters, digits or underscores",
    "too_short": "at least one entry",
    "finite_number": "a finite number (not .inf or .nan)",
    "too_long": "fewer entries",
}


def _expected(err: ErrorDetails) -> str | None:
    kind, ctx = err["type"], err.get("ctx") or {}
    bounds = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}
    if kind in bounds:
        limit = next(iter(ctx.values()), "?")
        return f"a number {bounds[kind]} {limit}"
    if kind == "literal_error":
        return f"one of {ctx.get('expected', '')}"
    if kind == "missing":
        return "this field (it is required)"
    if kind == "value_error":
        return None
    return _EXPECTED.get(kind)


def problem_from_error(err: ErrorDetails, doc: Document, source: str, root_model: type[BaseModel]) -> Problem:
    """One pydantic error as a Problem at its line; `root_model` is the file's top-level model."""
    loc = error_path(err["loc"])
    file, line, col = doc.mark(loc, source)
    path = path_text(loc)
    kind = err["type"]
    got = err.get("input")
    suggestion = None
    if kind == "extra_forbidden":
        model = model_at(loc[:-1], root_model)
        allowed = field_names(model) if model else []
        message = f"unknown key `{loc[-1]}`"
        suggestion = did_you_mean(loc[-1], allowed)
        expected = f"one of: {', '.join(allowed)}" if allowed else "no key here"
        return Problem(file, line, col, path, message, expected, suggestion)
    if kind == "missing":
        return Problem(
            file,
            line,
            col,
            path,
            f"`{loc[-1]}` is missing",
            _expected(err),
            f"add `{loc[-1]}:` under `{path_text(loc[:-1]) or 'the top level'}`",
        )
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str((err.get("ctx") or {}).get("expected", "")))
        suggestion = did_you_mean(got, choices) if isinstance(got, str) else None
    msg = err["msg"].removeprefix("Value error, ")
    if kind in ("float_type", "int_type", "float_parsing", "int_parsing") and isinstance(
        got, str | bool | float
    ):
        msg = _number_message(got, whole=kind.startswith("int"))
    elif got is not None and not isinstance(got, dict | list):
        msg = f"got {got!r}: {msg}"
    return Problem(file, line, col, path, msg, _expected(err), suggestion)


def _number_message(got: str | bool | float, whole: bool) -> str:
    """What to write instead of text, true/false or a fraction where a number belongs."""
    if isinstance(got, bool):
        return f"got {str(got).lower()}: write a {'whole ' if whole else ''}number, not true/false"
    if isinstance(got, float):
        whole_value = math.isfinite(got) and got == int(got)
        return f"got {got!r}: write {int(got)}" if whole_value else f"got {got!r}: write a whole number"
    try:
        number = load_value(got.strip())
    except yaml.YAMLError:
        number = None
    if isinstance(number, int | float) and not isinstance(number, bool):
        return f"got the text {got!r}: write {got.strip()}, not {got!r} (quotes make it text)"
    return f"got the text {got!r}: write a {'whole ' if whole else ''}number"
