"""Phase 7, resolution (docs/MODEL.md section 6): the fighting at the rungs chosen shifts control in the
contested regions (expected shift plus zero-sum battle luck, `sim.kernels.contest`) and wears down the
sides' forces (attrition)."""

from __future__ import annotations

import numpy as np

from sim.engine.derived import Derived, side_intensity, strength
from sim.engine.log import EventLog, Kind
from sim.engine.state import State
from sim.engine.structure import Structure
from sim.kernels import contest


def fight(s: Structure, st: State, d: Derived, rng: np.random.Generator, log: EventLog, r: int) -> np.ndarray:
    """One round of fighting; returns the change of control (R, S). Draws one N(0, 1) per region and side.

    Attrition: forces_a *= 1 - attrition I (1 - Q_i) S / (S - 1) for the actors a on side i, where
    Q = contest(effort x strength) is the national contest (a side that wins it for certain loses nothing)."""
    c, te = st.engine.combat, st.theatre
    shocks = rng.standard_normal(te.control.shape)
    intensity = side_intensity(s, st, d)
    now = strength(s, st, d)
    expected, intensity_max = contest.expected_shift(
        now,
        intensity,
        te.control,
        c.defence_effort,
        c.entrenchment,
        c.contest_exponent,
        c.control_rate,
    )
    before = te.control.copy()
    st.fight = level = float(intensity_max)
    te.control = contest.shift_control(
        te.control, te.contested, expected, level, c.control_rate, c.noise, shocks
    )
    st.hurt += level
    if level > 0:
        q = contest.contest(contest.efforts(intensity, c.defence_effort) * now, c.contest_exponent)
        n = len(s.sides)
        loss = c.attrition * level * (1.0 - q) * n / max(n - 1, 1)
        st.actors.forces[s.on_side] *= 1.0 - loss[s.fighter_side]
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
