"""Bugs found in review (issue 9), each pinned by a test that failed before its fix.

Several tests drive one phase of `sim.engine.phases` directly on a model's structure and state, so the case is
exactly the one the bug needs.
"""

from __future__ import annotations

import numpy as np
from model_support import duel

from sim.engine.derived import strength
from sim.engine.log import Kind
from sim.engine.phases import escalation, events, patrons
from sim.model import ConflictModel

# P opens a new channel to B when its threat is carried out: its declared one (effectiveness 0) cannot carry it.
THREAT_OPENS_A_CHANNEL = {
    "actors.A.rung": 1,
    "actors.P.support": [{"to": "B", "level": 1.0, "max_level": 1.0, "effectiveness": 0.0}],
    "actors.P.threats": [{"target": "A", "trigger_rung": 0, "magnitude": 5.0, "credibility": 1.0}],
    "events": [
        {
            "id": "late",
            "description": "A stands down and P's declared channel is raised.",
            "date": "2020-01-15",  # round 3
            "effects": [
                {"set": "actors.A.rung", "value": 0},
                {"set": "actors.P.support.0.level", "value": 0.5},
            ],
        }
    ],
}


def test_an_event_changes_the_live_state_after_the_rung_and_channel_arrays_were_replaced():
    """Escalation replaces the rung array every round and a carried-out threat the channel arrays; an event
    fired later must still change what the model reads (it used to write to the arrays of round 0)."""
    model = ConflictModel(scenario=duel(THREAT_OPENS_A_CHANNEL), rng=1)
    model.step()
    model.step()
    assert len(model.sup_level) == 2  # the threat opened a second channel
    model.state.actors.rung[model.actor_index["A"]] = 2
    s, st, d = model.structure, model.state, model.derived
    events.fire_due(s, st, d, model.due, model.rng, model.log, 3)
    changes = model.events[-1]["changes"]
    assert [c["new"] for c in changes] == [0, 0.5]
    assert model.rung[model.actor_index["A"]] == 0
    assert model.sup_level[0] == 0.5


def test_a_patron_at_the_floor_of_its_channel_stays_or_climbs_with_even_odds_when_both_are_worth_the_same():
    """With no gain, cost, clash or inertia every option is worth 0. At level 0 the channel cannot move down:
    its options are stay and up, one half each (a duplicate 'stay' made it two thirds)."""
    model = ConflictModel(
        scenario=duel(
            {
                "actors.P.support": [{"to": "B", "level": 0.0, "max_level": 2.0}],
                "actors.P.goals.cost_aversion": 0.0,
                "engine.patrons.inertia": 0.0,
            }
        ),
        rng=1,
    )
    s, st, d = model.structure, model.state, model.derived
    rng = np.random.default_rng(7)
    ups = 0
    for _ in range(2000):
        st.channels.level[0] = 0.0
        patrons.choose_support(s, st, d, strength(s, st, d), rng, model.log, 1)
        ups += st.channels.level[0] > 0
    assert 0.45 < ups / 2000 < 0.55


FOUR_RUNGS = [
    {"name": "Hold fire", "intensity": 0.0, "cost": 0.0, "breaks_truce": False},
    {"name": "Skirmish", "intensity": 0.3, "cost": 0.05, "breaks_truce": True},
    {"name": "Fight", "intensity": 0.6, "cost": 0.1, "breaks_truce": True},
    {"name": "Offensive", "intensity": 1.0, "cost": 0.3, "breaks_truce": True},
]


def rungs_chosen(changes: dict, draws: int = 400) -> set[int]:
    """A's rungs over many draws of round 1's escalation (very noisy choices: every allowed rung comes up)."""
    model = ConflictModel(
        scenario=duel({"ladder": FOUR_RUNGS, "engine.escalation.temperature": 10.0, **changes}), rng=1
    )
    s, st, d = model.structure, model.state, model.derived
    start = st.actors.rung.copy()
    rng = np.random.default_rng(3)
    seen = set()
    for _ in range(draws):
        st.actors.rung = start.copy()
        escalation.choose_rungs(s, st, d, strength(s, st, d), rng, model.log, 1)
        seen.add(int(st.actors.rung[model.actor_index["A"]]))
    return seen


def test_max_step_limits_climbing_only_a_side_may_step_down_to_any_rung():
    """docs/MODEL.md section 3: climb at most max_step rungs a round. From rung 3 against rung 0 with
    max_step 1, A may stay, step down to any rung, but not climb; from rung 0 it may climb one rung only
    (B stays at 0, so there is nothing higher to answer)."""
    assert rungs_chosen({"actors.A.rung": 3, "engine.escalation.max_step": 1}) == {0, 1, 2, 3}
    assert rungs_chosen({"engine.escalation.max_step": 1}) == {0, 1}
    assert rungs_chosen({"engine.escalation.max_step": 2}) == {0, 1, 2}


PATRONS_SIGN = {
    "actors.Q": {
        "name": "Patron of A",
        "role": "patron",
        "side": "A",
        "capability": 30,
        "positions": {"ceasefire": 60, "land": 80},
        "salience": {"ceasefire": 0.5, "land": 0.5},
        "goals": {"influence": 0.8, "cost_aversion": 0.5},
    },
    "forums.moscow": {
        "name": "Moscow",
        "participants": ["P", "Q"],
        "issues": ["ceasefire"],
        "required_signatories": ["P", "Q"],
        "schedule": {"start": "2030-01-01"},
        "open_proposal": {"terms": {"ceasefire": 100}, "signed_by": ["P", "Q"]},
    },
    "actors.A.forces": 60,  # A, far stronger, attacks
    "engine.escalation.grievance_weight": 5.0,
    "engine.escalation.truce_cost": 0.0,
}


def test_an_agreement_signed_only_by_patrons_binds_their_clients():
    """The patrons of both sides sign in round 1; the belligerents they back are bound by it (docs/MODEL.md
    section 6): A fighting on is a violation, and the agreement cannot end the run as durable."""
    model = ConflictModel(scenario=duel(PATRONS_SIGN), rng=1).run()
    assert model.first_agreement_round == 1
    assert max(row["rung_A"] for row in model.history) >= 1
    assert model.violations > 0 and model.outcome != "durable_agreement"
    violators = {e["actors"][0] for e in model.events if e["type"] == Kind.VIOLATION}
    assert "A" in violators and violators <= {"A", "B"}  # the clients break it; the patrons fight no rung
