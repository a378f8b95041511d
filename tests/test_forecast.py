"""`run.py forecast` and sim/forecast.py on the shipped published cases, against the published numbers.

EC 1994: data/ec1994/README.md and research/eum-replication.md 2.1 (the Scholz port's trace:
30 moves, 20 confrontations and 10 compromises). Copenhagen 2009: the initial Nash bargaining solution of
research/bargaining-models.md 6.5 (Stokman's NBS is the power x salience weighted mean). Greece 2015: the
post's "mean voter 82" and "weighted mode 100.0" (bargaining-models.md 6.3).
"""

from __future__ import annotations

import csv
import textwrap
from pathlib import Path

import numpy as np
import pytest

from sim.cli import main
from sim.forecast import (
    MOVE_COLUMNS,
    case_from_scenario,
    exchange_case,
    final_forecasts,
    move_rows,
    round_rows,
    run_case,
)
from sim.scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "scenarios" / "forecast"
EC_PUBLISHED = [7.4, 7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6, 7.3, 7.2]
COPENHAGEN_NBS = {
    "Newtreaty": 61.576,
    "DevlopC2020": 58.145,
    "Domestred": 30.707,
    "MRVdecrease": 52.236,
    "Commitments": 51.950,
    "Control": 57.621,
    "Extra": 64.621,
}


def _read_moves(path: Path) -> list[dict]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def test_ec_cli_prints_the_published_trajectory_and_writes_the_port_move_log(tmp_path, capsys):
    assert main(["forecast", str(SCEN / "ec_1994.yaml"), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    table = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].isdigit():
            table[int(parts[0])] = float(parts[2])
    assert sorted(table) == list(range(11))
    assert all(abs(table[r] - EC_PUBLISHED[r]) < 0.1 for r in range(11)), table
    assert "median voter 7.000" in out

    rows = _read_moves(tmp_path / "moves.csv")
    assert list(rows[0]) == list(MOVE_COLUMNS)
    assert len(rows) == 30
    assert sum(r["offer"] == "confrontation" for r in rows) == 20
    assert sum(r["offer"] == "compromise" for r in rows) == 10
    first = {r["actor"]: r for r in rows if r["round"] == "1"}
    assert set(first) == {"BE", "LU", "IE"}
    assert (first["BE"]["offer"], first["BE"]["toward"]) == ("compromise", "FR")
    assert float(first["BE"]["new_position"]) == pytest.approx(8.416, abs=5e-4)
    assert (first["LU"]["toward"], float(first["LU"]["new_position"])) == ("BE", 7.0)
    assert (first["IE"]["toward"], float(first["IE"]["new_position"])) == ("LU", 4.0)
    assert not [p for p in tmp_path.iterdir() if p.name != "moves.csv"]  # no temporary files left behind


def test_move_log_replays_to_the_forecast_table():
    """Applying the logged moves to the inputs, round by round, gives every row of the forecast table."""
    for name in ("ec_1994", "china_2002", "greece_2015", "copenhagen_2009"):
        case = case_from_scenario(load_scenario(SCEN / f"{name}.yaml"))
        fc = run_case(case)
        x = case.x.copy()
        moves = move_rows(fc)
        table = round_rows(fc)
        for r in range(1, fc.run.rounds_run + 1):
            for m in (m for m in moves if m["round"] == r):
                a, i = case.actors.index(m["actor"]), case.issues.index(m["issue"])
                assert x[a, i] == m["old_position"]
                x[a, i] = m["new_position"]
            assert table[r]["moves"] == sum(m["round"] == r for m in moves)
            weights = case.c[:, None] * case.s
            if case.settings.rule == "mean":
                mean = np.nansum(weights * x, axis=0) / weights.sum(axis=0)
                np.testing.assert_allclose([table[r][i] for i in case.issues], mean, atol=1e-9)
        np.testing.assert_array_equal(np.isnan(x), np.isnan(case.x))
        np.testing.assert_allclose(np.nan_to_num(x), np.nan_to_num(fc.run.positions[-1]), atol=0)


def test_copenhagen_round0_is_the_published_nash_bargaining_solution():
    case = case_from_scenario(load_scenario(SCEN / "copenhagen_2009.yaml"))
    fc = run_case(case)
    row0 = round_rows(fc)[0]
    for issue, nbs in COPENHAGEN_NBS.items():
        assert row0[issue] == pytest.approx(nbs, abs=5e-4)
    russia = case.actors.index("Russia")
    assert np.isnan(case.x[russia, case.issues.index("Commitments")])
    assert not [m for m in move_rows(fc) if m["actor"] == "Russia" and m["issue"] in ("Commitments", "Extra")]
    assert not [
        m for m in move_rows(fc) if m["toward"] == "Russia" and m["issue"] in ("Commitments", "Extra")
    ]


def test_greece_round0_matches_the_published_mean_and_median(tmp_path):
    loaded = load_scenario(SCEN / "greece_2015.yaml")
    fc = run_case(case_from_scenario(loaded, rounds=0))
    assert round(round_rows(fc)[0]["relief"]) == 82
    median = run_case(case_from_scenario(loaded, rule="median", rounds=0))
    assert round_rows(median)[0]["relief"] == 100.0


def test_flags_and_set_override_the_scenario(tmp_path, capsys):
    path = str(SCEN / "ec_1994.yaml")
    assert main(["forecast", path, "--out", str(tmp_path), "--rounds", "2", "--variant", "paper"]) == 0
    out = capsys.readouterr().out
    assert "variant paper" in out and "2 rounds" in out
    assert main(["forecast", path, "--out", str(tmp_path), "--set", "engine.bargaining.rule=median"]) == 0
    assert "rule median" in capsys.readouterr().out
    # the paper reading on EC collapses to the median voter 7.0 by round 3 (eum-replication.md 2.3)
    case = case_from_scenario(load_scenario(path), variant="paper")
    assert round_rows(run_case(case))[3]["emission"] == pytest.approx(7.0, abs=1e-12)


def test_fixed_risk_uses_the_actors_risk_attitudes(tmp_path):
    path = tmp_path / "fixed.yaml"
    path.write_text((SCEN / "ec_1994.yaml").read_text().replace("risk: endogenous", "risk: fixed"))
    case = case_from_scenario(load_scenario(path))
    np.testing.assert_allclose(case.fixed_risk, 1.0)  # every actor's default attitude 0 -> exponent 1
    assert run_case(case).run.rounds_run == 10


def test_an_issue_nobody_carries_is_reported_with_its_line(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        textwrap.dedent(
            """\
            name: bad
            issues:
              a: {name: A, low: l, high: h}
              b:
                name: B
                low: l
                high: h
            actors:
              X: {name: X, capability: 1, positions: {a: 10, b: 20}, salience: {a: 0.5, b: 0}}
              Y: {name: Y, capability: 1, positions: {a: 90}, salience: {a: 0.5}}
            """
        )
    )
    with pytest.raises(ScenarioError) as err:
        case_from_scenario(load_scenario(bad))
    (problem,) = err.value.problems
    assert (problem.path, problem.line) == ("issues.b", 4)
    assert main(["forecast", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert "issues.b" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
    assert main(["forecast", str(SCEN / "ec_1994.yaml"), "--rounds", "-1"]) == 2
    assert main(["forecast", str(tmp_path / "missing.yaml")]) == 2


def test_model_all_prints_every_model_and_compromise_is_stokmans_nbs(capsys):
    """--model all on every shipped case; on Copenhagen the compromise column is the source's initial NBS."""
    for name in ("ec_1994", "china_2002", "greece_2015", "copenhagen_2009"):
        assert main(["forecast", str(SCEN / f"{name}.yaml"), "--model", "all"]) == 0
        out = capsys.readouterr().out
        assert "eum" in out and "compromise" in out and "nbs" in out and "exchange" in out
    rows = {
        line.split()[0]: line.split()[1:5]
        for line in out.splitlines()
        if line.split()[:1] in [[i] for i in COPENHAGEN_NBS]
    }
    for issue, nbs in COPENHAGEN_NBS.items():
        eum, comp, nash, exch = map(float, rows[issue])
        assert comp == pytest.approx(nbs, abs=5e-4)
        # the NBS with a breakdown loss lies near the compromise model (Achen), not on it
        assert nash == pytest.approx(nbs, abs=1.0) and nash != comp
    case = case_from_scenario(load_scenario(SCEN / "copenhagen_2009.yaml"))
    final = final_forecasts(case)
    np.testing.assert_array_equal(final["eum"], run_case(case).run.forecasts[-1])
    assert exchange_case(case).exchanges  # seven issues: Stokman's case trades


def test_single_models_print_their_forecast(capsys):
    path = str(SCEN / "greece_2015.yaml")
    assert main(["forecast", path, "--model", "compromise"]) == 0
    assert "relief: 82.222" in capsys.readouterr().out  # the post's "mean voter 82"
    assert main(["forecast", path, "--model", "nbs"]) == 0
    assert "Nash bargaining" in capsys.readouterr().out
    assert main(["forecast", path, "--model", "exchange"]) == 0
    out = capsys.readouterr().out
    assert "no exchange left" in out  # one issue: nothing to trade, the forecast stays the compromise
    assert "relief: 82.222" in out
    with pytest.raises(SystemExit) as stop:  # argparse refuses an unknown model, with exit code 2
        main(["forecast", path, "--model", "mode"])
    assert stop.value.code == 2
