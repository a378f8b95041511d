"""Designs and seeds: sizes and shapes of grid, LHS, Sobol and Morris designs; per-run seeds depend only on
(master seed, run id); Wilson intervals against published values."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest

from sim.sweep.analysis import wilson
from sim.sweep.designs import Points, run_seed, tasks
from sim.sweep.spec import SweepSpec


def make_spec(design: dict, parameters: dict, replications: int = 1, seed: int = 0) -> SweepSpec:
    return SweepSpec.model_validate(
        {
            "scenario": "x.yaml",
            "design": design,
            "parameters": parameters,
            "replications": replications,
            "seed": seed,
            "metrics": ["outcome"],
        }
    )


def test_grid_is_the_cartesian_product_in_order():
    spec = make_spec(
        {"kind": "grid"},
        {
            "a": {"values": [1, 2, 3]},
            "b": {"range": {"low": 0, "high": 1, "steps": 5}},
            "c": {"values": ["x", "y"]},
        },
        replications=4,
    )
    points = Points(spec)
    assert len(points) == 3 * 5 * 2
    expected = list(itertools.product([1, 2, 3], [0.0, 0.25, 0.5, 0.75, 1.0], ["x", "y"]))
    assert [tuple(p.values()) for p in points] == expected
    runs = list(tasks(spec, points))
    assert len(runs) == 30 * 4
    assert [r.run_id for r in runs] == list(range(120))
    assert runs[7].point == 1 and runs[7].replication == 3 and runs[7].values == points[1]


def test_integer_ranges_stay_integers():
    spec = make_spec({"kind": "grid"}, {"a": {"range": {"low": 0, "high": 4, "steps": 5}}})
    assert [p["a"] for p in Points(spec)] == [0, 1, 2, 3, 4]
    assert all(isinstance(p["a"], int) for p in Points(spec))


@given(st.lists(st.integers(1, 4), min_size=1, max_size=4))
def test_grid_indexing_matches_itertools_product(sizes):
    params = {f"p{i}": {"values": list(range(n))} for i, n in enumerate(sizes)}
    points = Points(make_spec({"kind": "grid"}, params))
    assert [tuple(p.values()) for p in points] == list(itertools.product(*(range(n) for n in sizes)))


def test_lhs_shape_bounds_and_strata():
    spec = make_spec(
        {"kind": "lhs", "samples": 20},
        {"a": {"uniform": {"low": 2, "high": 4}}, "b": {"triangular": {"low": 0, "mode": 0.2, "high": 1}}},
    )
    points = Points(spec)
    a = np.array([p["a"] for p in points])
    assert len(points) == 20
    assert a.min() >= 2 and a.max() <= 4
    # Latin hypercube: exactly one point in each of the 20 equal strata of every parameter.
    assert sorted(np.floor((a - 2) / 2 * 20).astype(int)) == list(range(20))


def test_sobol_and_morris_sizes_follow_salib():
    params = {n: {"uniform": {"low": 0, "high": 1}} for n in ("a", "b", "c")}
    assert len(Points(make_spec({"kind": "sobol", "samples": 8}, params))) == 8 * (3 + 2)
    assert len(Points(make_spec({"kind": "sobol", "samples": 8, "second_order": True}, params))) == 8 * (
        2 * 3 + 2
    )
    morris = Points(make_spec({"kind": "morris", "samples": 5, "levels": 4}, params))
    assert len(morris) == 5 * (3 + 1)
    values = np.array([[p[n] for n in "abc"] for p in morris])
    assert set(np.round(values.ravel(), 9)) <= {0.0, round(1 / 3, 9), round(2 / 3, 9), 1.0}


def test_sampling_maps_through_the_distribution():
    spec = make_spec(
        {"kind": "lhs", "samples": 400},
        {"n": {"normal": {"mean": 10, "sd": 2}}, "v": {"values": ["low", "mid", "high"]}},
        seed=5,
    )
    points = list(Points(spec))
    n = np.array([p["n"] for p in points])
    assert abs(n.mean() - 10) < 0.1 and abs(n.std() - 2) < 0.1
    counts = {v: sum(p["v"] == v for p in points) for v in ("low", "mid", "high")}
    assert set(counts.values()) <= {133, 134}


def test_designs_are_deterministic_in_the_master_seed():
    params = {"a": {"uniform": {"low": 0, "high": 1}}, "b": {"uniform": {"low": 0, "high": 1}}}
    for design in (
        {"kind": "lhs", "samples": 10},
        {"kind": "sobol", "samples": 4},
        {"kind": "morris", "samples": 3},
    ):
        first = list(Points(make_spec(design, params, seed=1)))
        assert first == list(Points(make_spec(design, params, seed=1)))
    assert list(Points(make_spec({"kind": "lhs", "samples": 10}, params, seed=1))) != list(
        Points(make_spec({"kind": "lhs", "samples": 10}, params, seed=2))
    )


@settings(deadline=None)  # spawning 5,000 children takes a while on a loaded machine; no timing here
@given(st.integers(0, 2**63 - 1), st.integers(0, 5000))
def test_run_seed_is_numpys_spawned_child(master, run_id):
    child = np.random.SeedSequence(master).spawn(run_id + 1)[run_id]
    assert run_seed(master, run_id) == int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))
    assert 0 <= run_seed(master, run_id) < 2**63


def test_run_seeds_do_not_depend_on_the_design_size_or_skips():
    small = make_spec({"kind": "grid"}, {"a": {"values": [1, 2]}}, replications=3, seed=9)
    big = make_spec({"kind": "grid"}, {"a": {"values": [1, 2, 3, 4]}}, replications=3, seed=9)
    seeds_small = {t.run_id: t.seed for t in tasks(small, Points(small))}
    seeds_big = {t.run_id: t.seed for t in tasks(big, Points(big))}
    assert all(seeds_big[i] == s for i, s in seeds_small.items())
    assert len(set(seeds_big.values())) == 12
    resumed = {t.run_id: t.seed for t in tasks(big, Points(big), skip={0, 1, 5})}
    assert set(resumed) == set(range(12)) - {0, 1, 5}
    assert all(seeds_big[i] == s for i, s in resumed.items())


# Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score, no continuity correction).
NEWCOMBE = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("k", "n", "low", "high"), NEWCOMBE)
def test_wilson_matches_newcombe(k, n, low, high):
    lo, hi = wilson(k, n)
    assert float(lo) == pytest.approx(low, abs=5e-5)
    assert float(hi) == pytest.approx(high, abs=5e-5)


@given(st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_matches_scipy(kn):
    k, n = kn
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    lo, hi = wilson(k, n)
    assert float(lo) == pytest.approx(ci.low, abs=1e-9)
    assert float(hi) == pytest.approx(ci.high, abs=1e-9)
    assert float(lo) <= k / n <= float(hi)


def test_common_random_numbers_share_seeds_across_points():
    spec = make_spec({"kind": "grid"}, {"a": {"values": [1, 2, 3]}}, replications=4, seed=3)
    spec = spec.model_copy(update={"seeds": "common"})
    runs = list(tasks(spec, Points(spec)))
    for run in runs:
        assert run.seed == run_seed(3, run.replication)
    assert len({r.seed for r in runs}) == 4
