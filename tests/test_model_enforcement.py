"""Contrast tests for patrons who enforce the accords they co-sign (docs/MODEL.md section 6, the Sochi pattern):
a client bound by an accord its patron signed weighs the loss of that patron's support as a sanction, and the
patron cuts its support the round after the client breaks it. Each fails with `engine.patrons.enforce` off or
the mechanism removed."""

from __future__ import annotations

import numpy as np
import pytest
from model_support import breaking_share, duel

from sim.engine.derived import strength
from sim.engine.phases import accords, patrons
from sim.model import ConflictModel

A, B, P = 0, 1, 2

# P (B's patron, 40 force units of support with leverage 0.9) co-signs a truce with A: it binds B for it.
COSIGNED = {
    "truce": {"in_force": True, "signatories": ["A", "P"], "monitoring": 0.0},
    "actors.P.support": [{"to": "B", "level": 40.0, "max_level": 40.0, "leverage": 0.9}],
    "actors.B.positions.ceasefire": 20,  # B is aggrieved: without a sanction it fights
    "engine.escalation.grievance_weight": 5.0,
}


def parts(changes: dict):
    model = ConflictModel(scenario=duel(changes), rng=1)
    return model, model.structure, model.state, model.derived


def test_a_cosigning_patron_enforces_with_its_leverage_times_the_share_of_strength_it_gives():
    """q = 1 - prod (1 - leverage_P x support_P / F_i): 0.9 x 40 / (20 + 40)."""
    model, s, st, d = parts(COSIGNED)
    assert st.accord is not None and B in st.accord.bound
    q = accords.enforcement(s, st, st.accord, B, strength(s, st, d))
    assert q == pytest.approx(0.9 * 40 / 60)
    assert accords.sanction(st.engine.escalation, st.accord, q) == pytest.approx(q)
    # Contrast: switched off, or a patron who did not sign the truce, enforces nothing.
    _, s2, off, d2 = parts({**COSIGNED, "engine.patrons.enforce": False})
    assert accords.enforcement(s2, off, off.accord, B, strength(s2, off, d2)) == 0.0
    _, s3, unsigned, d3 = parts({**COSIGNED, "truce.signatories": ["A", "B"]})
    assert accords.enforcement(s3, unsigned, unsigned.accord, B, strength(s3, unsigned, d3)) == 0.0


def fighting_share(changes: dict, draws: int = 300) -> float:
    """Share of draws in which B picks a rung that breaks the truce in round 1."""
    model, s, st, d = parts(changes)
    return breaking_share(model, B, 1, draws)


def test_a_client_whose_patron_cosigned_the_truce_breaks_it_less_often():
    """Only grievance drives B (no ground worth winning): penalty truce_cost k / (1 - k), k = 0.9 (0.5 + 0.5 m),
    m = 0 without enforcement, 0.6 with it."""
    adherent = {
        **COSIGNED,
        "actors.B.goals": {
            "territory": 0.0,
            "oil_access": 0.0,
            "cost_aversion": 1.0,
            "ceasefire_adherence": 0.9,
        },
    }
    enforced = fighting_share(adherent)
    free = fighting_share({**adherent, "engine.patrons.enforce": False})
    assert free > enforced + 0.2


def test_the_patron_cuts_its_support_a_step_the_round_after_its_client_broke_the_accord():
    model, s, st, d = parts(COSIGNED)
    st.actors.rung[B] = 1  # B breaks the truce P signed for it
    accords.violations_and_trust(s, st, model.log, 1)
    patrons.enforce(s, st, model.log, 2)
    assert st.channels.level[0] == pytest.approx(40.0 - 0.25 * 40.0)
    cut = [e for e in model.events if e["type"] == "support_changed"]
    assert cut and cut[-1]["reasons"] == {"sanction": "truce", "violator": "B", "violation": "rung"}
    # Only once, for the round after the breach.
    patrons.enforce(s, st, model.log, 3)
    assert st.channels.level[0] == pytest.approx(30.0)


def test_no_cut_without_a_breach_or_with_enforcement_off():
    model, s, st, d = parts(COSIGNED)
    accords.violations_and_trust(s, st, model.log, 1)  # kept
    patrons.enforce(s, st, model.log, 2)
    assert st.channels.level[0] == 40.0
    model, s, st, d = parts({**COSIGNED, "engine.patrons.enforce": False})
    st.actors.rung[B] = 1
    accords.violations_and_trust(s, st, model.log, 1)
    patrons.choose_support(s, st, d, strength(s, st, d), np.random.default_rng(0), model.log, 2)
    assert not [e for e in model.events if "sanction" in e.get("reasons", {})]
