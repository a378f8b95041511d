"""The tables of a run's live state, arrays inside, first axis the things they describe: the actors (A,), the
support channels (C,), the threats (T,) and the theatre's regions (R,; control R x S)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GOALS = ("oil_access", "ceasefire_adherence", "territory", "influence", "cost_aversion")


@dataclass
class Actors:
    """Per actor (A,): forces in theatre, EUM capability and risk, rung, positions and saliences (A, Q), the
    goal weights (A,) by goal, affinity toward each other actor (A, A), a patron's domestic constraint and a
    belligerent's optimism about its chance of winning."""

    forces: np.ndarray
    capability: np.ndarray
    risk: np.ndarray
    rung: np.ndarray
    positions: np.ndarray
    salience: np.ndarray
    goals: dict[str, np.ndarray]
    affinity: np.ndarray
    domestic: np.ndarray
    optimism: np.ndarray
    quality: np.ndarray  # combat quality of its own forces, a multiplier of their numbers in battle
    deploy: np.ndarray  # (A, R) share of its forces it places in a named front, NaN where it names none


@dataclass
class Channels:
    """Support channels (C,): patron `src` -> recipient `dst`, helping side `side` (-1: none); level and its
    maximum (the patron's commitment), the starting commitment its steps are counted in (`base`) and the hard
    `limit` (inf: none), leverage over the recipient, effectiveness (force units per unit), covert mode and its
    `kind` (`engine.support_kinds`: cost per unit and resolve shown)."""

    src: np.ndarray
    dst: np.ndarray
    level: np.ndarray
    max: np.ndarray
    leverage: np.ndarray
    eff: np.ndarray
    covert: np.ndarray
    side: np.ndarray
    base: np.ndarray
    limit: np.ndarray
    kind: list[str]

    def open(self, src: int, dst: int, side: int) -> int:
        """Add an overt channel of troops at level 0 with effectiveness 1 (a carried-out threat's); its row."""
        self.src = np.append(self.src, src)
        self.dst = np.append(self.dst, dst)
        self.level = np.append(self.level, 0.0)
        self.max = np.append(self.max, 0.0)
        self.leverage = np.append(self.leverage, 0.0)
        self.eff = np.append(self.eff, 1.0)
        self.covert = np.append(self.covert, False)
        self.side = np.append(self.side, side)
        self.base = np.append(self.base, 0.0)
        self.limit = np.append(self.limit, np.inf)
        self.kind.append("troops")  # a threat carried out in kind: the threatener's own forces
        return len(self.level) - 1


@dataclass
class Threats:
    """Threats (T,): threatener `src` against `target`, carried out at rungs >= `trigger` (or, a red line on
    territory, once side `watch`'s control share of `region` exceeds `above`; region -1: a rung trigger) with
    force `mag` and probability `cred`, helping side `side`; `open` until carried out or called."""

    src: np.ndarray
    target: np.ndarray
    trigger: np.ndarray
    mag: np.ndarray
    cred: np.ndarray
    state: list[str]  # "open", "carried_out" or "called"
    open: np.ndarray
    side: np.ndarray
    region: np.ndarray
    watch: np.ndarray
    above: np.ndarray


@dataclass
class Theatre:
    """Regions (R,): oil, population and area shares, contested or not, the holder's defence multiplier
    (Dupuy's fortification x terrain) and the pace of fighting (`sim.kernels.contest.region_pace`); value
    (A, R): each actor's symbolic or strategic worth of each region; control (R, S): each side's share."""

    control: np.ndarray
    oil: np.ndarray
    population: np.ndarray
    contested: np.ndarray
    area: np.ndarray
    value: np.ndarray
    defence: np.ndarray
    pace: np.ndarray
