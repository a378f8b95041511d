"""Where texts are bargained and signed: the `forums:` section (schedule, open text, territorial terms,
peacekeepers) and the `truce:` in force at round 0.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from sim.scenario.numbers import MAX_ROUNDS, Forces, Identifier, Int, Point, Share, Strict


class Schedule(Strict):
    start: dt.date = Field(description="First date the forum convenes.")
    every_rounds: Int | None = Field(
        None, ge=1, le=MAX_ROUNDS, description="Convene again every N rounds after `start`; null: only once."
    )
    until: dt.date | None = Field(None, description="Last date the forum may convene.")


class OpenProposal(Strict):
    """A text already on the table when the run starts (e.g. the Moscow draft)."""

    terms: dict[Identifier, Point] = Field(description="The proposal: a point on each of the forum's issues.")
    signed_by: list[Identifier] = Field(default_factory=list, description="Parties that have signed it.")


class Transfer(Strict):
    region: Identifier = Field(description="Region id the text hands over.")
    to: Identifier = Field(description="Actor whose side takes the whole region.")
    by: dt.date | None = Field(None, description="Date the region changes hands; none: on signing.")


class Withdraw(Strict):
    side: Identifier = Field(description="Actor whose side leaves the region.")
    region: Identifier = Field(description="Region id it leaves.")
    by: dt.date | None = Field(None, description="Date it has left; none: on signing.")


class Terms(Strict):
    """Territorial terms of a forum's text, carried out when the text is signed (docs/SCENARIOS.md)."""

    transfer: list[Transfer] = Field(
        default_factory=list, description="Regions handed whole to one side, at once or by a date."
    )
    withdraw: list[Withdraw] = Field(
        default_factory=list,
        description="A side leaves a region: its share goes to the other sides in proportion to theirs.",
    )
    buffer: list[Identifier] = Field(
        default_factory=list,
        description="Regions where no one may fight: a truce-breaking rung while one is a front violates.",
    )


class Peacekeepers(Strict):
    """A third party's force deployed by the signed text (Fortna 2008; Walter 2002)."""

    by: Identifier = Field(description="Actor who sends them.")
    regions: list[Identifier] = Field(min_length=1, description="Region ids they deploy into.")
    forces: Forces = Field(
        description="Force units deployed, counted as deterrent force against a side that attacks there."
    )
    monitoring: Share = Field(
        description="Chance that a breach where they stand is seen and sanctioned (0 none, 1 full)."
    )


class Forum(Strict):
    name: str
    participants: list[Identifier] = Field(min_length=1, description="Actors who bargain in the forum.")
    mediators: list[Identifier] = Field(default_factory=list, description="Actors who mediate.")
    issues: list[Identifier] = Field(min_length=1, description="Issue ids on the table.")
    schedule: Schedule
    format: Literal["direct", "indirect"] = Field(
        "direct",
        description=(
            "Indirect: mediators shuttle between parties who never meet. A label for outputs; the bargaining"
            " is the same either way."
        ),
    )
    required_signatories: list[Identifier] | None = Field(
        None, description="Who must sign for an agreement (default: the belligerent participants)."
    )
    mediation_strength: Share = Field(
        0.3, description="How strongly mediators pull positions toward compromise."
    )
    monitoring: Share = Field(
        0.0, description="Strength of monitoring of what is signed here (0 none, 1 full)."
    )
    guarantee: Share = Field(
        0.0,
        description=(
            "Third-party guarantee of what is signed here: guarantors or peacekeepers who will punish the side"
            " that breaks it (Walter 2002; Fortna 2008). Raises each party's trust that the deal holds,"
            " t + (1 - t) g, and the chance that breaking it is sanctioned, m + (1 - m) g. 0: none."
        ),
    )
    open_proposal: OpenProposal | None = None
    terms: Terms | None = Field(None, description="Territorial terms carried out on signing; none: none.")
    peacekeepers: Peacekeepers | None = Field(None, description="Peacekeepers deployed on signing.")


class Truce(Strict):
    in_force: bool = Field(True, description="Is a truce in force at round 0?")
    since: dt.date | None = Field(
        None, description="Date the truce took effect (a label; round 0 is `clock.start`)."
    )
    signatories: list[Identifier] = Field(
        default_factory=list, description="Parties that accepted the truce."
    )
    monitoring: Share = Field(0.0, description="Strength of monitoring (0 none, 1 full).")
