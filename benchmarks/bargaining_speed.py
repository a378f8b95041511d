"""Speed of one EUM round: the vectorised kernel (sim/bargaining/eum/) beside the plain-loop reference
(tests/eum_reference.py) on the same random input, for n = 10, 30, 100, 300 actors and k = 1, 4 issues.

Times are this process's CPU time (one core; the machine may be shared), the kernel's as the median of
repeated rounds (at least `--min-seconds` of work, at least 3 rounds).
The reference is O(n^3) per round, like the kernel (it sums the `compat` denominator once per round; Scholz's
own code re-sums it for every dyad, O(n^5)). It is run for real while one round is predicted to take under
`--ref-budget` seconds; beyond that its time is extrapolated from the two largest sizes measured, with the
exponent they show, and the row says "estimated". Target (issue 3): n=100, k=1 under 5 ms.

Run: `make bench-bargaining` or `.venv/bin/python benchmarks/bargaining_speed.py [--variant compat|paper]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing
sys.path.insert(0, str(ROOT / "tests"))  # the plain-loop reference lives beside the tests that use it

import eum_reference  # noqa: E402

from sim.bargaining import EUMSettings, eum_round  # noqa: E402

SIZES = ((10, 1), (30, 1), (100, 1), (300, 1), (10, 4), (30, 4), (100, 4), (300, 4))


def random_case(n: int, k: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.choice(np.linspace(0, 100, 21), size=(n, k))  # a coarse grid, like expert-coded positions
    return x, rng.uniform(0.1, 1.0, n), rng.uniform(0.0, 1.0, (n, k))


def time_kernel(x, c, s, cfg: EUMSettings, min_seconds: float) -> float:
    k = x.shape[1]
    lo, hi = np.zeros(k), np.full(k, 100.0)
    eum_round(x, c, s, lo, hi, cfg)  # warm-up
    samples = []
    start = time.process_time()
    while len(samples) < 3 or time.process_time() - start < min_seconds:
        t0 = time.process_time()
        eum_round(x, c, s, lo, hi, cfg)
        samples.append(time.process_time() - t0)
    return statistics.median(samples)


def time_reference(x, c, s, variant: str) -> float:
    k = x.shape[1]
    t0 = time.process_time()
    eum_reference.run(x.tolist(), c.tolist(), s.tolist(), [0.0] * k, [100.0] * k, variant=variant, rounds=1)
    return time.process_time() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variant", choices=("compat", "paper"), default="compat")
    ap.add_argument("--min-seconds", type=float, default=0.5, help="kernel timing budget per size")
    ap.add_argument(
        "--ref-budget", type=float, default=60.0, help="largest predicted reference round run (s)"
    )
    args = ap.parse_args(argv)
    cfg = EUMSettings(variant=args.variant)
    print(
        f"One EUM round, variant {args.variant}, endogenous risk (two vote tensors per round); CPU time of this process"
    )
    print(f"{'n':>5} {'k':>3} {'kernel':>12} {'reference':>14} {'ratio':>10}  note")
    measured: dict[int, list[tuple[int, float]]] = {}
    for n, k in SIZES:
        x, c, s = random_case(n, k)
        kernel = time_kernel(x, c, s, cfg, args.min_seconds)
        done = measured.setdefault(k, [])
        note = ""
        if len(done) >= 2:
            (n1, t1), (n2, t2) = done[-2:]
            slope = np.log(t2 / t1) / np.log(n2 / n1)
            predicted = t2 * (n / n2) ** slope
        else:
            slope, predicted = None, 0.0
        if predicted <= args.ref_budget:
            ref = time_reference(x, c, s, args.variant)
            done.append((n, ref))
        else:
            ref = predicted
            note = f"estimated: n^{slope:.1f} from n={done[-2][0]},{done[-1][0]} (run would take ~{predicted:.0f} s)"
        print(f"{n:>5} {k:>3} {kernel * 1e3:>9.2f} ms {ref:>12.3f} s {ref / kernel:>9.0f}x  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
