"""The EUM kernel against published numbers (EC 1994) and against the plain-loop reference (tests/eum_reference.py).

Published values come from data/ec1994/README.md (Scholz et al. 2011, Table 1 and the mean
trajectory) and research/bargaining-models.md section 6.1 (the Scholz port's `Example.log`, re-run by the
research team): never from this kernel's own output.
"""

from __future__ import annotations

import csv
import math
import sys
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.bargaining import (
    EUMSettings,
    eum_round,
    eum_run,
    forecast,
    median_voter,
    risk_exponent,
    weighted_mean,
    win_probabilities,
)
from sim.bargaining.eum.offers import choose_offers
from sim.bargaining.issues import as_issues

sys.path.insert(0, str(Path(__file__).resolve().parent))
import eum_reference as ref  # noqa: E402

EC_CSV = Path(__file__).resolve().parents[1] / "data" / "ec1994" / "actors.csv"
# README: mean position by round, Scholz et al. (2011), one decimal.
EC_PUBLISHED = [7.4, 7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6, 7.3, 7.2]
# bargaining-models.md 6.1: the Scholz port's Example.log (4 decimals), re-run there with identical output.
EC_PORT_LOG = [7.3900, 7.4613, 7.5525, 7.5901, 7.3581, 7.3492, 7.4149, 7.5105, 7.5724, 7.3250, 7.2421]


@pytest.fixture(scope="module")
def ec():
    with EC_CSV.open() as fh:
        rows = list(csv.DictReader(fh))
    names = [r["Actor"] for r in rows]
    x = np.array([[float(r["Position"])] for r in rows])
    c = np.array([float(r["Capability"]) for r in rows])
    s = np.array([[float(r["Salience"])] for r in rows])
    return names, x, c, s, rows


# ------------------------------------------------------------------------------------------- EC 1994


def test_ec_round0_mean_and_median_exact(ec):
    names, x, c, s, rows = ec
    mean = weighted_mean(x, c, s)[0]
    # The README's 7.389955686853767 is 500.3 / 67.7 in floating point; the exact ratio is 5003/677, whose
    # nearest double is one ulp lower. The kernel must give the exact ratio, and so lie within an ulp of both.
    exact = sum(
        Fraction(r["Capability"]) * Fraction(r["Salience"]) * Fraction(r["Position"]) for r in rows
    ) / sum(Fraction(r["Capability"]) * Fraction(r["Salience"]) for r in rows)
    assert exact == Fraction(5003, 677)
    assert mean == float(exact)
    assert abs(mean - 7.389955686853767) <= math.ulp(7.389955686853767)
    assert median_voter(x, c, s)[0] == 7.0
    assert forecast(x, c, s, "median")[0] == 7.0


def test_ec_compat_trajectory_matches_published_row(ec):
    _, x, c, s, _ = ec
    run = eum_run(x, c, s, [4.0], [10.0], EUMSettings(variant="compat"), rounds=10)
    means = run.forecasts[:, 0]
    assert run.rounds_run == 10 and not run.converged
    assert np.all(np.abs(means - EC_PUBLISHED) < 0.1), means
    # and the port's own log to its 4 printed decimals
    assert np.all(np.abs(means - EC_PORT_LOG) < 5e-5 + 1e-12), means
    # shape of the published curve: peaks at rounds 3 and 8, a trough at 4-5, ends near 7.2
    assert means[3] > means[2] > means[1] and means[3] > means[4]
    assert means[8] > means[7] > means[6] and means[8] > means[9] > means[10]


def test_ec_first_round_moves(ec):
    names, x, c, s, _ = ec
    result = eum_round(x, c, s, [4.0], [10.0], EUMSettings(variant="compat"))
    moves = {names[m.mover]: m for m in result.moves}
    assert set(moves) == {"Belgium", "Luxembourg", "Ireland"}
    be, lu, ie = moves["Belgium"], moves["Luxembourg"], moves["Ireland"]
    assert (be.kind, names[be.toward]) == ("compromise", "France")
    assert be.new == pytest.approx(8.416, abs=5e-4)
    assert be.eu_mover == pytest.approx(-0.1148, abs=5e-5) and be.eu_other == pytest.approx(0.2433, abs=5e-5)
    assert (lu.kind, names[lu.toward], lu.new) == ("confrontation", "Belgium", 7.0)
    assert (ie.kind, names[ie.toward], ie.new) == ("confrontation", "Luxembourg", 4.0)
    assert result.x[names.index("Belgium"), 0] == be.new
    assert result.x[names.index("France"), 0] == 10.0


def test_ec_paper_variant_collapses_to_the_median_voter(ec):
    # research/eum-replication.md 2.3: with P_ij + P_ji = 1 the actors reach 7.0 by round 3 and stay there.
    _, x, c, s, _ = ec
    run = eum_run(x, c, s, [4.0], [10.0], EUMSettings(variant="paper"), rounds=10)
    np.testing.assert_allclose(run.forecasts[3:, 0], 7.0, rtol=0, atol=1e-12)
    assert np.all(run.positions[3:] == 7.0)
    assert np.max(np.abs(run.forecasts[:, 0] - EC_PUBLISHED)) > 0.1
    stopped = eum_run(x, c, s, [4.0], [10.0], EUMSettings(variant="paper"), rounds=10, tol=1e-9)
    assert stopped.converged and stopped.rounds_run == 4
    assert stopped.positions.shape == (5, 10, 1) and stopped.forecasts.shape == (5, 1)


def test_run_round_indices_and_first_round_agree(ec):
    _, x, c, s, _ = ec
    cfg = EUMSettings(variant="compat")
    run = eum_run(x, c, s, [4.0], [10.0], cfg, rounds=3)
    one = eum_round(x, c, s, [4.0], [10.0], cfg)
    assert [m.move for m in run.moves if m.round == 1] == list(one.moves)
    assert sorted({m.round for m in run.moves}) == [1, 2, 3]
    np.testing.assert_array_equal(run.positions[1], one.x)


# ------------------------------------------------------------------------------- offers and edge cases


def _offer_case(e1, e2, variant):
    iss = as_issues(np.array([[0.0], [1.0]]), np.ones(2), np.ones((2, 1)), [0.0], [1.0])
    e1m = np.array([[[0.0, e1], [0.0, 0.0]]])
    e2m = np.array([[[0.0, e2], [0.0, 0.0]]])
    kind, partner, new = choose_offers(iss, e1m, e2m, variant, "scholz")
    return int(kind[0, 0]), float(new[0, 0])


@pytest.mark.parametrize(
    ("e1", "e2", "paper", "compat"),
    [
        (0.2, 0.5, (0, 1.0), (0, 1.0)),  # E2 > E1 > 0: confrontation, move to x_o
        (0.5, 0.2, (-1, 0.0), (-1, 0.0)),  # E1 > E2 > 0: a would win, it does not move
        (-0.1, 0.4, (1, 0.25), (1, 0.25)),  # compromise: move |E1/E2| of the way
        (-0.5, 0.2, (2, 1.0), (-1, 0.0)),  # capitulation works in paper, is dead in compat
        (-0.5, -0.2, (-1, 0.0), (-1, 0.0)),  # both negative: status quo
    ],
)
def test_octants(e1, e2, paper, compat):
    assert _offer_case(e1, e2, "paper") == paper
    assert _offer_case(e1, e2, "compat") == compat


def test_equal_positions_and_equal_dangers_give_r_one_and_no_moves():
    x = np.full((4, 2), 5.0)
    res = eum_round(x, np.ones(4), np.full((4, 2), 0.7), [0, 0], [10, 10], EUMSettings())
    assert res.moves == [] and np.all(res.risk == 1.0)
    np.testing.assert_array_equal(res.x, x)
    # two symmetric actors: equal dangers, so R = 0 and r = 1 instead of a division by zero
    res = eum_round(np.array([[2.0], [8.0]]), np.ones(2), np.full((2, 1), 0.5), [0], [10], EUMSettings())
    assert np.all(res.risk == 1.0)


def test_absent_actors_and_zero_weights():
    x = np.array([[10.0, np.nan, 50.0], [90.0, 20.0, np.nan], [40.0, 80.0, np.nan], [np.nan, 30.0, np.nan]])
    s = np.array([[0.9, 0.5, 0.0], [0.4, 0.6, 0.3], [0.0, 0.0, 0.3], [1.0, 0.0, 0.2]])
    c = np.array([1.0, 2.0, 3.0, 0.5])
    for variant in ("paper", "compat"):
        run = eum_run(x, c, s, np.zeros(3), np.full(3, 100.0), EUMSettings(variant=variant), rounds=4)
        assert np.all(np.isnan(run.positions[:, np.isnan(x)]))
        assert np.all(~np.isnan(run.positions[:, ~np.isnan(x)]))
        # issue 2 has one actor and no weight: no forecast, no moves, no crash
        assert np.all(np.isnan(run.forecasts[:, 2]))
        moves = [m.move for m in run.moves]
        assert not [m for m in moves if m.issue == 2]
        assert all(not np.isnan(x[m.mover, m.issue]) and not np.isnan(x[m.toward, m.issue]) for m in moves)
    # issue 1: only actor 1 has weight (actor 0's salience there is ignored: it has no position)
    assert weighted_mean(x, c, s)[1] == 20.0 and median_voter(x, c, s)[1] == 20.0


def test_forecast_rounding_outside_the_hull_gives_no_nan():
    # eight equal weights at 100 average to 100.00000000000003; on a 90..100 scale the actor at 90 then has
    # |x - mu| / Delta + d > 2, and the base of the status-quo utility U_b must not go below 0 (NaN)
    x = np.array([[90.0]] + [[100.0]] * 8)
    c, s = np.array([0.0] + [1.0] * 8), np.full((9, 1), 0.3)
    assert weighted_mean(x, c, s)[0] > 100.0 + 1e-14
    for fixed in (None, np.array([0.7, 1.3, 1.0, 2.0, 0.5, 0.6, 0.8, 0.9, 1.1])):
        cfg = EUMSettings(q=0.5, t=0.5, risk="endogenous" if fixed is None else "fixed")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            res = eum_round(x, c, s, [90.0], [100.0], cfg, fixed_risk=fixed)
        assert all(np.isfinite([m.eu_mover, m.eu_other]).all() for m in res.moves)
        assert np.all(np.isfinite(res.x))


def test_median_tie_goes_to_the_midpoint():
    x = np.array([[2.0], [4.0], [8.0]])
    c = np.array([1.0, 0.0, 1.0])
    assert median_voter(x, c, np.ones((3, 1)))[0] == 5.0


def test_bad_inputs_are_refused():
    x = np.array([[1.0], [2.0]])
    c, s = np.ones(2), np.ones((2, 1))
    with pytest.raises(ValueError, match="outside the scale"):
        eum_round(x, c, s, [0], [1.5], EUMSettings())
    with pytest.raises(ValueError, match="lo < hi"):
        eum_round(x, c, s, [3], [3], EUMSettings())
    with pytest.raises(ValueError, match="fixed_risk"):
        eum_round(x, c, s, [0], [5], EUMSettings(risk="fixed"))
    with pytest.raises(ValueError, match=r"\[0.5, 2\]"):
        eum_round(x, c, s, [0], [5], EUMSettings(risk="fixed"), fixed_risk=[1.0, 3.0])
    with pytest.raises(ValueError, match="saliences"):
        eum_round(x, c, np.array([[1.5], [0.2]]), [0], [5], EUMSettings())
    with pytest.raises(ValueError, match="variant"):
        EUMSettings(variant="scholz")
    with pytest.raises(ValueError, match="rule"):
        forecast(x, c, s, "mode")


def test_risk_exponent_range():
    np.testing.assert_allclose(risk_exponent([1.0, -1.0, 0.0]), [0.5, 2.0, 1.0], rtol=1e-15)


# -------------------------------------------------------------------------------- property-based checks

GRID = [0.0, 10.0, 25.0, 50.0, 50.0, 75.0, 100.0]


@st.composite
def cases(draw, max_n=6, max_k=3):
    n = draw(st.integers(2, max_n))
    k = draw(st.integers(1, max_k))
    pos = st.one_of(st.sampled_from(GRID), st.floats(0, 100, allow_nan=False), st.just(math.nan))
    x = np.array([[draw(pos) for _ in range(k)] for _ in range(n)])
    sal = st.one_of(st.just(0.0), st.just(1.0), st.floats(0, 1))
    s = np.array([[draw(sal) for _ in range(k)] for _ in range(n)])
    c = np.array([draw(st.one_of(st.just(1.0), st.floats(0, 10))) for _ in range(n)])
    return x, c, s


@given(
    case=cases(),
    variant=st.sampled_from(["paper", "compat"]),
    rule=st.sampled_from(["mean", "median"]),
    choice=st.sampled_from(["scholz", "least_move"]),
    qt=st.sampled_from([(1.0, 1.0), (0.5, 0.5), (0.8, 0.2), (0.0, 1.0)]),
    risk=st.sampled_from(["endogenous", "fixed"]),
    rounds=st.integers(1, 3),
    data=st.data(),
)
@settings(max_examples=150, deadline=None)
def test_kernel_equals_plain_loop_reference(case, variant, rule, choice, qt, risk, rounds, data):
    x, c, s = case
    n, k = x.shape
    fixed = None
    if risk == "fixed":
        fixed = np.array([data.draw(st.floats(0.5, 2.0)) for _ in range(n)])
    cfg = EUMSettings(variant=variant, q=qt[0], t=qt[1], risk=risk, rule=rule, choice=choice)
    lo, hi = np.zeros(k), np.full(k, 100.0)
    got = eum_run(x, c, s, lo, hi, cfg, rounds=rounds, fixed_risk=fixed)
    history, forecasts, moves = ref.run(
        x.tolist(), c.tolist(), s.tolist(), lo, hi, variant, qt[0], qt[1], rule, choice, rounds, fixed
    )
    want = np.array([[[math.nan if v is None else v for v in row] for row in rnd] for rnd in history])
    np.testing.assert_allclose(got.positions, want, rtol=0, atol=1e-9)
    np.testing.assert_allclose(got.forecasts, np.array(forecasts), rtol=0, atol=1e-9)
    assert len(got.moves) == len(moves)
    flat = sorted((m.round, *m.move) for m in got.moves)
    for mine, theirs in zip(flat, sorted(moves, key=lambda m: m[:4]), strict=True):
        assert mine[:5] == theirs[:5]
        np.testing.assert_allclose(mine[5:], theirs[5:], rtol=1e-9, atol=1e-9)


@given(case=cases(max_n=8))
@settings(max_examples=60, deadline=None)
def test_paper_probabilities_are_complementary(case):
    x, c, s = case
    iss = as_issues(x, c, s, np.zeros(x.shape[1]), np.full(x.shape[1], 100.0))
    p = win_probabilities(iss, np.ones(iss.x.shape), "paper")
    pair = iss.present[:, :, None] & iss.present[:, None, :] & (iss.x[:, :, None] != iss.x[:, None, :])
    np.testing.assert_allclose((p + p.transpose(0, 2, 1))[pair], 1.0, atol=1e-12)
    assert np.all(p[~pair] == 0.0)
    compat = win_probabilities(iss, np.ones(iss.x.shape), "compat")
    # compat divides by the votes of all ordered pairs, so the probabilities of an issue sum to 1/2 (or 0)
    sums = compat.sum(axis=(1, 2))
    assert np.all(compat >= 0) and np.all(np.isclose(sums, 0.5, atol=1e-12) | (sums == 0))


@given(case=cases(max_n=9, max_k=2))
@settings(max_examples=80, deadline=None)
def test_median_voter_wins_every_pairwise_vote(case):
    x, c, s = case
    med = median_voter(x, c, s)
    for q in range(x.shape[1]):
        here = ~np.isnan(x[:, q])
        w, xs = c[here] * s[here, q], x[here, q]
        if w.sum() == 0:
            assert np.isnan(med[q])
            continue
        cost = lambda p, w=w, xs=xs: float(np.sum(w * np.abs(xs - p)))  # noqa: E731
        assert all(cost(med[q]) <= cost(p) + 1e-9 * w.sum() * 100 for p in xs)
