"""The Libya scenario read against what happened after 14 January 2020 (facts the scenario does not use).

Loose thresholds over 30 seeded runs: each would fail if the mechanism behind it broke (signing against the
bargaining range, blockades by the side that holds the oil but not the revenue, escalation under no
monitoring, patrons answering danger). docs/MODEL.md gives the full table from benchmarks/cases.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.engine.log import Kind
from sim.model import run_model
from sim.scenario import load_scenario
from sim.sweep.designs import run_seed

LIBYA = Path(__file__).resolve().parents[1] / "scenarios" / "libya_2020.yaml"
RUNS = 30


@pytest.fixture(scope="module")
def runs():
    loaded = load_scenario(LIBYA)
    return [run_model(loaded, seed=run_seed(loaded.scenario.seed, i)) for i in range(RUNS)]


def share(values) -> float:
    values = list(values)
    return sum(values) / len(values)


def test_haftar_does_not_sign_at_berlin(runs):
    def refused(m) -> bool:
        lna = [e["type"] for e in m.events if e.get("forum") == "berlin" and e["actors"] == ["LNA"]]
        return lna[:1] == [Kind.REFUSED]

    assert share(refused(m) for m in runs) >= 0.8
    gna = [
        e["type"]
        for m in runs
        for e in m.events
        if e.get("forum") == "berlin" and e["actors"] == ["GNA"] and e["type"] in (Kind.SIGNED, Kind.REFUSED)
    ]
    assert gna.count(Kind.SIGNED) >= 0.8 * len(gna)


def test_the_truce_breaks_within_days_and_the_lna_shuts_the_oil(runs):
    assert share((m.first_violation_round or 99) <= 2 for m in runs) >= 0.7
    lna_blockade = [
        any(
            e["type"] == Kind.BLOCKADE_STARTED and e["actors"] == ["LNA"] and e["round"] <= 2
            for e in m.events
        )
        for m in runs
    ]
    assert share(lna_blockade) >= 0.8
    assert share(m.history[min(3, m.round)]["oil_output_bpd"] < 200_000 for m in runs) >= 0.8


def test_turkish_support_grows(runs):
    def turkey(row: dict) -> float:
        return sum(v for k, v in row.items() if k.startswith("support_TUR_"))

    assert share(turkey(m.history[min(13, m.round)]) > turkey(m.history[0]) + 0.5 for m in runs) >= 0.8


@pytest.mark.xfail(
    strict=True,
    reason=(
        "issue 16: with each region's battle the CDB90-fitted kernel (numbers weigh little, s = 0.55), Turkey's"
        " growing support no longer turns the Tripoli front: the GNA gains 5 points by round 26 in no run"
    ),
)
def test_the_gna_pushes_back_in_a_share_of_runs_not_none_and_not_all(runs):
    gained = share(
        m.history[min(26, m.round)]["control_tripoli_front_GNA"]
        > m.history[0]["control_tripoli_front_GNA"] + 0.05
        for m in runs
    )
    assert 0.15 <= gained <= 0.9
