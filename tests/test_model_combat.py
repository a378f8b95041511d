"""Contrast tests of the model's fighting (docs/MODEL.md section 6): each region's battle is the combat kernel
(`sim.kernels.combat.resolve`, scored on CDB90 by benchmarks/cdb90.py), with the belligerents' quality, the
region's terrain and fortification, posture from the rungs, casualties that feed weariness, and regions valued
by area and per-actor worth. Each test fails when its mechanism is taken out."""

from __future__ import annotations

import numpy as np
import pytest
from model_support import duel

from sim.engine.derived import refresh, weariness
from sim.engine.phases import learning, resolution
from sim.kernels import combat
from sim.model import ConflictModel

A, B = 0, 1  # the duel's belligerents (side and actor index alike)


def fought(changes: dict, rungs: tuple[int, int] = (2, 2)):
    """The duel's state after one round of fighting at `rungs`, without battle luck."""
    model = ConflictModel(scenario=duel({"engine.combat.noise": 0.0, **changes}), rng=1)
    s, st, d = model.structure, model.state, model.derived
    st.actors.rung[[A, B]] = rungs
    resolution.fight(s, st, d, np.random.default_rng(0), model.log, 1)
    return model


def a_result(changes: dict, rungs: tuple[int, int] = (2, 2)) -> float:
    """A's result in the front's battle (with no luck: its chance of winning it)."""
    return float(fought(changes, rungs).state.battle[0, A])


def test_the_model_calls_the_kernel_the_benchmark_scores():
    """An even front, equal forces at the same rung: the kernel's own p for A's quality 2 (a meeting
    engagement, no edge, both defending half the region: the multipliers cancel)."""
    p = combat.resolve(combat.Force(20_000.0, quality=2.0), combat.Force(20_000.0), attacks=0.0)
    assert a_result({"actors.A.quality": 2.0}) == pytest.approx(float(p.p_attacker_wins))


def test_quality_multiplies_a_belligerents_own_forces_in_battle():
    assert a_result({}) == pytest.approx(0.5)
    better = fought({"actors.A.quality": 2.0})
    assert better.state.battle[0, A] > 0.55
    assert better.state.theatre.control[0, A] > 0.5  # and it gains ground
    # Helmbold's exchange: the better side loses a smaller fraction than the other
    lost = 1.0 - better.state.actors.forces[[A, B]] / 20.0
    assert lost[A] < lost[B]


def test_terrain_and_fortification_help_the_holder_of_a_region():
    held = {"theatre.regions.front.control": {"A": 0.8, "B": 0.2}}
    open_ground = a_result(
        {**held, "theatre.regions.front.terrain": "flat_bare", "theatre.regions.front.fortification": "hasty"}
    )
    city = a_result(
        {**held, "theatre.regions.front.terrain": "urban", "theatre.regions.front.fortification": "fortified"}
    )
    assert 0.5 < open_ground < city
    # on an even front the same multiplier helps neither side
    even = {"theatre.regions.front.terrain": "urban", "theatre.regions.front.fortification": "fortified"}
    assert a_result(even) == pytest.approx(0.5)


def test_rough_terrain_slows_the_pace_of_the_front():
    better = {"actors.A.quality": 3.0}
    flat = fought({**better, "theatre.regions.front.terrain": "flat_bare"}).state.theatre.control[0, A]
    rugged = fought(
        {**better, "theatre.regions.front.terrain": "rugged_heavily_wooded"}
    ).state.theatre.control[0, A]
    assert 0.5 < rugged < flat
    # and a deeper region moves less per round
    deep = fought({**better, "theatre.regions.front.area": 400.0**2}).state.theatre.control[0, A]
    assert 0.5 < deep < fought(better).state.theatre.control[0, A]  # default depth 200 km


def test_posture_the_attacker_chose_the_battle():
    """Equal engaged forces (A 10 at full effort, B 20 at half): A attacks and has the kernel's attacker's
    edge; at the same rung with the same engaged forces the battle is even."""
    attacker = a_result({"actors.A.forces": 10, "actors.B.forces": 20}, rungs=(2, 1))
    p = 1.0 / (1.0 + np.exp(-combat.CombatParams().attacker_edge))
    assert attacker == pytest.approx(p)
    assert a_result({"actors.A.forces": 10, "actors.B.forces": 10}) == pytest.approx(0.5)
    defender = a_result({"actors.A.forces": 20, "actors.B.forces": 10}, rungs=(1, 2))
    assert defender == pytest.approx(1.0 - p)


def test_casualties_reduce_forces_and_feed_weariness():
    model = fought({"actors.A.forces": 40, "engine.escalation.weariness": 1.0})
    st = model.state
    lost = np.array([40.0, 20.0]) - st.actors.forces[[A, B]]
    assert lost.min() > 0
    assert st.hurt == pytest.approx(lost.sum() / 60.0)
    assert weariness(st) == pytest.approx(1.0 + lost.sum() / 60.0)
    # Contrast: no fighting, no casualties, no weariness.
    calm = fought({"engine.escalation.weariness": 1.0}, rungs=(0, 0)).state
    assert calm.hurt == 0.0 and weariness(calm) == 1.0
    # More casualties (battles_per_round doubled) weigh more.
    bloody = fought({"actors.A.forces": 40, "engine.combat.battles_per_round": 0.1}).state
    assert bloody.hurt == pytest.approx(2 * st.hurt, rel=1e-6)


def test_learning_reads_the_battle_result_even_where_control_cannot_move():
    """A holds the whole front and wins its battle: control cannot grow, yet the belief counts the win."""
    model = fought({"theatre.regions.front.control": {"A": 1.0}, "actors.A.quality": 3.0})
    s, st, d = model.structure, model.state, model.derived
    assert st.theatre.control[0, A] == 1.0
    learning.observe(s, st, d)
    assert st.belief[A, 1] == pytest.approx(1.0)
    assert st.belief[A, 0] == pytest.approx(st.battle[0, A]) and st.belief[A, 0] > 0.6


def test_regions_are_valued_by_area_and_by_each_actors_worth():
    model = ConflictModel(scenario=duel(), rng=1)
    s, st, d = model.structure, model.state, model.derived
    weight, stakes = d.region_weight.copy(), d.stakes.copy()
    # area absent: the weights are population + oil as before
    assert weight == pytest.approx(np.array([0.5, 0.5, 0.6]) / 1.6)
    st.theatre.value[B, 0] = 0.5  # B's symbolic worth of the front
    refresh(s, st, d)
    assert d.stakes[B, 0] == pytest.approx(stakes[B, 0] + 0.8 * 0.5)  # territory 0.8 x value
    assert d.stakes[A, 0] == pytest.approx(stakes[A, 0])
    big = ConflictModel(
        scenario=duel({"theatre.regions.front.area": 3000.0, "theatre.regions.port.area": 1000.0}), rng=1
    ).derived
    assert big.region_weight == pytest.approx(np.array([0.5 + 0.75, 0.5, 0.6 + 0.25]) / 2.6)
