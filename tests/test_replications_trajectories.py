"""`run --replications N` as trajectories: the long table (read by pandas in one line) holds exactly what
each run's own rounds.csv holds, does not depend on the number of workers, is read back in bounded passes
with ended runs carried forward; fan.png shows what the scenario has (oil only where there is oil)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import fans, trajectories
from sim.cli import main
from sim.model import ConflictModel
from sim.scenario import load_scenario
from sim.trajectories import Trajectory, TrajectoryWriter, read_series

ROOT = Path(__file__).resolve().parents[1]
LIBYA = str(ROOT / "scenarios" / "libya_2020.yaml")
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def replicated(tmp_path_factory):
    """6 replications of 7 rounds on one worker and on two."""
    out = tmp_path_factory.mktemp("reps")
    base = ["run", LIBYA, "--seed", "5", "--rounds", "7", "--replications", "6", "--json"]
    assert main([*base, "--out", str(out / "one")]) == 0
    assert main([*base, "--workers", "2", "--out", str(out / "two")]) == 0
    return out


def test_the_table_is_read_in_one_line_and_holds_each_runs_rounds_csv(replicated, tmp_path, capsys):
    table = pd.read_parquet(replicated / "one" / "trajectories.parquet")
    assert list(table.columns) == ["replication", "seed", "round", "date", "variable", "value"]
    assert sorted(table.replication.unique()) == list(range(6))
    rows = list(csv.DictReader((replicated / "one" / "replications.csv").open()))
    # Replication 3 run alone with its seed: its rounds.csv has the same numbers, round by round.
    seed = int(rows[3]["seed"])
    assert main(["run", LIBYA, "--seed", str(seed), "--rounds", "7", "--out", str(tmp_path), "--json"]) == 0
    capsys.readouterr()
    alone = list(csv.DictReader((tmp_path / "rounds.csv").open()))
    mine = table[table.replication == 3]
    assert set(mine.seed) == {seed}
    numeric = [
        c
        for c in alone[0]
        if c not in ("round", "date") and all(row[c] == "" or _is_number(row[c]) for row in alone)
    ]
    assert set(mine.variable.unique()) == set(numeric)
    wide = mine.pivot(index="round", columns="variable", values="value")
    assert len(wide) == len(alone) == 8
    for r, row in enumerate(alone):
        assert str(mine[mine["round"] == r].date.iloc[0]) == row["date"]
        for c in numeric:
            cell = wide.loc[r, c]
            if row[c] == "":
                assert math.isnan(cell), (r, c)
            else:
                assert round(float(cell), 6) == pytest.approx(float(row[c]), abs=1e-9), (r, c)


def test_same_seeds_give_the_same_files_on_any_number_of_workers(replicated):
    for name in ("trajectories.parquet", "replications.csv", "shares.json"):
        assert (replicated / "one" / name).read_bytes() == (replicated / "two" / name).read_bytes(), name
    assert (replicated / "one" / "fan.png").read_bytes()[:8] == PNG
    shares = json.loads((replicated / "one" / "shares.json").read_text())
    rows = list(csv.DictReader((replicated / "one" / "replications.csv").open()))
    assert shares["seeds"] == [int(r["seed"]) for r in rows]


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path, capsys):
    args = ["run", LIBYA, "--rounds", "2", "--replications", "3", "--out", str(tmp_path)]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "run/s" not in err and "%|" not in err


@pytest.mark.parametrize("name", ["libya_2020", "syria_2019"])
def test_a_replication_keeps_every_summary_key_its_row_and_the_outcomes_read(name):
    """A Run holds only `KEPT` of the summary; replications.csv's row and the comparisons' Outcomes come out
    as from the whole summary (with oil and without)."""
    from sim.outputs import replication_row, summary
    from sim.replications import Outcomes, simulate

    loaded = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    run = simulate(loaded, 0, 7, 8)
    full = summary(ConflictModel(scenario=loaded, rng=7, collect=False, max_rounds=8).run())
    assert replication_row(0, run.summary) == replication_row(0, full)
    kept, whole = Outcomes(oil=True), Outcomes(oil=True)
    kept.add(run.summary)
    whole.add(full)
    assert kept == whole


def test_the_fan_draws_oil_only_for_a_scenario_with_oil():
    with_oil = fans.panels(ConflictModel(scenario=load_scenario(LIBYA), collect=False))
    dry = load_scenario(LIBYA, ["economy.oil_baseline_bpd=0"])
    without = fans.panels(ConflictModel(scenario=dry, collect=False))
    titles = [p.title for p in with_oil]
    assert "Oil output" in titles and "Oil output" not in [p.title for p in without]
    assert titles[:2] == ["Control of the country", "Escalation rung"]
    support = next(p for p in with_oil if p.title == "Support per patron")
    assert {line.label for line in support.lines} == {"TUR", "RUS"}
    assert next(line for line in support.lines if line.label == "TUR").columns == (
        "support_TUR_0_troops_GNA",
        "support_TUR_1_mercenaries_GNA",
        "support_TUR_2_arms_GNA",
    )
    assert sum(p.title.startswith("Control: ") for p in with_oil) == 6  # the six regions


def test_bands_are_the_quantiles_across_runs_of_the_summed_columns(replicated):
    layout = fans.panels(ConflictModel(scenario=load_scenario(LIBYA), collect=False))
    series = fans.read(replicated / "one" / "trajectories.parquet", layout)
    fan = fans.fan(series, layout)
    table = pd.read_parquet(replicated / "one" / "trajectories.parquet")
    tur = table[table.variable.str.startswith("support_TUR_")].groupby(["round", "replication"]).value.sum()
    at5 = tur.loc[5].to_numpy()
    assert fan.bands["support_TUR"][:, 5] == pytest.approx(np.quantile(at5, fans.QUANTILES))
    assert np.all(np.diff(fan.bands["control_GNA"], axis=0) >= -1e-12)  # 5% <= 25% <= ... <= 95%
    assert fan.runs == 6 and str(fan.dates[0]) == "2020-01-14"


def _write(path: Path, runs: list[np.ndarray], names: list[str]) -> None:
    with TrajectoryWriter(path, names) as w:
        for i, values in enumerate(runs):
            start = np.datetime64("2020-01-14")
            dates = [str(start + np.timedelta64(7 * max(0, r - 1), "D")) for r in range(len(values))]
            w.add(i, 1000 + i, Trajectory(values, dates))


def test_a_run_that_ended_early_keeps_its_last_value_and_passes_are_bounded(tmp_path, monkeypatch):
    names = ["a", "b", "c"]
    short = np.array([[1.0, 10, 100], [2, 20, 200]])
    long = np.arange(12, dtype=float).reshape(4, 3)
    _write(tmp_path / "t.parquet", [short, long], names)
    whole = read_series(tmp_path / "t.parquet", names)
    assert whole.values["a"][0].tolist() == [1, 2, 2, 2]  # carried forward after its last round
    assert whole.values["c"][1].tolist() == [2, 5, 8, 11]
    monkeypatch.setattr(trajectories, "READ_BUDGET_BYTES", 1)  # one variable per pass
    apart = read_series(tmp_path / "t.parquet", names)
    for v in names:
        assert np.array_equal(apart.values[v], whole.values[v])
    assert [str(d) for d in apart.dates] == ["2020-01-14", "2020-01-14", "2020-01-21", "2020-01-28"]


def test_nothing_is_left_behind_when_the_writing_fails(tmp_path):
    with pytest.raises(ValueError), TrajectoryWriter(tmp_path / "t.parquet", ["a"]) as w:
        w.add(0, 1, Trajectory(np.zeros((2, 2)), ["2020-01-14", "2020-01-14"]))  # 2 variables, not 1
    assert list(tmp_path.iterdir()) == []


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.integers(1, 6).flatmap(
            lambda rounds: st.lists(
                st.lists(st.one_of(finite, st.just(float("nan"))), min_size=2, max_size=2),
                min_size=rounds,
                max_size=rounds,
            )
        ),
        min_size=1,
        max_size=5,
    )
)
def test_whatever_is_written_is_read_back(tmp_path_factory, runs):
    path = tmp_path_factory.mktemp("prop") / "t.parquet"
    arrays = [np.array(r, dtype=float) for r in runs]
    _write(path, arrays, ["x", "y"])
    table = pd.read_parquet(path)
    assert len(table) == sum(a.size for a in arrays)
    for i, a in enumerate(arrays):
        mine = table[table.replication == i].sort_values(["round", "variable"])
        got = mine.pivot(index="round", columns="variable", values="value")[["x", "y"]].to_numpy()
        assert np.array_equal(got, a, equal_nan=True)
        assert set(mine.seed) == {1000 + i}


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True
