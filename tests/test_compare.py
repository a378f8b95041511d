"""`run.py compare`: common random numbers (every scenario runs the same seeds), paired intervals of the
differences that keep their coverage, the table read by pandas, the overlaid fans, and bad input."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.paired import bootstrap_median_difference, newcombe_paired, paired_table
from sim.sweep.analysis import wilson

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
PNG = b"\x89PNG\r\n\x1a\n"


# ------------------------------------------------------------------------------------- interval methods


def test_newcombe_keeps_its_coverage_on_correlated_pairs():
    """Monte Carlo: 3,000 paired samples of n = 80 from correlated Bernoulli pairs (p1 = 0.3, p2 = 0.45,
    about as correlated as common seeds make two scenarios); the 95% interval must cover the true
    difference in 93-97% of them (Newcombe 1998 reports about 95% for method 10)."""
    rng = np.random.default_rng(20260101)
    p1, p2, n, trials = 0.3, 0.45, 80, 3000
    shared = rng.random((trials, n))
    own = rng.random((trials, n, 2))
    mixed = np.where(rng.random((trials, n, 1)) < 0.6, shared[..., None], own)  # 60% of draws shared
    first, second = mixed[..., 0] < p1, mixed[..., 1] < p2
    covered = 0
    for f, s in zip(first, second, strict=True):
        low, high = newcombe_paired(*paired_table(f, s))
        covered += low <= p2 - p1 <= high
    assert 0.93 <= covered / trials <= 0.97, covered / trials


def test_pairing_narrows_the_interval_when_the_runs_agree():
    # 100 runs, the same 50 positive in both scenarios: the difference is 0 and, paired, known to be
    # small; the unpaired square-and-add interval (psi = 0) would be about +-0.14.
    low, high = newcombe_paired(50, 0, 0, 50)
    assert low < 0 < high and high - low < 0.05
    unpaired_low, unpaired_high = newcombe_paired(25, 25, 25, 25)  # same shares, no agreement
    assert unpaired_high - unpaired_low > 0.2


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 40), st.integers(0, 40), st.integers(0, 40), st.integers(0, 40))
def test_newcombe_contains_the_estimate_and_swaps_with_the_roles(a, b, c, d):
    if a + b + c + d == 0:
        return
    n = a + b + c + d
    low, high = newcombe_paired(a, b, c, d)
    diff = (c - b) / n
    assert -1 <= low <= diff + 1e-12 and diff - 1e-12 <= high <= 1
    swapped = newcombe_paired(a, c, b, d)
    assert swapped == pytest.approx((-high, -low), abs=1e-12)


def test_the_paired_bootstrap_sees_a_shift_the_seeds_share():
    rng = np.random.default_rng(4)
    base = rng.integers(0, 30, 300).astype(float) * 7  # days, whole weeks
    base[rng.random(300) < 0.2] = np.nan  # runs where the event never happened
    same = bootstrap_median_difference(base, base.copy(), seed=1)
    assert same == (0.0, 0.0)
    later = bootstrap_median_difference(base, base + 14, seed=1)
    assert later == (14.0, 14.0)  # every pair moved by two weeks: no doubt at all
    noisy = bootstrap_median_difference(base, base + rng.normal(14, 20, 300), seed=1)
    assert noisy[0] < 14 < noisy[1]
    assert bootstrap_median_difference(np.full(5, np.nan), base[:5]) == (None, None)


# ------------------------------------------------------------------------------------------------ CLI


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """Base, Turkey out, and the base again under another name (which must come out identical)."""
    folder = tmp_path_factory.mktemp("cmp")
    shutil.copy(SCENARIOS / "libya_2020.yaml", folder / "again.yaml")
    shutil.copy(SCENARIOS / "schema.json", folder / "schema.json")
    files = [str(SCENARIOS / "libya_2020.yaml"), str(SCENARIOS / "libya_2020_turkey_out.yaml")]
    files.append(str(folder / "again.yaml"))
    out = folder / "out"
    code = main(
        ["compare", *files, "--replications", "12", "--rounds", "30", "--out", str(out), "--workers", "2"]
    )
    assert code == 0
    return out


def test_every_scenario_runs_the_same_seeds(compared):
    seeds = {}
    for stem in ("libya_2020", "libya_2020_turkey_out", "again"):
        rows = list(csv.DictReader((compared / stem / "replications.csv").open()))
        seeds[stem] = [r["seed"] for r in rows]
        assert (compared / stem / "trajectories.parquet").exists() and (compared / stem / "fan.png").exists()
    assert seeds["libya_2020"] == seeds["libya_2020_turkey_out"] == seeds["again"]
    assert len(set(seeds["libya_2020"])) == 12


def test_the_table_reads_in_one_line_and_the_same_scenario_differs_by_nothing(compared):
    table = pd.read_csv(compared / "comparison.csv")
    assert {"measure", "scenario", "base_value", "value", "difference", "ci95_low", "ci95_high"} <= set(table)
    assert set(table.scenario) == {"libya_2020_turkey_out", "again"}
    assert (table.base == "libya_2020").all()
    same = table[table.scenario == "again"]
    shares = same[same.unit == "share"].astype(
        {"base_value": float, "value": float}
    )  # dates share the column
    assert (shares.difference == 0).all() and (shares.ci95_low <= 0).all() and (shares.ci95_high >= 0).all()
    # Identical runs, paired: where the share is strictly between 0 and 1 the interval is narrower than the
    # unpaired square-and-add interval of the same shares (psi = 0). At 0 or 1 a margin of the table is
    # empty, the correlation cannot be estimated, and the two coincide.
    inner = shares[(shares.base_count > 0) & (shares.base_count < 12)]
    assert len(inner)
    for row in inner.itertuples():
        low, high = wilson(row.base_count, 12)
        p = row.base_value
        unpaired = 2 * float(np.hypot(p - low, high - p))
        assert row.ci95_high - row.ci95_low < unpaired, row
    dates = same[(same.unit != "share") & same.difference.notna()]
    assert len(dates) and (dates.difference == 0).all() and (dates.ci95_low == 0).all()
    outcomes = table[table.measure.str.startswith("outcome: ") & (table.scenario == "libya_2020_turkey_out")]
    outcomes = outcomes.astype({"base_value": float, "value": float})
    assert outcomes.value.sum() == pytest.approx(1) and outcomes.base_value.sum() == pytest.approx(1)
    assert (compared / "fans.png").read_bytes()[:8] == PNG


def test_compare_prints_the_paired_table(compared, capsys, tmp_path):
    files = [str(SCENARIOS / "libya_2020.yaml"), str(SCENARIOS / "libya_2020_haftar_signs.yaml")]
    assert main(["compare", *files, "--replications", "3", "--rounds", "3", "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "Newcombe" in text and "paired bootstrap" in text and "libya_2020_haftar_signs:" in text
    assert "median date of the first violation" in text


def test_a_war_without_oil_has_no_blockade_rows_and_a_war_with_oil_keeps_them(compared, tmp_path, capsys):
    """Syria 2019 has no oil economy (no `economy:`): its blockade share is 0 by construction, so a pair of
    wars without oil has no blockade rows; a pair with an oil war keeps them, as every pair of Libyas does."""
    shutil.copy(SCENARIOS / "syria_2019.yaml", tmp_path / "syria_again.yaml")
    shutil.copy(SCENARIOS / "schema.json", tmp_path / "schema.json")
    files = [str(SCENARIOS / "syria_2019.yaml"), str(tmp_path / "syria_again.yaml")]
    files.append(str(SCENARIOS / "libya_2020.yaml"))
    out = tmp_path / "out"
    assert main(["compare", *files, "--replications", "3", "--rounds", "12", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    table = pd.read_csv(out / "comparison.csv")
    blockade = table.measure.str.contains("blockade")
    assert not blockade[table.scenario == "syria_again"].any()
    assert set(table[blockade & (table.scenario == "libya_2020")].measure) == {
        "oil blockade (at any time)",
        "median date of the first blockade",
    }
    assert (table[table.scenario == "syria_again"].difference.dropna().astype(float) == 0).all()
    syria_part = text.split("syria_again:")[1].split("libya_2020:")[0]
    assert "blockade" not in syria_part and "agreement signed" in syria_part, syria_part
    with_oil = pd.read_csv(compared / "comparison.csv")
    for name in ("libya_2020_turkey_out", "again"):
        rows = with_oil[with_oil.measure.str.contains("blockade") & (with_oil.scenario == name)]
        assert len(rows) == 2, name


@pytest.mark.parametrize(
    "args, message",
    [
        (["A"], "two or more scenarios"),
        (["A", "B", "--replications", "0"], "--replications"),
        (["A", "B", "--workers", "0"], "--workers"),
    ],
)
def test_bad_options_exit_2_with_every_problem(args, message, capsys):
    files = {"A": str(SCENARIOS / "libya_2020.yaml"), "B": str(SCENARIOS / "libya_2020_turkey_out.yaml")}
    argv = ["compare", *[files.get(a, a) for a in args]]
    if "--replications" not in args:
        argv += ["--replications", "2"]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_two_broken_files_are_reported_together_and_same_names_refused(tmp_path, capsys):
    for name in ("one", "two"):
        (tmp_path / f"{name}.yaml").write_text(
            "extends: libya_2020.yaml\nengine: {escalation: {temperature: -1}}\n"
        )
        shutil.copy(SCENARIOS / "libya_2020.yaml", tmp_path / "libya_2020.yaml")
    assert (
        main(["compare", str(tmp_path / "one.yaml"), str(tmp_path / "two.yaml"), "--replications", "2"]) == 2
    )
    err = capsys.readouterr().err
    assert "one.yaml:2" in err and "two.yaml:2" in err and "temperature" in err
    (tmp_path / "sub").mkdir()
    shutil.copy(SCENARIOS / "libya_2020.yaml", tmp_path / "sub" / "libya_2020.yaml")
    same = [str(SCENARIOS / "libya_2020.yaml"), str(tmp_path / "sub" / "libya_2020.yaml")]
    assert main(["compare", *same, "--replications", "2"]) == 2
    assert "two files are named libya_2020.yaml" in capsys.readouterr().err
