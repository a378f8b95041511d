"""The fixed structure of a scenario: who is who, which side each actor fights for, the issues' scales, the
ladder and the index helpers the phases read. Nothing here changes during a run (its arrays are read-only);
what events or the fighting can change is in `sim.engine.state`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import numpy as np

from sim.scenario import Scenario


@dataclass(frozen=True)
class Structure:
    """Ids, sides, scales and ladder of one scenario, with the index arrays built from them once."""

    actor_ids: list[str]
    actor_index: dict[str, int]
    role: list[str]
    issue_ids: list[str]
    region_ids: list[str]
    # issues (Q,): scales, midpoints; the ceasefire issues and their scales' tops and spans
    lo: np.ndarray
    hi: np.ndarray
    span: np.ndarray
    mid: np.ndarray
    ceasefire_issues: np.ndarray
    oil_issues: np.ndarray  # issues of kind `oil`: an accord on one is broken by a blockade
    ceasefire_hi: np.ndarray
    ceasefire_span: np.ndarray
    # sides: one per lead belligerent (one that names no other as its `side`), named by it; a belligerent that
    # names a lead is a member of that side (a coalition); patrons and mediators lean to the side they name
    sides: list[int]
    side_actors: np.ndarray  # `sides` as an index array: a list is converted on every use
    side_index: np.ndarray
    side_of: np.ndarray  # (actor,) the side index an actor is on, -1 for none
    on_side: np.ndarray  # actors whose forces fight for a side
    fighter_side: np.ndarray  # their sides
    belligerents: np.ndarray  # (B,) every belligerent, leads and members, in actor order: each picks its rung
    member_side: np.ndarray  # (B,) their sides
    client: np.ndarray  # (actor,) the belligerent it fights beside: itself, or the one it names; -1 for none
    member_of: np.ndarray  # (actor,) position of `client` in `belligerents`, -1 for none
    coalition: np.ndarray  # (side,) more than one belligerent on the side
    opponents: list[np.ndarray]  # per side: the other sides' belligerents
    not_self: np.ndarray  # (side, other side)
    own_rung: np.ndarray  # (side, rung, side): where a side's candidate rung goes
    initial_forces: np.ndarray  # (side,) own forces at the start (the defeat rule compares with them)
    # the ladder (K,)
    rung_names: list[str]
    ladder_intensity: np.ndarray
    ladder_cost: np.ndarray
    ladder_breaks: np.ndarray
    rung_index: np.ndarray
    # scenario paths of the declared support channels and threats -> their rows in the state's tables
    sup_slot: dict[tuple[str, int], int]
    threat_slot: dict[tuple[str, int], int]
    start: dt.date
    round_days: int
    max_rounds: int

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            for arr in value if isinstance(value, list) else (value,):
                if isinstance(arr, np.ndarray):
                    arr.flags.writeable = False

    def round_of(self, date: dt.date) -> int:
        """1-based round whose week contains `date` (dates before the start fall in round 1)."""
        return max(1, (date - self.start).days // self.round_days + 1)

    def date(self, r: int) -> dt.date:
        """The first day of round r (1-based)."""
        return self.start + dt.timedelta(days=(r - 1) * self.round_days)

    def side_name(self, actor: int) -> str | None:
        k = self.side_of[actor]
        return self.actor_ids[self.sides[k]] if k >= 0 else None

    @property
    def side_ids(self) -> list[str]:
        return [self.actor_ids[b] for b in self.sides]


def build_structure(s: Scenario, max_rounds: int) -> Structure:
    """The structure of a runnable scenario (`sim.engine.inputs.check_runnable` has passed)."""
    assert s.clock is not None and s.theatre is not None
    actor_ids = list(s.actors)
    actor_index = {a: i for i, a in enumerate(actor_ids)}
    specs = [s.actors[a] for a in actor_ids]
    issue_ids = list(s.issues)
    lo = np.array([s.issues[i].scale[0] for i in issue_ids])
    hi = np.array([s.issues[i].scale[1] for i in issue_ids])
    span = hi - lo
    ceasefire = np.array([j for j, i in enumerate(issue_ids) if s.issues[i].kind == "ceasefire"], dtype=int)
    role: list[str] = [a.role for a in specs]
    belligerents = [i for i, r in enumerate(role) if r == "belligerent"]
    client = np.full(len(actor_ids), -1)
    for i, a in enumerate(specs):
        client[i] = i if role[i] == "belligerent" else actor_index[a.side] if a.side is not None else -1
    # A member's `side` names its side's lead (sim.scenario.checks: leads name no side, or themselves).
    lead = [b if (side := specs[b].side) is None else actor_index[side] for b in belligerents]
    sides = [b for b, head in zip(belligerents, lead, strict=True) if head == b]
    side_of = np.full(len(actor_ids), -1)
    for i in range(len(actor_ids)):
        if client[i] >= 0:
            head = lead[belligerents.index(int(client[i]))]
            side_of[i] = sides.index(head)
    member_of = np.array([belligerents.index(int(c)) if c >= 0 else -1 for c in client], dtype=int)
    on_side = (side_of >= 0).nonzero()[0]
    fighter_side = side_of[on_side]
    forces = np.array([a.forces for a in specs], dtype=float)
    not_self = ~np.eye(len(sides), dtype=bool)
    sup = [(a, j) for a, spec in zip(actor_ids, specs, strict=True) for j in range(len(spec.support))]
    thr = [(a, j) for a, spec in zip(actor_ids, specs, strict=True) for j in range(len(spec.threats))]
    return Structure(
        actor_ids=actor_ids,
        actor_index=actor_index,
        role=role,
        issue_ids=issue_ids,
        region_ids=list(s.theatre.regions),
        lo=lo,
        hi=hi,
        span=span,
        mid=(lo + hi) / 2,
        ceasefire_issues=ceasefire,
        oil_issues=np.array([j for j, i in enumerate(issue_ids) if s.issues[i].kind == "oil"], dtype=int),
        ceasefire_hi=hi[ceasefire],
        ceasefire_span=span[ceasefire],
        sides=sides,
        side_actors=np.array(sides),
        side_index=np.arange(len(sides)),
        side_of=side_of,
        on_side=on_side,
        fighter_side=fighter_side,
        belligerents=np.array(belligerents, dtype=int),
        member_side=side_of[belligerents] if belligerents else np.zeros(0, dtype=int),
        client=client,
        member_of=member_of,
        coalition=np.bincount(side_of[belligerents], minlength=len(sides)) > 1
        if belligerents
        else np.zeros(0, dtype=bool),
        opponents=[
            np.array([b for j, b in enumerate(sides) if j != k], dtype=int) for k in range(len(sides))
        ],
        not_self=not_self,
        own_rung=~not_self[:, None, :],
        initial_forces=np.bincount(fighter_side, weights=forces[on_side], minlength=len(sides)),
        rung_names=[r.name for r in s.ladder],
        ladder_intensity=np.array([r.intensity for r in s.ladder]),
        ladder_cost=np.array([r.cost for r in s.ladder]),
        ladder_breaks=np.array([r.breaks_truce for r in s.ladder], dtype=bool),
        rung_index=np.arange(len(s.ladder)),
        sup_slot={key: e for e, key in enumerate(sup)},
        threat_slot={key: t for t, key in enumerate(thr)},
        start=s.clock.start,
        round_days=s.clock.round_days,
        max_rounds=max_rounds,
    )
