"""The live state of a run: every number a phase of the round or a scenario event can change.

Tables of like things, arrays inside (docs/MODEL.md "State"): the actors (A,), the support channels (C,), the
threats (T,), the theatre's regions (R, and control R x S), the forums, the accord in force, and the sides'
beliefs and the economy's running totals. Each array keeps its first axis for the things it describes, so a
later batch axis (many replications at once) can be put in front. The model's settings (`engine`, `economy`)
live here too because events may change them during a run. The tables are in `sim.engine.tables`, the forums
and accords in `sim.engine.agreements`; `sim.engine.build` builds the state of round 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.engine.agreements import Accord, Forum
from sim.engine.tables import Actors, Channels, Theatre, Threats
from sim.scenario.engine import Engine
from sim.scenario.theatre import Economy


@dataclass
class State:
    """Everything that changes during a run (see the module docstring)."""

    engine: Engine
    economy: Economy
    actors: Actors
    channels: Channels
    threats: Threats
    theatre: Theatre
    forums: dict[str, Forum]
    accord: Accord | None  # the ceasefire accord: the truce or the latest agreement on a ceasefire issue
    trust: np.ndarray  # (side,) trust that the other sides keep a signed deal
    # (side, 2) each side's battle evidence (sum of I x realised battle share, sum of I): its belief about its
    # chance of winning (`sim.kernels.learning.win_estimate`)
    belief: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    hurt: float = 0.0  # rounds of full-intensity fighting so far (Zartman's hurting stalemate builds on it)
    # per round (0: the start): national control (round, side) and fighting intensity, for ripeness
    control_path: list[np.ndarray] = field(default_factory=list)
    fight_path: list[float] = field(default_factory=list)
    blockading: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # (side,)
    # actor -> the text it last refused, as read: (issues, terms, on the table); see `signing.read`
    refused: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)
    forecast: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (issue,) the latest text, NaN: none
    convened: set[str] = field(default_factory=set)  # forums that sit this round
    accords: dict[str, Accord] = field(default_factory=dict)  # forum -> the agreement last signed there
    # the economy's flows this round and totals so far
    oil_output: float = 0.0
    oil_loss_bbl: float = 0.0
    revenue_loss_usd: float = 0.0
    revenue: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (side,) USD per day
    revenue_loss_share: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (side,)
    fight: float = 0.0  # this round's fighting intensity
    battle: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # (R, S) this round's battle results
    # the run's tallies (summary.json)
    agreement_signed: bool = False
    first_agreement_round: int | None = None
    first_violation_round: int | None = None
    first_blockade_round: int | None = None
    violations: int = 0
    partial_signing: bool = False
    outcome: str | None = None
    winner: str | None = None
    defeated: list[str] = field(default_factory=list)

    def in_force(self) -> list[Accord]:
        """Every accord in force: the ceasefire accord first, then the others by forum, in the order
        of their forums' first signing."""
        out = [self.accord] if self.accord is not None and self.accord.in_force else []
        return out + [a for a in self.accords.values() if a is not self.accord and a.in_force]

    @property
    def accord_status(self) -> str:
        if self.accord is None:
            return "proposed" if any(f.terms is not None for f in self.forums.values()) else "none"
        return self.accord.status


def kind_values(st: State, attribute: str) -> np.ndarray:
    """(C,) one number of `engine.support_kinds` for each channel's kind: `cost` or `resolve`."""
    table = st.engine.support_kinds
    return np.array([getattr(getattr(table, k), attribute) for k in st.channels.kind], dtype=float)
