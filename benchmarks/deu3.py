"""DEU III real-outcome benchmark: four bargaining models against the salience-weighted mean, without leakage.

Data: data/deu3/deu3.tsv (Arregui & Perarnaud 2021, doi:10.34810/data53): 353 issues with a real outcome from
137 proposals (`prnr`), positions and saliences (0..100) of the Commission, the Parliament and up to 28 member
states. Row 2 is a GDP row added by a third party, not an issue (unused). Only actors with a position take part
in an issue; a positioned actor without a salience counts as salience 0.

Models and their free parameters (every configuration's forecast of every issue is computed once: it uses no
outcome; only the selection below looks at outcomes):
- compromise: capabilities (CAPABILITIES: equal; square-root population; the Council's Shapley-Shubik index
  for the proposal's era and voting rule with the Commission at kappa and the Parliament at beta_COD or
  beta_CNS times the positioned member states' total, by procedure `proc`);
- nbs: the same capabilities x the common breakdown loss K (Achen's reading; scale 0..100);
- exchange: the same capabilities x rounds 1..5 (exchanges within a proposal);
- eum: equal, square-root population and the Council capabilities at one Council-centric point x variant
  (paper, compat) x offer choice (scholz, least_move) x rounds 1..10 x rule (mean, median), Q = T = 1,
  Delta = the issue's initial range. At least one round: round 0 is the compromise model.

Procedure, repeated over SPLITS random halvings of the proposals: pick each model's configuration with the
lowest MAE on the training half, then score it, and the salience-weighted mean (equal capabilities; 23.68
published on all 353), on the other half. The spread over splits therefore includes the selection. Printed
per model: MAE, median absolute error and share within 10 points on the held-out halves, each beside the
weighted mean's, as the mean over splits with the 2.5-97.5 % range over splits; the share of splits in which
the model's MAE beats the weighted mean's; the configurations picked most often; and the time taken.

Run: `make bench-deu3` or `.venv/bin/python benchmarks/deu3.py [--splits N] [--data FILE]`.
"""

from __future__ import annotations

import argparse
import collections
import csv
import itertools
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from sim.bargaining import (  # noqa: E402
    EUMSettings,
    breakdown,
    compromise,
    disagreement_at,
    eum_run,
    exchange_run,
    median_voter,
    nash_bargaining,
    weighted_mean,
)
from sim.bargaining.eu_council import POPULATION_M, council_power  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data" / "deu3" / "deu3.tsv"
ACTORS = ["com", "ep", "at", "be", "bu", "cr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "el", "hu", "ie", "it",
          "lv", "lt", "lu", "mt", "nl", "pl", "pt", "ro", "si", "sk", "es", "se", "uk"]  # fmt: skip
STATES = ACTORS[2:]
KAPPA = (0.0, 0.1, 0.25, 0.5)  # the Commission, times the positioned member states' total power
BETA_COD = (0.0, 0.1, 0.25, 0.5, 1.0)  # the Parliament under codecision (1: as much as the Council)
BETA_CNS = (0.0, 0.1, 0.25)  # the Parliament under consultation (its opinion binds no one)
EUM_COUNCIL = (0.1, 0.25, 0.1)  # the one Council point the EUM grid uses (kappa, beta_COD, beta_CNS)
BREAKDOWN = (1.0, 1.5, 2.0, 4.0, 10.0)
EXCHANGE_ROUNDS = 5
EUM_ROUNDS = 10
SPLITS = 400


@dataclass(frozen=True)
class Deu3:
    x: np.ndarray  # (n actors, k issues), NaN: no position
    s: np.ndarray  # (n, k) salience 0..1, 0 where none
    out: np.ndarray  # (k,) real outcome
    rp: np.ndarray  # (k,) reference point (status quo), NaN where not coded
    proposal: np.ndarray  # (k,) prnr
    proc: np.ndarray  # (k,) COD or CNS
    unanimity: np.ndarray  # (k,) bool, counvte == Unan
    era: np.ndarray  # (k,) the Council's rules when the proposal was decided (sim.bargaining.eu_council.ERAS)


def _number(text: str) -> float:
    text = text.strip()
    return float(text) if text else float("nan")


def _era(prnr: str, states: set[str]) -> str:
    """Treaty rules in force when a proposal was decided, from its number's year and which states took part.

    DEU I proposals (1995-2000, `d96085`: year 96) were decided by EU-15 before the Nice weights (Nov 2004);
    DEU II (2003-2008) by EU-25, or EU-27 where Bulgaria or Romania took a position; the DEU III extension
    (2012-2018, `d160280`: year 2016) was decided in 2017-2019 under Lisbon's double majority (EU-28).
    """
    yy = int(prnr[1:3])  # the proposal's year, in both numberings
    year = 1900 + yy if yy >= 90 else 2000 + yy
    if year <= 2002:
        return "amsterdam15"
    if year <= 2010:
        return "nice27" if states & {"bu", "ro"} else "nice25"
    return "lisbon28"


def load(path: Path) -> Deu3:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quotechar='"'))
    head = {name: i for i, name in enumerate(rows[0])}
    issues = [r for r in rows[2:] if r[head["out"]].strip()]
    x = np.array([[_number(r[head["p" + a]]) for r in issues] for a in ACTORS])
    s = np.array([[_number(r[head["s" + a]]) for r in issues] for a in ACTORS]) / 100
    s = np.where(np.isnan(x) | np.isnan(s), 0.0, s)
    proposal = np.array([r[head["prnr"]] for r in issues])
    took_part = collections.defaultdict(set)
    for q, p in enumerate(proposal):
        took_part[p] |= {a for a in STATES if not np.isnan(x[ACTORS.index(a), q])}
    return Deu3(
        x=x,
        s=s,
        out=np.array([_number(r[head["out"]]) for r in issues]),
        rp=np.array([_number(r[head["rp"]]) for r in issues]),
        proposal=proposal,
        proc=np.array([r[head["proc"]] for r in issues]),
        unanimity=np.array([r[head["counvte"]] == "Unan" for r in issues]),
        era=np.array([_era(p, took_part[p]) for p in proposal]),
    )


def capabilities(scheme: tuple, data: Deu3) -> np.ndarray:
    """(n, k) capabilities: ("equal",), ("sqrtpop",) or ("council", kappa, beta_COD, beta_CNS)."""
    n, k = data.x.shape
    if scheme[0] == "equal":
        return np.ones((n, k))
    if scheme[0] == "sqrtpop":  # Penrose; the Commission and the Parliament get the largest state's weight
        states = np.array([np.sqrt(POPULATION_M[a]) for a in STATES])
        return np.repeat(np.concatenate([[states.max()] * 2, states])[:, None], k, axis=1)
    _, kappa, beta_cod, beta_cns = scheme
    power = {
        (e, u): council_power(e, u)
        for e, u in set(zip(data.era.tolist(), data.unanimity.tolist(), strict=True))
    }
    c = np.zeros((n, k))
    for q in range(k):
        table = power[(data.era[q], bool(data.unanimity[q]))]
        c[2:, q] = [table.get(a, 0.0) for a in STATES]
        council = np.sum(c[2:, q] * ~np.isnan(data.x[2:, q]))
        c[0, q] = kappa * council
        c[1, q] = (beta_cod if data.proc[q] == "COD" else beta_cns) * council
    return c


def schemes():
    yield ("equal",)
    yield ("sqrtpop",)
    for kappa, cod, cns in itertools.product(KAPPA, BETA_COD, BETA_CNS):
        yield ("council", kappa, cod, cns)


def predictions(data: Deu3) -> tuple[dict[str, dict[str, np.ndarray]], dict[str, float]]:
    """Every configuration's forecast of every issue, per model; and the CPU seconds each model took."""
    k = data.x.shape[1]
    groups = np.unique(data.proposal, return_inverse=True)[1]
    caps = {sch: capabilities(sch, data) for sch in schemes()}
    preds: dict[str, dict[str, np.ndarray]] = {m: {} for m in ("compromise", "nbs", "exchange", "eum")}
    cpu = {}
    t0 = time.process_time()
    for sch, c in caps.items():
        preds["compromise"][str(sch)] = compromise(data.x, c, data.s)
    cpu["compromise"], t0 = time.process_time() - t0, time.process_time()
    lo, hi = np.zeros(k), np.full(k, 100.0)
    for (sch, c), loss in itertools.product(caps.items(), BREAKDOWN):
        preds["nbs"][f"{sch} K={loss:g}"] = nash_bargaining(
            data.x, c, data.s, lo, hi, breakdown(data.x, loss)
        )
    cpu["nbs"], t0 = time.process_time() - t0, time.process_time()
    for sch, c in caps.items():
        run = exchange_run(data.x, c, data.s, EXCHANGE_ROUNDS, groups=groups)
        for r in range(1, EXCHANGE_ROUNDS + 1):
            preds["exchange"][f"{sch} rounds={r}"] = run.forecasts[min(r, run.rounds_run)]
    cpu["exchange"], t0 = time.process_time() - t0, time.process_time()
    lo, hi = np.nanmin(data.x, axis=0), np.nanmax(data.x, axis=0)
    for sch, variant, choice in itertools.product(
        [("equal",), ("sqrtpop",), ("council", *EUM_COUNCIL)], ("paper", "compat"), ("scholz", "least_move")
    ):
        c = caps[sch]
        run = eum_run(data.x, c, data.s, lo, hi, EUMSettings(variant=variant, choice=choice), EUM_ROUNDS)
        for r, rule in itertools.product(range(1, EUM_ROUNDS + 1), ("mean", "median")):
            stat = weighted_mean if rule == "mean" else median_voter
            preds["eum"][f"{sch} {variant}/{choice} rounds={r} {rule}"] = stat(run.positions[r], c, data.s)
    cpu["eum"] = time.process_time() - t0
    return preds, cpu


def status_quo_nbs(data: Deu3, base: np.ndarray) -> None:
    """The NBS's other reading (the status quo as the disagreement point), equal capabilities: no free parameter."""
    has = ~np.isnan(data.rp)
    x, s, rp = data.x[:, has], data.s[:, has], data.rp[has]
    k = int(has.sum())
    lo, hi = np.zeros(k), np.full(k, 100.0)
    nbs = nash_bargaining(x, np.ones(len(x)), s, lo, hi, disagreement_at(x, s, lo, hi, rp))
    out = data.out[has]
    print(
        f"NBS with the status quo (`rp`) as disagreement point, equal capabilities, on the {k} issues with one:"
        f" MAE {np.mean(np.abs(nbs - out)):.2f} (weighted mean {np.mean(np.abs(base[has] - out)):.2f}, the"
        f" status quo itself {np.mean(np.abs(rp - out)):.2f} on the same issues); the NBS is the status quo on"
        f" {int(np.sum(np.abs(nbs - rp) < 1e-9))} of them\n"
    )


def scores(err: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """MAE, median absolute error, share within 10 points of each row of `err` on the issues in `mask`."""
    e = err[..., mask]
    return np.stack([e.mean(axis=-1), np.median(e, axis=-1), (e <= 10).mean(axis=-1)], axis=-1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA, help="deu3.tsv (default: %(default)s)")
    ap.add_argument(
        "--splits", type=int, default=SPLITS, help="random proposal halvings (default %(default)s)"
    )
    ap.add_argument("--seed", type=int, default=12, help="seed of the splits (default %(default)s)")
    args = ap.parse_args(argv)
    t_all = time.process_time()
    data = load(args.data)
    n, k = data.x.shape
    props, issue_prop = np.unique(data.proposal, return_inverse=True)
    base = weighted_mean(data.x, np.ones(n), data.s)
    print(
        f"DEU III: {k} issues with an outcome, {len(props)} proposals, {n} actors; eras "
        + ", ".join(f"{e} {int(np.sum(data.era == e))}" for e in dict.fromkeys(data.era.tolist()))
        + f"; {int(data.unanimity.sum())} issues under unanimity, {int(np.sum(data.proc == 'COD'))} codecision"
    )
    mae, med, hit = scores(np.abs(base - data.out)[None], np.ones(k, dtype=bool))[0]
    print(f"Salience-weighted mean on all {k}: MAE {mae:.2f} (published 23.68), median AE {med:.2f}, "
          f"{100 * hit:.1f} % within 10\n")  # fmt: skip
    status_quo_nbs(data, base)
    preds, cpu = predictions(data)
    base_err = np.abs(base - data.out)
    rng = np.random.default_rng(args.seed)
    results = {m: [] for m in preds}
    picks = {m: collections.Counter() for m in preds}
    errs = {m: np.abs(np.stack(list(p.values())) - data.out) for m, p in preds.items()}
    names = {m: list(p) for m, p in preds.items()}
    for _ in range(args.splits):
        train_props = rng.permutation(len(props))[: len(props) // 2]
        train = np.isin(issue_prop, train_props)
        test = ~train
        b = scores(base_err[None], test)[0]
        for m, e in errs.items():
            best = int(np.argmin(e[:, train].mean(axis=1)))
            picks[m][names[m][best]] += 1
            results[m].append((scores(e[best][None], test)[0], b))
    print(
        f"Held-out halves: {args.splits} random splits of the {len(props)} proposals; each model's configuration"
        " picked by MAE on the other half.\nCells: mean over splits [2.5 %, 97.5 % over splits]."
    )
    head = f"  {'model':<11}{'configs':>8}  {'':<10}{'model':>22}{'weighted mean':>22}{'model - WM':>24}"
    print(head)
    for m, res in results.items():
        got = np.array([r[0] for r in res])
        wm = np.array([r[1] for r in res])
        for col, (label, scale) in enumerate((("MAE", 1), ("median AE", 1), ("within 10", 100))):
            cells = []
            for v in (got[:, col], wm[:, col], got[:, col] - wm[:, col]):
                lo, hi = np.quantile(v * scale, [0.025, 0.975])
                cells.append(f"{np.mean(v) * scale:7.2f} [{lo:6.2f}, {hi:6.2f}]")
            lead = f"  {m:<11}{len(names[m]):>8}  " if col == 0 else " " * 21
            print(f"{lead}{label:<10}{cells[0]:>22}{cells[1]:>22}  {cells[2]:>22}")
        beats = np.mean(got[:, 0] < wm[:, 0])
        top = "; ".join(f"{name} ({count})" for name, count in picks[m].most_common(3))
        print(f"{'':21}MAE below the WM's in {100 * beats:.0f} % of splits; picked most: {top}")
    print(
        "\nCPU time: forecasts "
        + ", ".join(f"{m} {t:.1f} s" for m, t in cpu.items())
        + f"; whole benchmark {time.process_time() - t_all:.1f} s (one core)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
