"""A small two-sided scenario for model tests, built as data so each test changes only what it is about."""

from __future__ import annotations

import copy

import numpy as np
import yaml

from sim.engine.derived import strength
from sim.engine.phases import escalation
from sim.scenario import LoadedScenario, load_scenario_text

DUEL = {
    "name": "Duel",
    "clock": {"start": "2020-01-01", "round_days": 7, "max_rounds": 20},
    "seed": 5,
    "issues": {
        "ceasefire": {"name": "Ceasefire", "kind": "ceasefire", "low": "fight on", "high": "stop now"},
        "land": {"name": "Land", "kind": "territory", "low": "B keeps it", "high": "A takes it"},
    },
    "actors": {
        "A": {
            "name": "Alpha",
            "role": "belligerent",
            "capability": 50,
            "forces": 20,
            "positions": {"ceasefire": 30, "land": 100},
            "salience": {"ceasefire": 0.6, "land": 0.9},
            "goals": {"territory": 0.8, "oil_access": 0.5, "cost_aversion": 0.4, "ceasefire_adherence": 0.5},
        },
        "B": {
            "name": "Beta",
            "role": "belligerent",
            "capability": 50,
            "forces": 20,
            "positions": {"ceasefire": 70, "land": 0},
            "salience": {"ceasefire": 0.6, "land": 0.9},
            "goals": {"territory": 0.8, "oil_access": 0.5, "cost_aversion": 0.4, "ceasefire_adherence": 0.5},
        },
        "P": {
            "name": "Patron of B",
            "role": "patron",
            "side": "B",
            "capability": 30,
            "positions": {"ceasefire": 60, "land": 20},
            "salience": {"ceasefire": 0.5, "land": 0.5},
            "goals": {"influence": 0.8, "cost_aversion": 0.5},
            "support": [{"to": "B", "level": 0.0, "max_level": 0.0}],
        },
    },
    "theatre": {
        "regions": {
            "front": {"name": "Front", "population": 0.5, "contested": True, "control": {"A": 0.5, "B": 0.5}},
            "field": {"name": "Oil field", "oil": 0.4, "population": 0.1, "control": {"A": 1.0}},
            "port": {"name": "Port", "oil": 0.2, "population": 0.4, "control": {"B": 1.0}},
        }
    },
    "economy": {"oil_baseline_bpd": 1000000, "oil_price_usd": 50, "revenue_to": "B"},
    "forums": {},
    "ladder": [
        {"name": "Hold fire", "intensity": 0.0, "cost": 0.0, "breaks_truce": False},
        {"name": "Fight", "intensity": 0.5, "cost": 0.1, "breaks_truce": True},
        {"name": "Offensive", "intensity": 1.0, "cost": 0.3, "breaks_truce": True},
    ],
}


def duel(changes: dict | None = None) -> LoadedScenario:
    """The duel with dotted-path changes applied (`actors.A.forces: 100`), validated like a file."""
    data = copy.deepcopy(DUEL)
    for dotted, value in copy.deepcopy(changes or {}).items():
        node = data
        *head, last = dotted.split(".")
        for part in head:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return load_scenario_text(yaml.safe_dump(data, sort_keys=False), "duel.yaml")


def breaking_share(model, actor: int, round_: int, draws: int = 300) -> float:
    """Share of `draws` rung choices, each from the model's current state, in which `actor` picks a rung above 0
    (the same seeded stream for every contrast, so two settings differ only by the mechanism)."""
    s, st, d = model.structure, model.state, model.derived
    start = st.actors.rung.copy()
    rng = np.random.default_rng(5)
    broke = 0
    for _ in range(draws):
        st.actors.rung = start.copy()
        escalation.choose_rungs(s, st, d, strength(s, st, d), rng, model.log, round_)
        broke += st.actors.rung[actor] > 0
    return broke / draws


def rival_patron(goals: dict, support: dict) -> dict:
    """A patron Q backing A in the duel (its one support channel `support`), for the tests of rival patrons."""
    return {
        "name": "Patron of A",
        "role": "patron",
        "side": "A",
        "capability": 30,
        "positions": {"ceasefire": 40, "land": 80},
        "salience": {"ceasefire": 0.5, "land": 0.5},
        "goals": goals,
        "support": [{"to": "A", **support}],
    }
