"""The page's event list: the newest events as dated sentences (the words come from sim.narrative)."""

from __future__ import annotations

import datetime as dt

from sim.model import ConflictModel
from sim.narrative import sentence


def latest(m: ConflictModel, n: int = 14) -> list[tuple[str, str]]:
    """The `n` newest events, newest first, as (date and round, sentence)."""
    out = []
    for e in reversed(m.events[-n:]):
        day = dt.date.fromisoformat(e["date"]).strftime("%-d %b %Y")
        out.append((f"{day} · round {e['round']}", sentence(e, m.spec)))
    return out
