"""Contrast tests of the mechanisms that let a conflict turn (issue 10: 1 patrons choose their commitment, 2 red
lines on territory, 4 learning from fighting): each fails if its mechanism is switched off or inverted.

They run the real model on the small duel scenario (tests/model_support.py), changing only what the test is
about, beside a contrasting case so that a constant answer cannot pass.
"""

from __future__ import annotations

import numpy as np
from model_support import duel, rival_patron

from sim.engine.log import Kind
from sim.engine.phases import learning as learning_phase
from sim.kernels import learning, patrons
from sim.model import ConflictModel

# B under attack by a stronger A, with a patron whose starting commitment is 2 units.
BACKED = {
    "actors.A.forces": 30,
    "actors.A.rung": 2,
    "actors.P.support": [{"to": "B", "level": 2.0, "max_level": 2.0}],
}


def final_commitment(changes: dict, rounds: int = 10, seeds: range = range(6)) -> float:
    """Mean over seeds of P's channel ceiling after `rounds` rounds."""
    tops = []
    for seed in seeds:
        model = ConflictModel(scenario=duel({**BACKED, **changes}), rng=seed, max_rounds=rounds)
        model.run()
        tops.append(float(model.sup_max[0]))
    return float(np.mean(tops))


def test_a_patron_whose_client_is_attacked_raises_its_commitment_and_a_fixed_cap_does_not():
    chosen = final_commitment({})
    capped = final_commitment({"engine.patrons.commitment": False})
    assert capped == 2.0
    assert chosen > 2.5
    # The political cost is convex and grows with the domestic constraint: a constrained patron commits less.
    constrained = final_commitment({"actors.P.domestic_constraint": 1.0})
    assert constrained < chosen - 0.5


def test_a_patron_whose_client_is_not_attacked_cuts_its_commitment():
    """No danger (A holds fire and cannot climb: the ladder has one rung), so the commitment only costs."""
    calm = {"ladder": [{"name": "Hold fire", "intensity": 0.0, "cost": 0.0, "breaks_truce": False}]}
    assert final_commitment({**calm, "actors.A.rung": 0}) < 1.0


def test_a_hard_limit_caps_the_chosen_commitment():
    assert final_commitment({"actors.P.support.0.limit": 2.5}) <= 2.5


def test_a_cut_commitment_brings_the_support_given_down_with_it_at_once():
    """A patron whose client is not attacked cuts its ceiling below the support it gives; the support comes down
    to the new ceiling in the same round, logged as caused by the commitment, and never stands above it."""
    calm = {
        "ladder": [{"name": "Hold fire", "intensity": 0.0, "cost": 0.0, "breaks_truce": False}],
        "actors.A.rung": 0,
    }
    cuts = 0
    for seed in range(4):
        model = ConflictModel(scenario=duel({**BACKED, **calm}), rng=seed, max_rounds=8)
        level = 2.0
        for _ in range(8):
            model.step()
            ch = model.state.channels
            assert ch.level[0] <= ch.max[0] + 1e-12
            here = [e for e in model.events if e["round"] == model.round]
            for e in here:
                if e["type"] == Kind.COMMITMENT_CHANGED and e["new"] < level:
                    cuts += 1
                    assert {"type": Kind.SUPPORT_CHANGED, "new": e["new"]} in [
                        {"type": f["type"], "new": f.get("reasons", {}).get("commitment")} for f in here
                    ]
            level = float(ch.level[0])
    assert cuts >= 2


def test_a_patron_out_committed_by_a_rival_raises_its_commitment_to_match():
    """The balance of resolve (Kahn 1965): a rival patron Q backs A with 4 units it cannot raise; P, backing B
    with 2, pays for the shortfall, so in every run it ends committing more than it does with the resolve term
    switched off (same seeds, same draws)."""
    rival = {
        "actors.Q": rival_patron(
            {"influence": 0.8, "cost_aversion": 0.5}, {"level": 4.0, "max_level": 4.0, "limit": 4.0}
        ),
    }
    off = {**rival, "engine.patrons.resolve_weight": 0.0}
    matched = [final_commitment(rival, rounds=14, seeds=range(s, s + 1)) for s in range(8)]
    unmoved = [final_commitment(off, rounds=14, seeds=range(s, s + 1)) for s in range(8)]
    assert all(m >= u for m, u in zip(matched, unmoved, strict=True))
    assert np.mean(matched) > np.mean(unmoved) + 0.5


def test_commitment_utility_is_convex_in_cost_and_rewards_matching_a_rival():
    stakes, p = np.array([0.0]), np.zeros((1, 3))
    relative = np.array([[0.5, 1.0, 1.5]])
    u = patrons.commitment_utilities(
        stakes, p, relative, np.array([1.0]), relative, np.array([0.0]), np.array([0.0])
    )
    assert np.allclose(u, -(relative**2))  # cost x (M / M0)^2, nothing else when there is no rival
    own = np.array([[1.0, 2.0, 3.0]])
    alone = patrons.commitment_utilities(stakes, p, relative, np.zeros(1), own, np.array([0.0]), np.ones(1))
    rival = patrons.commitment_utilities(stakes, p, relative, np.zeros(1), own, np.array([3.0]), np.ones(1))
    assert np.allclose(alone, 0.0)
    # Out-committed by a rival with 3 units: the shortfall costs (3 - own) / 3; matching it costs nothing.
    assert np.allclose(rival, [[-2 / 3, -1 / 3, 0.0]])


# A third party outside the war draws a red line on the front: A must not hold more than 60% of it.
RED_LINE = {
    "actors.T": {
        "name": "Third party",
        "role": "stakeholder",
        "capability": 10,
        "goals": {"influence": 0.8, "cost_aversion": 0.5},
        "threats": [
            {
                "target": "A",
                "trigger": {"region": "front", "side": "A", "above": 0.6},
                "magnitude": 40.0,
                "credibility": 1.0,
            }
        ],
    },
    "actors.A.forces": 40,
}


def run_front(changes: dict, seed: int) -> ConflictModel:
    return ConflictModel(scenario=duel(changes), rng=seed, max_rounds=20).run()


def test_a_red_line_on_territory_brings_a_third_party_into_the_war_when_crossed():
    crossed = 0
    for seed in range(6):
        model = run_front(RED_LINE, seed)
        done = [e for e in model.events if e["type"] == Kind.THREAT_CARRIED_OUT]
        if done:
            crossed += 1
            assert done[0]["actors"] == ["T", "A"]
            assert done[0]["reasons"]["control"] > 0.6 and done[0]["reasons"]["credibility"] == 1.0
            # it entered the war with a channel of its own to A's opponent, committed at the threat's magnitude
            ch, t = model.state.channels, model.structure.actor_index["T"]
            mine = (ch.src == t).nonzero()[0]
            assert len(mine) == 1 and ch.side[mine[0]] == 1 and ch.base[mine[0]] == 40.0
    assert crossed >= 1
    # The line deters and, when crossed, is enforced: A ends with less of the front than without it.
    with_line = np.mean([run_front(RED_LINE, s).control[0, 0] for s in range(6)])
    without = np.mean([run_front({"actors.A.forces": 40}, s).control[0, 0] for s in range(6)])
    assert with_line < without - 0.1


def test_a_red_line_that_is_never_crossed_is_never_carried_out():
    far = {**RED_LINE, "actors.T.threats.0.trigger.above": 0.999, "actors.A.forces": 20}
    for seed in range(4):
        model = run_front(far, seed)
        assert not [e for e in model.events if e["type"] == Kind.THREAT_CARRIED_OUT]


EVEN_SPLIT = {
    "forums.talks": {
        "name": "Talks",
        "participants": ["A", "B"],
        "issues": ["ceasefire", "land"],
        "schedule": {"start": "2030-01-01"},
        "open_proposal": {"terms": {"ceasefire": 50, "land": 50}, "signed_by": []},
    },
    "engine.bargaining.sign_temperature": 0.001,
    "engine.bargaining.war_cost": 0.5,
}


def test_an_optimistic_side_refuses_an_even_split_it_would_sign_on_the_true_balance():
    def a_decision(changes: dict) -> str:
        model = ConflictModel(scenario=duel({**EVEN_SPLIT, **changes}), rng=1)
        model.step()
        return next(e["type"] for e in model.events if e["type"] in (Kind.SIGNED, Kind.REFUSED))

    assert a_decision({}) == Kind.SIGNED
    assert a_decision({"actors.A.optimism": 0.45}) == Kind.REFUSED
    assert a_decision({"actors.A.optimism": 0.45, "engine.learning.on": False}) == Kind.SIGNED


def test_fighting_shrinks_a_mismatched_optimism():
    """A believes it wins 90% at parity; after 20 rounds of all-out fighting its estimate is far nearer what the
    battles show (an even contest)."""
    changes = {"actors.A.optimism": 0.4, "actors.A.rung": 2, "actors.B.rung": 2, "ladder.0.intensity": 1.0}
    model = ConflictModel(scenario=duel(changes), rng=3, max_rounds=20)
    start = learning_phase.estimate(model.structure, model.state, model.strength())[0]
    model.run()
    end = learning_phase.estimate(model.structure, model.state, model.strength())[0]
    assert start > 0.85
    assert abs(end - 0.5) < 0.5 * abs(start - 0.5)


def test_the_belief_kernel_reads_battle_shares_and_weighs_evidence_against_the_prior():
    # the contested regions' battle results, weighted: an even battle and a battle won whole
    result = np.array([[0.5, 0.5], [1.0, 0.0], [0.0, 1.0]])
    contested = np.array([True, True, False])
    assert np.allclose(learning.battle_share(result[:1], contested[:1], None), [0.5, 0.5])
    assert np.allclose(learning.battle_share(result, contested, None), [0.75, 0.25])
    assert np.allclose(learning.battle_share(result, contested, np.array([0.0, 1.0, 5.0])), [1.0, 0.0])
    p, optimism = np.array([0.5]), np.array([0.3])
    assert np.allclose(learning.win_estimate(p, optimism, np.zeros((1, 2)), 10.0), 0.8)
    # ten rounds of even battles weigh as much as a prior of strength ten
    assert np.allclose(learning.win_estimate(p, optimism, np.array([[5.0, 10.0]]), 10.0), 0.65)


def test_winners_raise_their_demands_and_losers_soften():
    changes = {"actors.A.forces": 60, "actors.A.rung": 2}

    def ceasefire_positions(harden: bool) -> tuple[float, float]:
        model = ConflictModel(
            scenario=duel({**changes, "engine.adaptation.harden": harden}), rng=2, max_rounds=6
        ).run()
        return float(model.state.actors.positions[0, 0]), float(model.state.actors.positions[1, 0])

    a_hard, b_hard = ceasefire_positions(True)
    a_soft, b_soft = ceasefire_positions(False)
    assert a_soft == 30.0  # without hardening the winner's positions stay
    assert a_hard < 30.0  # the winner moves away from B's ceasefire position (70)
    assert b_hard < 70.0 and b_soft < 70.0  # the loser softens toward A's either way


def first_rungs_of_a(changes: dict, seeds: range = range(12)) -> list[int]:
    rungs = []
    for seed in seeds:
        model = ConflictModel(scenario=duel(changes), rng=seed)
        model.step()
        rungs.append(model.history[-1]["rung_A"])
    return rungs


def test_a_red_line_deters_the_rungs_expected_to_cross_it():
    """A holds 59% of the front and the line is at 60%: every rung that fights is expected to cross it, so
    A's first choice, made while the line is still a threat, stays at holding fire far more often."""
    near = {"actors.A.forces": 30, "theatre.regions.front.control": {"A": 0.59, "B": 0.41}}
    line = {**RED_LINE, **near, "actors.T.threats.0.magnitude": 400.0}
    free = first_rungs_of_a(near)
    deterred = first_rungs_of_a(line)
    assert sum(r >= 1 for r in free) >= 8
    assert sum(r >= 1 for r in deterred) <= 2


def test_an_optimistic_side_climbs_higher_than_a_realistic_one():
    """The belief, not the balance of forces, sets the ground a side expects to win at each rung: A, outnumbered
    twenty to one, fights in some runs on the true balance, in all if it is optimistic, in none if pessimistic
    (the combat kernel gives an attacker the edge of having chosen the battle, so the odds must be long)."""
    outnumbered = {"actors.B.forces": 400}
    realistic = np.mean(first_rungs_of_a(outnumbered))
    optimistic = np.mean(first_rungs_of_a({**outnumbered, "actors.A.optimism": 0.45}))
    pessimistic = np.mean(first_rungs_of_a({**outnumbered, "actors.A.optimism": -0.45}))
    assert optimistic > realistic + 0.5
    assert pessimistic < realistic - 0.3


def test_a_side_that_underrates_itself_learns_from_winning():
    """A is three times B's strength but believes it wins 35%; the battles it wins raise its estimate."""
    changes = {"actors.A.forces": 60, "actors.A.optimism": -0.4, "actors.A.rung": 2, "actors.B.rung": 2}
    model = ConflictModel(scenario=duel(changes), rng=4, max_rounds=15)
    start = learning_phase.estimate(model.structure, model.state, model.strength())[0]
    model.run()
    end = learning_phase.estimate(model.structure, model.state, model.strength())[0]
    assert start < 0.4
    assert end > start + 0.1


def test_the_egypt_red_line_is_shipped_as_a_labelled_counterfactual():
    """Sisi drew the Sirte-Jufra line on 20 June 2020, after the 14 January start: not in the extended case."""
    from pathlib import Path

    from sim.scenario import load_scenario

    scenarios = Path(__file__).resolve().parents[1] / "scenarios"
    line = load_scenario(scenarios / "libya_2020_egypt_redline.yaml").scenario
    assert "COUNTERFACTUAL" in line.description
    (threat,) = line.actors["EGY"].threats
    assert (threat.target, threat.trigger.region, threat.trigger.side, threat.trigger.above) == (
        "GNA",
        "sirte_jufra",
        "GNA",
        0.5,
    )
    assert load_scenario(scenarios / "libya_2020_extended.yaml").scenario.actors["EGY"].threats == []


def test_a_channel_an_event_starts_gets_a_commitment_its_patron_then_chooses():
    """P starts with nothing to give (max_level 0); an event in round 1 sends 2 units: from then on the patron
    chooses its commitment, counted in steps of those 2 units, instead of keeping a frozen cap."""
    event = {
        "id": "aid",
        "description": "P sends aid",
        "date": "2020-01-01",
        "effects": [{"set": "actors.P.support.0.level", "value": 2.0}],
    }
    changes = {**BACKED, "actors.P.support": [{"to": "B", "level": 0.0, "max_level": 0.0}], "events": [event]}
    model = ConflictModel(scenario=duel(changes), rng=0, max_rounds=10).run()
    assert model.state.channels.base[0] == 2.0
    assert [e for e in model.events if e["type"] == Kind.COMMITMENT_CHANGED]
