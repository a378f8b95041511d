"""The model as Mesa and its users meet it: determinism, invariants, every shipped scenario, batch_run,
SolaraViz-style construction, and bad input."""

from __future__ import annotations

from pathlib import Path

import mesa
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from model_support import duel

from sim.engine.log import Kind
from sim.model import ConflictModel, run_model
from sim.outputs import summary, write_run
from sim.scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[1]
LIBYA = ROOT / "scenarios" / "libya_2020.yaml"
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
FILES = ("rounds.csv", "events.jsonl", "summary.json")


@pytest.fixture(scope="module")
def libya():
    return load_scenario(LIBYA)


def test_same_seed_same_files_other_seed_different(libya, tmp_path):
    for name, seed in (("a", 11), ("b", 11), ("c", 12)):
        write_run(run_model(libya, seed=seed), tmp_path / name, picture=False)
    for f in FILES:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f
    assert (tmp_path / "a" / "events.jsonl").read_bytes() != (tmp_path / "c" / "events.jsonl").read_bytes()
    assert (tmp_path / "a" / "rounds.csv").read_bytes() != (tmp_path / "c" / "rounds.csv").read_bytes()


def test_data_collection_does_not_change_the_run(libya):
    with_dc = run_model(libya, seed=4, collect=True)
    without = run_model(libya, seed=4, collect=False)
    assert with_dc.history == without.history and with_dc.events == without.events
    frame = with_dc.datacollector.get_model_vars_dataframe()
    assert len(frame) == with_dc.round + 1
    assert frame["rung_LNA"].tolist() == [row["rung_LNA"] for row in with_dc.history]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_invariants_hold_every_round(libya, seed):
    model = ConflictModel(scenario=libya, rng=seed)
    baseline = model.economy.oil_baseline_bpd
    rungs = len(model.spec.ladder)
    while model.running:
        model.step()
        assert np.all((model.control >= 0) & (model.control <= 1))
        assert np.allclose(model.control.sum(axis=1), 1.0)
        assert 0.0 <= model.oil_output <= baseline
        assert np.all((model.rung >= 0) & (model.rung < rungs))
        assert np.all(model.sup_level >= 0) and np.all(model.sup_level <= model.sup_max + 1e-9)
        assert np.all((model.trust >= 0) & (model.trust <= 1))
        assert np.isclose(model.national_control().sum(), 1.0)
    rows = model.history
    assert [r["round"] for r in rows] == list(range(model.round + 1))
    assert all(b["oil_loss_bbl"] >= a["oil_loss_bbl"] for a, b in zip(rows, rows[1:], strict=False))
    assert model.events[-1]["type"] == Kind.RUN_ENDED


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_shipped_scenario_runs(path):
    model = run_model(str(path), seed=1)
    s = summary(model)
    assert not model.running and s["outcome"] != "running"
    assert s["rounds_run"] == model.round >= 1
    assert s["scenario_hash"] == load_scenario(path).content_hash


def test_batch_run_runs_the_model_unchanged():
    results = mesa.batch_run(
        ConflictModel,
        parameters={"scenario": [str(LIBYA)], "max_rounds": 6},
        rng=[1, 2],
        number_processes=1,
        data_collection_period=-1,
        max_steps=100,
        display_progress=False,
    )
    assert len(results) == 2
    assert {r["rng"] for r in results} == {1, 2}
    assert all(r["round"] == 6 and "rung_LNA" in r and "oil_output_bpd" in r for r in results)


def test_seed_as_text_is_accepted_like_solaraviz_sends_it(libya):
    assert run_model(libya, seed="7").history == run_model(libya, seed=7).history
    with pytest.raises(ScenarioError, match="whole number"):
        ConflictModel(scenario=libya, rng="seven")


def test_default_scenario_and_seed_come_from_the_bundled_file():
    model = ConflictModel()
    assert model.spec.name == load_scenario(LIBYA).scenario.name
    assert model.seed == model.spec.seed
    assert model.date.isoformat() == "2020-01-14"


def test_overrides_are_applied_before_building(libya):
    model = ConflictModel(scenario=libya, overrides={"actors.LNA.forces": 40, "clock.max_rounds": 3}, rng=1)
    assert model.forces[model.actor_index["LNA"]] == 40
    assert model.max_rounds == 3
    with pytest.raises(ScenarioError):
        ConflictModel(scenario=libya, overrides={"engine.escalation.temprature": 0.3})


def test_an_event_path_the_model_does_not_hold_is_reported_before_the_run():
    event = {
        "id": "rename",
        "description": "renames an actor",
        "date": "2020-01-20",
        "effects": [{"set": "actors.A.name", "value": "Gamma"}],
    }
    with pytest.raises(ScenarioError) as err:
        ConflictModel(scenario=duel({"events": [event]}))
    text = str(err.value)
    assert (
        "events.0.effects.0.set" in text and "actors.A.name" in text and "cannot change during a run" in text
    )
    where = err.value.problems[0]
    assert where.file == "duel.yaml" and where.line is not None  # the line of the effect in the file


def test_agents_are_readable_views_of_the_state(libya):
    model = ConflictModel(scenario=libya, rng=3)
    model.step()
    lna = model.actor("LNA")
    assert lna.role == "belligerent" and lna.side == "LNA" and lna.name.startswith("Libyan National Army")
    assert lna.rung == model.history[-1]["rung_LNA"]
    assert model.actor("TUR").support["GNA"] == pytest.approx(
        sum(v for k, v in model.history[-1].items() if k.startswith("support_TUR_"))
    )
    assert len(model.agents) == len(model.spec.actors)


@settings(max_examples=25, deadline=None)
@given(
    forces=st.tuples(st.floats(0.5, 200), st.floats(0.5, 200)),
    temperature=st.floats(0.01, 3.0),
    adherence=st.tuples(st.floats(0, 1), st.floats(0, 1)),
    monitoring=st.floats(0, 1),
    support=st.floats(0, 50),
    seed=st.integers(0, 2**32 - 1),
)
def test_invariants_hold_for_any_duel(forces, temperature, adherence, monitoring, support, seed):
    scenario = duel(
        {
            "actors.A.forces": forces[0],
            "actors.B.forces": forces[1],
            "actors.A.goals.ceasefire_adherence": adherence[0],
            "actors.B.goals.ceasefire_adherence": adherence[1],
            "actors.P.support": [{"to": "B", "level": support / 2, "max_level": support}],
            "truce": {"in_force": True, "signatories": ["A", "B"], "monitoring": monitoring},
            "engine.escalation.temperature": temperature,
            "clock.max_rounds": 8,
        }
    )
    model = run_model(scenario, seed=seed)
    assert np.all((model.control >= 0) & (model.control <= 1)) and np.allclose(model.control.sum(axis=1), 1)
    assert 0 <= model.oil_output <= model.economy.oil_baseline_bpd
    assert all(0 <= row["rung_A"] < 3 and 0 <= row["rung_B"] < 3 for row in model.history)
    assert model.outcome is not None and model.events[-1]["type"] == Kind.RUN_ENDED
    if adherence == (1.0, 1.0) and monitoring == 1.0:
        assert model.violations == 0
