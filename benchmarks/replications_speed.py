"""Replications with trajectories against without, and memory at 1,000 vs 10,000 replications, in one run.

    .venv/bin/python benchmarks/replications_speed.py [--runs 1000] [--repeat 2] [--memory-rounds 8] [--quick]

1. Throughput (one process, one core): `write_replications` (what `run --replications` does: every run's
   summary row, its rounds streamed to trajectories.parquet, shares.json and fan.png) against the baseline,
   the same seeds run to their summaries only (what replications did before trajectories: `run_model` then
   `summary`, one row each). The Libya scenario's full 52 rounds. Each is timed --repeat times, interleaved,
   and the best kept (the cores are shared with other work). Target (issue 11): the ratio stays >= 0.90.
2. Memory: `run.py run --replications N --workers 2` at 1,000 and at 10,000 replications, peak RSS of the
   process tree (parent and workers, sampled every 20 ms). The runs are cut to --memory-rounds rounds (8 by
   default) so 10,000 of them take a minute or two rather than a quarter of an hour; the table then has 9
   rounds a run instead of 53.

--quick: 40 runs for the throughput and 200 vs 2,000 replications for the memory, for a fast check.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sweep_speed import measure  # noqa: E402  (the same process-tree RSS sampler as the sweep benchmark)

SCENARIO = ROOT / "scenarios" / "libya_2020.yaml"


def baseline(loaded, seeds: list[int]) -> None:
    from sim.model import run_model
    from sim.outputs import replication_row, summary

    for i, seed in enumerate(seeds):
        replication_row(i, summary(run_model(loaded, seed=seed, collect=False)))


def throughput(runs: int, repeat: int) -> tuple[float, float]:
    from sim.replications import write_replications
    from sim.scenario import load_scenario
    from sim.sweep.designs import run_seed

    loaded = load_scenario(SCENARIO)
    seeds = [run_seed(loaded.scenario.seed, i) for i in range(runs)]
    baseline(loaded, seeds[:3])  # warm: imports and first-call caches out of the timings
    best_with = best_without = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(repeat):
            start = time.perf_counter()
            baseline(loaded, seeds)
            best_without = min(best_without, time.perf_counter() - start)
            start = time.perf_counter()
            write_replications(loaded, seeds, None, 1, Path(tmp) / f"r{k}")
            best_with = min(best_with, time.perf_counter() - start)
    return runs / best_with, runs / best_without


def memory(n: int, rounds: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "run.py", "run", str(SCENARIO), "--replications", str(n), "--workers", "2"]
        cmd += ["--rounds", str(rounds), "--out", str(Path(tmp) / "out"), "--json"]
        elapsed, peak, _ = measure(cmd)
        size = (Path(tmp) / "out" / "trajectories.parquet").stat().st_size
    print(f"  {n:>6} replications: {elapsed:6.1f} s, peak RSS {peak:6.0f} MiB, table {size / 2**20:.1f} MiB")
    return elapsed, peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--memory-rounds", type=int, default=8)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    runs, small, large = (40, 200, 2000) if args.quick else (args.runs, 1000, 10_000)

    print(
        f"1. throughput, {runs} replications of the Libya scenario (52 rounds), one core, best of {args.repeat}"
    )
    with_t, without_t = throughput(runs, args.repeat)
    print(f"  summaries only (baseline):            {without_t:6.1f} runs/s")
    print(f"  with trajectories.parquet + fan.png: {with_t:6.1f} runs/s")
    print(f"  ratio {with_t / without_t:.3f} (target >= 0.90)")

    print(f"2. memory, run.py run --replications N --workers 2 --rounds {args.memory_rounds}")
    _, peak_small = memory(small, args.memory_rounds)
    _, peak_large = memory(large, args.memory_rounds)
    print(f"  peak RSS {large:,} / {small:,}: {peak_large / peak_small:.3f}")


if __name__ == "__main__":
    main()
