"""The viz page in a real headless Chromium: offline, per-tab models, Step/Play/Reset, bad values, scenarios."""

from __future__ import annotations

import re
import time

import pytest

pytestmark = pytest.mark.browser

STEPS_TIMED = 8


def test_page_loads_offline_with_every_view_and_no_errors(open_page, context, server):
    viz = open_page()
    for view in viz.VIEWS:
        assert viz.page.locator(f".stakesim-view.view-{view}").is_visible(), view
    banner = viz.banner()
    assert "Round 0" in banner and "Truce" in banner, banner
    for name in ("Reset", "▶", "Step"):
        assert viz.button(name).is_visible()
    assert viz.page.get_by_label("Seed (a whole number)").is_visible()
    assert viz.page.get_by_text("engine.escalation.temperature").count() == 0  # labels are words
    assert viz.page.get_by_text("escalation noise").is_visible()
    assert viz.page.get_by_text("Command Console").count() == 0  # never a Python console in the page
    viz.page.wait_for_timeout(500)  # late console errors surface
    watch = context.watch
    assert not watch.errors, watch.errors
    assert not watch.blocked, f"requests that would leave 127.0.0.1: {watch.blocked}"
    assert not watch.failed, watch.failed
    assert any("/_solara/cdn/" in u for u in watch.urls), (
        "the page shell should come from the local asset cache"
    )
    sockets = [u for u in watch.urls if u.startswith(("ws:", "wss:"))]
    assert sockets, "the page talks to its kernel over a websocket"
    assert all(u.startswith("ws://127.0.0.1:") for u in sockets), sockets  # routes do not see websockets
    assert "Could not load URL" not in server["log"].read_text(), "the server tried the public CDN"
    viz.screenshot("overview-round0")


def test_step_advances_the_round_and_redraws_the_charts(open_page, record_timing):
    viz = open_page()
    before = viz.images()
    elapsed = viz.step_timed()
    assert viz.round() == 1
    after = viz.images()
    changed = [v for v, a, b in zip(viz.CHARTS, before, after, strict=True) if a != b]
    assert {"positions", "rungs", "oil"} <= set(changed), changed
    for _ in range(STEPS_TIMED - 1):
        elapsed = viz.step_timed()
        record_timing("Step click -> round and charts updated", elapsed)
    assert viz.round() == STEPS_TIMED
    events = viz.page.locator(".view-events").inner_text()
    assert re.search(r"\d{1,2} [A-Z][a-z]{2} 20\d\d · round \d+", events), events
    viz.screenshot("after-8-rounds")


def test_play_then_pause(open_page):
    viz = open_page()
    viz.button("▶").click()
    reached = viz.wait_round(lambda r: r >= 3)
    viz.button("❚❚").click()
    viz.button("▶").wait_for(timeout=30_000)
    paused_at = viz.settled_round()  # a round already under way when pause was clicked may still land
    # Stopped where it was paused (give or take the rounds in flight), not at the end of the run.
    assert reached <= paused_at <= reached + 3, (reached, paused_at)
    viz.page.wait_for_timeout(1500)  # six play intervals: nothing may move now
    assert viz.round() == paused_at
    assert viz.button("Step").is_enabled()


def test_reset_after_changing_a_slider_and_the_seed(open_page):
    viz = open_page()
    viz.step_timed()
    viz.step_timed()
    assert viz.round() == 2
    viz.nudge_slider("escalation noise", 5)
    viz.set_seed("3")
    viz.button("Reset").click()
    viz.wait_round(lambda r: r == 0)
    viz.page.wait_for_function(
        "() => document.querySelector('.stakesim-banner').textContent.includes('seed 3 ')", timeout=20_000
    )
    banner = viz.banner()
    moved = re.search(r"engine\.escalation\.temperature=([0-9.]+)", banner)
    assert moved, f"the slider's --set path is not among the run's settings: {banner!r}"
    assert 0.15 < float(moved.group(1)) <= 0.2, banner  # 0.15 moved up by (at most) 5 steps of 0.01
    for _ in range(14):  # a run with a signed agreement, its collapse, a threat carried out
        viz.step_timed()
    assert viz.round() == 14
    viz.screenshot("seed3-round14")


def test_two_tabs_run_independent_models(open_page):
    first, second = open_page(), open_page()
    for _ in range(3):
        first.step_timed()
    assert first.round() == 3
    second.page.wait_for_timeout(300)
    assert second.round() == 0, "a second tab must not see the first tab's model"
    second.step_timed()
    assert second.round() == 1
    assert first.round() == 3


def test_a_seed_that_is_not_a_number_shows_a_message_not_a_crash(open_page, context):
    viz = open_page()
    viz.set_seed("forty-two")
    viz.button("Reset").click()
    problem = viz.page.locator(".stakesim-problem").first
    problem.wait_for(timeout=30_000)  # a Reset on a loaded machine takes seconds
    text = problem.inner_text()
    assert "forty-two" in text and "whole number" in text and "seed" in text, text
    viz.step_timed()  # the page still runs (on the scenario's own seed)
    assert viz.round() == 1
    assert not context.watch.errors, context.watch.errors


def test_scenario_picker_reports_a_broken_file_and_loads_a_good_one(open_page, context):
    viz = open_page()
    viz.step_timed()
    viz.pick_scenario("broken.yaml")
    problem = viz.page.locator(".stakesim-picker .stakesim-problem")
    problem.wait_for(timeout=30_000)
    assert "broken.yaml was not loaded" in problem.inner_text()
    details = viz.page.locator(".stakesim-picker pre").inner_text()
    assert "temperature" in details and "ceasefire_adherence" in details, details
    assert re.search(r"broken\.yaml:\d+", details), "each problem names its file and line"
    assert viz.round() == 1, "the current run stays"
    viz.step_timed()
    assert viz.round() == 2

    viz.pick_scenario("libya_2020_extended.yaml")
    viz.page.wait_for_function(
        "() => document.querySelector('.stakesim-banner').textContent.includes('Round 0')", timeout=15_000
    )
    viz.wait_rendered()
    assert viz.page.get_by_text("UAE → LNA: air (k)").is_visible(), "the new scenario brings its own sliders"
    assert viz.page.locator(".stakesim-picker .stakesim-problem").count() == 0
    for _ in range(10):
        viz.step_timed()
    assert viz.round() == 10
    time.sleep(0.3)
    viz.screenshot("extended-cast-round10")
    assert not context.watch.errors, context.watch.errors


def test_reset_after_picking_another_scenario_rebuilds_that_scenario(open_page, context, server):
    viz = open_page()
    viz.pick_scenario("syria_2019.yaml")
    viz.page.wait_for_function(
        "() => document.querySelector('.stakesim-banner').textContent.includes('North-east Syria')",
        timeout=15_000,
    )
    for r in (1, 2):  # no oil chart in Syria, so not step_timed (it watches the oil chart)
        viz.button("Step").click()
        viz.wait_round(lambda now, r=r: now == r)
    viz.set_seed("5")  # an input changed after the switch reaches the rebuilt model too
    viz.button("Reset").click()
    viz.wait_round(lambda r: r == 0)
    banner = viz.banner()
    assert "North-east Syria" in banner and "seed 5 " in banner, banner
    for label in ("SDF: truce adherence", "USA → SDF: troops (k)"):  # Syria's actors, absent from Libya
        assert viz.page.get_by_text(label, exact=True).is_visible(), label
    assert viz.page.get_by_text("LNA: truce adherence").count() == 0
    viz.button("Step").click()  # the rebuilt model runs
    viz.wait_round(lambda now: now == 1)
    assert "North-east Syria" in viz.banner()
    assert not context.watch.errors, context.watch.errors
    assert "missing 1 required keyword-only argument" not in server["log"].read_text()
