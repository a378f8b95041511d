"""The combat kernel against real battles (data/cdb90): out of sample by war, beside baselines computed here."""

import csv
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.cdb90 import DATA, Fitted, fit, load, predict, subset  # noqa: E402
from sim.kernels.combat import CombatParams  # noqa: E402

HINDSIGHT = ["CEA", "LEADA", "TRNGA", "MORALA", "LOGSA", "MOMNTA", "INTELA", "TECHA", "INITA"]
HINDSIGHT += ["QUALA", "RESA", "MOBILA", "AIRA", "FPREPA", "WXA", "TERRA", "LEADAA", "PLANA", "SURPAA"]
HINDSIGHT += ["MANA", "LOGSAA", "FORTSA", "DEEPA", "SURPA", "AEROA"]


@pytest.fixture(scope="module")
def battles():
    return load()


def test_the_decided_battles_with_both_strengths_are_loaded(battles):
    with open(DATA, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["WINA"] in ("1", "-1")]
    keep = [r for r in rows if float(r["STRA"]) > 0 and float(r["STRD"]) > 0]
    assert len(battles) == len(keep)
    assert battles.wins.sum() == sum(r["WINA"] == "1" for r in keep)
    assert len(np.unique(battles.war)) == len({r["WAR"] for r in keep})


def test_predictions_ignore_the_hindsight_columns(battles, tmp_path):
    # scramble every column coded after the fact: the kernel's fit and predictions must not move
    with open(DATA, newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    rng = np.random.default_rng(0)
    for row in rows:
        for col in HINDSIGHT:
            row[col] = str(rng.integers(-4, 5))
    scrambled = tmp_path / "battles.csv"
    with open(scrambled, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    other = load(scrambled)
    for want, got in zip(predict(battles, fit(battles)), predict(other, fit(other)), strict=True):
        np.testing.assert_array_equal(want, got)


def leave_one_war_out(b):
    """Out-of-sample predictions, each war held out in turn: the kernel (as `fit` makes it) and the baselines
    fitted on the other wars (base rate; training medians of the casualty fractions and the advance)."""
    kernel = {k: np.empty(len(b)) for k in ("p", "cas_a", "cas_d", "advance")}
    base = {k: np.empty(len(b)) for k in kernel}
    for war in np.unique(b.war):
        test, train = np.flatnonzero(b.war == war), np.flatnonzero(b.war != war)
        t = subset(b, train)
        out = predict(subset(b, test), fit(t, dupuy_weight=1.0))
        for key, value in zip(kernel, out, strict=True):
            kernel[key][test] = value
        base["p"][test] = t.wins.mean()
        base["cas_a"][test] = np.nanmedian(t.cas_a)
        base["cas_d"][test] = np.nanmedian(t.cas_d)
        base["advance"][test] = np.nanmedian(t.advance)
    return kernel, base


def mae(truth, guess):
    known = np.isfinite(truth)
    return np.mean(np.abs(truth[known] - guess[known]))


def test_out_of_sample_by_war_the_kernel_beats_the_base_rate_and_the_median_casualties(battles):
    kernel, base = leave_one_war_out(battles)
    brier = {
        name: np.mean((pred["p"] - battles.wins) ** 2) for name, pred in (("kernel", kernel), ("base", base))
    }
    assert brier["kernel"] < brier["base"]
    assert mae(battles.cas_a, kernel["cas_a"]) < mae(battles.cas_a, base["cas_a"])


def test_the_documented_defaults_are_the_fit_on_all_battles(battles):
    fitted = fit(battles, dupuy_weight=1.0).params
    for name, default in vars(CombatParams()).items():
        assert getattr(fitted, name) == pytest.approx(default, rel=0.02, abs=1e-3), name


def test_with_its_defaults_the_kernel_beats_the_base_rate_on_all_battles(battles):
    p = predict(battles, Fitted(CombatParams())).p_attacker_wins
    assert np.mean((p - battles.wins) ** 2) < np.mean((battles.wins.mean() - battles.wins) ** 2)
