"""Coalitions and patron support kinds (docs/MODEL.md "Coalitions" and section 5 "Support kinds"): contrasts on
the duel with a second belligerent on A's side (`side: A`)."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import yaml
from model_support import DUEL, duel

from sim.engine.log import Kind
from sim.model import run_model
from sim.outputs import summary
from sim.scenario import ScenarioError, load_scenario_text

# A2 joins A's side with forces of its own; the ground A2 holds is its side's.
MEMBER = {
    "actors.A2": {
        "name": "Alpha's ally",
        "role": "belligerent",
        "side": "A",
        "capability": 20,
        "forces": 20,
        "positions": {"ceasefire": 30, "land": 100},
        "salience": {"ceasefire": 0.6, "land": 0.9},
        "goals": {"territory": 0.8, "cost_aversion": 0.4, "ceasefire_adherence": 0.5},
    }
}
# A text that B and A2 have signed; A, far from it on land, refuses it (a near-deterministic signing).
TALKS = {
    "forums.talks": {
        "name": "Talks",
        "participants": ["A", "A2", "B"],
        "required_signatories": ["A", "A2", "B"],
        "issues": ["ceasefire", "land"],
        "schedule": {"start": "2030-01-01"},  # never sits: only its open text is decided, in round 1
        "open_proposal": {"terms": {"ceasefire": 100, "land": 0}, "signed_by": ["A2", "B"]},
    },
    "engine.bargaining.sign_temperature": 0.001,
}
SEEDS = range(10)


def test_a_member_signing_alone_binds_only_itself():
    """A2 and B signed, A refused: the text is in force and binds A2 and B, not A. Entered the old way (A2 as
    A's patron), A2's signature binds A and the text cannot be in force without A's."""
    m = run_model(duel({**MEMBER, **TALKS}), seed=0, max_rounds=1)
    a, a2, b = (m.structure.actor_index[x] for x in ("A", "A2", "B"))
    accord = m.state.accords["talks"]
    assert accord.signatories == {a2, b}
    assert accord.bound == {a2, b}
    assert m.state.accord is accord  # a ceasefire text: the accord in force
    old = {**MEMBER, "actors.A2.role": "patron", **TALKS, "forums.talks.required_signatories": ["A", "B"]}
    old["forums.talks.open_proposal"] = {"terms": {"ceasefire": 100, "land": 0}, "signed_by": ["B"]}
    p = run_model(duel(old), seed=0, max_rounds=1)
    assert "talks" not in p.state.accords  # A refused, and A's side has one belligerent: nothing in force
    assert p.state.accord is None or p.structure.actor_index["A"] not in p.state.accord.bound


def test_a_members_forces_count_for_its_side():
    """A2's 20 force units add to side A's strength (40 against 20) and A's side gains ground it does not gain
    alone; a patron with forces of its own adds them to its client's side the same way."""
    with_member = [run_model(duel(MEMBER), seed=s, max_rounds=10) for s in SEEDS]
    alone = [run_model(duel(), seed=s, max_rounds=10) for s in SEEDS]
    assert with_member[0].history[0]["strength_A"] == 40.0
    assert alone[0].history[0]["strength_A"] == 20.0
    gain = np.mean([m.history[-1]["control_front_A"] for m in with_member])
    base = np.mean([m.history[-1]["control_front_A"] for m in alone])
    assert gain > base + 0.05
    fighting_patron = run_model(duel({"actors.P.forces": 10}), seed=0, max_rounds=1)
    assert fighting_patron.history[0]["strength_B"] == 30.0


def test_a_coalition_fights_at_its_members_force_and_quality_weighted_intensity():
    """I_A = sum_m w_m I(rung_m) / sum_m w_m, w_m = forces_m x quality_m (docs/MODEL.md "Coalitions"): A (20 at
    quality 1) on the offensive (1.0) and A2 (20 at quality 3) holding fire (0.0) fight at 20 / 80 = 0.25; a side
    of one fights at its rung's intensity; every belligerent's rung counts, not only the lead's."""
    from sim.engine.derived import side_intensity

    m = run_model(duel({**MEMBER, "actors.A2.quality": 3.0}), seed=0, max_rounds=0)
    s, st, d = m.structure, m.state, m.derived
    a, a2, b = (s.actor_index[x] for x in ("A", "A2", "B"))
    st.actors.rung[[a, a2, b]] = [2, 0, 1]
    assert side_intensity(s, st, d).tolist() == pytest.approx([0.25, 0.5])
    st.actors.rung[[a, a2]] = [0, 2]
    assert side_intensity(s, st, d).tolist() == pytest.approx([0.75, 0.5])


# A truce all three signed; A2 wants the war (no grievance relief, no cost, no restraint), A wants peace.
TRUCE = {
    **MEMBER,
    "truce": {"in_force": True, "signatories": ["A", "A2", "B"], "monitoring": 0.0},
    "actors.A2.rung": 0,  # it climbs by its own choice
    "actors.A2.positions.ceasefire": 0,
    "actors.A2.salience.ceasefire": 1.0,
    "actors.A2.goals": {"territory": 1.0, "cost_aversion": 0.0, "ceasefire_adherence": 0.0},
    "actors.A.positions.ceasefire": 100,
    "actors.A.goals": {"territory": 0.1, "cost_aversion": 1.0, "ceasefire_adherence": 1.0},
    "actors.B.positions.ceasefire": 100,
    "actors.B.goals": {"territory": 0.1, "cost_aversion": 1.0, "ceasefire_adherence": 1.0},
}


def violators(changes: dict) -> dict[str, int]:
    count: dict[str, int] = {}
    for seed in SEEDS:
        m = run_model(duel(changes), seed=seed, max_rounds=3)
        for e in m.log.events:
            if e["type"] == Kind.VIOLATION:
                for who in e["actors"]:
                    count[who] = count.get(who, 0) + 1
    return count


def test_a_defecting_members_violation_is_its_own():
    """A2 keeps fighting under the truce its side signed: the violations are A2's (A's own rung is its own
    and A stands down); had A2 not signed the truce, its fighting would be no violation at all."""
    signed = violators(TRUCE)
    assert signed.get("A2", 0) >= len(SEEDS)  # from its first round at the offensive
    assert signed.get("A2", 0) > 3 * signed.get("A", 0)
    unsigned = violators({**TRUCE, "truce.signatories": ["A", "B"]})
    assert unsigned.get("A2", 0) == 0


def test_the_rung_columns_show_each_member():
    m = run_model(duel(TRUCE), seed=0, max_rounds=2)
    assert [k for k in m.history[0] if k.startswith("rung_")] == ["rung_A", "rung_B", "rung_A2"]
    assert m.history[0]["rung_A2"] == 0


def support_level(kind: str, mode: str = "overt") -> float:
    """P's mean support to B over the runs, a channel of `kind` with a ceiling of 10 and a cost that matters."""
    changes = {
        "actors.P.support": [{"to": "B", "kind": kind, "level": 5.0, "max_level": 10.0, "mode": mode}],
        "actors.A.rung": 2,
        "engine.patrons.support_cost": 2.0,
        "engine.patrons.commitment": False,
    }
    return float(
        np.mean([run_model(duel(changes), seed=s, max_rounds=15).state.channels.level[0] for s in SEEDS])
    )


def test_support_kinds_cost_differently():
    """Money costs a patron a quarter of what its own troops cost per unit (engine.support_kinds), so the same
    patron gives more of it; set both kinds' cost equal and the difference goes."""
    troops, money = support_level("troops"), support_level("money")
    assert money > troops + 5.0
    equal = {"engine.support_kinds.money.cost": 1.0}
    changes = {
        "actors.P.support": [{"to": "B", "kind": "money", "level": 5.0, "max_level": 10.0, "mode": "overt"}],
        "actors.A.rung": 2,
        "engine.patrons.support_cost": 2.0,
        "engine.patrons.commitment": False,
        **equal,
    }
    levels = [run_model(duel(changes), seed=s, max_rounds=15).state.channels.level[0] for s in SEEDS]
    assert float(np.mean(levels)) == troops


def test_troops_cannot_be_covert_and_outputs_name_the_kind():
    """Troops are always seen (engine.support_kinds.troops.covert is false): covert troops are an input
    error; rounds.csv's support column and summary.json name each channel's kind."""
    bad = copy.deepcopy(DUEL)
    bad["actors"]["P"]["support"] = [{"to": "B", "kind": "troops", "level": 1.0, "mode": "covert"}]
    with pytest.raises(ScenarioError, match="troops support cannot be covert"):
        load_scenario_text(yaml.safe_dump(bad), "duel.yaml")
    m = run_model(duel({"actors.P.support.0.kind": "money"}), seed=0, max_rounds=1)
    assert "support_P_0_money_B" in m.history[0]
    assert summary(m)["support_kind"] == {"P.0": "money"}


def test_the_worked_example_runs_as_a_coalition_war_with_a_territorial_agreement():
    """scenarios/examples/coalition_war.yaml (docs/SCENARIOS.md "Coalitions"): North's side counts its 30 at
    quality 1.5, the militia's 10, Eastland's own 3 and its arms (4 x 1.5); the militia's rung has its own
    column; signing the talks' text hands the highlands to North's side at once and, by 1 June, South's share
    of the lowland corridor."""
    from pathlib import Path

    from sim.scenario import load_scenario

    path = Path(__file__).resolve().parents[1] / "scenarios" / "examples" / "coalition_war.yaml"
    m = run_model(load_scenario(path), seed=0, max_rounds=15)
    first = m.history[0]
    assert first["strength_NORTH"] == 30 * 1.5 + 10 + 3 + 4 * 1.5
    assert first["rung_MILITIA"] == 2 and first["rung_NORTH"] == 1
    assert first["control_highlands_NORTH"] == pytest.approx(0.4)  # North's 0.1 and the militia's 0.3
    signed = next(e["round"] for e in m.events if e["type"] == "agreement")
    assert m.history[signed]["control_highlands_NORTH"] == 1.0
    moved: dict[tuple[str, str], str] = {}  # each term's first carrying out
    for e in m.events:
        if e["type"] == "control_changed" and "term" in e:
            moved.setdefault((e["region"], e["term"]), e["date"])
    assert moved[("highlands", "transfer")] <= "2024-04-01"
    assert "2024-05-25" <= moved[("lowlands", "withdraw")] <= "2024-06-01"
