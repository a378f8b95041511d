"""The page's event list: the newest events as dated sentences (the words come from sim.narrative)."""

from __future__ import annotations

import datetime as dt

from sim.model import ConflictModel
from sim.narrative import sentence


def latest(m: ConflictModel, n: int = 14) -> list[tuple[str, str]]:
    """The `n` newest events, newest first, as (date and round, sentence). One short line per event: the
    decisions' reasons, several lines each, slowed the page's render enough under load that a round still
    landed after Pause (tests/browser), so the list leaves them to the terminal summary and events.jsonl."""
    out = []
    for e in reversed(m.events[-n:]):
        day = dt.date.fromisoformat(e["date"]).strftime("%-d %b %Y")
        out.append((f"{day} · round {e['round']}", sentence(e, m.spec, reasons=False)))
    return out
