"""The combat kernel (sim/kernels/combat.py): properties over random inputs, and anchors from its sources."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.kernels.combat import (
    POSTURE,
    TERRAIN,
    CombatParams,
    Force,
    defence_multiplier,
    resolve,
    terrain_mobility,
)

strength = st.floats(1.0, 1e6)
factor = st.floats(1.0, 3.0)
quality = st.floats(0.2, 5.0)
heavy = st.floats(0.0, 5e3)
params = st.builds(
    CombatParams,
    attacker_edge=st.floats(-3.0, 3.0),
    sharpness=st.floats(0.0, 5.0),
    factor_weight=st.floats(0.0, 2.0),
    heavy_weight=st.floats(0.0, 1e3),
    helmbold_w=st.floats(0.0, 1.0),
    casualty_level=st.floats(1e-3, 0.5),
    size_exponent=st.floats(-0.5, 0.5),
    advance_rate=st.floats(0.0, 50.0),
)


battles = st.fixed_dictionaries(
    {
        "strength_a": strength,
        "strength_b": strength,
        "heavy_a": heavy,
        "heavy_b": heavy,
        "quality_a": quality,
        "quality_b": quality,
        "defence_a": factor,
        "defence_b": factor,
    }
)


def sides(b: dict) -> tuple[Force, Force]:
    """The two Forces of a battle drawn from `battles`."""
    return tuple(
        Force(b[f"strength_{x}"], b[f"heavy_{x}"], b[f"quality_{x}"], b[f"defence_{x}"]) for x in "ab"
    )


@settings(max_examples=300, deadline=None)
@given(battles, params, st.floats(0.1, 1.5))
def test_outputs_are_probabilities_fractions_and_rates(b, p, mobility):
    out = resolve(*sides(b), mobility=mobility, params=p)
    assert 0.0 <= out.p_attacker_wins <= 1.0
    assert 0.0 < out.attacker_casualty_fraction <= 1.0
    assert 0.0 < out.defender_casualty_fraction <= 1.0
    assert 0.0 <= out.advance_km_per_day <= p.advance_rate * mobility


@settings(max_examples=300, deadline=None)
@given(battles, params, st.floats(1.0, 10.0))
def test_more_attackers_never_lower_the_attackers_chance(b, p, more):
    base = resolve(*sides(b), params=p)
    stronger = resolve(*sides({**b, "strength_a": b["strength_a"] * more}), params=p)
    assert stronger.p_attacker_wins >= base.p_attacker_wins
    assert stronger.advance_km_per_day >= base.advance_km_per_day
    # Helmbold's exchange: with more men the attacker's fraction lost falls relative to the defender's
    assert (
        stronger.defender_casualty_fraction / stronger.attacker_casualty_fraction
        >= base.defender_casualty_fraction / base.attacker_casualty_fraction * (1 - 1e-12)
        or stronger.defender_casualty_fraction == 1.0
        or base.attacker_casualty_fraction == 1.0  # both clipped: the exchange relation no longer binds
    )


@settings(max_examples=300, deadline=None)
@given(battles, params, st.floats(1.0, 3.0))
def test_a_stronger_defence_never_helps_the_attacker(b, p, more):
    base = resolve(*sides(b), params=p)
    dug_in = resolve(*sides({**b, "defence_b": b["defence_b"] * more}), params=p)
    assert dug_in.p_attacker_wins <= base.p_attacker_wins
    assert dug_in.advance_km_per_day <= base.advance_km_per_day


@settings(max_examples=300, deadline=None)
@given(battles, params, st.floats(0.1, 1.5))
def test_swapping_the_sides_with_their_postures_mirrors_the_outcome(b, p, mobility):
    out = resolve(*sides(b), mobility=mobility, params=p)
    swapped = {
        "strength_a": b["strength_b"],
        "strength_b": b["strength_a"],
        "heavy_a": b["heavy_b"],
        "heavy_b": b["heavy_a"],
        "quality_a": b["quality_b"],
        "quality_b": b["quality_a"],
        "defence_a": b["defence_b"],
        "defence_b": b["defence_a"],
    }
    mirror = resolve(*sides(swapped), mobility=mobility, params=replace(p, attacker_edge=-p.attacker_edge))
    assert resolve(
        *sides(swapped), mobility=mobility, attacks=-1.0, params=p
    ).p_attacker_wins == pytest.approx(mirror.p_attacker_wins, abs=1e-12)
    assert mirror.p_attacker_wins == pytest.approx(1.0 - out.p_attacker_wins, abs=1e-12)
    assert mirror.attacker_casualty_fraction == pytest.approx(out.defender_casualty_fraction, rel=1e-9)
    assert mirror.defender_casualty_fraction == pytest.approx(out.attacker_casualty_fraction, rel=1e-9)
    assert mirror.advance_km_per_day + out.advance_km_per_day == pytest.approx(p.advance_rate * mobility)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(strength, strength, factor), min_size=1, max_size=20), params)
def test_a_batch_is_the_battles_one_by_one(rows, p):
    a, b, phi = (np.array(c) for c in zip(*rows, strict=True))
    batch = resolve(Force(a), Force(b, defence=phi), params=p)
    for i in range(len(rows)):
        one = resolve(Force(a[i]), Force(b[i], defence=phi[i]), params=p)
        for got, want in zip(batch, one, strict=True):
            assert got[i] == pytest.approx(float(want), rel=1e-12)


def square_law(a0, b0, kill_a, kill_b, t):
    """Lanchester's square law dA/dt = -kill_b B, dB/dt = -kill_a A in closed form (Lanchester 1916; Taylor
    1983, *Lanchester Models of Warfare*, vol. 1): with g = sqrt(kill_a kill_b),
    A(t) = a0 cosh(gt) - sqrt(kill_b/kill_a) b0 sinh(gt), B(t) = b0 cosh(gt) - sqrt(kill_a/kill_b) a0 sinh(gt)."""
    g = np.sqrt(kill_a * kill_b)
    return (
        a0 * np.cosh(g * t) - np.sqrt(kill_b / kill_a) * b0 * np.sinh(g * t),
        b0 * np.cosh(g * t) - np.sqrt(kill_a / kill_b) * a0 * np.sinh(g * t),
    )


@pytest.mark.parametrize(
    ("a0", "b0", "kill_a", "kill_b"),
    [(100.0, 80.0, 0.5, 0.8), (100.0, 80.0, 0.8, 0.5), (1000.0, 1500.0, 1.0, 0.3), (60.0, 50.0, 0.2, 0.2)],
)
def test_square_law_anchor_winner_and_exchange(a0, b0, kill_a, kill_b):
    # W = 1 is the square law: quality = sqrt(kill rate) makes L = ln(a0/b0) + ln(kill_a/kill_b)/2
    p = CombatParams(attacker_edge=0.0, sharpness=1.0, factor_weight=0.0, heavy_weight=0.0, helmbold_w=1.0)
    out = resolve(Force(a0, quality=np.sqrt(kill_a)), Force(b0, quality=np.sqrt(kill_b)), params=p)
    # the closed form: who reaches zero first
    t = np.linspace(0.0, 50.0, 200_001)
    a, b = square_law(a0, b0, kill_a, kill_b, t)
    first_zero = [np.flatnonzero(x <= 0)[0] if (x <= 0).any() else np.inf for x in (a, b)]
    attacker_wins = first_zero[1] < first_zero[0]
    assert (out.p_attacker_wins > 0.5) == attacker_wins
    # the fractional exchange ratio early in the fight
    a_t, b_t = square_law(a0, b0, kill_a, kill_b, 1e-4)
    closed = (1 - b_t / b0) / (1 - a_t / a0)
    kernel = out.defender_casualty_fraction / out.attacker_casualty_fraction
    assert kernel == pytest.approx(closed, rel=1e-3)


def test_linear_law_anchor_winner():
    # W = 1/2 is Lanchester's linear law, dA/dt = -kill_b A B: A wins iff kill_a a0 > kill_b b0
    p = CombatParams(attacker_edge=0.0, sharpness=1.0, factor_weight=0.0, heavy_weight=0.0, helmbold_w=0.5)
    a0, b0 = np.array([100.0, 100.0]), np.array([150.0, 150.0])
    kill_a, kill_b = np.array([1.6, 1.4]), np.array([1.0, 1.0])
    out = resolve(Force(a0, quality=kill_a), Force(b0, quality=kill_b), params=p)
    assert list(out.p_attacker_wins > 0.5) == list(kill_a * a0 > kill_b * b0)
    # and the exchange: the fractional loss rates are kill_b B for A and kill_a A for B
    assert out.defender_casualty_fraction / out.attacker_casualty_fraction == pytest.approx(
        kill_a * a0 / (kill_b * b0)
    )


def test_dupuy_factors_as_published():
    # NPW (1985) Table 5 p. 230 and Table 1 p. 228, as quoted by the Dupuy Institute
    assert (POSTURE["attack"], POSTURE["hasty"], POSTURE["prepared"], POSTURE["fortified"]) == (
        1.0,
        1.3,
        1.5,
        1.6,
    )
    assert (POSTURE["delay"], POSTURE["withdrawal"]) == (1.2, 1.15)
    assert (
        TERRAIN["rugged_mixed"][0] == 1.5
        and TERRAIN["rolling_mixed"][0] == 1.3
        and TERRAIN["urban"][0] == 1.4
    )
    assert len(TERRAIN) == 14  # the QJM's 14 terrain types
    assert defence_multiplier(["prepared"], ["rugged_mixed"])[0] == pytest.approx(2.25)
    assert defence_multiplier(["attack"], None)[0] == 1.0
    assert terrain_mobility(["rolling_bare"])[0] == 1.0


def test_dupuy_even_odds_at_combat_power_parity():
    # Dupuy: the outcome turns on P_a / P_b = 1, posture and terrain included; a prepared defence on rugged,
    # mixed ground (1.5 x 1.5) holds 2.25 times its numbers
    p = CombatParams(attacker_edge=0.0, sharpness=1.0, factor_weight=1.0, heavy_weight=0.0)
    phi = defence_multiplier(["prepared"], ["rugged_mixed"])
    assert resolve(Force(2250.0), Force(1000.0, defence=phi), params=p).p_attacker_wins[0] == pytest.approx(
        0.5
    )
    assert resolve(Force(2000.0), Force(1000.0, defence=phi), params=p).p_attacker_wins[0] < 0.5
