"""Property: whatever a user (or a mangled file) feeds the scenario reader, the only exception is ScenarioError.

Valid scenarios (the shipped ones) are mutated structurally (values of any type, deleted, added and renamed
keys), textually (broken YAML: stray indicators, tabs, cut lines, anchors and aliases), and through `--set`.
Each result must either load or raise ScenarioError with at least one problem; nothing else may escape.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.scenario import ScenarioError, load_scenario, load_scenario_text

ROOT = Path(__file__).resolve().parents[1]
NOT_SCENARIOS = {ROOT / "scenarios" / "sweeps", ROOT / "scenarios" / "questions"}  # sweep and question files
SCENARIO_FILES = sorted(p for p in (ROOT / "scenarios").rglob("*.yaml") if not NOT_SCENARIOS & set(p.parents))
LIBYA = ROOT / "scenarios" / "libya_2020.yaml"  # the richest shipped file: lists, events, every section
BASES = [p for p in SCENARIO_FILES if "extends" not in yaml.safe_load(p.read_text(encoding="utf-8"))]
# CI runs 150 examples per property; `STAKESIM_FUZZ_EXAMPLES=5000 pytest tests/test_scenario_fuzz.py` digs deeper.
FUZZ = settings(
    max_examples=int(os.environ.get("STAKESIM_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def merged(path: Path) -> dict:
    return load_scenario(path).data


DOCUMENTS = [merged(p) for p in SCENARIO_FILES]
TEXTS = [p.read_text(encoding="utf-8") for p in BASES]


def must_load_or_explain(text: str) -> None:
    try:
        load_scenario_text(text, "fuzz.yaml")
    except ScenarioError as exc:
        assert exc.problems, "a ScenarioError must carry at least one problem"
        assert exc.report()


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += paths(value, (*prefix, i))
    return out


def parent_and_key(data: Any, path: tuple) -> tuple[Any, Any]:
    node = data
    for part in path[:-1]:
        node = node[part]
    return node, path[-1]


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.dates(min_value=dt.date(1, 1, 1))
)
keys = st.text(min_size=0, max_size=10) | st.integers(-3, 3) | st.booleans() | st.none()
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def mutated_documents(draw) -> dict:
    data = copy.deepcopy(draw(st.sampled_from(DOCUMENTS)))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(paths(data)))
        op = draw(st.sampled_from(["replace", "delete", "add_key", "rename_key", "duplicate"]))
        if not path:
            if op == "add_key":
                data[draw(keys)] = draw(values)
            continue
        parent, key = parent_and_key(data, path)
        if op == "replace":
            parent[key] = draw(values)
        elif op == "delete":
            del parent[key]
        elif op == "add_key" and isinstance(parent[key], dict):
            parent[key][draw(keys)] = draw(values)
        elif op == "rename_key" and isinstance(parent, dict):
            new = draw(keys | st.just(f"{key}x") | st.just(str(key)[:-1]))
            parent[new] = parent.pop(key)
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    return data


@FUZZ
@given(mutated_documents())
def test_structural_mutations_raise_only_scenario_errors(data):
    must_load_or_explain(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


YAML_JUNK = st.sampled_from(
    [":", ": ", "-", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "*b", "!!python/object:os.system ", "!tag ",
     "|", ">", "#", "'", '"', "\t", "\n", "  ", "%YAML 1.1\n", "@", "`", "?", "? ", "<<: *a\n", "---\n",
     "...\n", "\x00", "\ufeff", "1e999", "0x1F", ".nan", "~", "2020-02-30", "null", "yes", "=", "é"]
)  # fmt: skip


VARIANT_TEXTS = [p.read_text(encoding="utf-8") for p in SCENARIO_FILES if p not in BASES]


@st.composite
def mangled_texts(draw, texts=TEXTS) -> str:
    lines = draw(st.sampled_from(texts)).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 5))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["insert", "cut", "drop_line", "dup_line", "indent", "dedent", "swap"]))
        line = lines[i]
        if op == "insert":
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(YAML_JUNK | st.text(max_size=4)) + line[at:]
        elif op == "cut":
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + "\n"
        elif op == "drop_line" and len(lines) > 1:
            del lines[i]
        elif op == "dup_line":
            lines.insert(i, line)
        elif op == "indent":
            lines[i] = "  " + line
        elif op == "dedent":
            lines[i] = line[2:] if line.startswith("  ") else line.lstrip()
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


@FUZZ
@given(mangled_texts())
def test_broken_yaml_text_raises_only_scenario_errors(text):
    must_load_or_explain(text)


@FUZZ
@given(mangled_texts(VARIANT_TEXTS), st.sampled_from(["libya_2020.yaml", "variant.yaml", "", "../x.yaml"]))
def test_broken_variants_raise_only_scenario_errors(text, base_name):
    """The `extends` path: a mangled variant next to its base (or naming itself, nothing, or a missing file)."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "libya_2020.yaml").write_text(LIBYA.read_text(encoding="utf-8"), encoding="utf-8")
        variant = Path(tmp) / "variant.yaml"
        variant.write_text(
            text.replace("extends: libya_2020.yaml", f"extends: {base_name}"), encoding="utf-8"
        )
        try:
            load_scenario(variant)
        except ScenarioError as exc:
            assert exc.problems


@st.composite
def overrides(draw) -> list[str]:
    out = []
    data = merged(LIBYA)
    for _ in range(draw(st.integers(1, 3))):
        path = ".".join(map(str, draw(st.sampled_from(paths(data)[1:]))))
        path = draw(st.sampled_from([path, path + ".x", path + ".0", path[:-1], "." + path, path + "..", ""]))
        raw = draw(
            st.sampled_from(["1", "-1", "0.5", "true", "null", "[1, 2]", "{a: 1}", "x", "", "[", "1e999"])
            | st.text(max_size=6)
        )
        out.append(draw(st.sampled_from([f"{path}={raw}", path, f"={raw}"])))
    return out


@FUZZ
@given(overrides())
def test_set_overrides_raise_only_scenario_errors(sets):
    try:
        load_scenario(LIBYA, sets)
    except ScenarioError as exc:
        assert exc.problems


@FUZZ
@given(st.dictionaries(st.sampled_from([".".join(map(str, p)) for p in paths(merged(LIBYA))[1:]]), values))
def test_derive_raises_only_scenario_errors(parameters):
    loaded = load_scenario(LIBYA)
    try:
        loaded.derive(parameters)
    except ScenarioError as exc:
        assert exc.problems


# Cases the strategies reach rarely, pinned so they are always tried.
@pytest.mark.parametrize(
    "text",
    [
        "a: &x [*x]\n",  # a recursive alias
        "name: &n x\nissues: *n\nactors: *n\n",
        "? [a, b]\n: 1\n",  # unhashable key
        "!!python/object/apply:os.system ['true']\n",  # unsafe tag: refused, never run
        "name: x\n" * 2,
        "1: 2\n",
        "null: 1\nname: x\n",
        "name: x\nissues: {1: {name: a, low: a, high: b}}\nactors: {2: {name: b, capability: 1}}\n",
        "\ufeffname: x\n",
        "name: x\x00\n",
        "--- a\n--- b\n",
        "name: x\nclock: {start: 2020-02-30}\n",
        "name: x\nseed: 1e999\n",
        "name: x\nseed: 99999999999999999999999999999999\n",
    ],
)
def test_pinned_oddities_raise_only_scenario_errors(text):
    must_load_or_explain(text)
