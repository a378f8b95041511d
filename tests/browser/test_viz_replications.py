"""The replications panel in a real headless Chromium: N seeds run in the background while the page keeps
stepping, then their fan appears with the live run drawn on it and redrawn as the run goes on."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.browser

RUNS = 60


def test_replications_run_in_the_background_then_show_the_fan_with_the_live_run(
    open_page, context, record_timing
):
    viz = open_page()
    panel = viz.page.locator(".view-replications")
    assert panel.get_by_text("Run replications").is_visible()
    box = viz.page.get_by_label("Replications (seeds)")
    box.fill(str(RUNS))
    box.press("Enter")
    viz.settle()
    started = time.perf_counter()
    viz.button("Run replications").click()
    progress = viz.page.locator(".stakesim-progress")
    progress.wait_for(timeout=30_000)
    assert f"of {RUNS} runs done" in progress.inner_text()

    # While they run, the page answers: Step moves the live run and redraws its charts.
    stepped = viz.step_timed()
    record_timing("Step click while replications run -> round and charts updated", stepped)
    assert viz.round() == 1
    assert progress.count() == 1, "the replications finished before the page was tried; raise RUNS"

    fan = viz.page.locator(".view-replications img")
    fan.wait_for(timeout=120_000)
    record_timing(
        f"{RUNS} replications in the page (click -> fan shown)", (time.perf_counter() - started) * 1000
    )
    caption = viz.page.locator(".stakesim-fan-caption").inner_text()
    assert f"{RUNS} runs from seed" in caption and "other settings" not in caption, caption
    viz.page.wait_for_function(
        "() => { const i = document.querySelector('.view-replications img'); return i.complete && i.naturalWidth > 200; }",
        timeout=30_000,
    )
    before = fan.get_attribute("src")
    viz.step_timed()
    viz.page.wait_for_function(
        "src => document.querySelector('.view-replications img').src !== src", arg=before, timeout=30_000
    )
    assert viz.round() == 2
    panel.scroll_into_view_if_needed()
    viz.screenshot("replications-fan")
    assert not context.watch.errors, context.watch.errors
