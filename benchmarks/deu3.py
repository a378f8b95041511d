"""DEU III real-outcome benchmark: does the EUM kernel forecast real EU legislative outcomes better than a mean?

Data: data/deu3/deu3.tsv (Arregui & Perarnaud 2021, doi:10.34810/data53): 353 issues with a real
outcome, positions and saliences (0..100) of the Commission, the Parliament and 28 member states. Row 2 is a
GDP row added by a third party, not an issue; it serves as one capability scheme. Only actors with a position
take part in an issue; a positioned actor without a salience counts as salience 0 (no weight). Delta is the
range of the issue's initial positions, as in Scholz's code and research/eum-replication.md section 4.

Printed, each as MAE / median absolute error / share within 10 points on all issues, the odd-numbered
(`isnrnmc` odd) and the even-numbered ones:
- the baselines, computed in this run: the salience-weighted mean (equal capabilities; 23.68 published) and the
  unweighted median of positions (28.59 published);
- the EUM grid: variant (paper, compat) x capabilities (equal, nice, gdp, pop, sqrtpop) x rounds 0..R x rule
  (mean, median) x either offer choice (scholz, least_move) at Q = T = 1 or (Q, T) in {(0.5, 0.5), (0.5, 1)}
  with Scholz's choice: 60 runs, 880 configurations. Every free parameter is picked on the odd issues
  only, by MAE; the pick is then reported on the even issues and on all, with the paired difference against
  the baseline on the even issues and its 95% cluster-bootstrap interval over proposals (`prnrnmc`);
- the same selection among round-0 configurations only (weighted means: no bargaining) and among those with at
  least one EUM round;
- timing: one configuration (all 353 issues, R rounds) and the whole grid.

Run: `make bench-deu3` or `.venv/bin/python benchmarks/deu3.py [--rounds R] [--data FILE]`.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from sim.bargaining import EUMSettings, eum_run, median_voter, weighted_mean  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data" / "deu3" / "deu3.tsv"
ACTORS = [
    "com",
    "ep",
    "at",
    "be",
    "bu",
    "cr",
    "cy",
    "cz",
    "dk",
    "ee",
    "fi",
    "fr",
    "de",
    "el",
    "hu",
    "ie",
    "it",
    "lv",
    "lt",
    "lu",
    "mt",
    "nl",
    "pl",
    "pt",
    "ro",
    "si",
    "sk",
    "es",
    "se",
    "uk",
]
# Council votes under the Treaty of Nice as extended by the accession treaties (Art. 205 TEC as amended; the
# 2003, 2005 and 2011 accession acts), as listed in research/eum-replication.md section 4. The Commission
# and the Parliament get the largest member state's weight there and in every scheme below.
NICE_VOTES = {
    **dict.fromkeys(["de", "fr", "it", "uk"], 29),
    **dict.fromkeys(["es", "pl"], 27),
    "ro": 14,
    "nl": 13,
    **dict.fromkeys(["be", "cz", "el", "hu", "pt"], 12),
    **dict.fromkeys(["at", "bu", "se"], 10),
    **dict.fromkeys(["dk", "ie", "lt", "sk", "fi", "cr"], 7),
    **dict.fromkeys(["cy", "ee", "lv", "lu", "si"], 4),
    "mt": 3,
}
# Population in millions, approximately Eurostat 1 January 2015, as given (and flagged "+-2 %, not checked row
# by row") in research/eum-replication.md section 4. `sqrtpop` is Penrose's square-root weighting of these.
POPULATION_M = {
    "de": 81.2,
    "fr": 66.4,
    "uk": 64.9,
    "it": 60.8,
    "es": 46.4,
    "pl": 38.0,
    "ro": 19.9,
    "nl": 16.9,
    "be": 11.3,
    "el": 10.9,
    "cz": 10.5,
    "pt": 10.4,
    "hu": 9.9,
    "se": 9.7,
    "at": 8.6,
    "bu": 7.2,
    "dk": 5.7,
    "fi": 5.5,
    "sk": 5.4,
    "ie": 4.6,
    "cr": 4.2,
    "lt": 2.9,
    "si": 2.1,
    "lv": 2.0,
    "ee": 1.3,
    "cy": 0.85,
    "lu": 0.56,
    "mt": 0.43,
}
SCHEMES = ("equal", "nice", "gdp", "pop", "sqrtpop")
RULES = ("mean", "median")
PUBLISHED = {"weighted mean": 23.68, "median": 28.59}


@dataclass(frozen=True)
class Deu3:
    x: np.ndarray  # (n actors, k issues), NaN: no position
    s: np.ndarray  # (n, k) salience 0..1, 0 where none
    out: np.ndarray  # (k,) real outcome
    odd: np.ndarray  # (k,) bool, isnrnmc odd
    proposal: np.ndarray  # (k,) prnrnmc, for the cluster bootstrap
    gdp: np.ndarray  # (n,) the third-party GDP row


def _number(text: str) -> float:
    text = text.strip()
    return float(text) if text else float("nan")


def load(path: Path) -> Deu3:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quotechar='"'))
    head = {name: i for i, name in enumerate(rows[0])}
    gdp_row, issues = rows[1], [r for r in rows[2:] if r[head["out"]].strip()]
    x = np.array([[_number(r[head["p" + a]]) for r in issues] for a in ACTORS])
    s = np.array([[_number(r[head["s" + a]]) for r in issues] for a in ACTORS]) / 100
    s = np.where(np.isnan(x) | np.isnan(s), 0.0, s)
    return Deu3(
        x=x,
        s=s,
        out=np.array([_number(r[head["out"]]) for r in issues]),
        odd=np.array([int(r[head["isnrnmc"]]) % 2 == 1 for r in issues]),
        proposal=np.array([int(r[head["prnrnmc"]]) for r in issues]),
        gdp=np.array([_number(gdp_row[head["p" + a]]) for a in ACTORS]),
    )


def capabilities(scheme: str, data: Deu3) -> np.ndarray:
    if scheme == "equal":
        return np.ones(len(ACTORS))
    if scheme == "gdp":
        return data.gdp.copy()  # the row already gives the Commission and the Parliament Germany's 4.1
    table = {"nice": NICE_VOTES, "pop": POPULATION_M, "sqrtpop": POPULATION_M}[scheme]
    states = np.array([float(table.get(a, np.nan)) for a in ACTORS])
    states[:2] = np.nanmax(states)  # com, ep: the largest member state's weight
    return np.sqrt(states) if scheme == "sqrtpop" else states


def score(pred: np.ndarray, out: np.ndarray) -> tuple[float, float, float]:
    err = np.abs(pred - out)
    return float(err.mean()), float(np.median(err)), float(np.mean(err <= 10))


def paired_ci(pred, base, data: Deu3, mask, draws=4000, seed=3) -> tuple[float, float, float]:
    """Mean of |pred - out| - |base - out| over `mask`, with a 95% bootstrap interval resampling proposals."""
    diff = (np.abs(pred - data.out) - np.abs(base - data.out))[mask]
    _, cluster = np.unique(data.proposal[mask], return_inverse=True)
    sums = np.bincount(cluster, weights=diff)
    counts = np.bincount(cluster)
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(sums), size=(draws, len(sums)))
    boot = sums[pick].sum(axis=1) / counts[pick].sum(axis=1)
    return float(diff.mean()), float(np.quantile(boot, 0.025)), float(np.quantile(boot, 0.975))


def line(label: str, pred: np.ndarray, data: Deu3) -> str:
    parts = []
    for name, mask in (("all", slice(None)), ("odd", data.odd), ("even", ~data.odd)):
        mae, med, hit = score(pred[mask], data.out[mask])
        parts.append(f"{name} {mae:5.2f}/{med:5.2f}/{100 * hit:4.1f}%")
    return f"  {label:<50} " + "   ".join(parts)


def run_grid():
    """(variant, capabilities, choice, (Q, T), rule) of every EUM run of the grid.

    With Q = 1 the rule does not enter the dynamics, so one run serves both rules (rule None); with Q < 1 the
    forecast mu in the status-quo utilities follows the rule, so each rule is its own run.
    """
    for variant, scheme, choice in itertools.product(("paper", "compat"), SCHEMES, ("scholz", "least_move")):
        yield variant, scheme, choice, (1.0, 1.0), None
    for variant, scheme, qt, rule in itertools.product(
        ("paper", "compat"), SCHEMES, ((0.5, 0.5), (0.5, 1.0)), RULES
    ):
        yield variant, scheme, "scholz", qt, rule


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA, help="deu3.tsv (default: %(default)s)")
    ap.add_argument("--rounds", type=int, default=10, help="largest number of EUM rounds tried (default 10)")
    args = ap.parse_args(argv)

    data = load(args.data)
    n, k = data.x.shape
    ones = np.ones(n)
    base = weighted_mean(data.x, ones, data.s)
    median_plain = np.nanmedian(data.x, axis=0)
    print(
        f"DEU III: {k} issues with an outcome ({data.odd.sum()} odd, {(~data.odd).sum()} even isnrnmc),"
        f" {len(np.unique(data.proposal))} proposals, {n} actors, {np.mean((~np.isnan(data.x)).sum(0)):.1f}"
        " per issue"
    )
    print("Each cell: MAE / median AE / share within 10 points.\n\nBaselines (this run):")
    print(line(f"salience-weighted mean (published {PUBLISHED['weighted mean']})", base, data))
    print(line(f"unweighted median of positions (published {PUBLISHED['median']})", median_plain, data))

    lo, hi = np.nanmin(data.x, axis=0), np.nanmax(data.x, axis=0)
    rounds = args.rounds
    preds: dict[tuple, np.ndarray] = {}
    timings, cpu = [], []  # wall clock and this process's CPU time (the machine may be shared)
    t_grid, c_grid = time.perf_counter(), time.process_time()
    for variant, scheme, choice, (q, tt), rule in run_grid():
        c = capabilities(scheme, data)
        cfg = EUMSettings(variant=variant, q=q, t=tt, rule=rule or "mean", choice=choice)
        t0, c0 = time.perf_counter(), time.process_time()
        run = eum_run(data.x, c, data.s, lo, hi, cfg, rounds)
        timings.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        for r in range(rounds + 1):
            for stat in (rule,) if rule else ("mean", "median"):
                forecast = weighted_mean if stat == "mean" else median_voter
                preds[(variant, scheme, choice, q, tt, r, stat)] = forecast(run.positions[r], c, data.s)
    t_grid, c_grid = time.perf_counter() - t_grid, time.process_time() - c_grid

    def name(cfg: tuple) -> str:
        variant, scheme, choice, q, tt, r, rule = cfg
        return f"{variant}/{scheme}/{choice}/Q={q:g},T={tt:g}/r={r}/{rule}"

    def odd_mae(cfg: tuple) -> float:
        return score(preds[cfg][data.odd], data.out[data.odd])[0]

    print(f"\nMAE on all {k} issues by round, equal capabilities, Scholz's offer choice:")
    print("  " + " " * 14 + "".join(f"{r:>7}" for r in range(rounds + 1)))
    for variant, rule in itertools.product(("compat", "paper"), ("mean", "median")):
        maes = [
            score(preds[(variant, "equal", "scholz", 1.0, 1.0, r, rule)], data.out)[0]
            for r in range(rounds + 1)
        ]
        print(f"  {variant + ', ' + rule:<14}" + "".join(f"{m:7.2f}" for m in maes))

    print(
        f"\nSelection on the odd issues ({len(preds)} configurations), reported on the even ones and on all:"
    )
    for label, pool in (
        ("best of all configurations", list(preds)),
        ("best at round 0 (a weighted mean: no bargaining)", [cfg for cfg in preds if cfg[5] == 0]),
        ("best with at least one EUM round", [cfg for cfg in preds if cfg[5] >= 1]),
    ):
        best = min(pool, key=odd_mae)
        print(f"  {label}: {name(best)}")
        print(line("", preds[best], data))
        diff, low, high = paired_ci(preds[best], base, data, ~data.odd)
        print(f"  {'':<50} even, minus the weighted mean: {diff:+.2f} [95% CI {low:+.2f}, {high:+.2f}]")

    print(
        f"\nTiming: one configuration (all {k} issues, {rounds} rounds): median {np.median(timings):.2f} s wall,"
        f" {np.median(cpu):.2f} s CPU (range {min(timings):.2f}-{max(timings):.2f} s wall);"
        f" the whole grid ({len(timings)} runs + forecasts): {t_grid:.1f} s wall, {c_grid:.1f} s CPU"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
