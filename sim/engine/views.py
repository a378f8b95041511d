"""The model's read surface: named attributes over its structure and state, as outputs, plots, the browser
view and tests read them (`model.rung`, `model.sup_level`, `model.control`, ...).

Each attribute reads its field when it is read, so it always shows the live array, even after a phase has
replaced it. The attributes are read-only: a phase changes `model.state`, never a view.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.engine.derived import Derived, national_control, strength, weariness
from sim.engine.log import EventLog
from sim.engine.state import State
from sim.engine.structure import Structure


class View:
    """A read-only attribute that follows a path of attributes from the model (`View("state", "trust")`)."""

    def __init__(self, *path: str) -> None:
        self.path = path

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        for part in self.path:
            obj = getattr(obj, part)
        return obj

    def __set__(self, obj: Any, value: Any) -> None:
        raise AttributeError(f"`{self.name}` is a view; change model.{'.'.join(self.path)} instead")


class ModelViews:
    """Mixed into ConflictModel: its structure, state, derived caches and log under the names readers use."""

    structure: Structure
    state: State
    derived: Derived
    log: EventLog

    # structure
    actor_ids = View("structure", "actor_ids")
    actor_index = View("structure", "actor_index")
    role = View("structure", "role")
    issue_ids = View("structure", "issue_ids")
    region_ids = View("structure", "region_ids")
    sides = View("structure", "sides")
    side_of = View("structure", "side_of")
    side_ids = View("structure", "side_ids")
    sup_slot = View("structure", "sup_slot")
    threat_slot = View("structure", "threat_slot")
    # actors
    forces = View("state", "actors", "forces")
    capability = View("state", "actors", "capability")
    risk = View("state", "actors", "risk")
    rung = View("state", "actors", "rung")
    positions = View("state", "actors", "positions")
    salience = View("state", "actors", "salience")
    goals = View("state", "actors", "goals")
    affinity = View("state", "actors", "affinity")
    # support channels and threats
    sup_from = View("state", "channels", "src")
    sup_to = View("state", "channels", "dst")
    sup_level = View("state", "channels", "level")
    sup_max = View("state", "channels", "max")
    sup_leverage = View("state", "channels", "leverage")
    sup_eff = View("state", "channels", "eff")
    sup_covert = View("state", "channels", "covert")
    sup_kind = View("state", "channels", "kind")
    thr_from = View("state", "threats", "src")
    thr_target = View("state", "threats", "target")
    thr_state = View("state", "threats", "state")
    # theatre
    control = View("state", "theatre", "control")
    oil = View("state", "theatre", "oil")
    population = View("state", "theatre", "population")
    contested = View("state", "theatre", "contested")
    # the rest of the state
    engine = View("state", "engine")
    economy = View("state", "economy")
    forums = View("state", "forums")
    accord = View("state", "accord")
    accords = View("state", "accords")
    accord_status = View("state", "accord_status")
    trust = View("state", "trust")
    blockading = View("state", "blockading")
    forecast = View("state", "forecast")
    fight = View("state", "fight")
    oil_output = View("state", "oil_output")
    oil_loss_bbl = View("state", "oil_loss_bbl")
    revenue_loss_usd = View("state", "revenue_loss_usd")
    agreement_signed = View("state", "agreement_signed")
    partial_signing = View("state", "partial_signing")
    violations = View("state", "violations")
    first_agreement_round = View("state", "first_agreement_round")
    first_violation_round = View("state", "first_violation_round")
    first_blockade_round = View("state", "first_blockade_round")
    outcome = View("state", "outcome")
    winner = View("state", "winner")
    defeated = View("state", "defeated")

    def strength(self, levels: np.ndarray | None = None) -> np.ndarray:
        """Each side's strength F_i (force units); `levels` replaces the channels' support levels."""
        return strength(self.structure, self.state, self.derived, levels)

    def national_control(self) -> np.ndarray:
        """Each side's share of the country, regions weighted by population + oil."""
        return national_control(self.state, self.derived)

    def weariness(self) -> float:
        return weariness(self.state)

    def side_name(self, actor: int) -> str | None:
        return self.structure.side_name(actor)

    def date_of(self, r: int) -> str:
        """ISO date of round r's first day."""
        return self.log.date_of(r)
