"""Bugs found in review (issue 9), each pinned by a test that failed before its fix.

Several tests drive one phase of `sim.engine.phases` directly on a model's structure and state, so the case is
exactly the one the bug needs.
"""

from __future__ import annotations

import numpy as np
from model_support import duel

from sim.engine.derived import strength
from sim.engine.phases import events, patrons
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
