"""The escalation and economy kernels: properties over random inputs (hypothesis) and the equations' anchors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.kernels import choice, contest, economy, escalation, settlement
from sim.kernels.combat import CombatParams

finite = st.floats(0.0, 100.0, allow_nan=False)
shares = st.floats(0.0, 1.0, allow_nan=False)


@st.composite
def control_matrix(draw):
    r, s = draw(st.integers(1, 6)), draw(st.integers(2, 4))
    raw = draw(arrays(float, (r, s), elements=st.floats(0.01, 1.0)))
    return raw / raw.sum(axis=1, keepdims=True)


@given(arrays(float, st.integers(1, 6), elements=finite), st.floats(0.1, 5.0))
def test_contest_gives_probabilities(strength, m):
    p = contest.contest(strength, m)
    assert np.all(p >= 0) and np.isclose(p.sum(), 1.0)
    if strength.max() > 0:
        assert p[np.argmax(strength)] == pytest.approx(p.max())


def test_contest_anchor_values():
    assert contest.contest(np.array([3.0, 1.0]), 1.0) == pytest.approx([0.75, 0.25])
    assert contest.contest(np.array([3.0, 1.0]), 2.0) == pytest.approx([0.9, 0.1])
    assert contest.contest(np.zeros(2), 1.0) == pytest.approx([0.5, 0.5])


@given(control_matrix(), st.data())
@settings(max_examples=150, deadline=None)
def test_battles_and_shifts_keep_control_shares_valid(control, data):
    r, s = control.shape
    forces = data.draw(arrays(float, s, elements=st.floats(0.1, 100.0)))
    intensity = data.draw(arrays(float, s, elements=shares))
    contested = data.draw(arrays(bool, r))
    shocks = data.draw(arrays(float, (r, s), elements=st.floats(-4.0, 4.0)))
    defence = data.draw(arrays(float, r, elements=st.floats(1.0, 3.0)))
    pace = data.draw(arrays(float, r, elements=shares))
    q, lost, fight = contest.region_battles(forces, intensity, control, defence, 0.3)
    assert np.allclose(q.sum(axis=1), 1.0) and np.all((q >= 0) & (q <= 1))
    assert np.all((lost > 0) & (lost <= 1))
    expected = contest.expected_shift(q, fight, control, pace)
    assert np.allclose(expected.sum(axis=1), 0.0, atol=1e-9) or s > 2
    new, result = contest.realise(control, contested, q, float(fight), pace, 0.3, shocks)
    assert np.all((new >= 0) & (new <= 1)) and np.allclose(new.sum(axis=1), 1.0)
    assert np.all((result >= 0) & (result <= 1))
    assert np.allclose(new[~contested], control[~contested])


def test_no_fighting_no_shift_and_the_stronger_gains():
    control = np.array([[0.5, 0.5]])
    pace = np.array([0.1])
    q, _, fight = contest.region_battles(np.array([10.0, 1.0]), np.zeros(2), control, np.ones(1), 0.3)
    assert fight == 0 and np.all(contest.expected_shift(q, fight, control, pace) == 0)
    q, _, fight = contest.region_battles(np.array([3.0, 1.0]), np.ones(2), control, np.ones(1), 0.3)
    # both attack (no edge), no defence multiplier: the kernel's p = 1 / (1 + exp(-s ln 3))
    p = 1.0 / (1.0 + np.exp(-CombatParams().sharpness * np.log(3.0)))
    assert q[0] == pytest.approx([p, 1 - p])
    # pace * I * (2 q - 1)
    assert contest.expected_shift(q, fight, control, pace)[0] == pytest.approx(
        [0.1 * (2 * p - 1), 0.1 * (1 - 2 * p)]
    )


def test_a_holder_defends_with_the_regions_multiplier():
    """Holding a whole region of multiplier 3 against an attacker three times as strong is an even battle
    when both fight at the same intensity (Dupuy: combat power parity)."""
    held = np.array([[0.0, 1.0]])
    q, _, _ = contest.region_battles(np.array([3.0, 1.0]), np.ones(2), held, np.array([3.0]), 0.3)
    assert q[0] == pytest.approx([0.5, 0.5])


def test_the_pace_is_dupuys_advance_over_the_regions_depth():
    # 7 days x 2.33 km/day x mobility (urban 0.7) / 100 km
    assert contest.region_pace(["urban"], np.array([100.0]), 7)[0] == pytest.approx(
        7 * CombatParams().advance_rate * 0.7 / 100
    )


@given(arrays(float, st.integers(1, 8), elements=st.floats(-50, 50)), st.floats(0.01, 10.0), shares)
def test_quantal_choice_stays_on_the_options(u, temperature, draw):
    k = choice.quantal_choice(u, temperature, draw)
    assert 0 <= k < len(u)


def test_quantal_choice_never_draws_an_impossible_option_and_tends_to_the_best():
    u = np.array([-np.inf, 1.0, 0.0, -np.inf])
    draws = np.linspace(0, 1, 101, endpoint=False)
    picks = [choice.quantal_choice(u, 0.5, d) for d in draws]
    assert set(picks) <= {1, 2}
    assert picks.count(1) > picks.count(2)
    assert {choice.quantal_choice(u, 1e-3, d) for d in draws} == {1}


@given(shares, shares, st.floats(0.0, 1.0))
def test_truce_penalty_grows_with_adherence_and_monitoring(adherence, monitoring, restraint):
    low = escalation.truce_penalty(adherence * 0.5, monitoring, restraint, 1.0)
    high = escalation.truce_penalty(adherence, monitoring, restraint, 1.0)
    assert high >= low >= 0
    assert escalation.truce_penalty(1.0, 1.0, restraint, 1.0) == np.inf


@given(shares, shares, st.floats(0.0, 0.99), st.floats(0.0, 0.5), shares)
def test_a_stronger_party_asks_more(d_prop, d_opp, p, cost, trust):
    weak = settlement.settlement_margin(d_prop, d_opp, p, cost, trust, 0.5, 0.0).margin
    strong = settlement.settlement_margin(d_prop, d_opp, min(1.0, p + 0.01), cost, trust, 0.5, 0.0).margin
    assert strong <= weak + 1e-12


def test_fearon_range_anchor():
    """Full trust, p = 0.7, c = 0.1, opponent at distance 1: deals within 0.3 + 0.1 of the ideal are accepted."""
    assert settlement.settlement_margin(0.39, 1.0, 0.7, 0.1, 1.0, 0.5, 0.0).margin > 0
    assert settlement.settlement_margin(0.41, 1.0, 0.7, 0.1, 1.0, 0.5, 0.0).margin < 0


@given(control_matrix(), st.data())
def test_oil_output_between_zero_and_baseline(control, data):
    r, s = control.shape
    oil = data.draw(arrays(float, r, elements=shares))
    oil = oil / max(1.0, oil.sum())
    blockading = data.draw(arrays(bool, s))
    intensity = data.draw(arrays(float, r, elements=shares))
    contested = data.draw(arrays(bool, r))
    blocked = economy.blocked_share(control, blockading)
    disrupted = economy.disruption(contested, intensity, 0.5)
    out = economy.oil_output(1.2e6, oil, blocked, disrupted)
    assert 0.0 <= out <= 1.2e6 * (1 + 1e-12)
    if not blockading.any() and not (contested & (intensity > 0)).any():
        assert out == pytest.approx(1.2e6)


def test_revenue_goes_to_the_national_receiver_or_to_whoever_holds_the_oil():
    control = np.array([[1.0, 0.0], [0.25, 0.75]])
    oil = np.array([0.6, 0.4])
    assert economy.revenue_shares(control, oil, 1) == pytest.approx([0.0, 1.0])
    assert economy.revenue_shares(control, oil, None) == pytest.approx([0.7, 0.3])


def test_blockade_pays_only_for_a_dissatisfied_side_that_does_not_get_the_revenue():
    args = dict(leverage_weight=2.0, political_cost=0.3, inertia=0.2, blockading_now=False)
    assert economy.blockade_utility(0.9, 0.0, 0.6, 0.5, **args) > 0
    assert economy.blockade_utility(0.9, 0.0, 0.6, 0.0, **args) < 0
    assert economy.blockade_utility(0.9, 1.0, 0.6, 0.5, **args) < economy.blockade_utility(
        0.9, 0.0, 0.6, 0.5, **args
    )


@pytest.mark.parametrize("now, inertia_term", [(True, 0.2), (False, -0.2)])
def test_blockade_utility_is_the_documented_formula(now, inertia_term):
    """U = lambda s h - w_oil h rho - kappa + (iota if blockading now else -iota) (docs/MODEL.md section 4)."""
    u = economy.blockade_utility(0.9, 0.5, 0.6, 0.4, 2.0, 0.3, 0.2, now)
    assert u == pytest.approx(2.0 * 0.4 * 0.9 - 0.6 * 0.9 * 0.5 - 0.3 + inertia_term)
