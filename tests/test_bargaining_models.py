"""The compromise model, the Nash bargaining solution, the exchange model and the Shapley-Shubik index, against
the plain-loop references of tests/models_reference.py, hand-worked cases and published values.

Published: the Shapley-Shubik indices of the EU-15 Council under 62 of 87 votes, as tabulated in the voting
power literature (e.g. Felsenthal & Machover 1998, *The Measurement of Voting Power*): 0.1167 for each of the
big four, 0.0955 Spain, 0.0552 the five-vote members, 0.0454 the four-vote, 0.0353 the three-vote, 0.0207
Luxembourg.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sim.bargaining import (
    breakdown,
    compromise,
    disagreement_at,
    exchange_run,
    nash_bargaining,
    weighted_mean,
)
from sim.bargaining.eu_council import ERAS, council_power
from sim.bargaining.power import shapley_shubik

sys.path.insert(0, str(Path(__file__).resolve().parent))
import models_reference as ref  # noqa: E402

GRID = [0.0, 10.0, 25.0, 50.0, 75.0, 100.0]


@st.composite
def cases(draw, max_n=6, max_k=3, per_issue=None):
    n = draw(st.integers(2, max_n))
    k = draw(st.integers(1, max_k))
    pos = st.one_of(st.sampled_from(GRID), st.floats(0, 100, allow_nan=False), st.just(math.nan))
    x = np.array([[draw(pos) for _ in range(k)] for _ in range(n)])
    # subnormal saliences underflow in the NBS's bisection (docs/BARGAINING.md); no real salience is one
    sal = st.one_of(st.just(0.0), st.just(1.0), st.floats(0, 1, allow_subnormal=False))
    s = np.array([[draw(sal) for _ in range(k)] for _ in range(n)])
    cap = st.one_of(st.just(1.0), st.floats(0, 10))
    if per_issue if per_issue is not None else draw(st.booleans()):
        c = np.array([[draw(cap) for _ in range(k)] for _ in range(n)])
    else:
        c = np.array([draw(cap) for _ in range(n)])
    return x, c, s


def _per_issue(c, k):
    return (np.repeat(c[:, None], k, axis=1) if c.ndim == 1 else c).tolist()


# ------------------------------------------------------------------------------------------ compromise


@given(case=cases())
@settings(max_examples=100, deadline=None)
def test_compromise_equals_the_plain_loop(case):
    x, c, s = case
    want = ref.compromise(x.tolist(), _per_issue(c, x.shape[1]), s.tolist())
    np.testing.assert_allclose(compromise(x, c, s), want, rtol=1e-12, atol=1e-9)


def test_compromise_is_the_eum_round0_mean_to_the_bit():
    x = np.array([[4.0], [7.0], [10.0]])
    c, s = np.array([0.16, 0.08, 0.16]), np.array([[0.8], [0.4], [0.6]])
    assert compromise(x, c, s)[0] == weighted_mean(x, c, s)[0]
    # per-issue capabilities equal to the per-actor ones give the same bits too
    assert compromise(x, c[:, None], s)[0] == weighted_mean(x, c, s)[0]


# ------------------------------------------------------------------------------------------------ NBS


def _reference_nbs(x, c, s, lo, hi, d):
    return ref.nash_bargaining(x.tolist(), _per_issue(c, x.shape[1]), s.tolist(), lo, hi, d.tolist())


@given(case=cases(), k_loss=st.one_of(st.just(1.0), st.floats(1.0, 20.0)), sq=st.booleans(), data=st.data())
@settings(max_examples=120, deadline=None)
def test_nbs_equals_the_golden_section_reference(case, k_loss, sq, data):
    x, c, s = case
    # a Nash product of subnormal saliences or powers is flat to the last bit, so a search on its value (the
    # reference) cannot find the top that the kernel's derivative still finds: keep weights either 0 or >= 1e-3
    s, c = np.where(s < 1e-3, 0.0, s), np.where(c < 1e-3, 0.0, c)
    k = x.shape[1]
    lo, hi = np.zeros(k), np.full(k, 100.0)
    if sq:
        point = np.array([data.draw(st.sampled_from(GRID)) for _ in range(k)])
        d = disagreement_at(x, s, lo, hi, point)
    else:
        d = breakdown(x, k_loss)
    got = nash_bargaining(x, c, s, lo, hi, d)
    want = _reference_nbs(x, c, s, lo, hi, d)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    ok = ~np.isnan(got)
    # the Nash product is flat near its top: compare the objective at both answers, and the answers loosely
    for q in np.flatnonzero(ok):
        take = [i for i in range(len(x)) if not math.isnan(x[i, q]) and _per_issue(c, k)[i][q] * s[i, q] > 0]
        args = ([x[i, q] for i in take], [_per_issue(c, k)[i][q] for i in take], [s[i, q] for i in take])
        f = lambda o, q=q, args=args, take=take: ref.nash_objective(o, *args, [d[i, q] for i in take], 100.0)  # noqa: E731
        if math.isfinite(f(want[q])):
            assert f(got[q]) >= f(want[q]) - 1e-9 * (1 + abs(f(want[q])))
    np.testing.assert_allclose(got[ok], np.array(want)[ok], rtol=0, atol=1e-3)


@given(case=cases())
@example(  # found by hypothesis: a subnormal power alone on an issue once lost its pull in the bisection
    case=(
        np.array([[0.0, np.nan, np.nan], [10.0, 0.0, 0.0]]),
        np.array([1.0, 2.22507386e-313]),
        np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]]),
    )
)
@example(  # found by hypothesis: the compromise model's weighted mean rounded a lone subnormal weight's position
    case=(
        np.array([[0.0, np.nan, 0.0], [0.0, np.nan, np.nan], [np.nan, 1.5, np.nan], [0.0, np.nan, 0.0]]),
        np.array([1.0, 1.0, 5e-324, 1.0]),
        np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]),
    )
)
@settings(max_examples=60, deadline=None)
def test_nbs_tends_to_the_compromise_model_as_breakdown_grows(case):
    """Achen (2006): with a common, very bad disagreement the NBS's first-order condition is the weighted mean's."""
    x, c, s = case
    k = x.shape[1]
    got = nash_bargaining(x, c, s, np.zeros(k), np.full(k, 100.0), breakdown(x, 1e9))
    np.testing.assert_allclose(got, compromise(x, c, s), rtol=0, atol=1e-5)


def test_nbs_hand_cases():
    lo, hi = np.zeros(1), np.full(1, 100.0)
    # two equal actors: the midpoint, whatever the breakdown loss
    x, c, s = np.array([[20.0], [80.0]]), np.ones(2), np.ones((2, 1))
    for k_loss in (1.0, 3.0, 50.0):
        assert nash_bargaining(x, c, s, lo, hi, breakdown(x, k_loss))[0] == pytest.approx(50.0, abs=1e-9)
    # status quo between them: nobody gains from any move that hurts the other, so the status quo stays
    d = disagreement_at(x, s, lo, hi, np.array([40.0]))
    assert nash_bargaining(x, c, s, lo, hi, d)[0] == pytest.approx(40.0, abs=1e-9)
    # status quo at 0, both above it: the feasible set is [0, 40], and the NBS of |20|, |80| there is 20 + ...:
    # u_1 - d_1 = 0.04 - ((o - 20)/100)^2 ... maximised where the derivatives balance; check it against the
    # reference and that it lies in the feasible set
    d = disagreement_at(x, s, lo, hi, np.array([0.0]))
    got = nash_bargaining(x, c, s, lo, hi, d)[0]
    assert 20.0 < got < 40.0
    assert got == pytest.approx(_reference_nbs(x, c, s, lo, hi, d)[0], abs=1e-6)
    # a disagreement utility above anything reachable: no outcome
    assert np.isnan(nash_bargaining(x, c, s, lo, hi, np.array([[0.1], [-1.0]]))[0])
    # a finite breakdown favours whoever the outcome leaves nearest to its breakdown: here the far, low-salience
    # actor, so the NBS lies above the weighted mean 100/6 and falls to it as K grows
    x2, s2 = np.array([[0.0], [100.0]]), np.array([[1.0], [0.2]])
    path = [nash_bargaining(x2, np.ones(2), s2, lo, hi, breakdown(x2, kl))[0] for kl in (1.0, 2.0, 10.0, 1e6)]
    assert path[0] > path[1] > path[2] > path[3] == pytest.approx(100 / 6, abs=1e-4)


# ------------------------------------------------------------------------------------------ exchange


def test_exchange_hand_case():
    # i cares about issue 1, j about issue 0; each gives way on the other: O = (80, 20) -> (100, 0), gain 12 each
    x = np.array([[0.0, 0.0], [100.0, 100.0]])
    s = np.array([[0.2, 0.8], [0.8, 0.2]])
    run = exchange_run(x, np.ones(2), s, rounds=5)
    np.testing.assert_allclose(run.forecasts[0], [80.0, 20.0])
    ((rnd, i, j, p, q, gain, i_new, j_new),) = run.exchanges
    assert (rnd, i, j, p, q) == (1, 0, 1, 0, 1)
    assert gain == pytest.approx(12.0) and i_new == pytest.approx(100.0) and j_new == pytest.approx(0.0)
    np.testing.assert_allclose(run.forecasts[-1], [100.0, 0.0])
    assert run.converged and run.rounds_run == 1
    # one issue, or issues of different decisions: nothing to trade
    assert exchange_run(x, np.ones(2), s, rounds=5, groups=np.array([0, 1])).exchanges == []


@given(case=cases(max_n=6, max_k=4), rounds=st.integers(1, 3), two=st.booleans())
@settings(max_examples=120, deadline=None)
def test_exchange_equals_the_plain_loop(case, rounds, two):
    x, c, s = case
    k = x.shape[1]
    groups = np.array([q % 2 if two else 0 for q in range(k)])
    got = exchange_run(x, c, s, rounds, groups=groups)
    history, done = ref.exchange_run(x.tolist(), _per_issue(c, k), s.tolist(), rounds, groups.tolist())
    np.testing.assert_allclose(got.positions, np.array(history), rtol=0, atol=1e-9)
    assert [e[:5] for e in got.exchanges] == [e[:5] for e in done]
    np.testing.assert_allclose(
        np.reshape([e[5:] for e in got.exchanges], (-1, 3)),
        np.reshape([e[5:] for e in done], (-1, 3)),
        atol=1e-9,
    )
    for r, pos in enumerate(got.positions):
        np.testing.assert_allclose(
            got.forecasts[r], ref.compromise(pos.tolist(), _per_issue(c, k), s.tolist()), atol=1e-9
        )


# ------------------------------------------------------------------------------------ Shapley-Shubik


@given(
    weights=st.lists(st.integers(0, 12), min_size=1, max_size=6),
    share=st.floats(0.0, 1.0),
    min_members=st.integers(0, 6),
    min_blockers=st.integers(0, 3),
)
@settings(max_examples=150, deadline=None)
def test_shapley_shubik_equals_walking_every_order(weights, share, min_members, min_blockers):
    quota = math.ceil(share * sum(weights))
    got = shapley_shubik(np.array(weights), quota, min_members, min_blockers)
    want = ref.shapley_shubik(weights, quota, min_members, min_blockers)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def test_council_power_published_eu15_values_and_invariants():
    eu15 = council_power("amsterdam15")
    published = {"de": 0.1167, "es": 0.0955, "be": 0.0552, "at": 0.0454, "dk": 0.0353, "lu": 0.0207}
    for state, value in published.items():
        assert eu15[state] == pytest.approx(value, abs=5e-5)
    for era in ERAS:
        qmv = council_power(era)
        assert sum(qmv.values()) == pytest.approx(1.0, abs=1e-12) and min(qmv.values()) > 0
        unan = council_power(era, unanimity=True)
        assert set(unan) == set(qmv) and len(set(unan.values())) == 1
    lisbon = council_power("lisbon28")
    # the double majority favours the most populous: Germany above France above Italy, Malta last
    assert lisbon["de"] > lisbon["fr"] > lisbon["it"] and min(lisbon, key=lisbon.get) == "mt"
    with pytest.raises(ValueError, match="era"):
        council_power("maastricht12")
    with pytest.raises(ValueError, match="integers"):
        shapley_shubik(np.array([1.5, 2.0]), 2)
