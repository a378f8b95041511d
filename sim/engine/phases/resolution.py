"""Phase 7, resolution (docs/MODEL.md section 6): the fighting at the rungs chosen is a battle in every
contested region (`sim.kernels.contest.region_battles`, the combat kernel `benchmarks/cdb90.py` tests on real
battles): its result moves control at the region's pace and its casualties wear down the sides' forces."""

from __future__ import annotations

import numpy as np

from sim.engine.derived import Derived, placed, side_intensity
from sim.engine.log import EventLog, Kind
from sim.engine.state import State
from sim.engine.structure import Structure
from sim.kernels import contest


def fight(s: Structure, st: State, d: Derived, rng: np.random.Generator, log: EventLog, r: int) -> np.ndarray:
    """One round of fighting; returns the change of control (R, S). Draws one N(0, 1) per region and side.

    Each side fights region r's battle with the part of its strength placed there (`derived.placed`).
    Casualties: forces_a *= 1 - battles_per_round x I x sum over the contested regions of w_ar f_ri for the
    actors a on side i, w_ar the share of a's forces in region r and f_ri the kernel's fraction side i loses in
    r's battle (the mean over the fronts for forces spread equally); their share of the belligerents' forces
    adds to `state.hurt` (weariness)."""
    c, te = st.engine.combat, st.theatre
    shocks = rng.standard_normal(te.control.shape)
    intensity = side_intensity(s, st, d)
    power, where = placed(s, st, d)
    q, lost, fight_now = contest.region_battles(power, intensity, te.control, te.defence, c.defence_effort)
    before = te.control.copy()
    st.fight = level = float(fight_now)
    te.control, st.battle = contest.realise(te.control, te.contested, q, level, te.pace, c.noise, shocks)
    if level > 0 and te.contested.any():
        # (on_side,) share of each fighting actor's forces lost where they stand
        loss = c.battles_per_round * level * (where * lost[:, s.fighter_side].T).sum(axis=1)
        forces = st.actors.forces[s.on_side]
        if forces.sum() > 0:
            st.hurt += float(loss @ forces / forces.sum())
        st.actors.forces[s.on_side] *= 1.0 - np.minimum(loss, 1.0)
    # Narrative: a region changes hands (another side now holds most of it) or is taken whole.
    lead = te.control.argmax(axis=1)
    whole = te.control.max(axis=1) >= 1.0
    changed = (before.argmax(axis=1) != lead) | (whole & (before.max(axis=1) < 1.0))
    for region in changed.nonzero()[0]:
        winner = int(lead[region])
        log.add(
            r,
            Kind.CONTROL_CHANGED,
            [s.sides[winner]],
            region=s.region_ids[region],
            share=round(float(te.control[region, winner]), 4),
        )
    return te.control - before
