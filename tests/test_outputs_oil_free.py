"""A war without oil (issue 16 item 6): no oil columns, keys, lines or panels, and the cost of fighting on
reported per side; a run with oil keeps all of its oil outputs."""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest
import yaml
from model_support import DUEL, duel

from sim import fans
from sim.cli import main
from sim.cli.run import report_text
from sim.model import run_model
from sim.outputs import OIL_KEYS, summary, write_run
from sim.plots import report_figure
from sim.scenario import load_scenario_text

OIL_COLUMNS = {"oil_output_bpd", "oil_loss_bbl", "revenue_loss_usd", "revenue_A", "revenue_B"}


def dry_data() -> dict:
    """The duel as a land war: no `economy`, no region with oil, no one with an oil goal."""
    data = copy.deepcopy(DUEL)
    del data["economy"]
    data["theatre"]["regions"] = {
        "front": {"name": "Front", "population": 0.5, "contested": True, "control": {"A": 0.5, "B": 0.5}},
        "field": {"name": "Hills", "population": 0.1, "control": {"A": 1.0}},
        "port": {"name": "Port", "population": 0.4, "control": {"B": 1.0}},
    }
    for actor in data["actors"].values():
        actor["goals"].pop("oil_access", None)
    return data


def dry(changes: dict | None = None):
    data = dry_data()
    for dotted, value in (changes or {}).items():
        node = data
        *head, last = dotted.split(".")
        for part in head:
            node = node.setdefault(part, {})
        node[last] = value
    return load_scenario_text(yaml.safe_dump(data, sort_keys=False), "dry.yaml")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """One run of each, written as `run` writes it."""
    out = tmp_path_factory.mktemp("runs")
    runs = {"dry": run_model(dry(), seed=3), "oil": run_model(duel(), seed=3)}
    for name, m in runs.items():
        write_run(m, out / name)
    return out, runs


def test_a_war_without_oil_has_no_oil_columns_and_keeps_the_others_in_order(written):
    out, _ = written
    dry_rounds = pd.read_csv(out / "dry" / "rounds.csv")
    oil_rounds = pd.read_csv(out / "oil" / "rounds.csv")
    assert set(oil_rounds.columns) >= OIL_COLUMNS
    assert not OIL_COLUMNS & set(dry_rounds.columns)
    assert not [c for c in dry_rounds.columns if "oil" in c or c.startswith("revenue")]
    assert list(dry_rounds.columns) == [c for c in oil_rounds.columns if c not in OIL_COLUMNS]


def test_a_war_without_oil_has_no_oil_keys_in_its_summary(written):
    out, _ = written
    dry_summary = json.loads((out / "dry" / "summary.json").read_text())
    oil_summary = json.loads((out / "oil" / "summary.json").read_text())
    assert set(OIL_KEYS) <= set(oil_summary)
    assert not [k for k in dry_summary if "oil" in k or "revenue" in k]
    assert oil_summary["oil_output_final_bpd"] <= 1_000_000  # the duel's baseline


def test_the_cost_of_fighting_is_war_cost_x_cost_aversion_x_weariness_per_side(tmp_path):
    # weariness 20: each 1% of the belligerents' forces lost in battle adds 20% to the cost; the duel fights hard
    m = run_model(dry({"engine.escalation.weariness": 20.0, "actors.B.goals.cost_aversion": 0.8}), seed=3)
    write_run(m, tmp_path, picture=False)
    rounds = pd.read_csv(tmp_path / "rounds.csv")
    # round 0: no fighting yet, so the cost is engine.bargaining.war_cost (0.15) x cost_aversion
    assert rounds.loc[0, "war_cost_A"] == pytest.approx(0.15 * 0.4)
    assert rounds.loc[0, "war_cost_B"] == pytest.approx(0.15 * 0.8)
    # then W = 1 + weariness x the share of the belligerents' forces each round's battles cost, summed
    forces = rounds["forces_A"] + rounds["forces_B"]
    weary = 1 + 20.0 * (1 - forces / forces.shift(fill_value=forces.iloc[0])).cumsum()
    assert weary.iloc[-1] > 1.5, "the sides fought on: the test needs the cost to grow"
    assert rounds["war_cost_A"].to_numpy() == pytest.approx((0.15 * 0.4 * weary).to_numpy(), abs=2e-6)
    assert rounds["war_cost_B"].to_numpy() == pytest.approx((0.15 * 0.8 * weary).to_numpy(), abs=2e-6)
    s = json.loads((tmp_path / "summary.json").read_text())
    assert s["war_cost_final"] == {
        "A": pytest.approx(rounds["war_cost_A"].iloc[-1], abs=1e-6),
        "B": pytest.approx(rounds["war_cost_B"].iloc[-1], abs=1e-6),
    }
    # without weariness the cost never moves
    flat = run_model(dry({"actors.B.goals.cost_aversion": 0.8}), seed=3)
    assert [r["war_cost_B"] for r in flat.history] == pytest.approx([0.15 * 0.8] * len(flat.history))


def test_the_terminal_summary_says_nothing_about_oil_in_a_war_without_it(written):
    _, runs = written
    dry_text = report_text(runs["dry"], summary(runs["dry"]))
    oil_text = report_text(runs["oil"], summary(runs["oil"]))
    assert "oil" not in dry_text.lower()
    assert "control (share of the country, population weighted)" in dry_text
    assert "cost of fighting on at the end" in dry_text
    assert "oil: output" in oil_text and "first oil blockade" in oil_text
    assert "population + oil weighted" in oil_text


def test_report_png_has_no_oil_panel_in_a_war_without_oil(written):
    _, runs = written
    dry_titles = [a.get_title() for a in report_figure(runs["dry"]).axes]
    oil_titles = [a.get_title() for a in report_figure(runs["oil"]).axes]
    assert "Oil output and cumulative loss" in oil_titles
    assert not [t for t in dry_titles if "oil" in t.lower()]
    assert "Cost of fighting on (war cost x cost aversion x weariness)" in dry_titles
    assert all(a.axison for a in report_figure(runs["dry"]).axes), "no panel left empty"


def test_the_fan_and_the_page_show_oil_only_in_a_war_with_oil(written):
    from sim.viz.app import COMPONENTS, OIL_VIEW, components

    _, runs = written
    assert "Oil output" in [p.title for p in fans.panels(runs["oil"])]
    assert "Oil output" not in [p.title for p in fans.panels(runs["dry"])]
    assert OIL_VIEW in components(runs["oil"]) and components(runs["oil"]) == COMPONENTS
    assert components(runs["dry"]) == [c for c in COMPONENTS if c is not OIL_VIEW]


def test_replications_of_a_war_without_oil_write_no_oil_column(tmp_path):
    path = tmp_path / "dry.yaml"
    path.write_text(yaml.safe_dump(dry_data(), sort_keys=False))
    out = tmp_path / "reps"
    assert main(["run", str(path), "--rounds", "4", "--replications", "3", "--out", str(out), "--json"]) == 0
    table = pd.read_csv(out / "replications.csv")
    assert len(table) == 3 and "oil_loss_bbl" not in table.columns
    assert not pd.read_parquet(out / "trajectories.parquet").variable.str.contains("oil").any()


def test_an_economy_without_output_has_no_oil_outputs_unless_an_event_starts_one():
    idle = {"economy": {"oil_baseline_bpd": 0, "oil_price_usd": 50}}
    assert not OIL_COLUMNS & set(run_model(dry(idle), seed=3, max_rounds=4).columns)
    event = {
        "id": "wells",
        "description": "Wells open (a test).",
        "date": "2020-02-01",
        "effects": [{"set": "economy.oil_baseline_bpd", "value": 5000}],
    }
    m = run_model(dry({**idle, "events": [event]}), seed=3, max_rounds=8)
    assert set(m.columns) >= OIL_COLUMNS
    assert set(OIL_KEYS) <= set(summary(m))
    assert m.history[-1]["oil_output_bpd"] == pytest.approx(5000)  # no region holds oil to lose
