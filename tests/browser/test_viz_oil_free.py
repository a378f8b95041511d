"""A war without an oil economy in the page (issue 16 item 6): no oil chart, every other view drawn, and the
run steps on."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_a_war_without_oil_has_no_oil_chart(open_page, context):
    viz = open_page()
    assert viz.page.locator(".stakesim-view.view-oil").count() == 1  # Libya has an oil economy
    viz.pick_scenario("syria_2019.yaml")  # no `economy:` section (its facts give no output figure)
    viz.page.wait_for_function(
        "() => document.querySelector('.stakesim-banner').textContent.includes('North-east Syria')",
        timeout=15_000,
    )
    for view in ("network", "positions", "rungs", "control", "events", "why"):
        viz.page.locator(f".stakesim-view.view-{view}").wait_for(timeout=30_000)
    assert viz.page.locator(".stakesim-view.view-oil").count() == 0
    viz.button("Step").click()
    viz.wait_round(lambda r: r == 1)
    assert viz.page.locator(".stakesim-view.view-oil").count() == 0
    assert not context.watch.errors, context.watch.errors
    viz.screenshot("syria-no-oil-round1")
