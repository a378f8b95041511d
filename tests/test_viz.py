"""The browser view's parts without a browser: asset cache, knobs, the live model, charts, sentences, CLI."""

from __future__ import annotations

import socket
import stat
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mesa.experimental.scenarios import Scenario as MesaScenario
from mesa.visualization.solara_viz import _build_model_init_kwargs

from sim.cli import main
from sim.model import ConflictModel
from sim.narrative import sentence
from sim.scenario import ScenarioError, load_scenario
from sim.viz import assets, narrative
from sim.viz.charts.control import Control
from sim.viz.charts.network import Network
from sim.viz.charts.positions import Positions
from sim.viz.charts.series import Rungs
from sim.viz.live import LiveModel, model_class, scenario_files
from sim.viz.params import SEED, model_params, parse_seed, slots

ROOT = Path(__file__).resolve().parents[1]
LIBYA = ROOT / "scenarios" / "libya_2020.yaml"
SOLARA = Path(__import__("solara").__file__).parent
RESET = {
    "add_scenario_when_empty": True,
    "require_model_accepts_scenario": True,
}  # as ModelController's Reset


# ------------------------------------------------------------------------------------------- assets


def test_every_asset_spec_is_one_solara_asks_for():
    sources = "".join(
        p.read_text(errors="ignore")
        for p in SOLARA.rglob("*")
        if p.suffix in (".py", ".vue", ".j2") and "website" not in p.parts
    )
    for spec in assets.PACKAGES:
        assert spec in sources, f"{spec} is not requested by the installed solara; update sim/viz/assets.py"


@pytest.fixture
def fake_npm(tmp_path):
    """An `npm` that packs a tiny tarball for any spec and counts its calls (no network)."""
    calls = tmp_path / "calls"
    script = tmp_path / "bin" / "npm"
    script.parent.mkdir()
    script.write_text(
        textwrap.dedent(f"""\
        #!/bin/sh
        echo "$@" >> {calls}
        case "$3" in fail*) echo "npm error 404 Not Found" >&2; exit 1;; esac
        mkdir -p package && echo '{{"name": "x"}}' > package/package.json && echo js > package/main.js
        tar czf pkg-1.0.0.tgz package && rm -r package
        """)
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, calls


def test_fetch_fills_the_cache_once_in_the_proxy_layout(tmp_path, fake_npm):
    npm, calls = fake_npm
    cache = tmp_path / "cache"
    specs = ("@scope/pkg@1.0.0", "plain@2")
    assert assets.missing(cache, specs) == list(specs)
    assert assets.fetch(cache, specs, npm=str(npm), log=lambda _: None) == list(specs)
    for spec in specs:
        assert (cache / spec / "package.json").is_file() and (cache / spec / "main.js").is_file()
    assert not list(cache.glob(".fetch-*")), "no staging directory is left behind"
    assert assets.fetch(cache, specs, npm=str(npm), log=lambda _: None) == []
    assert len(calls.read_text().splitlines()) == 2, "a complete cache is not fetched again"


def test_fetch_failure_names_the_package_and_leaves_no_partial_directory(tmp_path, fake_npm):
    npm, _ = fake_npm
    cache = tmp_path / "cache"
    with pytest.raises(assets.AssetError, match=r"npm pack fail@1.*404"):
        assets.fetch(cache, ("ok@1", "fail@1"), npm=str(npm), log=lambda _: None)
    assert assets.missing(cache, ("ok@1", "fail@1")) == ["fail@1"]
    assert not (cache / "fail@1").exists()


def test_fetch_without_npm_says_how_to_get_it(tmp_path):
    with pytest.raises(assets.AssetError, match="apt-get install npm"):
        assets.fetch(tmp_path, ("x@1",), npm="no-such-npm-here", log=lambda _: None)


# -------------------------------------------------------------------------------------------- knobs


def test_knobs_are_valid_set_paths_carrying_the_scenarios_values():
    loaded = load_scenario(LIBYA)
    found = slots(loaded.scenario)
    paths = [s.path for s in found]
    assert "engine.escalation.temperature" in paths
    assert "actors.TUR.support.1.level" in paths and "actors.RUS.support.0.level" in paths
    assert "forums.berlin.mediation_strength" in paths
    assert "actors.LNA.goals.ceasefire_adherence" in paths
    assert "actors.TUR.goals.ceasefire_adherence" not in paths, "adherence is a belligerent's knob"
    for slot in found:
        assert slot.low <= slot.value <= slot.high
        moved = min(slot.high, slot.value + slot.step)
        again = load_scenario(LIBYA, [f"{slot.path}={moved}"]).data  # what `run --set` takes
        node = again
        for part in slot.path.split("."):
            node = node[int(part)] if isinstance(node, list) else node[part]
        assert node == pytest.approx(moved)


@pytest.mark.parametrize("path", scenario_files(ROOT / "scenarios"), ids=lambda p: p.name)
def test_every_pickable_scenario_gets_its_sliders(path):
    params = model_params(load_scenario(path).scenario)
    assert params[SEED]["type"] == "InputText"
    assert sum(1 for v in params.values() if isinstance(v, dict) and v.get("type") == "SliderFloat") >= 4


@given(st.integers(min_value=0, max_value=2**63))
def test_seed_text_of_digits_is_that_number(n):
    assert parse_seed(f" {n} ") == n
    assert parse_seed(n) == n


@given(st.text().filter(lambda t: not t.strip().isdigit()))
def test_any_other_seed_text_is_a_problem_naming_the_box(text):
    with pytest.raises(ScenarioError) as info:
        parse_seed(text)
    assert info.value.problems[0].file == "seed box"
    assert "whole number" in info.value.problems[0].expected


# --------------------------------------------------------------------------------------- live model


def test_live_model_takes_the_sliders_as_overrides():
    m = LiveModel(scenario_file=str(LIBYA), rng="7", **{"engine.escalation.temperature": 0.45})
    assert m.seed == 7 and m.viz_problems == []
    assert m.engine.escalation.temperature == pytest.approx(0.45)
    assert m.viz_changed == {"engine.escalation.temperature": 0.45}


def test_a_page_run_replays_from_the_cli_with_the_same_seed_and_set_paths():
    page = LiveModel(scenario_file=str(LIBYA), rng="7", **{"engine.escalation.temperature": 0.3})
    cli = ConflictModel(scenario=load_scenario(LIBYA, ["engine.escalation.temperature=0.3"]), rng=7)
    for _ in range(12):
        page.step()
        cli.step()
    assert page.events == cli.events
    assert page.history == cli.history


def test_reset_with_the_parameters_left_after_a_scenario_switch_rebuilds_the_picked_file():
    """After a switch, Mesa 3.5.1's Reset has only the inputs the user changed (sim.viz.live.model_class)."""
    syria = ROOT / "scenarios" / "syria_2019.yaml"
    picked = model_class(str(syria))()
    for changed in ({}, {SEED: "4"}):
        rebuilt = type(picked)(**_build_model_init_kwargs(picked, changed, **RESET))
        assert rebuilt.viz_file == str(syria) and rebuilt.spec.name == load_scenario(syria).scenario.name
        assert rebuilt.seed == (4 if changed else load_scenario(syria).scenario.seed)
        assert not rebuilt.viz_problems and not rebuilt.viz_changed
    assert model_class(str(syria)) is type(picked), "one type per file"
    assert model_class(str(LIBYA))().viz_file == str(LIBYA)


def test_live_model_ignores_the_mesa_scenario_that_solaraviz_reset_adds():
    m = LiveModel(scenario_file=str(LIBYA), rng="3", scenario=MesaScenario())
    assert m.spec.name == load_scenario(LIBYA).scenario.name


def test_a_bad_seed_or_value_gives_a_running_model_and_the_problem():
    m = LiveModel(scenario_file=str(LIBYA), rng="forty-two", **{"engine.escalation.temperature": 0.0})
    text = "\n".join(str(p) for p in m.viz_problems)
    assert "forty-two" in text and "temperature" in text, text
    scenario = load_scenario(LIBYA).scenario
    assert m.seed == scenario.seed
    assert m.engine.escalation.temperature == scenario.engine.escalation.temperature
    assert m.viz_changed == {}
    m.step()
    assert m.round == 1


def test_a_scenario_that_never_validated_raises_for_the_picker(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nissues: {}\nactors: {}\n")
    with pytest.raises(ScenarioError):
        LiveModel(scenario_file=str(bad))


def test_same_seed_same_run_and_positions_recorded_each_round():
    a, b = LiveModel(scenario_file=str(LIBYA), rng="11"), LiveModel(scenario_file=str(LIBYA), rng="11")
    for _ in range(6):
        a.step()
        b.step()
    assert a.events == b.events
    assert len(a.viz_positions) == 7
    assert np.array_equal(np.asarray(a.viz_positions[-1]), a.positions, equal_nan=True)


# ------------------------------------------------------------------------------------------- charts


def test_charts_blit_on_a_background_drawn_once(monkeypatch):
    m = LiveModel(scenario_file=str(LIBYA), rng="5")
    figures = [cls(m) for cls in (Positions, Rungs, Control)]
    full_draws = {id(f): 0 for f in figures}
    for f in figures:
        original = f.canvas.draw

        def counting(f=f, original=original):
            full_draws[id(f)] += 1
            original()

        monkeypatch.setattr(f.canvas, "draw", counting)
    frames = {id(f): [f.frame(m)] for f in figures}
    for _ in range(10):
        m.step()
        for f in figures:
            frames[id(f)].append(f.frame(m))
    for f in figures:
        pngs = frames[id(f)]
        assert all(p.startswith(b"\x89PNG") for p in pngs)
        assert full_draws[id(f)] == 1, f"{type(f).__name__} redrew its background"
    positions = frames[id(figures[0])]
    assert len(set(positions)) == len(positions), "each round changes the positions picture"


def test_an_unchanged_chart_returns_its_previous_frame():
    m = LiveModel(scenario_file=str(LIBYA), rng="5")
    chart = Network(m)
    first = chart.frame(m)
    assert chart.frame(m) is first


def test_time_axes_widen_by_doubling_for_long_runs():
    m = LiveModel(scenario_file=str(LIBYA), rng="5")
    m.max_rounds = 500
    chart = Rungs(m)
    chart.frame(m)
    assert chart.ax.get_xlim() == (0, 52)
    assert chart.widen([chart.ax], 53) and chart.ax.get_xlim() == (0, 104)
    assert not chart.widen([chart.ax], 60)


# ------------------------------------------------------------------------------------------ sentences


def test_every_event_of_a_run_reads_as_a_sentence():
    m = LiveModel(scenario_file=str(LIBYA), rng="1")
    while m.running:
        m.step()
    kinds = {e["type"] for e in m.events}
    for e in m.events:
        text = sentence(e, m.spec)
        assert text and "{" not in text and not text.startswith(e["type"].replace("_", " ") + ":"), (e, text)
    latest = narrative.latest(m, 5)
    assert len(latest) == 5 and latest[0][0].endswith(f"round {m.events[-1]['round']}")
    assert "run_ended" in kinds


def test_why_panel_says_each_decision_of_the_round_with_its_reasons():
    m = LiveModel(scenario_file=str(LIBYA))
    assert narrative.decisions(m) == (0, [])
    m.step()
    m.step()
    refusals = [e for e in m.events if e["round"] == 1 and e["type"] == "refused"]
    assert refusals and all(e.get("reasons") for e in refusals)
    shown, lines = narrative.decisions(m, 1)
    assert shown == 1 and len(lines) == sum(1 for e in m.events if e["round"] == 1 and e.get("reasons"))
    r = refusals[0]["reasons"]
    assert any(
        line.startswith("LNA refused") and f"costs it {r['cost']:.2f}" in line and f"win {r['p']:.0%}" in line
        for line in lines
    ), lines
    assert narrative.decisions(m)[0] == 2  # no round given: the latest
    # A kind whose sentence does not say its reasons gets them as key=value.
    m.events.append({**refusals[0], "round": 2, "type": "rung_changed", "new": 1, "reasons": {"u": 0.4567}})
    rung = m.spec.ladder[1].name.lower()
    assert narrative.decisions(m)[1][-1] == f"{refusals[0]['actors'][0]} moved to rung 1: {rung} (u=0.457)."


# ---------------------------------------------------------------------------------------------- CLI


def test_viz_cli_reports_a_bad_file_with_exit_2(tmp_path, capsys):
    assert main(["viz", str(tmp_path / "missing.yaml")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_viz_cli_refuses_a_scenario_the_model_cannot_run(capsys):
    forecast_only = ROOT / "scenarios" / "forecast" / "ec_1994.yaml"  # no clock, ladder or theatre
    assert main(["viz", str(forecast_only)]) == 2
    assert "needs a clock" in capsys.readouterr().err


def test_viz_cli_reports_a_port_in_use_with_exit_2(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["viz", str(LIBYA), "--port", str(port)]) == 2
    assert f"port {port} on 127.0.0.1 is in use" in capsys.readouterr().err


def test_viz_cli_fetch_only_is_idempotent(tmp_path, monkeypatch, capsys):
    for spec in assets.PACKAGES:
        (tmp_path / spec).mkdir(parents=True)
        (tmp_path / spec / "package.json").write_text("{}")
    monkeypatch.setattr(assets, "DEFAULT_DIR", tmp_path)
    assert main(["viz", "--fetch-assets-only"]) == 0
    assert "already complete" in capsys.readouterr().out


def test_every_decision_kind_says_its_reasons_in_words():
    """Rung, blockade, support, commitment and threat decisions of a real Libya run each get a sentence with
    the numbers of their `reasons` (docs/FORMATS.md), not only the signing decisions."""
    m = LiveModel(scenario_file=str(LIBYA))
    for _ in range(6):
        m.step()
    said: dict[str, str] = {}
    for e in m.events:
        if e.get("reasons") and e["type"] not in said:
            said[e["type"]] = sentence(e, m.spec)
            r = e["reasons"]
            text = said[e["type"]]
            if e["type"] == "rung_changed":
                assert f"win {r['p_win']:.0%}" in text and f"probability {r['probability']:.0%}" in text
            elif e["type"] == "blockade_started":
                assert f"{r['leverage']:+.2f} as leverage" in text
            elif e["type"] == "commitment_changed":
                assert "rival patrons commit" in text and "probability" in text
            elif e["type"] == "support_changed" and "options" in r:
                assert f"would win {r['p_client']:.0%}" in text
            elif e["type"] == "threat_carried_out":
                assert f"credibility {r['credibility']:.0%}" in text
            assert text != sentence(e, m.spec, reasons=False), text
    assert {"rung_changed", "blockade_started", "support_changed", "commitment_changed"} <= said.keys(), said
