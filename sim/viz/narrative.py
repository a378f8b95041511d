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


def _keys(reasons: dict) -> str:
    return ", ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in reasons.items())


def decisions(m: ConflictModel, round_: int | None = None) -> tuple[int, list[str]]:
    """The round shown (`round_`, or the latest) and one line per event of it that carries `reasons`: the
    narrative's sentence with its reasons, or, for a kind whose sentence does not say them, the short
    sentence and its `reasons` as key=value (docs/FORMATS.md), so any decision event is covered."""
    shown = m.round if round_ is None else round_
    out = []
    for e in m.events:
        if e["round"] != shown or not e.get("reasons"):
            continue
        short, full = sentence(e, m.spec, reasons=False), sentence(e, m.spec)
        out.append(full if full != short else f"{short.rstrip('.')} ({_keys(e['reasons'])}).")
    return shown, out
