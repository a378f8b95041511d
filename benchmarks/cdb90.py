"""CDB90 real-battle benchmark: does the combat kernel predict battles better than the baselines?

Data: data/cdb90/battles.csv (CAA Database of Battles 1990 with the CDB91 corrections; open edition by
J. Arnold): the decided battles (`WINA` +1 or -1) with both personnel strengths, 614 battles of 64 wars.
Inputs, all known before the battle (data/cdb90/README.md): personnel `STRA`/`STRD`; heavy weapons
`TANKA`+`ARTYA`+`FLYA` (and `...D`; unknown counts as 0); the defender's posture `POST1`; the terrain
`TERRA1`. Not used: the hindsight-coded columns (`CEA` .. `INITA`, `QUALA` .. `DEEPA`), surprise `SURPA`
(achieved surprise is known after the battle); theatre air superiority `AEROA` (a judged code, not in the
README's list of pre-battle variables) only in the labelled sensitivity variant. Targets: the winner; each side's casualty fraction `CASA/STRA`,
`CASD/STRD` (where both are in (0, 1]); the advance per day of battle, `KMDA` over the calendar days of the
active periods (where `KMDA` is known).

Split by war: every repetition deals the wars at random into K folds (all battles of one war in one fold),
fits on K-1 folds and predicts the held-out one; the out-of-fold predictions of all battles give one score
per repetition. Printed for each predictor: the mean over repetitions and the 2.5-97.5% range. For each
kernel variant (`KERNELS`), the difference against the best baseline of each metric, with two ranges: over
the repetitions, and over the wars resampled with replacement (a bootstrap of the per-battle losses), and
the ratio. Fitted on training folds only: the kernel's parameters (`fit`), the base rate, the logistic, the
medians.

The kernel is `sim.kernels.combat.resolve`, the function the model calls; this file only maps CDB90's codes
to its inputs and fits its free parameters.

Run: `make bench-cdb90` or `.venv/bin/python benchmarks/cdb90.py [--reps N] [--folds K] [--seed S] [--draws D]`.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from sim.kernels.combat import (  # noqa: E402
    SIZE_REFERENCE,
    CombatOutcome,
    CombatParams,
    Force,
    defence_multiplier,
    log_power_ratio,
    resolve,
    terrain_mobility,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "cdb90" / "battles.csv"

# CDB90 codes (definitions.csv, notes 2 and 3) to the kernel's Dupuy names.
POSTURE_CODES = {"HD": "hasty", "PD": "prepared", "FD": "fortified", "DL": "delay", "WD": "withdrawal"}
RELIEF = {"G": "rugged", "R": "rolling", "F": "flat"}
COVER = {"W": "heavily_wooded", "M": "mixed", "B": "bare"}
KAPPA_GRID = (
    0.0,
    1.0,
    3.0,
    10.0,
    30.0,
    100.0,
    300.0,
    1000.0,
)  # personnel equivalents per heavy weapon tried by `fit`


def terrain_name(code: str) -> str:
    """CDB90 `TERRA1` (relief, cover, feature) to a QJM terrain type. Urban, marsh and dunes decide alone;
    desert cover is flat desert on flat ground and bare ground otherwise (the QJM has no rugged desert); an
    unknown relief or cover is taken as the modal rolling / mixed."""
    relief, cover, feature = (code + "000")[:3]
    if feature == "U":
        return "urban"
    if feature == "M":
        return "swamp_jungled" if cover == "W" else "swamp_mixed"
    if feature == "D":
        return "desert_sandy_dunes"
    if cover == "D":
        return "flat_desert" if relief == "F" else f"{RELIEF.get(relief, 'rolling')}_bare"
    return f"{RELIEF.get(relief, 'rolling')}_{COVER.get(cover, 'mixed')}"


def _num(row: dict, key: str) -> float:
    try:
        return float(row[key])
    except (KeyError, ValueError):
        return float("nan")


def _count(row: dict, key: str) -> float:
    value = _num(row, key)
    return value if value >= 0 else 0.0  # -1: not available


def _days(row: dict) -> float:
    """Calendar days of the active periods (NOATP of them), each counted inclusively; NaN if a date is
    unknown."""
    total = 0
    for i in range(1, int(_num(row, "NOATP")) + 1):
        try:
            begin = date(*(int(row[f"ATPB{f}{i}"]) for f in ("YR", "MN", "DA")))
            end = date(*(int(row[f"ATPE{f}{i}"]) for f in ("YR", "MN", "DA")))
        except ValueError:  # 9999 / 99: unknown
            return float("nan")
        total += (end - begin).days + 1
    return float(total)


@dataclass(frozen=True)
class Battles:
    war: np.ndarray  # war index, for the grouped split
    wins: np.ndarray  # 1.0 attacker won, 0.0 lost
    strength_a: np.ndarray
    strength_d: np.ndarray
    heavy_a: np.ndarray
    heavy_d: np.ndarray
    defence_d: np.ndarray  # Dupuy posture x terrain multiplier of the defender
    mobility: np.ndarray
    cas_a: np.ndarray  # fraction lost; NaN where unknown or outside (0, 1]
    cas_d: np.ndarray
    advance: np.ndarray  # km per day of battle; NaN where unknown
    air: np.ndarray  # AEROA, theatre air superiority -1/0/+1 (unknown: 0); only for the sensitivity row

    def __len__(self) -> int:
        return len(self.wins)


def load(path: Path = DATA) -> Battles:
    with open(path, newline="") as f:
        rows = [
            r
            for r in csv.DictReader(f)
            if r["WINA"] in ("1", "-1") and _num(r, "STRA") > 0 and _num(r, "STRD") > 0
        ]
    wars = sorted({r["WAR"] for r in rows})
    terrain = [terrain_name(r["TERRA1"]) for r in rows]
    posture = [POSTURE_CODES.get(r["POST1"], "hasty") for r in rows]  # 1 battle "OO": the modal posture

    def column(fn) -> np.ndarray:
        return np.array([fn(r) for r in rows], dtype=float)

    def fraction(cas: str, strength: str) -> np.ndarray:
        frac = column(lambda r: _num(r, cas) / _num(r, strength))
        return np.where((frac > 0) & (frac <= 1), frac, np.nan)

    km = column(lambda r: _num(r, "KMDA"))
    return Battles(
        war=np.array([wars.index(r["WAR"]) for r in rows]),
        wins=column(lambda r: r["WINA"] == "1"),
        strength_a=column(lambda r: _num(r, "STRA")),
        strength_d=column(lambda r: _num(r, "STRD")),
        heavy_a=column(lambda r: _count(r, "TANKA") + _count(r, "ARTYA") + _count(r, "FLYA")),
        heavy_d=column(lambda r: _count(r, "TANKD") + _count(r, "ARTYD") + _count(r, "FLYD")),
        defence_d=defence_multiplier(posture, terrain),
        mobility=terrain_mobility(terrain),
        cas_a=fraction("CASA", "STRA"),
        cas_d=fraction("CASD", "STRD"),
        advance=np.where(km > -9999, km, np.nan) / column(_days),
        air=column(lambda r: _num(r, "AEROA") if r["AEROA"] in ("-1", "0", "1") else 0.0),
    )


def subset(b: Battles, idx: np.ndarray) -> Battles:
    return Battles(**{k: v[idx] for k, v in vars(b).items()})


@dataclass(frozen=True)
class Fitted:
    params: CombatParams
    air_weight: float = 0.0  # ln of the attacker's quality per unit of AEROA (0: air superiority not used)


def predict(b: Battles, fitted: Fitted) -> CombatOutcome:
    """The kernel on CDB90's inputs: the attacker attacks (multiplier 1), the defender holds its posture."""
    return resolve(
        Force(b.strength_a, b.heavy_a, np.exp(fitted.air_weight * b.air)),
        Force(b.strength_d, b.heavy_d, defence=b.defence_d),
        mobility=b.mobility,
        params=fitted.params,
    )


def logistic(x: np.ndarray, y: np.ndarray, ridge: float = 1e-6) -> tuple[np.ndarray, float]:
    """Maximum-likelihood logistic regression by Newton's method; returns (coefficients, log-likelihood)."""
    w = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        hess = x.T @ (x * (p * (1 - p))[:, None]) + ridge * np.eye(len(w))
        step = np.linalg.solve(hess, x.T @ (p - y) + ridge * w)
        w -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    p = np.clip(1.0 / (1.0 + np.exp(-(x @ w))), 1e-12, 1 - 1e-12)
    return w, float(np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values)
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, 0.5 * cum[-1])])


def fit(b: Battles, dupuy_weight: float | None = None, air: bool = False) -> Fitted:
    """The kernel's free parameters from battles b (a training fold), each by its own criterion:
    winner (beta, s, gamma, kappa) by maximum likelihood, gamma >= 0 (a stronger defence never helps the
    attacker) or fixed at `dupuy_weight`, kappa on KAPPA_GRID; casualties (W, c0, eta) by least squares on the
    log fractions; advance r0 by least absolute error (a weighted median). With `air`, the attacker's quality
    is exp(air_weight x AEROA), its weight fitted with the winner's."""
    ones = np.ones(len(b))
    extra = [b.air] if air else []
    best = None
    for kappa in KAPPA_GRID:
        numbers = np.log((b.strength_a + kappa * b.heavy_a) / (b.strength_d + kappa * b.heavy_d))
        factor = -np.log(b.defence_d)
        if dupuy_weight is None:
            w, ll = logistic(np.column_stack([ones, numbers, *extra, factor]), b.wins)
            gamma = w[-1] / w[1] if w[1] > 0 else 0.0
        if dupuy_weight is not None or gamma < 0:
            # gamma < 0: the data would have a strong position help the attacker; fit without Dupuy's factors
            gamma = dupuy_weight or 0.0
            w, ll = logistic(np.column_stack([ones, numbers + gamma * factor, *extra]), b.wins)
        s = max(w[1], 1e-9)
        if best is None or ll > best[0]:
            quality = w[2] / s if air else 0.0
            best = (ll, CombatParams(w[0], s, gamma, kappa), quality)
    _, params, air_weight = best
    quality_a = np.exp(air_weight * b.air)
    ratio = log_power_ratio(
        Force(b.strength_a, b.heavy_a, quality_a), Force(b.strength_d, b.heavy_d, defence=b.defence_d), params
    )
    known = np.isfinite(b.cas_a) & np.isfinite(b.cas_d)
    exchange = np.log(b.cas_d[known] / b.cas_a[known])
    two_w = float(ratio[known] @ exchange / (ratio[known] @ ratio[known]))
    size = np.log((b.strength_a + b.strength_d)[known] / SIZE_REFERENCE)
    level = 0.5 * np.log(b.cas_a[known] * b.cas_d[known])
    (log_c0, minus_eta), *_ = np.linalg.lstsq(
        np.column_stack([np.ones(known.sum()), size]), level, rcond=None
    )
    params = replace(
        params, helmbold_w=max(two_w / 2, 0.0), casualty_level=float(np.exp(log_c0)), size_exponent=-minus_eta
    )
    adv = np.isfinite(b.advance)
    scale = (
        b.mobility[adv] * predict(subset(b, np.flatnonzero(adv)), Fitted(params, air_weight)).p_attacker_wins
    )
    return Fitted(replace(params, advance_rate=weighted_median(b.advance[adv] / scale, scale)), air_weight)


@dataclass(frozen=True)
class Prediction:
    p: np.ndarray
    cas_a: np.ndarray
    cas_d: np.ndarray
    advance: np.ndarray


def baselines(train: Battles, test: Battles) -> dict[str, Prediction]:
    """The baselines, fitted on train: the base rate, "the attacker wins", "the larger side wins", a logistic
    on the log force ratio; casualties and advance: the training medians (the same under every baseline)."""
    n = len(test)
    medians = {
        "cas_a": np.full(n, np.nanmedian(train.cas_a)),
        "cas_d": np.full(n, np.nanmedian(train.cas_d)),
        "advance": np.full(n, np.nanmedian(train.advance)),
    }
    x_train = np.column_stack([np.ones(len(train)), np.log(train.strength_a / train.strength_d)])
    w, _ = logistic(x_train, train.wins)
    x_test = np.column_stack([np.ones(n), np.log(test.strength_a / test.strength_d)])
    larger = np.sign(test.strength_a - test.strength_d) * 0.5 + 0.5
    return {
        "base rate": Prediction(np.full(n, train.wins.mean()), **medians),
        "attacker wins": Prediction(np.ones(n), **medians),
        "larger side wins": Prediction(larger, **medians),
        "logistic ln(N_a/N_d)": Prediction(1.0 / (1.0 + np.exp(-(x_test @ w))), **medians),
    }


def kernel(train: Battles, test: Battles, **how) -> Prediction:
    """The kernel fitted on train (`fit`, with its options `how`), predicting test."""
    out = predict(test, fit(train, **how))
    return Prediction(*out)


# The kernel as scored against the baselines (Dupuy's factors as published, gamma = 1: the CombatParams
# defaults are its fit on all battles), and two variants that show what its parts are worth: gamma fitted
# (>= 0), and theatre air superiority as the attacker's quality with gamma fitted (AEROA is a judged code,
# outside the README's pre-battle list, so that variant is not a claim; no variant is a baseline).
KERNELS = {
    "kernel": {"dupuy_weight": 1.0},
    "kernel, gamma fitted": {},
    "kernel + AEROA quality": {"air": True},
}


METRICS = ("Brier", "accuracy", "MAE cas_a", "MAE cas_d", "MAE km/day")
HIGHER_IS_BETTER = {"accuracy"}


def losses(b: Battles, pred: Prediction) -> np.ndarray:
    """Per battle (rows) and metric (METRICS order): squared error, hit (1/0), absolute errors; NaN where the
    battle has no value of the target. A metric is the mean of its column."""
    return np.column_stack(
        [
            (pred.p - b.wins) ** 2,
            ((pred.p > 0.5) == (b.wins == 1)).astype(float),
            np.abs(b.cas_a - pred.cas_a),
            np.abs(b.cas_d - pred.cas_d),
            np.abs(b.advance - pred.advance),
        ]
    )


@dataclass(frozen=True)
class CrossValidation:
    scores: dict[str, np.ndarray]  # predictor -> (reps x metrics): each repetition's out-of-fold scores
    losses: dict[
        str, np.ndarray
    ]  # predictor -> (battles x metrics): per-battle losses, mean over repetitions


def cross_validate(b: Battles, reps: int, folds: int, seed: int) -> CrossValidation:
    """Grouped K-fold by war, repeated with fresh random deals of the wars to the folds."""
    rng = np.random.default_rng(seed)
    wars = np.unique(b.war)
    names = [*baselines(b, b), *KERNELS]
    scores = {name: np.empty((reps, len(METRICS))) for name in names}
    mean_losses = {name: np.zeros((len(b), len(METRICS))) for name in names}
    for rep in range(reps):
        fold_of_war = rng.permutation(np.arange(len(wars)) % folds)
        fold = fold_of_war[np.searchsorted(wars, b.war)]
        preds = {name: {k: np.empty(len(b)) for k in ("p", "cas_a", "cas_d", "advance")} for name in names}
        for k in range(folds):
            test_idx, train_idx = np.flatnonzero(fold == k), np.flatnonzero(fold != k)
            train, test = subset(b, train_idx), subset(b, test_idx)
            kernels = {name: kernel(train, test, **how) for name, how in KERNELS.items()}
            for name, pred in {**baselines(train, test), **kernels}.items():
                for field in preds[name]:
                    preds[name][field][test_idx] = getattr(pred, field)
        for name in names:
            loss = losses(b, Prediction(**preds[name]))
            scores[name][rep] = np.nanmean(loss, axis=0)
            mean_losses[name] += loss / reps
    return CrossValidation(scores, mean_losses)


def war_bootstrap(loss_difference: np.ndarray, war: np.ndarray, draws: int, seed: int) -> np.ndarray:
    """(draws x metrics) mean loss differences over battles of wars resampled with replacement: the
    uncertainty from having only these wars, which the spread over splits does not show."""
    rng = np.random.default_rng(seed)
    wars = np.unique(war)
    members = [np.flatnonzero(war == w) for w in wars]
    out = np.empty((draws, loss_difference.shape[1]))
    for i in range(draws):
        idx = np.concatenate([members[j] for j in rng.integers(0, len(wars), len(wars))])
        out[i] = np.nanmean(loss_difference[idx], axis=0)
    return out


def _interval(values: np.ndarray) -> str:
    lo, hi = np.percentile(values, [2.5, 97.5])
    return f"{values.mean():.4f} [{lo:.4f}, {hi:.4f}]"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--draws", type=int, default=2000, help="war bootstrap draws")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args(argv)

    b = load(args.data)
    print(
        f"CDB90: {len(b)} decided battles of {len(np.unique(b.war))} wars; attacker won {b.wins.mean():.1%}; "
        f"casualty fractions known for {int(np.sum(np.isfinite(b.cas_a) & np.isfinite(b.cas_d)))}, "
        f"advance for {int(np.sum(np.isfinite(b.advance)))}"
    )
    for name, how in KERNELS.items():
        fitted = fit(b, **how)
        values = (
            {**vars(fitted.params), "air_weight": fitted.air_weight}
            if how.get("air")
            else vars(fitted.params)
        )
        print(f"{name}, fit on all battles: " + ", ".join(f"{k}={v:.3g}" for k, v in values.items()))
    start = time.perf_counter()
    cv = cross_validate(b, args.reps, args.folds, args.seed)
    seconds = time.perf_counter() - start
    print(
        f"\n{args.reps} repetitions of {args.folds}-fold cross-validation by war (seed {args.seed}, "
        f"{seconds:.1f} s): mean [2.5%, 97.5%] over repetitions\n"
    )
    width = max(len(n) for n in cv.scores) + 24
    print(f"{'predictor':<{width}}" + "".join(f"{m:<26}" for m in METRICS))
    for name, table in cv.scores.items():
        print(f"{name:<{width}}" + "".join(f"{_interval(table[:, j]):<26}" for j in range(len(METRICS))))
    bests = []
    for j, metric in enumerate(METRICS):
        pick = max if metric in HIGHER_IS_BETTER else min
        bests.append(
            pick((n for n in cv.scores if n not in KERNELS), key=lambda n: cv.scores[n][:, j].mean())
        )
    print(f"\n{'against the best baseline':<{width}}" + "".join(f"{n:<26}" for n in bests))
    for name in KERNELS:
        over_splits = [cv.scores[name][:, j] - cv.scores[bests[j]][:, j] for j in range(len(METRICS))]
        difference = np.column_stack(
            [cv.losses[name][:, j] - cv.losses[bests[j]][:, j] for j in range(len(METRICS))]
        )
        boot = war_bootstrap(difference, b.war, args.draws, args.seed)
        ratio = [cv.scores[name][:, j].mean() / cv.scores[bests[j]][:, j].mean() for j in range(len(METRICS))]
        print(
            f"{name + ': difference, splits':<{width}}" + "".join(f"{_interval(d):<26}" for d in over_splits)
        )
        print(
            f"{'  difference, wars resampled':<{width}}"
            + "".join(f"{_interval(boot[:, j]):<26}" for j in range(len(METRICS)))
        )
        print(f"{'  ratio':<{width}}" + "".join(f"{r:<26.4f}" for r in ratio))
    return 0


if __name__ == "__main__":
    sys.exit(main())
