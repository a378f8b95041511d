"""The event log (events.jsonl, docs/FORMATS.md) and its vocabulary: every event type, declared once.

The model writes events with `EventLog.add`; the narrative, plots, outputs, browser view and tests match them
by these names. `Kind` is a `StrEnum`, so a kind equals its text (`Kind.SIGNED == "signed"`) and the log holds
plain strings.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

import numpy as np


class Kind(StrEnum):
    SCHEDULED_EVENT = "scheduled_event"  # a dated scenario event fired
    TRIGGERED_EVENT = "triggered_event"  # a conditional scenario event fired
    FORUM_CONVENED = "forum_convened"
    PROPOSAL = "proposal"  # a text on a forum's table (open: the scenario's, else the forum's draft)
    SIGNED = "signed"
    REFUSED = "refused"
    PARTIAL_SIGNING = "partial_signing"  # some required signatories signed, others refused
    AGREEMENT = "agreement"  # every required signatory signed
    RUNG_CHANGED = "rung_changed"
    BLOCKADE_STARTED = "blockade_started"
    BLOCKADE_LIFTED = "blockade_lifted"
    SUPPORT_CHANGED = "support_changed"
    COMMITMENT_CHANGED = "commitment_changed"  # a patron raised or cut its commitment (a channel's ceiling)
    THREAT_CARRIED_OUT = "threat_carried_out"
    THREAT_CALLED = "threat_called"
    CONTROL_CHANGED = "control_changed"
    VIOLATION = "violation"
    COLLAPSED = "collapsed"
    RUN_ENDED = "run_ended"


def rounded(values: np.ndarray) -> list[float | None]:
    """An array of a decision's terms as the log writes them: 4 places (Python's `round`, which gives the
    shortest repr, unlike `np.round`), None where an option was impossible (-inf; JSON has no infinities)."""
    return [round(v, 4) if math.isfinite(v) else None for v in np.asarray(values, dtype=float).tolist()]


class EventLog:
    """The run's events in order, each a dict with its round, date, type and actors (ids)."""

    def __init__(self, actor_ids: list[str], start: dt.date, round_days: int) -> None:
        self.events: list[dict[str, Any]] = []
        self._actor_ids = actor_ids
        self._start = start
        self._round_days = round_days
        self._dates: dict[int, str] = {}

    def add(self, r: int, kind: Kind, actors: Iterable[int] = (), **data: Any) -> None:
        self.events.append(
            {
                "round": r,
                "date": self.date_of(r),
                "type": kind.value,
                "actors": [self._actor_ids[a] for a in actors],
                **data,
            }
        )

    def date_of(self, r: int) -> str:
        """ISO date of round r's first day (memoised: events of a round share it)."""
        if r not in self._dates:
            self._dates[r] = (self._start + dt.timedelta(days=(r - 1) * self._round_days)).isoformat()
        return self._dates[r]
