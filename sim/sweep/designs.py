"""Designs: the points a sweep visits, and the runs (point x replication, each with its own seed).

A grid is indexed arithmetically, so a million-cell grid costs no memory. Sampling designs draw points in the
unit hypercube (LHS from SciPy; Saltelli and Morris from SALib, as their analysers expect) and map each
column through its parameter's inverse CDF. Everything is seeded from the spec's master seed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from sim.sweep.runs import Task
from sim.sweep.spec import Parameter, SweepSpec

# Normal inverse CDFs are infinite at 0 and 1; Saltelli points can touch the cube's faces.
_EDGE = 1e-9


def run_seed(master: int, run_id: int) -> int:
    """Seed of run `run_id`: child `run_id` of SeedSequence(master), as a 63-bit int (fits SQLite).

    Equal to `SeedSequence(master).spawn(n)[run_id]`'s state for any n > run_id, so it depends only on
    (master, run_id), never on how many runs there are or who runs them.
    """
    state = np.random.SeedSequence(master, spawn_key=(run_id,)).generate_state(1, np.uint64)[0]
    return int(state >> np.uint64(1))


def grid_values(param: Parameter) -> list[Any]:
    if param.values is not None:
        return list(param.values)
    r = param.range
    assert r is not None, "load_sweep gives a grid parameter exactly one of values and range"
    values = np.linspace(r.low, r.high, r.steps)
    if isinstance(r.low, int) and isinstance(r.high, int) and np.all(values == np.round(values)):
        return [int(v) for v in values]
    return [float(v) for v in values]


def _to_value(param: Parameter, u: float) -> Any:
    """The parameter's value at quantile `u` of its distribution."""
    from scipy import stats

    if param.values is not None:
        return param.values[min(int(u * len(param.values)), len(param.values) - 1)]
    if param.uniform is not None:
        return float(param.uniform.low + u * (param.uniform.high - param.uniform.low))
    if param.normal is not None:
        u = min(max(u, _EDGE), 1 - _EDGE)
        return float(stats.norm.ppf(u, loc=param.normal.mean, scale=param.normal.sd))
    t = param.triangular
    assert t is not None, "load_sweep gives a sampled parameter exactly one distribution or values"
    width = t.high - t.low
    return float(stats.triang.ppf(u, (t.mode - t.low) / width, loc=t.low, scale=width))


def unit_problem(spec: SweepSpec) -> dict:
    """SALib's problem over the unit cube: one variable per parameter, named by its dotted path."""
    names = list(spec.parameters)
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def unit_sample(spec: SweepSpec) -> np.ndarray:
    """Sampling designs' points in the unit cube, shape (points, parameters)."""
    d = spec.design
    if d.kind == "lhs":
        from scipy.stats import qmc

        assert d.samples is not None, "load_sweep requires samples for every sampling design"
        return qmc.LatinHypercube(d=len(spec.parameters), rng=np.random.default_rng(spec.seed)).random(
            d.samples
        )
    if d.kind == "sobol":
        from SALib.sample import sobol

        return sobol.sample(unit_problem(spec), d.samples, calc_second_order=d.second_order, seed=spec.seed)
    if d.kind == "morris":
        from SALib.sample import morris

        return morris.sample(unit_problem(spec), d.samples, num_levels=d.levels, seed=spec.seed)
    raise ValueError(f"{d.kind} has no unit sample")


class Points:
    """The design's points: `len()` and `points[i] -> {dotted path: value}`, without building them all."""

    def __init__(self, spec: SweepSpec):
        self.names = list(spec.parameters)
        self._params = [spec.parameters[n] for n in self.names]
        if spec.design.kind == "grid":
            self._axes = [grid_values(p) for p in self._params]
            self._unit = None
            self._n = math.prod(len(a) for a in self._axes)
        else:
            self._unit = unit_sample(spec)
            self._n = len(self._unit)

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: int) -> dict[str, Any]:
        if not 0 <= i < self._n:
            raise IndexError(i)
        if self._unit is not None:
            return {
                n: _to_value(p, float(u))
                for n, p, u in zip(self.names, self._params, self._unit[i], strict=True)
            }
        # Mixed-radix digits of i, last parameter fastest (like itertools.product).
        values = {}
        for name, axis in zip(reversed(self.names), reversed(self._axes), strict=True):
            i, digit = divmod(i, len(axis))
            values[name] = axis[digit]
        return {n: values[n] for n in self.names}

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self[i] for i in range(self._n))


def total_runs(spec: SweepSpec, points: Points) -> int:
    return len(points) * spec.replications


def tasks(spec: SweepSpec, points: Points, skip: Iterable[int] = ()) -> Iterator[Task]:
    """Every run not in `skip`, in run-id order, generated one at a time (run id = point x replications + r).

    Seeds: child `run_id` of the master SeedSequence, or with `seeds: common` child `r` (common random
    numbers: replication r meets the same luck at every point)."""
    skip = set(skip)
    reps = spec.replications
    for run_id in range(len(points) * reps):
        if run_id in skip:
            continue
        point, rep = divmod(run_id, reps)
        child = rep if spec.seeds == "common" else run_id
        yield Task(run_id, point, rep, run_seed(spec.seed, child), points[point])
