"""Every scenario the project ships validates, names the schema for editors, and the schema copy is current.

The Libya files are also held to what the issue and the seed file say they contain, and to their sourcing rule:
every number in them carries a comment.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from sim.cli.scenario import schema_text
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
SCHEMA = SCENARIOS / "schema.json"
SWEEPS = SCENARIOS / "sweeps"
QUESTIONS = SCENARIOS / "questions"  # question files (tests/test_questions.py), not scenarios

SCENARIO_FILES = sorted(p for p in SCENARIOS.rglob("*.yaml") if not {SWEEPS, QUESTIONS} & set(p.parents))
SWEEP_FILES = sorted(SWEEPS.rglob("*.yaml")) if SWEEPS.is_dir() else []
LIBYA_FILES = sorted(SCENARIOS.glob("libya_2020*.yaml"))
LIBYA_VARIANTS = [p for p in LIBYA_FILES if p.name != "libya_2020.yaml"]


def ids(paths):
    return [str(p.relative_to(SCENARIOS)) for p in paths]


def test_the_scenarios_are_found():
    assert SCHEMA.is_file()
    assert SCENARIOS / "libya_2020.yaml" in SCENARIO_FILES
    assert len(LIBYA_VARIANTS) >= 4, "the extended cast and at least three counterfactuals"


def test_committed_schema_equals_the_generated_one():
    """`scenarios/schema.json` must be regenerated (`run.py schema --out ...`) whenever a scenario model changes."""
    assert SCHEMA.read_text(encoding="utf-8") == schema_text(), (
        "scenarios/schema.json is stale: run `.venv/bin/python run.py schema --out scenarios/schema.json`"
    )
    assert json.loads(SCHEMA.read_text(encoding="utf-8"))["title"] == "Scenario"


@pytest.mark.parametrize("path", SCENARIO_FILES + SWEEP_FILES, ids=ids(SCENARIO_FILES + SWEEP_FILES))
def test_first_line_names_the_schema_for_editors(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix), f"{path.name}: first line must be `{prefix}<path to schema>`"
    target = first.removeprefix(prefix).strip()
    if "://" not in target:
        assert (path.parent / target).resolve().is_file(), f"{path.name}: {target} does not exist"


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=ids(SCENARIO_FILES))
def test_shipped_scenario_validates(path):
    loaded = load_scenario(path)
    assert loaded.scenario.name
    assert len(loaded.content_hash) == 64


@pytest.mark.parametrize("path", SWEEP_FILES, ids=ids(SWEEP_FILES))
def test_shipped_sweep_validates(path):
    spec = pytest.importorskip("sim.sweep.load", reason="sweep files have their own loader")
    spec.load_sweep(path)


# ---------------------------------------------------------------------------------------- the Libya files


@pytest.fixture(scope="module")
def libya():
    return load_scenario(SCENARIOS / "libya_2020.yaml").scenario


def test_libya_core_is_the_state_on_14_january_2020(libya):
    assert libya.clock.start == dt.date(2020, 1, 14)
    assert libya.clock.round_days == 7 and libya.clock.max_rounds == 52
    assert set(libya.actors) == {"GNA", "LNA", "TUR", "RUS"}
    assert {i.kind for i in libya.issues.values()} >= {"ceasefire", "territory", "oil", "foreign_forces"}
    # The truce of 12 January, accepted by both sides.
    assert libya.truce.in_force and libya.truce.since == dt.date(2020, 1, 12)
    assert set(libya.truce.signatories) == {"GNA", "LNA"}
    # The Moscow format: Russia and Turkey mediate, the parties never meet, the GNA signed and the LNA did not.
    moscow = libya.forums["moscow"]
    assert set(moscow.mediators) == {"RUS", "TUR"} and moscow.format == "indirect"
    assert moscow.open_proposal.signed_by == ["GNA"]
    # The draft is decided as it stands in round 1; a session in round 1 would replace it with a new text.
    assert moscow.schedule.start >= libya.clock.start + dt.timedelta(days=libya.clock.round_days)
    assert libya.forums["berlin"].schedule.start == dt.date(2020, 1, 19)
    # Patrons: Turkey overt, Russia deniable; Erdogan's threat on record.
    assert {s.mode for s in libya.actors["TUR"].support} == {"overt"}
    assert [s.mode for s in libya.actors["RUS"].support] == ["covert"]
    assert {s.to for s in libya.actors["TUR"].support} == {"GNA"}
    (threat,) = libya.actors["TUR"].threats
    assert threat.target == "LNA" and "teach a deserved lesson" in threat.statement
    # Co-sponsors of the truce though they back opposite sides.
    assert libya.actors["TUR"].affinity["RUS"] > 0 and libya.actors["RUS"].affinity["TUR"] > 0
    assert libya.economy.revenue_to == "GNA" and libya.economy.oil_baseline_bpd == 1_220_000
    assert [r.intensity for r in libya.ladder] == sorted(r.intensity for r in libya.ladder)
    assert libya.ladder[0].breaks_truce is False and all(r.breaks_truce for r in libya.ladder[1:])


def test_libya_numbers_from_the_seed_file(libya):
    """The figures the seed file gives outright (sec. 2b, 2c, 6) are the ones in the file."""
    assert libya.actors["LNA"].forces == 25  # Pack, June 2019: ~25,000
    troops, syrians, _arms = libya.actors["TUR"].support
    assert troops.level == 0.035  # 35 Turkish soldiers by 8 Jan
    assert syrians.level == 1.0 and syrians.max_level == 2.7  # SOHR: ~1,000 in Libya, ~1,700 in training
    wagner = libya.actors["RUS"].support[0]
    assert 0.2 <= wagner.level <= 2.5 and wagner.max_level == 2.5  # NYT floor .. Turkish claim


def test_libya_theatre_shares(libya):
    regions = libya.theatre.regions
    assert sum(r.oil for r in regions.values()) == pytest.approx(1.0)
    assert sum(r.population for r in regions.values()) == pytest.approx(1.0)
    assert {rid for rid, r in regions.items() if r.contested} == {"tripoli_front", "sirte_jufra"}
    assert regions["oil_crescent"].control == {"LNA": 1.0}


def _numeric_scalars(node: yaml.Node):
    if isinstance(node, yaml.MappingNode):
        for _key, value in node.value:
            yield from _numeric_scalars(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _numeric_scalars(item)
    elif isinstance(node, yaml.ScalarNode) and node.tag.endswith((":int", ":float")):
        yield node


@pytest.mark.parametrize("path", LIBYA_FILES, ids=ids(LIBYA_FILES))
def test_every_number_in_the_libya_files_carries_a_source_comment(path):
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    bare = [
        f"line {n.start_mark.line + 1}: {lines[n.start_mark.line].strip()}"
        for n in _numeric_scalars(node)
        if "#" not in lines[n.start_mark.line]
    ]
    assert not bare, "numbers without a source comment:\n" + "\n".join(bare)


@pytest.mark.parametrize("path", LIBYA_VARIANTS, ids=ids(LIBYA_VARIANTS))
def test_each_variant_extends_the_base_and_explains_itself(path):
    text = path.read_text(encoding="utf-8")
    assert yaml.safe_load(text)["extends"] in ("libya_2020.yaml", "libya_2020_extended.yaml")  # a Libya base
    header = [line for line in text.split("\nextends:")[0].splitlines()[1:] if line.startswith("#")]
    words = " ".join(header)
    assert len(words.split()) >= 40, f"{path.name}: the header must say what the variant changes and why"
    assert "what it changes" in words.lower() and "why" in words.lower()


def test_extended_cast_and_wagner_apart_from_the_russian_state():
    s = load_scenario(SCENARIOS / "libya_2020_extended.yaml").scenario
    assert {"EGY", "UAE", "EU", "UN", "WAG"} <= set(s.actors)
    assert s.actors["RUS"].support == [] and s.actors["RUS"].role == "mediator"
    assert s.actors["WAG"].support[0].to == "LNA" and s.actors["WAG"].support[0].mode == "covert"
    assert set(s.forums["berlin"].mediators) == {"EU", "UN"}
    assert "EGY" not in s.forums["moscow"].participants, "Egypt and the UAE were outside the Moscow format"


def test_counterfactuals_differ_from_the_base_where_they_say(libya):
    def load(name):
        return load_scenario(SCENARIOS / name).scenario

    overt = load("libya_2020_russia_overt.yaml")
    assert overt.actors["RUS"].support[0].mode == "overt"
    out = load("libya_2020_turkey_out.yaml")
    assert out.actors["TUR"].support == [] and out.actors["TUR"].threats == []
    assert out.forums["moscow"].mediators == libya.forums["moscow"].mediators
    berlin = load("libya_2020_berlin_monitoring.yaml")
    assert berlin.forums["berlin"].monitoring > libya.forums["berlin"].monitoring
    signs = load("libya_2020_haftar_signs.yaml")
    assert set(signs.forums["moscow"].open_proposal.signed_by) == {"GNA", "LNA"}
    assert signs.forums["moscow"].open_proposal.terms == libya.forums["moscow"].open_proposal.terms
