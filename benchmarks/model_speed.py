"""Speed of one model run: the Libya scenario's full 52 rounds, beside a bare Mesa model with the same agents.

    .venv/bin/python benchmarks/model_speed.py [--repeats N]      (or `make bench-model`)

Three timings, each the median over N runs (seeds 0..N-1, one core, `time.perf_counter`), each run being
construction plus 52 steps:
1. the conflict model with its DataCollector collecting every round (what SolaraViz and batch_run use);
2. the conflict model without data collection (what `run`, replications and sweeps use);
3. a bare Mesa model holding the same agents (one per actor) whose step only visits them: Mesa's own floor.
The ratios (1)/(3) and (2)/(3) say what the model's work costs over Mesa's. Target (issue 4): (2) < 20 ms.
It also prints where a run's time goes (phases of the round), from one profiled pass over the same seeds.

    .venv/bin/python benchmarks/model_speed.py --against /path/to/other/checkout [--rounds 4]

times (2) in CPU time (`time.process_time`, less sensitive than wall time to other work on a shared machine) for
the other checkout's model and this one's, alternating in fresh processes, and prints their ratio: the way to
show a change did not slow the model down.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

import mesa

import sim
from sim.model import ConflictModel
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
LIBYA = ROOT / "scenarios" / "libya_2020.yaml"
ROUNDS = 52
# (file, function) of each phase as ConflictModel.step calls it, and the recording of the round
PHASES = (
    ("sim/engine/phases/events.py", "fire_due"),
    ("sim/engine/phases/negotiation.py", "negotiate"),
    ("sim/engine/phases/escalation.py", "choose_rungs"),
    ("sim/engine/phases/coercion.py", "choose_blockades"),
    ("sim/engine/phases/patrons.py", "choose_support"),
    ("sim/engine/phases/threats.py", "carry_out"),
    ("sim/engine/phases/resolution.py", "fight"),
    ("sim/engine/phases/learning.py", "observe"),
    ("sim/engine/phases/accords.py", "violations_and_trust"),
    ("sim/engine/phases/economy.py", "update"),
    ("sim/engine/phases/adaptation.py", "drift_positions"),
    ("sim/engine/phases/stop.py", "check"),
    ("sim/model.py", "_record"),
)


class Bare(mesa.Model):
    """The floor: Mesa's step machinery and the same number of agents, doing nothing."""

    def __init__(self, *, n: int, rng: int | None = None) -> None:
        super().__init__(rng=rng)
        mesa.Agent.create_agents(self, n)

    def step(self) -> None:
        self.agents.do("step")


def conflict_run(loaded, seed: int, collect: bool) -> int:
    model = ConflictModel(scenario=loaded, rng=seed, collect=collect, max_rounds=ROUNDS)
    while model.running:
        model.step()
    return model.round


def bare_run(n: int, seed: int) -> int:
    model = Bare(n=n, rng=seed)
    for _ in range(ROUNDS):
        model.step()
    return ROUNDS


def median_ms(fn, seeds) -> tuple[float, list[int]]:
    times, rounds = [], []
    for seed in seeds:
        start = time.perf_counter()
        rounds.append(fn(seed))
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, rounds


def cpu_ms(repeats: int) -> float:
    """Median CPU time (ms) of a run without collection, for the `sim` this process imports, on that
    checkout's own Libya scenario (a scenario written for another checkout may use fields its `sim` lacks)."""
    loaded = load_scenario(Path(sim.__file__).resolve().parents[1] / "scenarios" / "libya_2020.yaml")
    conflict_run(loaded, 0, False)
    times = []
    for seed in range(repeats):
        start = time.process_time()
        conflict_run(loaded, seed, False)
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def against(other: Path, repeats: int, rounds: int) -> None:
    """The other checkout's model and this one's, alternating in fresh processes (each imports its own `sim`)."""
    ms: dict[Path, list[float]] = {other: [], ROOT: []}
    for _ in range(rounds):
        for tree in ms:
            env = {**os.environ, "PYTHONPATH": str(tree)}
            cmd = [sys.executable, __file__, "--cpu-ms", "--repeats", str(repeats)]
            ms[tree].append(
                float(subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout)
            )
    base, this = statistics.median(ms[other]), statistics.median(ms[ROOT])
    print(
        f"\nCPU ms per run without collection, median of {repeats} runs, {rounds} alternating processes each:"
    )
    print(f"  {other}: {' '.join(f'{v:.2f}' for v in ms[other])}  -> {base:.2f}")
    print(f"  {ROOT}: {' '.join(f'{v:.2f}' for v in ms[ROOT])}  -> {this:.2f}")
    print(f"  ratio this / other: {this / base:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30, help="runs per timing (default 30)")
    parser.add_argument(
        "--against", type=Path, help="another checkout to compare with (CPU time, alternating)"
    )
    parser.add_argument("--rounds", type=int, default=4, help="alternations for --against (default 4)")
    parser.add_argument("--cpu-ms", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cpu_ms:
        print(f"{cpu_ms(args.repeats):.4f}")
        return
    if args.against:
        against(args.against.resolve(), args.repeats, args.rounds)
        return
    loaded = load_scenario(LIBYA)
    n = len(loaded.scenario.actors)
    seeds = range(args.repeats)
    conflict_run(loaded, 0, True)  # warm imports and caches outside the timings

    with_dc, rounds_dc = median_ms(lambda s: conflict_run(loaded, s, True), seeds)
    without, rounds = median_ms(lambda s: conflict_run(loaded, s, False), seeds)
    bare, _ = median_ms(lambda s: bare_run(n, s), seeds)
    full = sum(r == ROUNDS for r in rounds)
    print(
        f"Libya scenario, {n} actors, up to {ROUNDS} rounds; median of {args.repeats} runs (seeds 0..{args.repeats - 1})"
    )
    print(
        f"  runs that went the full {ROUNDS} rounds: {full}/{len(rounds)} (others stopped early by a stop rule)"
    )
    print(f"  conflict model, DataCollector on : {with_dc:8.2f} ms/run   {with_dc / bare:7.1f} x bare")
    print(f"  conflict model, no collection    : {without:8.2f} ms/run   {without / bare:7.1f} x bare")
    print(f"  bare Mesa model, same agents     : {bare:8.2f} ms/run")
    print(f"  per round (no collection)        : {without / statistics.mean(rounds) * 1000:8.1f} us")
    print(f"  target: < 20 ms per 52-round run without collection: {'met' if without < 20 else 'NOT met'}")

    profile = cProfile.Profile()
    profile.enable()
    for seed in seeds:
        conflict_run(loaded, seed, False)
    profile.disable()
    stats = pstats.Stats(profile).stats
    total = sum(v[3] for k, v in stats.items() if k[2] == "step" and k[0].endswith("sim/model.py"))
    print("\nwhere the time goes (cumulative, share of ConflictModel.step):")
    for file, phase in PHASES:
        cum = sum(v[3] for k, v in stats.items() if k[2] == phase and k[0].endswith(file))
        print(f"  {file.rsplit('/', 1)[1][:-3] + '.' + phase:<34} {cum / total:6.1%}")
    eum = sum(
        v[3]
        for k, v in stats.items()
        if k[2] == "eum_round" and k[0].endswith("sim/bargaining/eum/rounds.py")
    )
    print(f"  {'(EUM kernel)':<34} {eum / total:6.1%}")


if __name__ == "__main__":
    main()
