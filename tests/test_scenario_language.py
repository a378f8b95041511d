"""The scenario language as a user meets it: each kind of mistake, its message and its line; `extends`; `--set`.

Each test writes a small scenario, breaks it in one known place, and checks the problem points at that place.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from sim.scenario import ScenarioError, load_scenario, load_scenario_text
from sim.scenario.extends import deep_merge

ROOT = Path(__file__).resolve().parents[1]

MINI = textwrap.dedent(
    """\
    name: Mini
    clock:
      start: 2020-01-14
    issues:
      war:
        name: War
        low: fight on
        high: make peace
    actors:
      A:
        name: Alpha
        role: belligerent
        capability: 10
        forces: 5
        positions: {war: 20}
        salience: {war: 0.5}
      B:
        name: Beta
        role: belligerent
        capability: 10
        forces: 5
        positions: {war: 80}
        salience: {war: 0.5}
        support:
          - {to: A, kind: arms, level: 1.0}
    theatre:
      regions:
        front:
          name: Front
          contested: true
          control: {A: 0.5, B: 0.5}
    ladder:
      - {name: calm, intensity: 0, cost: 0, breaks_truce: false}
      - {name: war, intensity: 1, cost: 1, breaks_truce: true}
    forums:
      talks:
        name: Talks
        participants: [A, B]
        issues: [war]
        schedule: {start: 2020-01-14}
    """
)


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing `needle`."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) >= nth, f"{needle!r} not in the text"
    return hits[nth - 1]


def problems_of(text: str) -> list:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "mini.yaml")
    return info.value.problems


def only_problem(text: str):
    problems = problems_of(text)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------- baseline


def test_the_mini_scenario_is_valid_and_gets_schema_defaults():
    s = load_scenario_text(MINI).scenario
    assert s.clock.round_days == 7 and s.clock.max_rounds == 52
    assert s.issues["war"].scale == (0.0, 100.0)
    assert s.actors["A"].goals.ceasefire_adherence == 0.5
    assert s.actors["B"].support[0].mode == "covert"
    assert s.forums["talks"].format == "direct"
    assert s.engine.escalation.temperature == 0.15


# ------------------------------------------------------------------------------------ each kind of error


def test_yaml_syntax_error_has_line_and_column():
    text = MINI.replace("  war:\n    name: War", "  war:\n    name: [War")
    p = only_problem(text)
    assert "not valid YAML" in p.message
    assert p.file == "mini.yaml"
    # PyYAML reports an unclosed flow list where it gives up, which is at or after the opening line.
    assert p.line is not None and p.line >= line_of(text, "name: [War")
    assert p.column is not None


def test_tab_indentation_is_a_yaml_error_not_a_crash():
    p = only_problem(MINI.replace("    name: Alpha", "\tname: Alpha"))
    assert "not valid YAML" in p.message and p.line == line_of(MINI, "name: Alpha")


def test_duplicate_key_names_both_lines():
    text = MINI.replace("    forces: 5\n", "    forces: 5\n    forces: 6\n", 1)
    p = only_problem(text)
    assert p.message == f"duplicate key `forces` (first given on line {line_of(text, 'forces: 5')})"
    assert p.line == line_of(text, "forces: 6")
    assert p.path == "actors.A.forces"


def test_unknown_key_suggests_the_right_one():
    text = MINI.replace("    salience: {war: 0.5}", "    salence: {war: 0.5}", 1)
    problems = problems_of(text)
    unknown = [p for p in problems if p.message == "unknown key `salence`"]
    assert len(unknown) == 1
    p = unknown[0]
    assert p.path == "actors.A.salence"
    assert p.line == line_of(text, "salence") and p.column == 5
    assert p.suggestion == "did you mean `salience`?"
    assert "capability" in p.expected
    # The actor now has a position with no salience: the cross-reference check says so in the same report.
    assert any("no salience entry" in q.message for q in problems)


def test_unknown_top_level_key_suggests_too():
    p = only_problem(MINI.replace("forums:", "forum:"))
    assert p.message == "unknown key `forum`" and p.suggestion.startswith("did you mean `forums`?")
    assert p.line == line_of(MINI, "forums:")


def test_wrong_type_says_what_was_expected():
    text = MINI.replace("capability: 10", "capability: lots", 1)
    p = only_problem(text)
    assert p.path == "actors.A.capability"
    assert p.expected == "a number"
    assert "'lots'" in p.message
    assert p.line == line_of(text, "capability: lots")


def test_wrong_type_of_section():
    p = only_problem(MINI.replace("    forces: 5\n", "    forces: [5]\n", 1))
    assert p.path == "actors.A.forces" and p.expected == "a number"


def test_out_of_range_gives_the_bound():
    text = MINI.replace("salience: {war: 0.5}", "salience: {war: 1.5}", 1)
    p = only_problem(text)
    assert p.path == "actors.A.salience.war"
    assert p.expected == "a number <= 1.0"
    assert "1.5" in p.message
    assert p.line == line_of(text, "salience: {war: 1.5}")


def test_position_outside_the_issue_scale():
    text = MINI.replace("positions: {war: 20}", "positions: {war: 120}")
    p = only_problem(text)
    assert p.message == "position 120 is outside the issue's scale"
    assert p.expected == "a number from 0 to 100"
    assert p.line == line_of(text, "war: 120")


def test_bad_choice_suggests_the_closest():
    p = problems_of(MINI.replace("role: belligerent", "role: beligerent", 1))[0]
    assert p.path == "actors.A.role" and p.suggestion == "did you mean `belligerent`?"
    assert "'belligerent'" in p.expected


def test_missing_field_points_at_its_parent():
    text = MINI.replace("    low: fight on\n", "")
    p = only_problem(text)
    assert p.message == "`low` is missing"
    assert p.path == "issues.war.low"
    assert p.line == line_of(text, "  war:") and p.column == 3
    assert p.suggestion == "add `low:` under `issues.war`"


def test_missing_required_top_level_section():
    text = MINI[MINI.index("issues:") :].replace("name: Mini\n", "")
    assert "`name` is missing" in [p.message for p in problems_of(text)]


def test_bad_reference_suggests_the_actor_meant():
    text = MINI.replace("participants: [A, B]", "participants: [A, Bb]")
    p = only_problem(text)
    assert p.message == "unknown actor `Bb`"
    assert p.path == "forums.talks.participants.1"
    assert p.suggestion == "did you mean `B`?"
    assert p.expected == "one of: A, B"
    assert p.line == line_of(text, "participants: [A, Bb]")


def test_bad_issue_reference_in_positions():
    text = MINI.replace("positions: {war: 20}", "positions: {war: 20, wars: 10}").replace(
        "salience: {war: 0.5}", "salience: {war: 0.5, wars: 0.2}", 1
    )
    problems = problems_of(text)
    assert {p.path for p in problems} == {"actors.A.positions.wars", "actors.A.salience.wars"}
    assert all(p.suggestion == "did you mean `war`?" for p in problems)


def test_control_shares_must_sum_to_one():
    text = MINI.replace("control: {A: 0.5, B: 0.5}", "control: {A: 0.5, B: 0.6}")
    p = only_problem(text)
    assert p.message == "control shares sum to 1.1"
    assert p.path == "theatre.regions.front.control"
    assert p.line == line_of(text, "control:")


def test_control_by_a_non_belligerent_is_an_error():
    text = MINI.replace("role: belligerent", "role: patron", 1)
    messages = [p.message for p in problems_of(text)]
    assert "unknown belligerent `A`" in messages


def test_bad_event_condition_metric_and_effect_path():
    text = MINI + textwrap.dedent(
        """\
        events:
          - id: e1
            description: test
            when: {metric: control.frnt.A, op: ">=", value: 0.9}
            effects:
              - {add: actors.A.forcs, value: 1}
        """
    )
    problems = problems_of(text)
    assert [p.path for p in problems] == ["events.0.when.metric", "events.0.effects.0.add"]
    assert problems[0].suggestion == "did you mean `front`?"
    assert problems[1].suggestion == "at `forcs`: did you mean `forces`?"
    assert problems[0].line == line_of(text, "control.frnt.A")


def test_event_needs_date_or_condition():
    text = MINI + "events:\n  - {id: e1, description: d, effects: [{convene: talks}]}\n"
    p = only_problem(text)
    assert "exactly one of `date` (scheduled) or `when` (triggered)" in p.message
    assert p.line == line_of(text, "- {id: e1")


def test_impossible_date_is_reported_with_its_line_among_the_other_problems():
    text = MINI.replace("start: 2020-01-14\n", "start: 2020-13-45\n", 1).replace(
        "capability: 1", "capability: -1", 1
    )
    problems = problems_of(text)
    date = next(p for p in problems if p.path == "clock.start")
    assert "2020-13-45" in date.message and date.expected == "a date written YYYY-MM-DD"
    assert date.line == line_of(text, "start: 2020-13-45")
    assert any(p.path.endswith("capability") for p in problems), "the date must not hide the other problems"


def test_empty_file_and_non_mapping():
    assert only_problem("").message == "the file is empty"
    assert only_problem("- a\n- b\n").message == "the document is a list"


# ------------------------------------------------------------------------------- all problems at once


def test_several_problems_are_reported_together_in_line_order():
    text = (
        MINI.replace("capability: 10", "capability: lots", 1)
        .replace("role: belligerent", "rol: belligerent", 2)
        .replace("control: {A: 0.5, B: 0.5}", "control: {A: 0.2, B: 0.2}")
        .replace("participants: [A, B]", "participants: [A, C]")
    )
    problems = problems_of(text)
    paths = [p.path for p in problems]
    for expected in (
        "actors.A.capability",
        "actors.A.rol",
        "actors.B.rol",
        "theatre.regions.front.control",
        "forums.talks.participants.1",
    ):
        assert expected in paths
    lines = [p.line for p in problems]
    assert lines == sorted(lines)
    report = ScenarioError(problems).report()
    assert report.startswith(f"{len(problems)} problems found:")
    assert f"mini.yaml:{line_of(text, 'capability: lots')}:5: actors.A.capability:" in report


# ------------------------------------------------------------------------------------------- extends


def test_deep_merge_merges_mappings_and_replaces_lists():
    base = {"a": {"x": 1, "y": [1, 2]}, "b": 1}
    over = {"a": {"y": [3], "z": 2}, "c": 3}
    assert deep_merge(base, over) == {"a": {"x": 1, "y": [3], "z": 2}, "b": 1, "c": 3}
    assert base == {"a": {"x": 1, "y": [1, 2]}, "b": 1}, "the base must not be mutated"


def test_extends_merges_over_the_base(tmp_path):
    write(tmp_path, "base.yaml", MINI)
    child = write(
        tmp_path,
        "child.yaml",
        """\
        extends: base.yaml
        name: Child
        actors:
          A:
            forces: 9
          B:
            support: []
        forums:
          talks:
            participants: [B, A]
        """,
    )
    loaded = load_scenario(child)
    s = loaded.scenario
    assert s.name == "Child"
    assert s.actors["A"].forces == 9
    assert s.actors["A"].capability == 10, "untouched fields come from the base"
    assert s.actors["B"].support == [], "lists replace, they do not append"
    assert s.forums["talks"].participants == ["B", "A"]
    assert s.forums["talks"].issues == ["war"]
    assert "extends" not in loaded.data


def test_extends_chain_and_problem_lines_point_into_the_right_file(tmp_path):
    write(tmp_path, "base.yaml", MINI)
    write(tmp_path, "mid.yaml", "extends: base.yaml\nname: Mid\n")
    (tmp_path / "sub").mkdir()
    leaf = write(tmp_path, "sub/leaf.yaml", "extends: ../mid.yaml\nactors:\n  A:\n    forces: -1\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(leaf, roots=[tmp_path])  # `../`: the parent folder is read only when allowed
    (p,) = info.value.problems
    assert p.file == str(leaf) and p.line == 4 and p.path == "actors.A.forces"
    assert p.expected == "a number >= 0.0"


def test_a_problem_in_the_base_points_into_the_base(tmp_path):
    base = write(tmp_path, "base.yaml", MINI.replace("capability: 10", "capability: x", 1))
    child = write(tmp_path, "child.yaml", "name: Child\nextends: base.yaml\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(child)
    (p,) = info.value.problems
    assert p.file == str(base) and p.path == "actors.A.capability"
    assert p.line == line_of(MINI, "capability: 10")


def test_an_unreadable_base_is_reported_with_a_note_at_extends(tmp_path):
    base = write(tmp_path, "base.yaml", "name: [broken\n")
    child = write(tmp_path, "child.yaml", "name: Child\nextends: base.yaml\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(child)
    first, note = info.value.problems
    assert first.file == str(base) and "not valid YAML" in first.message
    assert note.file == str(child) and note.line == 2 and note.path == "extends"
    assert note.message == "the base scenario `base.yaml` has problems (listed above)"


def test_extends_cycle_is_an_error_at_the_line_that_closes_it(tmp_path):
    a = write(tmp_path, "a.yaml", "name: A\nextends: b.yaml\n")
    b = write(tmp_path, "b.yaml", "# base of a\nextends: a.yaml\nname: B\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(b)
    cycle, note = info.value.problems
    assert cycle.message == "`extends` makes a cycle: b.yaml -> a.yaml -> b.yaml"
    assert (cycle.file, cycle.line, cycle.path) == (str(a), 2, "extends")
    assert (note.file, note.line) == (str(b), 2)
    selfish = write(tmp_path, "self.yaml", "extends: self.yaml\nname: S\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(selfish)
    (p,) = info.value.problems
    assert p.message == "`extends` makes a cycle: self.yaml -> self.yaml" and p.line == 1


def test_extends_missing_file_and_bad_value(tmp_path):
    child = write(tmp_path, "child.yaml", "extends: nowhere.yaml\nname: C\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(child)
    assert [p.message for p in info.value.problems][0] == "file not found"
    child = write(tmp_path, "child2.yaml", "extends: 3\nname: C\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(child)
    (p,) = info.value.problems
    assert p.path == "extends" and p.line == 1


def test_extends_needs_a_file_on_disk():
    p = only_problem("extends: base.yaml\n" + MINI)
    assert p.message == "`extends` needs a file on disk"


# --------------------------------------------------------------------------------------------- --set


def test_set_numbers_booleans_strings_and_list_indices(tmp_path):
    path = write(tmp_path, "mini.yaml", MINI)
    s = load_scenario(
        path,
        [
            "engine.escalation.temperature=0.3",
            "actors.B.support.0.level=2",
            "actors.B.support.0.mode=overt",
            "theatre.regions.front.contested=false",
            "clock.max_rounds=10",
            "clock.start=2021-02-03",
            "actors.A.salience.war=1",
        ],
    ).scenario
    assert s.engine.escalation.temperature == 0.3
    assert s.actors["B"].support[0].level == 2.0
    assert s.actors["B"].support[0].mode == "overt"
    assert s.theatre.regions["front"].contested is False
    assert s.clock.max_rounds == 10 and isinstance(s.clock.max_rounds, int)
    assert s.clock.start == dt.date(2021, 2, 3)
    assert s.actors["A"].salience["war"] == 1.0


def test_set_can_add_a_new_mapping_entry(tmp_path):
    path = write(tmp_path, "mini.yaml", MINI)
    s = load_scenario(path, ["actors.A.goals.oil_access=0.7"]).scenario
    assert s.actors["A"].goals.oil_access == 0.7


def test_set_changes_the_content_hash(tmp_path):
    path = write(tmp_path, "mini.yaml", MINI)
    assert load_scenario(path).content_hash != load_scenario(path, ["seed=3"]).content_hash
    assert load_scenario(path).content_hash == load_scenario(path).content_hash


def test_set_unknown_path_suggests(tmp_path):
    path = write(tmp_path, "mini.yaml", MINI)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, ["actrs.A.forces=3"])
    (p,) = info.value.problems
    assert p.file == "--set actrs.A.forces=3"
    assert p.message == "no `actrs` here" and p.suggestion == "did you mean `actors`?"


def test_set_into_a_section_left_to_defaults_checks_the_schema(tmp_path):
    path = write(tmp_path, "mini.yaml", MINI)
    assert load_scenario(path, ["truce.monitoring=0.4"]).scenario.truce.monitoring == 0.4
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, ["engine.escalaton.temperature=1"])
    (p,) = info.value.problems
    assert p.path == "engine.escalaton" and p.suggestion == "did you mean `escalation`?"
    assert "combat" in p.expected


def test_set_bad_list_index_and_missing_equals(tmp_path):
    path = write(tmp_path, "mini.yaml", MINI)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, ["actors.B.support.5.level=1", "seed"])
    bad_index, no_equals = info.value.problems
    assert bad_index.message == "no item `5` in a list of 1"
    assert no_equals.message == "missing `=`"


def test_set_value_is_validated_like_the_file(tmp_path):
    path = write(tmp_path, "mini.yaml", MINI)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, ["actors.A.salience.war=2"])
    (p,) = info.value.problems
    assert p.path == "actors.A.salience.war" and p.file == "--set actors.A.salience.war=2"
    assert p.expected == "a number <= 1.0"


def test_derive_applies_parameters_without_touching_the_original(tmp_path):
    loaded = load_scenario(write(tmp_path, "mini.yaml", MINI))
    derived = loaded.derive({"actors.A.forces": 7.5})
    assert derived.actors["A"].forces == 7.5
    assert loaded.scenario.actors["A"].forces == 5
    with pytest.raises(ScenarioError):
        loaded.derive({"actors.Z.forces": 1})


# ----------------------------------------------------------------------------------------------- CLI


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "run.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_cli_validate_broken_file_exits_2_with_every_problem_and_no_traceback(tmp_path):
    text = MINI.replace("capability: 10", "capability: lots", 1).replace("forums:", "forum:")
    path = write(tmp_path, "broken.yaml", text)
    result = run_cli("validate", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.startswith("2 problems found:")
    assert f"{path}:{line_of(text, 'capability: lots')}:5: actors.A.capability:" in result.stderr
    assert "did you mean `forums`?" in result.stderr


def test_cli_validate_yaml_error_and_bad_set_exit_2(tmp_path):
    path = write(tmp_path, "broken.yaml", "name: [oops\n")
    result = run_cli("validate", str(path))
    assert result.returncode == 2 and "not valid YAML" in result.stderr
    assert "Traceback" not in result.stderr
    good = write(tmp_path, "mini.yaml", MINI)
    result = run_cli("validate", str(good), "--set", "nope.x=1")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--set nope.x=1" in result.stderr


def test_cli_validate_good_file_exits_0(tmp_path):
    path = write(tmp_path, "mini.yaml", MINI)
    result = run_cli("validate", str(path))
    assert result.returncode == 0, result.stderr
    assert "ok (for run and forecast): 'Mini': 2 actors, 1 issues, 1 forums, 0 events" in result.stdout


def test_control_character_is_reported_at_its_line():
    text = MINI.replace("    name: Beta", "    name: Be\x08ta")
    p = only_problem(text)
    assert p.message == "not valid YAML: character #x0008 is not allowed"
    assert (p.line, p.column) == (line_of(text, "Be\x08ta"), 13)


def test_alias_to_itself_is_reported():
    text = MINI.replace("positions: {war: 20}", "positions: &p {war: *p}")
    p = only_problem(text)
    assert p.message == "an anchor's value contains an alias to itself"
    assert p.line == line_of(text, "&p")


def test_aliases_that_multiply_are_refused_before_they_expand():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    p = only_problem("\n".join(lines) + "\n" + MINI)
    assert p.message.startswith("the document expands to ") and p.expected == "at most 100,000 values"


def test_plain_aliases_still_work():
    text = MINI.replace("salience: {war: 0.5}", "salience: &s {war: 0.5}", 1).replace(
        "salience: {war: 0.5}", "salience: *s"
    )
    assert load_scenario_text(text).scenario.actors["B"].salience == {"war": 0.5}


def test_absurd_nesting_is_reported():
    assert (
        only_problem("name: " + "[" * 5000 + "]" * 5000 + "\n").message == "the document is nested too deeply"
    )


def _models(model, seen=None):
    """Every pydantic model reachable from `model` through its fields."""
    import typing

    from pydantic import BaseModel

    seen = seen if seen is not None else {}
    seen[model.__name__] = model
    for f in model.model_fields.values():
        stack = [f.annotation]
        while stack:
            t = stack.pop()
            if isinstance(t, type) and issubclass(t, BaseModel):
                if t.__name__ not in seen:
                    _models(t, seen)
            else:
                stack.extend(typing.get_args(t))
    return seen


def test_every_field_of_the_language_is_documented():
    """docs/SCENARIOS.md is the users' reference: a field added to the schema must be added there too."""
    from sim.scenario.schema import Scenario

    doc = (ROOT / "docs" / "SCENARIOS.md").read_text(encoding="utf-8")
    missing = [
        f"{name}.{f.alias or field}"
        for name, model in _models(Scenario).items()
        for field, f in model.model_fields.items()
        if f"`{f.alias or field}`" not in doc
    ]
    assert not missing, f"fields missing from docs/SCENARIOS.md: {missing}"


DOC_TABLES = {  # heading or bold label in docs/SCENARIOS.md -> the model its first table documents
    "## Top level": "Scenario",
    "## clock": "Clock",
    "## issues": "Issue",
    "## actors": "Actor",
    "**goals**": "Goals",
    "**support**": "Support",
    "**threats**": "Threat",
    "## theatre": "Region",
    "## economy": "Economy",
    "## truce": "Truce",
    "## forums": "Forum",
    "## ladder": "Rung",
    "## events": "Event",
    "**engine.bargaining**": "Bargaining",
    "**engine.escalation**": "Escalation",
    "**engine.combat**": "Combat",
    "**engine.adaptation**": "Adaptation",
    "**engine.coercion**": "Coercion",
    "**engine.patrons**": "Patrons",
    "**engine.stop**": "Stop",
}


def _documented_defaults() -> dict[str, dict[str, str]]:
    """{model: {field: default cell}} from the first table after each label in DOC_TABLES."""
    lines = (ROOT / "docs" / "SCENARIOS.md").read_text(encoding="utf-8").splitlines()
    found: dict[str, dict[str, str]] = {}
    model = None
    header: list[str] | None = None
    for line in lines:
        label = next((k for k in DOC_TABLES if line.startswith(k)), None)
        if label:
            model, header = DOC_TABLES[label], None
            continue
        if model is None or not line.startswith("|"):
            if header is not None:
                model, header = None, None  # only the first table after a label
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if header is None:
            header = cells
        elif not set(cells[0]) <= set("-: "):
            found.setdefault(model, {})[cells[0].strip("`")] = cells[header.index("default")]
    return found


def test_documented_defaults_match_the_schema():
    """A default in the reference tables that drifted from the schema would mislead every reader."""
    models = _models(__import__("sim.scenario.schema", fromlist=["Scenario"]).Scenario)
    documented = _documented_defaults()
    assert set(documented) == set(DOC_TABLES.values())
    wrong = []
    for model_name, rows in documented.items():
        fields = {f.alias or n: f for n, f in models[model_name].model_fields.items()}
        for key, cell in rows.items():
            f = fields.get(key)
            if f is None:
                wrong.append(f"{model_name}.{key}: documented but not in the schema")
            elif cell.startswith("**required**"):
                if not f.is_required():
                    wrong.append(f"{model_name}.{key}: documented as required")
            elif f.is_required():
                wrong.append(f"{model_name}.{key}: required in the schema, documented default {cell}")
            elif cell == "none":
                if f.default is not None:
                    wrong.append(f"{model_name}.{key}: documented none, schema {f.default!r}")
            elif cell.count("`") == 2 and cell.startswith("`") and cell.endswith("`"):
                value = yaml.safe_load(cell.strip("`"))
                default = f.get_default(call_default_factory=True)
                default = list(default) if isinstance(default, tuple) else default
                if isinstance(default, BaseModel | type(None)) or value != default:
                    wrong.append(f"{model_name}.{key}: documented {cell}, schema {default!r}")
    assert not wrong, "\n".join(wrong)


def test_cli_schema_out_writes_the_schema(tmp_path):
    from sim.cli.scenario import schema_text

    out = tmp_path / "schema.json"
    result = run_cli("schema", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == schema_text()
    printed = run_cli("schema")
    assert printed.stdout == schema_text()


def test_deep_merge_merges_named_list_items_and_appends_new_ones():
    base = {"events": [{"id": "a", "probability": 1.0, "x": 1}, {"id": "b", "probability": 1.0}]}
    over = {"events": [{"id": "b", "probability": 0.5}, {"id": "c", "probability": 0.1}]}
    assert deep_merge(base, over)["events"] == [
        {"id": "a", "probability": 1.0, "x": 1},
        {"id": "b", "probability": 0.5},
        {"id": "c", "probability": 0.1},
    ]
    assert deep_merge(base, {"events": []}) == {"events": []}, "an empty list replaces"
    twice = {"support": [{"to": "G", "level": 1}, {"to": "G", "level": 2}]}
    assert deep_merge(twice, {"support": [{"to": "G", "level": 5}]}) == {
        "support": [{"to": "G", "level": 5}]
    }, "names that are not distinct fall back to replacing the list"


def test_variant_switches_off_an_inherited_event_and_lines_follow_merged_items(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text(
        "name: b\nissues: {i: {name: I, low: l, high: h}}\nactors: {A: {name: A, capability: 1}}\n"
        "events:\n"
        "  - {id: first, description: d, date: 2020-01-01}\n"
        "  - {id: second, description: d, date: 2020-01-02}\n"
    )
    variant = tmp_path / "variant.yaml"
    variant.write_text(
        "extends: base.yaml\nevents:\n  - {id: first, enabled: false}\n  - id: second\n    probability: 7\n"
    )
    with pytest.raises(ScenarioError) as exc:
        load_scenario(variant)
    (problem,) = exc.value.problems
    assert (problem.file, problem.line, problem.path) == (str(variant), 5, "events.1.probability")
    variant.write_text("extends: base.yaml\nevents:\n  - {id: first, enabled: false}\n")
    assert [e.id for e in load_scenario(variant).scenario.events] == ["second"]
