"""The adapter from pydantic's validation errors to Problems (sim.scenario.schema_problems), as properties.

Documents are written as YAML text and read back with parse_yaml, so every line a test expects is counted in
the text itself, not taken from the marks the adapter reads. The models are the scenario schema's own.
"""

from __future__ import annotations

import math

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from sim.scenario.parse import parse_yaml
from sim.scenario.schema import Clock, Scenario
from sim.scenario.schema_problems import KEY_STEP, error_path, validation_problems

CLOCK_FIELDS = ("start", "round_days", "max_rounds")


def problems_of(text: str, model) -> tuple[list, list]:
    """(pydantic's errors, the Problems made of them) for YAML `text` validated against `model`."""
    doc = parse_yaml(text, "t.yaml")
    with pytest.raises(ValidationError) as info:
        model.model_validate(doc.data)
    return info.value.errors(), validation_problems(info.value, doc, "t.yaml", model)


def key_line(text: str, key: str) -> int:
    """1-based line of the first line of `text` that starts with `key:` after its indentation."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith(f"{key}:"))


# Keys YAML reads back as the same plain text (not `null`, `yes`, `1e3`...).
plain_keys = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True).filter(lambda k: yaml.safe_load(k) == k)
values = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.text("abc7. ", max_size=6),
    st.lists(st.integers(0, 9), max_size=3),
    st.dates(),
)


@given(st.lists(st.one_of(st.text(max_size=5), st.integers(), st.just(KEY_STEP)), max_size=8))
def test_error_path_drops_the_key_step_and_keeps_every_other_step_in_order(loc):
    assert error_path(tuple(loc)) == tuple(p for p in loc if p != KEY_STEP)


@given(st.dictionaries(st.one_of(st.sampled_from(CLOCK_FIELDS), plain_keys), values, max_size=5))
def test_each_error_is_one_problem_at_the_line_of_its_key(mapping):
    text = yaml.safe_dump(mapping, sort_keys=False, default_flow_style=False) if mapping else "{}\n"
    try:
        Clock.model_validate(parse_yaml(text, "t.yaml").data)
    except ValidationError:
        pass
    else:
        return  # a valid clock: nothing to report
    errors, found = problems_of(text, Clock)
    assert len(found) == len(errors)
    for err, problem in zip(errors, found, strict=True):
        key = str(err["loc"][0])
        assert problem.path == ".".join(str(p) for p in err["loc"])
        assert problem.file == "t.yaml"
        # a missing field points at the mapping that lacks it: here the top of the file
        assert problem.line == (key_line(text, key) if key in mapping else 1)
        if err["type"] == "missing":
            assert problem.message == f"`{key}` is missing"
            assert problem.suggestion == f"add `{key}:` under `the top level`"


@given(st.sampled_from(CLOCK_FIELDS).flatmap(lambda f: st.tuples(st.just(f), st.integers(0, len(f) - 1))))
def test_an_unknown_key_one_letter_short_of_a_field_names_that_field(case):
    field, i = case
    typo = field[:i] + field[i + 1 :]
    text = f"clock:\n  start: 2020-01-01\n  {typo}: 3\n"
    _, found = problems_of(text, Scenario)
    [problem] = [p for p in found if p.path == f"clock.{typo}"]
    assert problem.message == f"unknown key `{typo}`"
    assert problem.line == 3 and problem.column == 3
    assert problem.expected == "one of: " + ", ".join(CLOCK_FIELDS)  # the fields of the model at `clock`
    assert problem.suggestion == f"did you mean `{field}`?"


numbers = st.one_of(st.integers(-(10**9), 10**9), st.floats(allow_nan=False, allow_infinity=False))


@given(numbers)
def test_a_number_in_quotes_is_told_to_drop_the_quotes(number):
    text = f"start: 2020-01-01\nround_days: '{number!r}'\n"
    _, [problem] = problems_of(text, Clock)
    assert problem.path == "round_days" and problem.line == 2
    assert (
        problem.message
        == f"got the text '{number!r}': write {number!r}, not '{number!r}' (quotes make it text)"
    )
    assert problem.expected == "a whole number"


@given(st.floats(allow_nan=False, allow_infinity=False), st.booleans())
def test_a_fraction_or_a_boolean_where_a_whole_number_belongs(fraction, flag):
    text = f"start: 2020-01-01\nround_days: {fraction!r}\nmax_rounds: {str(flag).lower()}\n"
    _, found = problems_of(text, Clock)
    by_path = {p.path: p for p in found}
    whole = math.isfinite(fraction) and fraction == int(fraction)
    want = f"write {int(fraction)}" if whole else "write a whole number"
    assert by_path["round_days"].message == f"got {fraction!r}: {want}"
    assert by_path["max_rounds"].message == f"got {str(flag).lower()}: write a whole number, not true/false"


@given(st.one_of(st.integers(-(10**6), 0), st.integers(366, 10**6)))
def test_a_number_out_of_bounds_names_the_bound(days):
    _, [problem] = problems_of(f"start: 2020-01-01\nround_days: {days}\n", Clock)
    assert problem.expected == ("a number >= 1" if days < 1 else "a number <= 365")
    assert problem.message.startswith(f"got {days}: ")
