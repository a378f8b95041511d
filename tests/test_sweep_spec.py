"""The sweep file language: every problem at once with its line, paths checked against the scenario with
'did you mean', values checked against the scenario's rules, the committed JSON Schema kept current, and
the shipped sweeps valid."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sweep_support import ROOT, SCENARIO

from sim.cli import main
from sim.cli.sweep import schema_text
from sim.scenario.errors import ScenarioError
from sim.sweep.designs import Points
from sim.sweep.load import load_sweep

SWEEPS = ROOT / "scenarios" / "sweeps"


def problems_of(tmp_path: Path, text: str) -> list:
    path = tmp_path / "s.yaml"
    path.write_text(text.replace("SCENARIO", os.path.relpath(SCENARIO, tmp_path)), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_sweep(path)
    return info.value.problems


def test_structural_errors_all_at_once_with_lines(tmp_path):
    problems = problems_of(
        tmp_path,
        "scenario: SCENARIO\n"  # 1
        "design: {kind: grdi}\n"  # 2
        "parameters:\n"  # 3
        "  actors.RUS.support.0.level: {values: [0, 1]}\n"  # 4
        "replications: 0\n"  # 5
        "metric: [outcome]\n",  # 6
    )
    found = {(p.line, p.path) for p in problems}
    assert (2, "design.kind") in found
    assert (5, "replications") in found
    assert (6, "metric") in found
    assert any(p.path == "metrics" and "missing" in p.message for p in problems)
    kind = next(p for p in problems if p.path == "design.kind")
    assert kind.suggestion == "did you mean `grid`?"
    unknown = next(p for p in problems if p.path == "metric")
    assert unknown.suggestion == "did you mean `metrics`?"


def test_paths_values_and_metrics_are_checked_against_the_scenario(tmp_path):
    problems = problems_of(
        tmp_path,
        "scenario: SCENARIO\n"  # 1
        "design: {kind: sobol, samples: 6}\n"  # 2
        "parameters:\n"  # 3
        "  actors.RUS.suport.0.level: {uniform: {low: 0, high: 2}}\n"  # 4
        "  engine.escalation.temprature: {uniform: {low: 0.5, high: 0.1}}\n"  # 5
        "  actors.TUR.threats.0.credibility: {uniform: {low: 0.5, high: 1.5}}\n"  # 6
        "  actors.TUR: {normal: {mean: 1, sd: 1}}\n"  # 7
        "  actors.LNA.goals.territory: {range: {low: 0, high: 1, steps: 3}}\n"  # 8
        "metrics: [outcme, seed, control_final.GNX, control_final]\n",  # 9
    )
    by_line: dict[int, list] = {}
    for p in problems:
        by_line.setdefault(p.line, []).append(p)
    assert "power of 2" in by_line[2][0].message
    typo = next(p for p in by_line[4] if "no `actors.RUS.suport`" in p.message)
    assert typo.suggestion == "did you mean `support`?"
    assert any(p.suggestion == "did you mean `temperature`?" for p in by_line[5])
    assert any("low (0.5) must be below high (0.1)" in p.message for p in by_line[5])
    assert any("1.5 does not give a valid scenario" in p.message for p in by_line[6])
    assert any("whole section" in p.message for p in by_line[7])
    assert any("samples a distribution" in p.message for p in by_line[8])
    metric = by_line[9]
    assert any(p.path == "metrics.0" and p.suggestion == "did you mean `outcome`?" for p in metric)
    assert any(p.path == "metrics.1" and "already a column" in p.message for p in metric)
    assert any(p.path == "metrics.2" and p.suggestion == "did you mean `GNA`?" for p in metric)
    whole = next(p for p in metric if p.path == "metrics.3")
    assert "is a mapping" in whole.message and "control_final.GNA" in whole.suggestion


def test_a_grid_refuses_distributions_and_a_sampler_needs_samples(tmp_path):
    problems = problems_of(
        tmp_path,
        "scenario: SCENARIO\n"
        "design: {kind: grid, samples: 4}\n"
        "parameters:\n"
        "  actors.RUS.support.0.level: {uniform: {low: 0, high: 2}}\n"
        "metrics: [outcome]\n",
    )
    assert {p.line for p in problems} == {2, 4}
    problems = problems_of(
        tmp_path,
        "scenario: SCENARIO\n"
        "design: {kind: morris}\n"
        "parameters:\n"
        "  actors.RUS.support.0.level: {normal: {mean: 1, sd: 0.5}}\n"
        "metrics: [outcome]\n",
    )
    assert any("needs `samples`" in p.message for p in problems)
    assert any(p.line == 4 and "bounded" in p.message for p in problems)


def test_a_broken_scenario_is_reported_through_the_sweep(tmp_path):
    (tmp_path / "broken.yaml").write_text("name: x\nissues: {}\n", encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(
        "scenario: broken.yaml\ndesign: {kind: grid}\nparameters:\n  seed: {values: [1]}\nmetrics: [outcome]\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as info:
        load_sweep(path)
    assert any(p.file.endswith("broken.yaml") for p in info.value.problems)
    assert any(p.path == "scenario" and p.line == 1 for p in info.value.problems)


def test_cli_prints_problems_and_exits_2(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text("scenario: nowhere.yaml\ndesign: {kind: grid}\n", encoding="utf-8")
    assert main(["sweep", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "s.yaml:1:1: parameters: `parameters` is missing" in err
    assert "Traceback" not in err
    assert main(["sweep", str(tmp_path / "absent.yaml"), "--out", str(tmp_path / "o")]) == 2
    assert main(["sweep", str(path), "--out", "o", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "--workers and --scheduler exclude each other" in capsys.readouterr().err
    assert main(["sweep", str(path), "--out", "o", "--force"]) == 2
    assert "only make sense with --resume" in capsys.readouterr().err
    assert main(["analyze", str(tmp_path / "empty")]) == 2
    assert "results.sqlite is missing" in capsys.readouterr().err


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_a_sweep_or_a_scenario_error(text):
    # Fuzz the reader: never a traceback, whatever the bytes.
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_sweep(path)
        except ScenarioError as exc:
            assert exc.problems


def test_committed_schema_is_current():
    assert (SWEEPS / "sweep.schema.json").read_text(encoding="utf-8") == schema_text()
    assert json.loads(schema_text())["properties"]["design"]


@pytest.mark.parametrize("name", ["russia_vs_turkey.yaml", "ceasefire_sobol.yaml"])
def test_shipped_sweeps_are_valid(name):
    path = SWEEPS / name
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=sweep.schema.json\n")
    sweep = load_sweep(path)
    points = Points(sweep.spec)
    if name == "russia_vs_turkey.yaml":
        assert sweep.spec.design.kind == "grid" and sweep.spec.replications == 20
        assert list(sweep.spec.parameters) == [
            "actors.RUS.support.mercenaries.max_level",
            "actors.TUR.support.arms.max_level",
        ]
        assert len(points) * sweep.spec.replications == 500
    else:
        assert sweep.spec.design.kind == "sobol"
        assert len(points) == sweep.spec.design.samples * (len(sweep.spec.parameters) + 2)
    # Every point gives a valid scenario (the corners are checked at load; this checks the interior too).
    for i in range(0, len(points), max(1, len(points) // 25)):
        sweep.scenario.derive(points[i])


def test_spec_hash_follows_parameter_order(tmp_path):
    # The order of `parameters` numbers the runs, so a resume must notice a reordering.
    a, b = (
        "actors.RUS.support.0.level: {values: [0.5, 1]}",
        "actors.TUR.support.1.level: {values: [0.5, 1]}",
    )
    hashes = []
    for first, second in ((a, b), (b, a)):
        path = tmp_path / "s.yaml"
        path.write_text(
            f"scenario: {os.path.relpath(SCENARIO, tmp_path)}\ndesign: {{kind: grid}}\n"
            f"parameters:\n  {first}\n  {second}\nmetrics: [outcome]\n",
            encoding="utf-8",
        )
        hashes.append(load_sweep(path).spec_hash)
    assert hashes[0] != hashes[1]
