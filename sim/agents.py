"""The actors as Mesa agents.

The model keeps the actors' numbers in NumPy arrays (`sim.engine.tables`) so that each phase of a round is one
vectorised kernel call (`sim.kernels`, `sim.bargaining`) with one fixed order of random draws. An `Actor` agent is the
named, readable face of one row of those arrays: what the browser view, the data collector and a user at the
prompt see (`model.actor("LNA").rung`).
"""

from __future__ import annotations

import mesa


class Actor(mesa.Agent):
    """One stakeholder: a belligerent, a patron, a mediator or a plain stakeholder."""

    def __init__(self, model, *, index: int, aid: str, name: str, role: str, side: str | None) -> None:
        super().__init__(model)
        self.index = index
        self.id = aid
        self.name = name
        self.role = role
        self.side = side

    @property
    def forces(self) -> float:
        """Own forces in theatre (thousands of fighters)."""
        return float(self.model.state.actors.forces[self.index])

    @property
    def capability(self) -> float:
        return float(self.model.state.actors.capability[self.index])

    @property
    def rung(self) -> int:
        return int(self.model.state.actors.rung[self.index])

    @property
    def rung_name(self) -> str:
        return self.model.spec.ladder[self.rung].name if self.model.spec.ladder else ""

    @property
    def positions(self) -> dict[str, float]:
        """Stated position per issue the actor takes a stand on."""
        row = self.model.state.actors.positions[self.index]
        return {q: float(row[j]) for j, q in enumerate(self.model.issue_ids) if row[j] == row[j]}

    @property
    def salience(self) -> dict[str, float]:
        row = self.model.state.actors.salience[self.index]
        return {q: float(row[j]) for j, q in enumerate(self.model.issue_ids) if row[j] > 0}

    @property
    def support(self) -> dict[str, float]:
        """Support this actor gives, summed per recipient (force units)."""
        ch, ids = self.model.state.channels, self.model.structure.actor_ids
        out: dict[str, float] = {}
        for e in range(len(ch.src)):
            if ch.src[e] == self.index:
                to = ids[ch.dst[e]]
                out[to] = out.get(to, 0.0) + float(ch.level[e])
        return out

    @property
    def trust(self) -> float | None:
        """A belligerent's trust that the other side keeps a signed deal (None for other roles)."""
        s = self.model.structure.side_of[self.index]
        return float(self.model.state.trust[s]) if self.role == "belligerent" and s >= 0 else None

    def __repr__(self) -> str:
        return f"Actor({self.id!r}, role={self.role!r}, rung={self.rung})"
