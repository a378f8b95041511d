"""Running sweeps on the real model: the store round trip, resume, failed runs, identical results on 1 and 2
workers, a killed or interrupted sweep resumed to every run exactly once, and the analysis outputs."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess

import numpy as np
import pandas as pd
import pytest
from sweep_support import (
    PARAMS,
    SCENARIO,
    cli,
    count_rows,
    credibility_only,
    fails_on_seeds_divisible_by_three,
    read_runs,
    stable,
    wait_for_rows,
    write_sweep,
)

from sim.cli import main
from sim.scenario.errors import ScenarioError
from sim.sweep.designs import Points, run_seed
from sim.sweep.driver import run_sweep
from sim.sweep.load import load_sweep
from sim.sweep.work import simulate_model


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The tiny sweep run once in-process: (sweep file, loaded sweep, its runs)."""
    d = tmp_path_factory.mktemp("ref")
    path = write_sweep(d)
    sweep = load_sweep(path)
    session = run_sweep(sweep, d / "out", progress=False)
    assert (session.total, session.ran, session.failed) == (12, 12, 0)
    return path, sweep, read_runs(d / "out")


def test_store_round_trip(reference, tmp_path):
    _, sweep, runs = reference
    points = Points(sweep.spec)
    assert list(runs["run_id"]) == list(range(12))
    assert set(runs["status"]) == {"done"}
    assert runs["error"].isna().all()
    for _, row in runs.iterrows():
        assert row["seed"] == run_seed(11, row["run_id"])
        assert row["point"] == row["run_id"] // 3 and row["replication"] == row["run_id"] % 3
        assert {p: row[p] for p in PARAMS} == points[int(row["point"])]
    # Each stored row is what the model gives for that scenario and seed, run directly.
    for run_id in (0, 7, 11):
        row = runs.iloc[run_id]
        summary = simulate_model(sweep.scenario.derive(points[int(row["point"])]), int(row["seed"]), 4)
        for metric in ("outcome", "violations", "rounds_run"):
            assert row[metric] == summary[metric]
        assert row["agreement_signed"] == int(summary["agreement_signed"])


def test_manifest_records_provenance(reference, tmp_path):
    path, sweep, _ = reference
    run_sweep(sweep, tmp_path / "o", progress=False)
    db = sqlite3.connect(tmp_path / "o" / "results.sqlite")
    manifest = dict(db.execute("SELECT key, value FROM manifest").fetchall())
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    assert manifest["spec_hash"] == f'"{sweep.spec_hash}"'
    assert manifest["scenario_hash"] == f'"{sweep.scenario_hash}"'
    assert manifest["total_runs"] == "12"
    assert manifest["code_version"].startswith('"0.')


def test_resume_runs_only_missing_runs(reference, tmp_path):
    path, sweep, runs = reference
    out = tmp_path / "o"
    run_sweep(sweep, out, progress=False)
    db = sqlite3.connect(out / "results.sqlite")
    db.execute("DELETE FROM runs WHERE run_id IN (3, 8)")
    db.commit()
    db.close()
    seen = []

    def recording(scenario, seed, max_rounds):
        seen.append(seed)
        return simulate_model(scenario, seed, max_rounds)

    session = run_sweep(load_sweep(path), out, resume=True, simulate=recording, progress=False)
    assert sorted(seen) == sorted([run_seed(11, 3), run_seed(11, 8)])
    assert (session.already, session.ran) == (10, 2)
    assert stable(read_runs(out)) == stable(runs)
    seen.clear()
    run_sweep(load_sweep(path), out, resume=True, simulate=recording, progress=False)
    assert seen == []


def test_existing_store_and_changed_spec_are_refused(reference, tmp_path):
    path, sweep, _ = reference
    out = tmp_path / "o"
    run_sweep(sweep, out, progress=False)
    with pytest.raises(ScenarioError, match="already holds a sweep"):
        run_sweep(sweep, out, progress=False)
    # A new description changes no run: the sweep resumes, and the manifest records the new text.
    described = write_sweep(tmp_path, extra="description: the same design, described\n")
    session = run_sweep(load_sweep(described), out, resume=True, progress=False)
    assert (session.total, session.already, session.ran, session.stored) == (12, 12, 0, 12)
    # More replications is another design: refused, and with --force started anew, never mixed.
    changed = write_sweep(tmp_path, replications=4)
    with pytest.raises(ScenarioError, match=r"the design changed .*replications 3 -> 4"):
        run_sweep(load_sweep(changed), out, resume=True, progress=False)
    assert main(["sweep", str(changed), "--out", str(out), "--resume", "--no-progress"]) == 2
    session = run_sweep(load_sweep(changed), out, resume=True, force=True, progress=False)
    assert (session.total, session.already, session.ran, session.stored) == (16, 0, 16, 16)
    assert len(read_runs(out)) == 16 and set(read_runs(out)["replication"]) == {0, 1, 2, 3}
    (kept,) = out.glob("results-*.sqlite")  # the old design's 12 runs, set aside
    assert sqlite3.connect(kept).execute("SELECT COUNT(*) FROM runs").fetchone() == (12,)
    assert main(["sweep", str(changed), "--out", str(out), "--resume", "--no-progress"]) == 0


def test_a_failing_run_is_recorded_and_the_sweep_goes_on(reference, tmp_path):
    path, sweep, runs = reference
    out = tmp_path / "o"
    session = run_sweep(sweep, out, workers=2, simulate=fails_on_seeds_divisible_by_three, progress=False)
    stored = read_runs(out)
    bad = stored["seed"] % 3 == 0
    assert bad.any() and (~bad).any()
    assert session.failed == bad.sum() and len(stored) == 12
    assert (stored.loc[bad, "status"] == "failed").all()
    assert stored.loc[bad, "error"].str.contains("ValueError: planned failure for seed").all()
    assert stored.loc[bad, "outcome"].isna().all()
    assert stable(stored[~bad]) == stable(runs[~bad])
    # A plain resume leaves failures alone; --retry-failed runs them again.
    assert run_sweep(sweep, out, resume=True, progress=False).ran == 0
    run_sweep(sweep, out, resume=True, retry_failed=True, progress=False)
    assert stable(read_runs(out)) == stable(runs)


def test_one_and_two_workers_give_identical_results(reference, tmp_path):
    _, sweep, runs = reference
    run_sweep(sweep, tmp_path / "two", workers=2, progress=False)
    two = read_runs(tmp_path / "two")
    assert stable(two) == stable(runs)
    assert two["worker"].nunique() == 2


def _killed_then_resumed(tmp_path, sig: int) -> tuple[subprocess.Popen, int, int]:
    path = write_sweep(tmp_path, replications=15, rounds=6)  # 60 runs
    out = tmp_path / "out"
    proc = cli("sweep", str(path), "--out", str(out), "--workers", "2", "--no-progress")
    stored = wait_for_rows(out, 8, proc)
    os.killpg(proc.pid, sig)
    proc.communicate(timeout=60)
    at_kill = count_rows(out)
    assert stored < 60, "the sweep finished before it could be interrupted; make it longer"
    resumed = cli("sweep", str(path), "--out", str(out), "--resume", "--no-progress")
    stdout, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    runs = read_runs(out)
    assert list(runs["run_id"]) == list(range(60))
    assert set(runs["status"]) == {"done"}
    inline = tmp_path / "inline"
    run_sweep(load_sweep(path), inline, progress=False)
    assert stable(runs) == stable(read_runs(inline))
    return proc, at_kill, len(runs)


def test_killed_sweep_resumes_every_run_exactly_once(tmp_path):
    proc, at_kill, total = _killed_then_resumed(tmp_path, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    assert 0 < at_kill < total


def test_ctrl_c_keeps_finished_runs_and_says_how_to_resume(tmp_path):
    proc, at_kill, total = _killed_then_resumed(tmp_path, signal.SIGINT)
    assert proc.returncode == 130
    assert 0 < at_kill < total


def test_a_dead_pool_worker_stops_the_sweep_cleanly_and_resume_finishes(tmp_path):
    import psutil

    path = write_sweep(tmp_path, replications=15, rounds=6)  # 60 runs
    out = tmp_path / "out"
    proc = cli("sweep", str(path), "--out", str(out), "--workers", "2", "--no-progress")
    assert wait_for_rows(out, 5, proc) < 60
    workers = [
        c for c in psutil.Process(proc.pid).children() if "resource_tracker" not in " ".join(c.cmdline())
    ]
    workers[0].kill()
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 2, stderr
    assert "a worker process died" in stderr and "--resume" in stderr and "Traceback" not in stderr
    assert 0 < count_rows(out) < 60
    resumed = cli("sweep", str(path), "--out", str(out), "--resume", "--workers", "2", "--no-progress")
    assert resumed.wait(timeout=300) == 0
    runs = read_runs(out)
    assert list(runs["run_id"]) == list(range(60)) and set(runs["status"]) == {"done"}


def test_analyze_writes_tables_and_heatmaps(reference, tmp_path, capsys):
    path, sweep, runs = reference
    out = tmp_path / "o"
    run_sweep(sweep, out, progress=False)
    assert main(["analyze", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "12 done, 0 failed, 0 missing of 12 runs" in printed
    report = out / "analysis"
    shares = pd.read_csv(report / "outcome_shares.csv")
    labels = sorted(runs["outcome"].unique())
    for label in labels:
        assert (report / f"heatmap_outcome={label}.png").read_bytes()[:4] == b"\x89PNG"
        row = shares[(shares["label"] == label) & (shares["parameter"] == "(all runs)")].iloc[0]
        assert row["count"] == (runs["outcome"] == label).sum() and row["runs"] == 12
    # Per parameter value, counts add up to the runs with that value.
    by_value = shares[(shares["metric"] == "outcome") & (shares["parameter"] == PARAMS[0])]
    for value, sub in by_value.groupby("value"):
        assert sub["count"].sum() == (runs[PARAMS[0]] == value).sum() == 6
        assert np.all(sub["ci95_low"] <= sub["share"]) and np.all(sub["share"] <= sub["ci95_high"])
    means = pd.read_csv(report / "metric_means.csv")
    overall = means[(means["metric"] == "violations") & (means["parameter"] == "(all runs)")].iloc[0]
    # the tables are written with 6 significant digits (analysis.py float_format "%.6g")
    assert overall["mean"] == pytest.approx(runs["violations"].mean(), rel=1e-5) and overall["runs"] == 12
    assert (report / "heatmap_mean_violations.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("design", "columns"),
    [
        ("{kind: sobol, samples: 4}", {"S1", "S1_conf", "ST", "ST_conf"}),
        ("{kind: morris, samples: 3, levels: 4}", {"mu_star", "mu_star_conf", "mu", "sigma"}),
    ],
)
def test_sensitivity_designs_analyse_to_indices(tmp_path, capsys, design, columns):
    kind = "sobol" if "sobol" in design else "morris"
    path = tmp_path / "s.yaml"
    path.write_text(
        f"scenario: {os.path.relpath(SCENARIO, tmp_path)}\n"
        f"design: {design}\n"
        "parameters:\n"
        f"  {PARAMS[0]}: {{uniform: {{low: 0, high: 2.5}}}}\n"
        f"  {PARAMS[1]}: {{uniform: {{low: 0, high: 1}}}}\n"
        "metrics: [outcome, violations]\n"
        "rounds: 4\n",
        encoding="utf-8",
    )
    assert main(["sweep", str(path), "--out", str(tmp_path / "o"), "--no-progress"]) == 0
    assert main(["analyze", str(tmp_path / "o")]) == 0
    printed = capsys.readouterr().out
    assert ("Sobol total-order index ST" if kind == "sobol" else "Morris mu*") in printed
    table = pd.read_csv(tmp_path / "o" / "analysis" / f"{kind}_indices.csv")
    assert set(table["parameter"]) == set(PARAMS)
    assert columns <= set(table.columns)
    assert "violations" in set(table["output"])
    assert (tmp_path / "o" / "analysis" / f"{kind}_indices.png").read_bytes()[:4] == b"\x89PNG"


def test_runs_leave_the_shared_point_scenario_untouched(reference):
    # Workers reuse one validated scenario for all replications of a point; that is only sound if a run
    # never changes it, so that a run's result cannot depend on what the worker ran before.
    _, sweep, _ = reference
    scenario = sweep.scenario.derive(Points(sweep.spec)[3])
    before = scenario.model_dump()
    first = simulate_model(scenario, 5, 12)
    for seed in (6, 7, 8):
        simulate_model(scenario, seed, 12)
    assert simulate_model(scenario, 5, 12) == first
    assert scenario.model_dump() == before


@pytest.mark.parametrize("kind", ["sobol", "morris"])
def test_sensitivity_is_attributed_to_the_parameter_that_matters(tmp_path, kind):
    # Parameters deliberately out of alphabetical order: the design's columns follow the file's order.
    path = tmp_path / "s.yaml"
    path.write_text(
        f"scenario: {os.path.relpath(SCENARIO, tmp_path)}\n"
        f"design: {{kind: {kind}, samples: {16 if kind == 'sobol' else 8}}}\n"
        "parameters:\n"
        "  actors.TUR.threats.0.credibility: {uniform: {low: 0, high: 1}}\n"
        "  engine.escalation.temperature: {uniform: {low: 0.1, high: 1}}\n"
        "  actors.RUS.support.0.level: {uniform: {low: 0, high: 2.5}}\n"
        "metrics: [violations, outcome]\n",
        encoding="utf-8",
    )
    run_sweep(load_sweep(path), tmp_path / "o", simulate=credibility_only, progress=False)
    from sim.sweep.analysis import analyze_store

    analyze_store(tmp_path / "o")
    table = pd.read_csv(tmp_path / "o" / "analysis" / f"{kind}_indices.csv")
    key = "ST" if kind == "sobol" else "mu_star"
    for output in ("violations", "outcome=held"):
        sub = table[table["output"] == output].set_index("parameter")[key]
        assert sub.idxmax() == "actors.TUR.threats.0.credibility"
        assert sub["engine.escalation.temperature"] == pytest.approx(0, abs=1e-9)
        assert sub["actors.RUS.support.0.level"] == pytest.approx(0, abs=1e-9)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_pool_workers_never_outlive_the_sweep(tmp_path, sig):
    import psutil

    path = write_sweep(tmp_path, replications=15, rounds=6)  # 60 runs
    out = tmp_path / "out"
    proc = cli("sweep", str(path), "--out", str(out), "--workers", "2", "--no-progress")
    assert wait_for_rows(out, 5, proc) < 60
    workers = psutil.Process(proc.pid).children()
    assert workers
    os.kill(proc.pid, sig)  # the driver alone, not its process group
    proc.communicate(timeout=60)
    assert proc.returncode == (130 if sig == signal.SIGTERM else -signal.SIGKILL)
    _, alive = psutil.wait_procs(workers, timeout=20)
    for orphan in alive:  # never leave them behind, even when the test fails
        orphan.kill()
    assert alive == []
    at_stop = count_rows(out)
    assert 0 < at_stop < 60 and list(read_runs(out)["run_id"]) == sorted(set(read_runs(out)["run_id"]))


def test_forced_resume_with_an_added_metric_adds_its_column(reference, tmp_path):
    path, sweep, _ = reference
    out = tmp_path / "o"
    run_sweep(sweep, out, progress=False)
    db = sqlite3.connect(out / "results.sqlite")
    db.execute("DELETE FROM runs WHERE run_id >= 10")
    db.commit()
    db.close()
    more = (
        write_sweep(tmp_path, extra="")
        .read_text(encoding="utf-8")
        .replace("control_final.GNA]", "control_final.GNA, blockade]")
    )
    (tmp_path / "tiny.yaml").write_text(more, encoding="utf-8")
    session = run_sweep(load_sweep(tmp_path / "tiny.yaml"), out, resume=True, force=True, progress=False)
    assert session.ran == 2
    runs = read_runs(out)
    assert runs.loc[runs["run_id"] < 10, "blockade"].isna().all()  # stored before the metric was asked for
    assert runs.loc[runs["run_id"] >= 10, "blockade"].notna().all()
    db = sqlite3.connect(out / "results.sqlite")
    resumed = json.loads(dict(db.execute("SELECT key, value FROM manifest").fetchall())["resumed"])
    db.close()
    assert resumed[-1]["changed"][0].startswith("metrics ")  # what changed, in words
