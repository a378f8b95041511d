"""Mechanism tests: each one would fail if the mechanism it names were broken or switched off.

They run the real model on the small duel scenario (tests/model_support.py), changing only what the test is
about, and compare with a contrasting case so that a constant answer cannot pass.
"""

from __future__ import annotations

import numpy as np
import pytest
from model_support import duel

from sim.engine.log import Kind
from sim.kernels import economy
from sim.model import ConflictModel, run_model

EVEN_SPLIT = {
    "forums.talks": {
        "name": "Talks",
        "participants": ["A", "B"],
        "issues": ["ceasefire", "land"],
        "schedule": {"start": "2030-01-01"},  # never convenes in the run: only the open text is decided
        "open_proposal": {"terms": {"ceasefire": 50, "land": 50}, "signed_by": []},
    },
    "engine.bargaining.sign_temperature": 0.001,
}


def first_decisions(model: ConflictModel) -> dict[str, str]:
    return {
        e["actors"][0]: e["type"]
        for e in model.events
        if e["type"] in (Kind.SIGNED, Kind.REFUSED) and e["round"] == 1
    }


def test_far_stronger_side_refuses_an_even_split_that_the_weaker_signs():
    strong = ConflictModel(scenario=duel({**EVEN_SPLIT, "actors.A.forces": 200}), rng=1)
    strong.step()
    assert first_decisions(strong) == {"A": Kind.REFUSED, "B": Kind.SIGNED}
    assert not strong.agreement_signed
    # Contrast: at parity and with fighting expensive, the same even split is inside both sides' range.
    even = ConflictModel(scenario=duel({**EVEN_SPLIT, "engine.bargaining.war_cost": 0.5}), rng=1)
    even.step()
    assert first_decisions(even) == {"A": Kind.SIGNED, "B": Kind.SIGNED}
    assert even.agreement_signed and even.first_agreement_round == 1


def test_patron_pressure_can_make_a_client_sign():
    """P backs the even split (its ideal is near it) and has leverage over B: B signs a text it would refuse."""
    base = {
        **EVEN_SPLIT,
        "actors.B.forces": 60,
        "actors.P.positions": {"ceasefire": 50, "land": 50},
        "actors.P.support": [{"to": "B", "level": 1.0, "max_level": 1.0, "leverage": 1.0}],
    }
    alone = ConflictModel(scenario=duel({**base, "actors.P.support.0.leverage": 0.0}), rng=1)
    alone.step()
    pressed = ConflictModel(scenario=duel(base), rng=1)
    pressed.step()
    assert first_decisions(alone)["B"] == Kind.REFUSED
    assert first_decisions(pressed)["B"] == Kind.SIGNED


TRUCE = {
    "truce": {"in_force": True, "signatories": ["A", "B"], "monitoring": 1.0},
    "engine.escalation.temperature": 2.0,  # very noisy choices: every rung gets drawn often
    "engine.escalation.grievance_weight": 5.0,
    "clock.max_rounds": 30,
}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_full_adherence_under_full_monitoring_never_violates(seed):
    scenario = duel(
        {**TRUCE, "actors.A.goals.ceasefire_adherence": 1.0, "actors.B.goals.ceasefire_adherence": 1.0}
    )
    model = run_model(scenario, seed=seed)
    assert model.violations == 0
    assert all(row["rung_A"] == 0 and row["rung_B"] == 0 for row in model.history)


def test_without_adherence_the_same_truce_is_violated():
    scenario = duel(
        {**TRUCE, "actors.A.goals.ceasefire_adherence": 0.0, "actors.B.goals.ceasefire_adherence": 0.0}
    )
    model = run_model(scenario, seed=1)
    assert model.violations > 0
    assert any(e["type"] == Kind.VIOLATION for e in model.events)


def test_blockade_kernel_cuts_output_by_the_blockaded_share():
    control = np.array([[0.5, 0.5], [1.0, 0.0], [0.0, 1.0]])
    oil = np.array([0.0, 0.4, 0.2])
    blocked = economy.blocked_share(control, np.array([True, False]))
    out = economy.oil_output(1_000_000, oil, blocked, np.zeros(3))
    assert out == pytest.approx(1_000_000 * (1 - 0.4))


def test_a_dissatisfied_side_blockades_its_oil_and_output_falls_by_its_share():
    """A holds the field (40% of output), revenue goes to B's institutions, and A refused the text on the
    table: it blockades; the fighting is on a front with no oil, so output is exactly the baseline minus 40%."""
    changes = {
        "forums.talks": {
            "name": "Talks",
            "participants": ["A", "B"],
            "issues": ["ceasefire", "land"],
            "schedule": {"start": "2030-01-01"},
            "open_proposal": {"terms": {"ceasefire": 90, "land": 0}, "signed_by": ["B"]},
        },
        "engine.bargaining.sign_temperature": 0.001,
        "engine.escalation.temperature": 0.01,
    }
    model = ConflictModel(scenario=duel(changes), rng=3)
    model.step()
    assert [e["type"] for e in model.events if e["type"].startswith("blockade")] == [Kind.BLOCKADE_STARTED]
    assert model.blockading.tolist() == [True, False]
    assert model.oil[model.contested].sum() == 0.0
    assert model.oil_output == pytest.approx(1_000_000 * (1 - 0.4))
    # Contrast: if A received the revenue itself, shutting its own oil would not pay.
    own = ConflictModel(scenario=duel({**changes, "economy.revenue_to": "A"}), rng=3)
    own.step()
    assert not own.blockading.any()
    assert own.oil_output == pytest.approx(1_000_000)


def front_share_of_a(changes: dict, seeds=range(4)) -> float:
    shares = []
    for seed in seeds:
        model = run_model(duel({"clock.max_rounds": 15, **changes}), seed=seed)
        shares.append(model.control[model.region_ids.index("front"), 0])
    return float(np.mean(shares))


def test_a_large_force_ratio_lets_the_stronger_side_gain_ground_unless_a_patron_evens_it():
    stronger = front_share_of_a({"actors.A.forces": 80})
    assert stronger > 0.7
    backed = front_share_of_a(
        {"actors.A.forces": 80, "actors.P.support": [{"to": "B", "level": 60.0, "max_level": 60.0}]}
    )
    assert backed < stronger - 0.15
    even = front_share_of_a({})
    assert abs(even - 0.5) < 0.15


def test_a_credible_threat_deters_its_target():
    """The same duel with a patron's threat against A (trigger rung 1, large, credible): A's first choice,
    made while the threat is still only a threat, stays below the trigger far more often."""

    def first_rungs(threat: dict | None) -> list[int]:
        extra = {"actors.P.threats": [threat]} if threat else {}
        rungs = []
        for seed in range(12):
            model = ConflictModel(scenario=duel({"actors.A.forces": 30, **extra}), rng=seed)
            model.step()
            rungs.append(model.history[-1]["rung_A"])
        return rungs

    free = first_rungs(None)
    deterred = first_rungs({"target": "A", "trigger_rung": 1, "magnitude": 400.0, "credibility": 1.0})
    assert sum(r >= 1 for r in free) >= 8
    assert sum(r >= 1 for r in deterred) <= 2


def test_a_triggered_event_fires_when_its_condition_holds_and_changes_the_state():
    event = {
        "id": "reinforce",
        "description": "B is reinforced once A attacks.",
        "when": {"metric": "rung.A", "op": ">=", "value": 1},
        "effects": [{"add": "actors.B.forces", "value": 5.0}],
    }
    model = run_model(duel({"actors.A.forces": 60, "events": [event]}), seed=2)
    fired = [e for e in model.events if e["type"] == Kind.TRIGGERED_EVENT]
    assert len(fired) == 1 and fired[0]["changes"][0]["path"] == "actors.B.forces"
    attack = next(e for e in model.events if e["type"] == Kind.RUNG_CHANGED and e["actors"] == ["A"])
    assert fired[0]["round"] == attack["round"] + 1  # tested at the start of the next round


def test_an_open_text_that_leaves_an_issue_out_is_judged_on_the_issues_it_covers():
    changes = {
        **EVEN_SPLIT,
        "forums.talks.open_proposal": {"terms": {"land": 100}, "signed_by": []},
        "actors.A.forces": 200,
    }
    model = ConflictModel(scenario=duel(changes), rng=1)
    model.step()
    proposal = next(e for e in model.events if e["type"] == Kind.PROPOSAL)
    assert proposal["terms"] == {"land": 100.0}
    margins = {e["actors"][0]: e["margin"] for e in model.events if e["type"] in (Kind.SIGNED, Kind.REFUSED)}
    assert set(margins) == {"A", "B"} and all(np.isfinite(v) for v in margins.values())
    # A's ideal is land 100: the text gives it all it asks on the issue it covers, so the stronger side signs.
    assert first_decisions(model)["A"] == Kind.SIGNED


def test_support_effectiveness_multiplies_its_battle_strength_not_its_level():
    """Strength counts level x effectiveness: 5 units at 3 fight like 15 at 1; the level reported stays 5."""

    def model(level: float, effectiveness: float) -> ConflictModel:
        line = {"to": "B", "level": level, "max_level": level, "effectiveness": effectiveness}
        return ConflictModel(scenario=duel({"actors.P.support": [line]}), rng=1)

    strong, plain, many = model(5.0, 3.0), model(5.0, 1.0), model(15.0, 1.0)
    assert strong.strength().tolist() == many.strength().tolist() == [20.0, 35.0]
    assert plain.strength().tolist() == [20.0, 25.0]
    assert strong.sup_level.tolist() == [5.0]


def test_more_effective_support_shifts_control_further():
    """The same 20 units of support to the outnumbered B hold back A far more at effectiveness 3 than at 1."""

    def backed(effectiveness: float) -> float:
        line = {"to": "B", "level": 20.0, "max_level": 20.0, "effectiveness": effectiveness}
        return front_share_of_a({"actors.A.forces": 80, "actors.P.support": [line]})

    plain, effective = backed(1.0), backed(3.0)
    assert effective < plain - 0.1


def test_a_carried_out_threat_adds_its_magnitude_in_force_units_whatever_the_channel_effectiveness():
    """Magnitude 6 (force units) into a channel worth 2 per unit: 3 more units of it, 6 more strength."""
    model = ConflictModel(
        scenario=duel(
            {
                "actors.P.support": [{"to": "B", "level": 1.0, "max_level": 1.0, "effectiveness": 2.0}],
                "actors.P.threats": [
                    {"target": "A", "trigger_rung": 0, "magnitude": 6.0, "credibility": 1.0}
                ],
                "engine.patrons.inertia": 100.0,  # the patron keeps its level: only the threat moves it
            }
        ),
        rng=1,
    )
    model.step()
    assert [e["type"] for e in model.events if e["type"].startswith("threat")] == [Kind.THREAT_CARRIED_OUT]
    assert model.sup_level.tolist() == [4.0]
    assert model.strength()[1] == pytest.approx(model.forces[model.actor_index["B"]] + 8.0)
