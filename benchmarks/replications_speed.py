"""Replications with trajectories against without, and memory at 1,000 vs 10,000 replications, in one run.

    .venv/bin/python benchmarks/replications_speed.py [--runs 1000] [--repeat 2] [--memory-rounds 8] [--quick] [--part throughput|memory]

1. Throughput (one process, one core): `write_replications` (what `run --replications` does: every run's
   summary row, its rounds streamed to trajectories.parquet, shares.json and fan.png) against the baseline,
   the same seeds run to their summaries only (what replications did before trajectories: `run_model` then
   `summary`, one row each). The Libya scenario's full 52 rounds. Each is timed --repeat times, interleaved,
   and the best kept. The ratio is of CPU time (this process, all its threads): the two cores are shared
   with other work, which stretches wall time by a factor that changes from minute to minute; wall time is
   printed beside it. Target (issue 11): the ratio stays >= 0.90.
2. Memory: `run.py run --replications N --workers 2` at 1,000 and at 10,000 replications, peak RSS of the
   process tree (parent and workers, sampled every 20 ms). The runs are cut to --memory-rounds rounds (8 by
   default) so 10,000 of them take a minute or two rather than a quarter of an hour; the table then has 9
   rounds a run instead of 53.

--quick: 40 runs for the throughput and 200 vs 2,000 replications for the memory, for a fast check.
"""

from __future__ import annotations

import argparse
import math
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


def throughput(runs: int, repeat: int) -> dict[str, float]:
    """Best wall and CPU seconds of each side, and the fan's share (drawing fan.png once, measured alone)."""
    from sim import fans
    from sim.replications import write_replications
    from sim.scenario import load_scenario
    from sim.sweep.designs import run_seed

    loaded = load_scenario(SCENARIO)
    seeds = [run_seed(loaded.scenario.seed, i) for i in range(runs)]
    with tempfile.TemporaryDirectory() as tmp:
        write_replications(loaded, seeds[:3], None, 1, Path(tmp) / "warm")  # imports and caches out of it
        best = {
            "wall_with": math.inf,
            "wall_without": math.inf,
            "cpu_with": math.inf,
            "cpu_without": math.inf,
        }
        for k in range(repeat):
            for side in ("without", "with"):
                wall, cpu = time.perf_counter(), time.process_time()
                if side == "with":
                    done = write_replications(loaded, seeds, None, 1, Path(tmp) / f"r{k}")
                else:
                    baseline(loaded, seeds)
                best[f"wall_{side}"] = min(best[f"wall_{side}"], time.perf_counter() - wall)
                best[f"cpu_{side}"] = min(best[f"cpu_{side}"], time.process_time() - cpu)
        cpu = time.process_time()
        fan = fans.fan(fans.read(done.paths["trajectories.parquet"], done.layout), done.layout)
        fans.png(fans.figure(done.layout, [("fan", fan)]))
        best["cpu_fan"] = time.process_time() - cpu
        best.update(table_cost(loaded, seeds[:100], Path(tmp) / "alone.parquet"))
    return best


def table_cost(loaded, seeds: list[int], path: Path) -> dict[str, float]:
    """CPU per run of what trajectories add to a run (its rounds as numbers, streamed to the table), timed
    alone on finished models, beside the CPU per run of the runs themselves: the same comparison as above
    without the run-to-run noise of a shared machine."""
    from sim.model import run_model
    from sim.trajectories import TrajectoryWriter, numeric_columns, trajectory

    cpu = time.process_time()
    models = [run_model(loaded, seed=s, collect=False) for s in seeds]
    run_cpu = (time.process_time() - cpu) / len(seeds)
    columns = numeric_columns(models[0])
    cpu = time.process_time()
    with TrajectoryWriter(path, columns) as writer:
        for i, m in enumerate(models):
            writer.add(i, seeds[i], trajectory(m, columns))
    return {"cpu_run": run_cpu, "cpu_table": (time.process_time() - cpu) / len(seeds)}


def memory(n: int, rounds: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "run.py", "run", str(SCENARIO), "--replications", str(n), "--workers", "2"]
        cmd += ["--rounds", str(rounds), "--out", str(Path(tmp) / "out"), "--json"]
        elapsed, peak, _ = measure(cmd)
        size = (Path(tmp) / "out" / "trajectories.parquet").stat().st_size
    print(f"  {n:>6} replications: {elapsed:6.1f} s, peak RSS {peak:6.0f} MiB, table {size / 2**20:.1f} MiB")
    return elapsed, peak


def report_throughput(runs: int, repeat: int) -> None:
    print(f"1. throughput, {runs} replications of the Libya scenario (52 rounds), one core, best of {repeat}")
    t = throughput(runs, repeat)
    for side, name in (("without", "summaries only (baseline)"), ("with", "with trajectories + fan.png")):
        print(
            f"  {name:<30} {runs / t[f'cpu_{side}']:6.1f} runs/s of CPU time"
            f" ({t[f'cpu_{side}']:.1f} s CPU, {t[f'wall_{side}']:.1f} s wall)"
        )
    print(
        f"  ratio (CPU time) {t['cpu_without'] / t['cpu_with']:.3f}, wall {t['wall_without'] / t['wall_with']:.3f}"
        " (target >= 0.90)"
    )
    run, table = t["cpu_run"] * 1000, t["cpu_table"] * 1000
    print(
        f"  the parts alone: a run {run:.1f} ms CPU; its rounds into the table {table:.2f} ms;"
        f" fan.png {t['cpu_fan']:.2f} s once"
    )
    print(f"  ratio from the parts at {runs} runs: {run / (run + table + t['cpu_fan'] * 1000 / runs):.3f}")


def report_memory(small: int, large: int, rounds: int) -> None:
    print(f"2. memory, run.py run --replications N --workers 2 --rounds {rounds}")
    _, peak_small = memory(small, rounds)
    _, peak_large = memory(large, rounds)
    print(f"  peak RSS {large:,} / {small:,}: {peak_large / peak_small:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--memory-rounds", type=int, default=8)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument(
        "--part", choices=("both", "throughput", "memory"), default="both", help="run one part only"
    )
    args = ap.parse_args()
    runs, small, large = (40, 200, 2000) if args.quick else (args.runs, 1000, 10_000)
    if args.part in ("both", "throughput"):
        report_throughput(runs, args.repeat)
    if args.part in ("both", "memory"):
        report_memory(small, large, args.memory_rounds)


if __name__ == "__main__":
    main()
