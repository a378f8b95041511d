"""The Why panel in a real headless Chromium: after a Step, the round's decisions with their reasons."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_step_shows_the_lna_refusal_with_its_reasons(open_page, context):
    viz = open_page()
    panel = viz.page.locator(".view-why")
    assert "No decision with reasons in this round." in panel.inner_text()
    viz.step_timed()
    assert viz.round() == 1
    viz.page.wait_for_function(  # the title and the block below it are separate widgets: wait for both
        "() => document.querySelector('.view-why').textContent.includes('round 1')"
        " && document.querySelector('.stakesim-why').textContent.includes('walked out:')",
        timeout=30_000,
    )
    text = viz.page.locator(".stakesim-why").inner_text()
    refusal = re.search(
        r"LNA refused the .+? text and walked out: the text is 0\.\d\d from its positions, fighting on costs"
        r" it 0\.\d\d and it expects to win \d+%.*?; it trusts the deal to hold at \d+%\.",
        text,
    )
    assert refusal, text
    assert "GNA signed" in text, text
    events = viz.page.locator(".view-events").inner_text()
    assert "walked out" in events and "fighting on costs" not in events, "the event list stays short"
    assert not context.watch.errors, context.watch.errors
