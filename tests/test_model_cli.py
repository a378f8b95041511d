"""`run.py run` as a user types it: the text report, the files in their documented formats, --json,
replications with any number of workers, and bad input answered with exit code 2."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from sim.cli import main
from sim.engine.log import Kind

ROOT = Path(__file__).resolve().parents[1]
LIBYA = str(ROOT / "scenarios" / "libya_2020.yaml")


def test_run_prints_the_story_and_writes_the_four_files(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", LIBYA, "--seed", "3", "--rounds", "12", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    for expected in ("outcome:", "key dates:", "first violation", "what happened:", "Libya 2020"):
        assert expected in text
    assert sorted(p.name for p in out.iterdir()) == [
        "events.jsonl",
        "report.png",
        "rounds.csv",
        "summary.json",
    ]
    assert (out / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = list(csv.DictReader((out / "rounds.csv").open()))
    assert len(rows) == 13 and rows[0]["date"] == "2020-01-14" and rows[-1]["round"] == "12"
    for column in ("rung_GNA", "rung_LNA", "status", "oil_output_bpd", "control_GNA", "forecast_ceasefire"):
        assert column in rows[0]
    events = [json.loads(line) for line in (out / "events.jsonl").read_text().splitlines()]
    assert all({"round", "date", "type", "actors"} <= e.keys() for e in events)
    assert events[-1]["type"] == Kind.RUN_ENDED
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == 3 and summary["rounds_run"] == 12
    assert set(summary["control_final"]) == {"GNA", "LNA"}


def test_json_flag_prints_the_summary_only(tmp_path, capsys):
    assert main(["run", LIBYA, "--seed", "3", "--rounds", "4", "--out", str(tmp_path), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["rounds_run"] == 4 and summary["scenario"] == "Libya 2020 (core)"
    assert summary == json.loads((tmp_path / "summary.json").read_text())


def test_set_overrides_reach_the_model(tmp_path, capsys):
    args = ["run", LIBYA, "--rounds", "3", "--out", str(tmp_path), "--json"]
    main([*args, "--set", "actors.LNA.forces=40"])
    assert json.loads(capsys.readouterr().out)["forces_final"]["LNA"] > 35


def test_replications_do_not_depend_on_the_number_of_workers(tmp_path, capsys):
    base = ["run", LIBYA, "--seed", "9", "--rounds", "10", "--replications", "6"]
    assert main([*base, "--out", str(tmp_path / "one")]) == 0
    text = capsys.readouterr().out
    assert "95% Wilson" in text and "median round of the first violation" in text
    assert main([*base, "--workers", "2", "--out", str(tmp_path / "two"), "--json"]) == 0
    shares = json.loads(capsys.readouterr().out)
    one = (tmp_path / "one" / "replications.csv").read_text()
    assert one == (tmp_path / "two" / "replications.csv").read_text()
    rows = list(csv.DictReader(one.splitlines()))
    assert len(rows) == 6 and len({r["seed"] for r in rows}) == 6
    assert shares["replications"] == 6
    assert (
        0
        <= shares["blockade"]["ci95"][0]
        <= shares["blockade"]["share"]
        <= shares["blockade"]["ci95"][1]
        <= 1
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["--seed", "-1"], "--seed"),
        (["--rounds", "0"], "--rounds"),
        (["--replications", "0"], "--replications"),
        (["--set", "engine.escalation.temperature=-1"], "engine.escalation.temperature"),
        (["--set", "actors.NOBODY.forces=1"], "NOBODY"),
    ],
)
def test_bad_input_exits_2_with_a_message(args, message, tmp_path, capsys):
    assert main(["run", LIBYA, "--out", str(tmp_path), *args]) == 2
    assert message in capsys.readouterr().err


def test_a_missing_file_is_a_problem_not_a_traceback(capsys):
    assert main(["run", "no/such/file.yaml"]) == 2
    assert "file not found" in capsys.readouterr().err


def test_a_plain_bargaining_case_is_told_what_a_run_needs(capsys):
    assert main(["run", str(ROOT / "scenarios" / "forecast" / "ec_1994.yaml")]) == 2
    err = capsys.readouterr().err
    assert "needs a clock" in err and "belligerent" in err and "run.py forecast" in err
