"""What forums bargain over and sign: a forum's live state, the territorial terms and peacekeepers of its text,
and the accords in force; who an accord binds and how a text is read."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.engine.structure import Structure


@dataclass
class Handover:
    """A territorial term of a forum's text (`forums.<id>.terms`): in round `due` (0: on signing) side `leaves`
    hands region `region` over; to side `to` whole (a transfer), or, with `to` -1 (a withdrawal), to the other
    sides in proportion to their shares. `gave`: the sides that held a share of it when it was handed over."""

    region: int
    to: int
    leaves: int  # -1 for a transfer: every side but `to`
    due: int
    gave: set[int] = field(default_factory=set)
    done: bool = False


@dataclass
class Peacekeeping:
    """Peacekeepers a signed text deploys (`forums.<id>.peacekeepers`): who sends them, where, how many, and
    the chance they see and report a breach there."""

    by: int
    regions: np.ndarray
    forces: float
    monitoring: float


@dataclass
class Forum:
    """A forum's live state: who bargains, on what, when, and the text on its table."""

    id: str
    name: str
    participants: np.ndarray
    mediators: np.ndarray
    issues: np.ndarray
    required: list[int]
    mediation_strength: float
    monitoring: float
    guarantee: float
    rounds: set[int]
    grid: tuple[np.ndarray, ...]  # np.ix_(participants, issues), to read the table in one step
    pulled: np.ndarray  # (participant,) bool: whom the mediators pull toward the forecast
    terms: np.ndarray | None = None  # the text on the table, over `issues`
    signed: set[int] = field(default_factory=set)
    last_table: tuple[np.ndarray, ...] | None = None  # positions, capabilities, saliences at the last redraft
    last_session: tuple[np.ndarray, dict[str, int]] | None = None  # its proposal and move counts
    handovers: list[Handover] = field(default_factory=list)  # territorial terms, carried out on signing
    buffer: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))  # regions no one may fight in
    peacekeepers: Peacekeeping | None = None


@dataclass
class Accord:
    """A truce or agreement in force (or last in force): who signed, whom it binds, what it covers, how it is
    monitored, how it fares. It binds each belligerent that signed it and the client of each patron (or mediator
    leaning to a side) that signed it, the belligerent it names as its `side` (`bound_by`); a coalition member
    that did not sign, and whose patron did not, is not bound.
    A ceasefire accord (the truce, or a text on a `ceasefire` issue) is broken by a rung that `breaks_truce`; an
    accord on an `oil` issue by a blockade (docs/MODEL.md section 6)."""

    kind: str  # "truce" (given at round 0) or "agreement" (signed in a forum during the run)
    forum: str | None
    signatories: set[int]
    bound: set[int]  # the belligerents it binds
    monitoring: float
    status: str = "holding"
    violation_rounds: int = 0
    held_rounds: int = 0
    guarantee: float = 0.0  # third-party guarantee or peacekeepers (Walter 2002; Fortna 2008), 0..1
    ceasefire: bool = True  # broken by a truce-breaking rung
    oil: bool = False  # broken by a blockade
    issues: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))  # what the text covers
    signed_round: int = 0
    violators: dict[int, str] = field(default_factory=dict)  # who broke it in `violation_round`, and how
    handovers: list[Handover] = field(default_factory=list)  # its territorial terms (`Forum.handovers`)
    buffer: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    peacekeepers: Peacekeeping | None = None
    watched: float = 0.0  # its peacekeepers' monitoring, where they stand on a front when it is signed
    violation_round: int = -1

    @property
    def in_force(self) -> bool:
        return self.status != "collapsed"


def bound_by(st: Structure, signatories: set[int]) -> set[int]:
    """The belligerents an accord with these signatories binds: each belligerent signatory itself, and the
    belligerent each other signatory names as its `side`."""
    return {int(st.client[a]) for a in signatories if st.client[a] >= 0}


def read_text(terms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A text as the parties read it: (terms with 0 where it says nothing, which issues it covers); an open text
    may leave some of the forum's issues out (NaN)."""
    on_table = ~np.isnan(terms)
    return np.where(on_table, terms, 0.0), on_table
