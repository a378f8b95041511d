"""Phase 11, stop (docs/MODEL.md section 9): a run ends when a side is defeated, when a signed agreement has
held long enough, or at the last round, with an outcome label."""

from __future__ import annotations

from sim.engine.derived import own_forces
from sim.engine.state import State
from sim.engine.structure import Structure


def check(s: Structure, st: State, r: int) -> str | None:
    """The outcome if the run ends after round r, else None; sets the winner and the defeated sides.

    Defeat: own forces below defeat_share x the starting forces. Durable agreement: a signed agreement in
    force has held `durability_rounds` rounds in a row."""
    rule = st.engine.stop
    own = own_forces(s, st)
    defeated = [i for i in range(len(s.sides)) if own[i] < rule.defeat_share * s.initial_forces[i]]
    acc = st.accord
    if defeated:
        alive = [i for i in range(len(s.sides)) if i not in defeated]
        st.winner = s.actor_ids[s.sides[alive[0]]] if len(alive) == 1 else None
        st.defeated = [s.actor_ids[s.sides[i]] for i in defeated]
        if st.winner:
            return "military_victory"
        return "mutual_exhaustion" if not alive else "side_defeated"
    if (
        acc is not None
        and acc.kind == "agreement"
        and acc.in_force
        and acc.held_rounds >= rule.durability_rounds
    ):
        return "durable_agreement"
    if r >= s.max_rounds:
        return label(st)
    return None


def label(st: State) -> str:
    """The outcome of a run that reaches its last round."""
    acc = st.accord
    if st.agreement_signed and acc is not None and acc.kind == "agreement":
        return "agreement_holding" if acc.in_force else "agreement_collapsed"
    return "partial_signing" if st.partial_signing else "no_agreement"
