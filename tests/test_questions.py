"""Question files (sim.questions, `run.py check`): the format's errors, the predicates' times, the baselines and
the scores, on the hand-made duel of tests/model_support.py and on hand-made traces."""

from __future__ import annotations

import datetime as dt
import json
import textwrap

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from model_support import DUEL, duel

from sim.cli import main
from sim.questions.baselines import nothing_changes, stronger_side, stronger_side_wins
from sim.questions.evaluate import Trace, holds, round_of
from sim.questions.schema import Predicate
from sim.questions.score import score
from sim.scenario import ScenarioError

START = dt.date(2020, 1, 1)  # the duel's clock.start; weekly rounds, 20 at most

QUESTIONS = """\
case: Duel
provenance: hand-made for the tests
questions:
  - id: a_takes_front
    text: A holds most of the front in round 6.
    date: 2020-02-05
    when: {control: {region: front, side: A, at_least: 0.5}}
    observed: true
    resolution: made up
    source: none
  - id: b_keeps_port
    text: B still holds all of the port at the end.
    date: end
    when: {control: {region: port, side: B, at_least: 1.0}}
    observed: false
    resolution: made up
    source: none
"""


def _files(tmp_path, changes=None, questions=QUESTIONS):
    data = yaml.safe_load(yaml.safe_dump(DUEL))
    for dotted, value in (changes or {}).items():
        node = data
        *head, last = dotted.split(".")
        for part in head:
            node = node[part]
        node[last] = value
    scenario = tmp_path / "duel.yaml"
    scenario.write_text(yaml.safe_dump(data, sort_keys=False))
    qfile = tmp_path / "q.yaml"
    qfile.write_text(questions)
    return str(scenario), str(qfile)


def _trace(rows: list[dict], events=()) -> Trace:
    return Trace(rows, list(events), duel().scenario)


def _row(r: int, **values) -> dict:
    return {"round": r, "rung_A": 0, "rung_B": 0, "control_front_A": 0.5, **values}


def _holds(form: dict, trace: Trace, date="end") -> bool:
    return holds(Predicate.model_validate(form), trace, date)


# ------------------------------------------------------------------------------------------------ times


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 3000), st.integers(1, 30))
def test_a_date_falls_in_the_round_whose_days_contain_it(offset, days):
    spec = duel({"clock.round_days": days}).scenario
    r = round_of(START + dt.timedelta(days=offset), spec, last=10**6)
    first_day = START + dt.timedelta(days=(r - 1) * days)  # the model's date_of(r)
    assert r >= 1 and first_day <= START + dt.timedelta(days=offset) < first_day + dt.timedelta(days=days)


def test_at_reads_one_round_by_reads_any_up_to_it_and_a_window_reads_every_round():
    rows = [_row(0), _row(1, rung_A=2), _row(2), _row(3, rung_A=1)]
    t = _trace(rows)
    assert _holds({"rung": {"side": "A", "at_least": 2, "at": 1}}, t)
    assert not _holds({"rung": {"side": "A", "at_least": 2, "at": 2}}, t)
    assert _holds({"rung": {"side": "A", "at_least": 2, "by": 2}}, t)
    assert not _holds({"rung": {"side": "A", "at_least": 1, "from": 1, "to": 3}}, t)
    assert _holds({"rung": {"side": "A", "at_most": 2, "from": 1, "to": 3}}, t)
    # the question's date is the default `at`; a date is its round (2020-01-08 .. 14 is round 2)
    assert _holds({"rung": {"side": "A", "at_most": 0}}, t, date=dt.date(2020, 1, 14))
    assert not _holds({"rung": {"side": "A", "at_most": 0}}, t, date=dt.date(2020, 1, 7))


def test_a_run_that_stopped_early_keeps_its_last_state():
    t = _trace([_row(0), _row(1, control_front_A=0.9)])
    assert _holds({"control": {"region": "front", "side": "A", "at_least": 0.8, "at": 15}}, t)
    assert _holds({"control": {"region": "front", "side": "A", "gain_above": 0.3}}, t)
    assert not _holds({"control": {"region": "front", "side": "A", "gain_above": 0.4}}, t)


def test_events_count_only_inside_their_window_and_match_actor_and_forum():
    events = [
        {"round": 2, "type": "signed", "actors": ["A"], "forum": "talks"},
        {"round": 4, "type": "agreement", "actors": ["A", "B"], "forum": "talks"},
    ]
    t = _trace([_row(r) for r in range(6)], events)
    assert _holds({"signed": {"forum": "talks", "by": 4}}, t)
    assert not _holds({"signed": {"forum": "talks", "by": 3}}, t)
    assert not _holds({"signed": {"forum": "other"}}, t)
    assert _holds({"signed": {"actor": "A", "by": 2}}, t)
    assert not _holds({"signed": {"actor": "B"}}, t)
    assert not _holds({"event": {"type": "signed", "from": 3}}, t)
    assert _holds({"not": {"event": {"type": "violation"}}}, t)
    assert _holds({"any": [{"event": {"type": "violation"}}, {"signed": {}}]}, t)
    assert not _holds({"all": [{"event": {"type": "violation"}}, {"signed": {}}]}, t)


# ----------------------------------------------------------------------------------------------- errors


def test_every_problem_of_a_question_file_is_reported_with_its_line(tmp_path, capsys):
    bad = textwrap.dedent(
        """\
        case: Duel
        provenance: x
        questions:
          - id: q1
            text: t
            date: 2019-06-01
            when: {control: {region: frnt, side: P, at_least: 0.5}}
            observed: true
            resolution: r
            source: s
          - id: q1
            text: t
            date: 2021-06-01
            when: {signed: {forum: talks}}
            observed: false
            resolution: r
            source: s
        """
    )
    scenario, qfile = _files(tmp_path, questions=bad)
    assert main(["check", scenario, qfile, "--replications", "2"]) == 2
    err = capsys.readouterr().err
    assert "6 problems found" in err
    assert "q.yaml:6:5: questions.0.date: 2019-06-01 is before the scenario starts (2020-01-01)" in err
    assert "questions.0.when.control.region: unknown region `frnt`" in err and "did you mean `front`?" in err
    assert "questions.0.when.control.side: unknown side `P`" in err and "expected: one of: A, B" in err
    assert "q.yaml:11:5: questions.1.id: duplicate question id `q1`" in err
    assert "q.yaml:13:5: questions.1.date: 2021-06-01 is after the last round" in err
    assert "questions.1.when.signed.forum: unknown forum `talks`" in err
    assert "Traceback" not in err


def test_schema_errors_name_the_field_and_what_was_expected(tmp_path, capsys):
    bad = QUESTIONS.replace("at_least: 0.5}", "at_least: 0.5, at_most: 0.9}").replace(
        "    observed: false\n", "    observd: false\n"
    )
    scenario, qfile = _files(tmp_path, questions=bad)
    assert main(["check", scenario, qfile]) == 2
    err = capsys.readouterr().err
    assert "questions.0.when.control: needs exactly one of: at_least, at_most, gain_above, gain_below" in err
    assert "questions.1.observd: unknown key `observd`" in err and "did you mean `observed`?" in err
    assert "questions.1.observed: `observed` is missing" in err


def test_a_metric_must_be_a_numeric_column_and_a_window_must_not_end_before_it_starts(tmp_path, capsys):
    bad = QUESTIONS.replace(
        "{control: {region: front, side: A, at_least: 0.5}}", "{metric: {column: status, at_least: 1}}"
    ).replace(
        "{control: {region: port, side: B, at_least: 1.0}}", "{rung: {side: B, at_most: 0, from: 5, to: 2}}"
    )
    scenario, qfile = _files(tmp_path, questions=bad)
    assert main(["check", scenario, qfile]) == 2
    err = capsys.readouterr().err
    assert "questions.0.when.metric.column: unknown numeric rounds.csv column `status`" in err
    assert "questions.1.when.rung.from: the window ends before it starts" in err


@pytest.mark.parametrize("column", ["signed_moscow", "accord_berlin"])
def test_a_numeric_test_on_a_per_forum_text_column_is_a_problem(tmp_path, capsys, column):
    """`signed_<forum>` (signatories) and `accord_<forum>` (a status) hold words (docs/FORMATS.md)."""
    qfile = tmp_path / "q.yaml"
    qfile.write_text(
        QUESTIONS.replace(
            "{control: {region: front, side: A, at_least: 0.5}}",
            f"{{metric: {{column: {column}, at_least: 1}}}}",
        ).replace(
            "{control: {region: port, side: B, at_least: 1.0}}", "{metric: {column: violations, at_most: 3}}"
        )
    )
    assert main(["check", "scenarios/libya_2020.yaml", str(qfile)]) == 2
    err = capsys.readouterr().err
    assert (
        f"{qfile}:7:" in err
        and f"questions.0.when.metric.column: unknown numeric rounds.csv column `{column}`" in err
    )
    assert "expected: one of: round, violations," in err and "suggestion: " in err
    assert err.count("unknown numeric") == 1, "`violations` is a number"


def test_a_date_past_the_last_round_says_how_to_reach_it(tmp_path):
    scenario, qfile = _files(tmp_path, questions=QUESTIONS.replace("date: 2020-02-05", "date: 2020-06-01"))
    from sim.cli.check import prepare

    with pytest.raises(ScenarioError) as exc:
        prepare(scenario, qfile)
    (p,) = exc.value.problems
    assert "after the last round the scenario can run (round 20" in p.message
    assert "clock.max_rounds" in p.suggestion


# -------------------------------------------------------------------------------------------- baselines


def test_nothing_changes_holds_round_0_for_the_whole_horizon():
    first = {"round": 0, "date": "2020-01-01", "control_front_A": 0.5, "rung_A": 1}
    t = nothing_changes(first, duel().scenario)
    assert len(t.rows) == 21 and t.events == []
    assert all(r["control_front_A"] == 0.5 and r["rung_A"] == 1 for r in t.rows)
    assert t.rows[20]["round"] == 20 and t.rows[20]["date"] == "2020-05-13"


def test_the_stronger_side_takes_each_contested_region_at_the_models_pace():
    # pace = round_days x r0 x mobility / depth = 7 x 2.33 x 1.0 / 163.1 = 0.1 on rolling bare ground
    loaded = duel(
        {
            "actors.A.forces": 60,
            "theatre.regions.front.terrain": "rolling_bare",
            "engine": {"combat": {"depth_km": 163.1}},
        }
    )
    from sim.model import run_model

    first = run_model(loaded, seed=1, max_rounds=1).history[0]
    spec = loaded.scenario
    assert stronger_side(first, spec) == "A"
    t = stronger_side_wins(first, spec)
    front = [r["control_front_A"] for r in t.rows]
    assert front[:7] == pytest.approx([0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.0])
    assert all(r["control_front_A"] + r["control_front_B"] == pytest.approx(1.0) for r in t.rows)
    assert all(r["control_port_B"] == 1.0 and r["control_field_A"] == 1.0 for r in t.rows)  # not contested
    # national control, weights population + oil: front 0.5, field 0.5 (A's), port 0.6; round 0 is the model's
    assert t.rows[0]["control_A"] == pytest.approx((0.5 * 0.5 + 0.5) / 1.6)
    assert t.rows[1]["control_A"] == pytest.approx((0.6 * 0.5 + 0.5) / 1.6)
    assert t.rows[6]["control_A"] == pytest.approx((1.0 * 0.5 + 0.5) / 1.6)


# ------------------------------------------------------------------------------------------------ scores


def test_scores_are_shares_with_wilson_intervals_and_brier_beside_the_baselines(tmp_path, capsys):
    scenario, qfile = _files(tmp_path, {"actors.A.forces": 60})
    assert main(["check", scenario, qfile, "--replications", "6", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    a, b = s["questions"]
    assert s["stronger_side"] == "A" and s["replications"] == 6
    assert a["share"] == a["yes"] / 6 and a["ci95"][0] <= a["share"] <= a["ci95"][1]
    assert a["brier"]["model"] == pytest.approx((a["share"] - 1) ** 2)
    # round 0 holds the front at 0.5 (a yes for "at least 0.5"); B holds the port throughout in both baselines
    assert a["baselines"] == {"nothing_changes": True, "stronger_side_wins": True}
    assert b["baselines"] == {"nothing_changes": True, "stronger_side_wins": True}
    assert b["brier"]["nothing_changes"] == 1.0 and a["brier"]["stronger_side_wins"] == 0.0
    mean = (a["brier"]["model"] + b["brier"]["model"]) / 2
    assert s["mean_brier"]["model"] == pytest.approx(mean)


def test_scores_do_not_depend_on_the_number_of_workers(tmp_path):
    scenario, qfile = _files(tmp_path)
    from sim.cli.check import prepare

    loaded, questions, first = prepare(scenario, qfile)
    one = score(loaded, questions, first, 4, workers=1).as_dict()
    two = score(loaded, questions, first, 4, workers=2).as_dict()
    assert one == two


def test_the_shipped_question_files_load_against_their_scenarios():
    from pathlib import Path

    from sim.cli.check import prepare

    root = Path(__file__).resolve().parents[1] / "scenarios"
    for name in ("libya_2020", "syria_2019"):
        qfile = root / "questions" / f"{name}.yaml"
        scenario = qfile.parent / yaml.safe_load(qfile.read_text())["scenario"]
        _, questions, _ = prepare(str(scenario), str(qfile))
        assert len(questions.questions) >= 10
        assert all(q.source.strip() and q.resolution.strip() for q in questions.questions)


# ------------------------------------------------------------------------------------------- properties

SIDES = st.sampled_from(["A", "B"])
TIMES = st.one_of(st.integers(0, 8), st.just("end"))


@st.composite
def traces(draw):
    n = draw(st.integers(1, 8))
    rows = [_row(r, rung_A=draw(st.integers(0, 2)), rung_B=draw(st.integers(0, 2))) for r in range(n + 1)]
    kinds = st.sampled_from(["signed", "agreement", "violation"])
    events = [
        {"round": draw(st.integers(1, n)), "type": draw(kinds), "actors": [draw(SIDES)], "forum": "talks"}
        for _ in range(draw(st.integers(0, 4)))
    ]
    return _trace(rows, sorted(events, key=lambda e: e["round"]))


@settings(max_examples=200, deadline=None)
@given(traces(), SIDES, st.integers(0, 2), TIMES, TIMES)
def test_by_contains_at_and_a_window_is_every_at_in_it(trace, side, k, t1, t2):
    def rung(**time):
        return _holds({"rung": {"side": side, "at_least": k, **time}}, trace)

    if rung(at=t1):
        assert rung(by=t1)
    lo, hi = (round_of(t, trace.spec, trace.last) for t in (t1, t2))
    if lo <= hi:
        assert rung(**{"from": t1, "to": t2}) == all(rung(at=r) for r in range(lo, hi + 1))
    assert _holds({"not": {"rung": {"side": side, "at_least": k, "at": t1}}}, trace) != rung(at=t1)


@settings(max_examples=200, deadline=None)
@given(traces(), st.sampled_from(["signed", "agreement", "violation"]), st.integers(1, 8), st.integers(1, 8))
def test_an_event_window_widens_monotonically(trace, kind, lo, hi):
    def seen(**window):
        return _holds({"event": {"type": kind, **window}}, trace)

    assert seen(by=min(lo, hi)) <= seen(by=max(lo, hi))
    assert seen(by=hi, **{"from": lo}) <= seen(by=hi)
    assert _holds({"any": [{"event": {"type": kind, "by": hi}}]}, trace) == seen(by=hi)


def test_a_missing_or_broken_question_file_is_reported_not_raised(tmp_path, capsys):
    scenario, qfile = _files(tmp_path, questions="questions: [\n")
    assert main(["check", scenario, str(tmp_path / "nope.yaml")]) == 2
    assert "nope.yaml: (top level): file not found" in capsys.readouterr().err
    assert main(["check", scenario, qfile]) == 2
    err = capsys.readouterr().err
    assert "q.yaml:2:1: (top level): not valid YAML" in err and "Traceback" not in err
