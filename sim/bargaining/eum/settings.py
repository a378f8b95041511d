"""The EUM's settings (the named readings of the model) and the records of what a round or a run did."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from sim.bargaining.forecasts import RULES

KINDS = ("confrontation", "compromise", "capitulation")
VARIANTS = ("paper", "compat")
RISK_MODES = ("endogenous", "fixed")
CHOICES = ("scholz", "least_move")


@dataclass(frozen=True)
class EUMSettings:
    """Model settings, with the paper's defaults (Q = T = 1: the status quo persists when nobody challenges).

    choice: which offer an actor accepts. `scholz` (default, both variants): a confrontation if it has one (the
    one that moves it least), else a compromise (the one with the smallest |E1| x_a + |E2| x_o over |E1| + |E2|,
    Scholz's special case), else a capitulation (least move). `least_move`: the offer of any kind that moves it
    least, as the paper's text and BDM describe it.
    """

    variant: str = "paper"
    q: float = 1.0
    t: float = 1.0
    risk: str = "endogenous"
    rule: str = "mean"
    choice: str = "scholz"

    def __post_init__(self) -> None:
        for name, allowed in (
            ("variant", VARIANTS),
            ("risk", RISK_MODES),
            ("rule", RULES),
            ("choice", CHOICES),
        ):
            if getattr(self, name) not in allowed:
                raise ValueError(f"EUMSettings.{name} must be one of {allowed}, got {getattr(self, name)!r}")
        for name in ("q", "t"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"EUMSettings.{name} must lie in [0, 1], got {getattr(self, name)!r}")


class Move(NamedTuple):
    """One accepted offer: `mover` takes `new` (from `old`) on `issue`, because of `toward`'s offer.

    eu_mover = E^mover(U_mover,toward) and eu_other = E^mover(U_toward,mover), both as the mover sees them.
    """

    issue: int
    mover: int
    toward: int
    kind: str
    old: float
    new: float
    eu_mover: float
    eu_other: float


class RunMove(NamedTuple):
    """A Move with the round (1-based) in which it happened; `move` keeps Move's fields declared once."""

    round: int
    move: Move


@dataclass(frozen=True)
class RoundResult:
    x: np.ndarray  # (n, k) positions after the round
    moves: list[Move]
    risk: np.ndarray  # (n, k) risk exponents the actors used this round (NaN where absent)


@dataclass(frozen=True)
class RunResult:
    positions: np.ndarray  # (rounds_run + 1, n, k)
    forecasts: np.ndarray  # (rounds_run + 1, k) per the settings' rule
    moves: list[RunMove] = field(default_factory=list)
    rounds_run: int = 0
    converged: bool = False
