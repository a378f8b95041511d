"""Contrast tests for `engine.bargaining.model` (docs/MODEL.md section 2.1): on the duel (tests/model_support.py)
a forum's text moves with the model in the direction each model's equation says, checked against numbers worked
from the scenario's inputs, not from the code.

Land: A at 100 (capability 50, salience 0.9), B at 0 (50, 0.9), P at 20 (30, 0.5). Ceasefire: A at 30 (50, 0.6),
B at 70 (50, 0.6), P at 60 (30, 0.5).
"""

from __future__ import annotations

import typing

import numpy as np
import pytest
from model_support import duel

from sim.engine.phases import negotiation
from sim.forecast import MODELS
from sim.model import ConflictModel
from sim.scenario.engine import Bargaining


def text(model: str, issues: list[str], mediation: float = 0.0) -> tuple[dict[str, float], dict[str, int]]:
    """The forum's text per issue after one session of A, B and P under `model`, and its moves by kind."""
    changes = {
        "forums.talks": {
            "name": "Talks",
            "participants": ["A", "B", "P"],
            "mediators": ["P"] if mediation else [],
            "issues": issues,
            "schedule": {"start": "2020-01-01"},
            "mediation_strength": mediation,
        },
        "engine.bargaining.model": model,
    }
    model = ConflictModel(scenario=duel(changes), rng=1)
    s, st = model.structure, model.state
    talks = st.forums["talks"]
    terms, kinds = negotiation.session(s, st, talks, st.actors.positions[talks.grid])
    return dict(zip(issues, terms.tolist(), strict=True)), kinds


LAND_MEAN = (50 * 0.9 * 100 + 50 * 0.9 * 0 + 30 * 0.5 * 20) / (50 * 0.9 + 50 * 0.9 + 30 * 0.5)  # 45.71
CEASEFIRE_MEAN = (50 * 0.6 * 30 + 50 * 0.6 * 70 + 30 * 0.5 * 60) / (50 * 0.6 + 50 * 0.6 + 30 * 0.5)  # 52


def test_the_setting_offers_the_forecast_command_s_models_and_defaults_to_the_eum():
    assert typing.get_args(Bargaining.model_fields["model"].annotation) == MODELS
    assert Bargaining().model == "eum"


def test_the_compromise_text_is_the_capability_x_salience_weighted_mean_and_mediation_does_not_move_it():
    terms, kinds = text("compromise", ["land", "ceasefire"])
    assert terms == pytest.approx({"land": LAND_MEAN, "ceasefire": CEASEFIRE_MEAN}, abs=1e-9)
    assert kinds == {}
    mediated, _ = text("compromise", ["land", "ceasefire"], mediation=0.8)
    assert mediated == terms  # one text, no rounds to mediate between


def test_the_nbs_text_maximises_the_nash_product_and_leans_toward_the_party_it_leaves_furthest():
    """K = 10 on the 0..100 scale: argmax_o sum c_i log(s_i ((o - x_i) / 100)^2 ... ) on a fine grid. A is the
    furthest from the weighted mean in salience-weighted loss, so its pull grows and the NBS sits above it."""
    terms, kinds = text("nbs", ["land"])
    grid = np.linspace(0, 100, 1_000_001)
    c, s, x = np.array([50, 50, 30]), np.array([0.9, 0.9, 0.5]), np.array([100, 0, 20])
    product = (c[:, None] * np.log(10 - s[:, None] * ((grid[None, :] - x[:, None]) / 100) ** 2)).sum(axis=0)
    assert terms["land"] == pytest.approx(grid[np.argmax(product)], abs=1e-3)
    assert LAND_MEAN < terms["land"] < LAND_MEAN + 2  # near the compromise model it nests, on A's side
    assert kinds == {}


def test_the_exchange_text_moves_each_issue_toward_the_side_that_cares_more_about_it():
    """A and P sit on opposite sides of both outcomes; A cares relatively more about land (0.9 vs 0.6), P
    equally: s_A,land s_P,ceasefire - s_A,ceasefire s_P,land = 0.45 - 0.30 > 0, so A gives way on the ceasefire
    (toward P's 60) and P on land (toward A's 100). A and B have equal saliences: no exchange between them."""
    terms, kinds = text("exchange", ["land", "ceasefire"])
    assert kinds["exchange"] >= 1
    assert terms["land"] > LAND_MEAN + 1
    assert terms["ceasefire"] > CEASEFIRE_MEAN + 1
    alone, none = text("exchange", ["land"])  # one issue: nothing to trade, the compromise model
    assert alone == pytest.approx({"land": LAND_MEAN}, abs=1e-9)
    assert none == {"exchange": 0}


def test_the_exchange_model_is_mediated_between_rounds():
    plain, _ = text("exchange", ["land", "ceasefire"])
    mediated, _ = text("exchange", ["land", "ceasefire"], mediation=0.8)
    assert mediated != plain


def test_the_eum_text_differs_from_the_one_shot_models():
    eum, kinds = text("eum", ["land", "ceasefire"])
    assert set(kinds) == {"confrontation", "compromise", "capitulation"} and sum(kinds.values()) > 0
    assert eum["land"] != pytest.approx(LAND_MEAN, abs=1e-6)
