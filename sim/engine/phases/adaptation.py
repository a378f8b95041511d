"""Phase 10, adaptation (docs/MODEL.md section 8): a side losing ground moves its stated positions toward its
opponents'."""

from __future__ import annotations

import numpy as np

from sim.engine.derived import Derived, opponent_position, refresh_positions
from sim.engine.state import State
from sim.engine.structure import Structure


def drift_positions(s: Structure, st: State, d: Derived, shift: np.ndarray) -> None:
    """x_b += drift x min(1, loss_i / control_rate) x (opponents' mean position - x_b) for the belligerent b of
    each side i that lost ground this round (loss: the region-weighted fall of its control share)."""
    if d.region_weight is None:  # no region weighs anything: no side loses ground that counts
        return
    gained = d.region_weight @ shift
    rate = st.engine.combat.control_rate
    drift = st.engine.adaptation.position_drift
    positions = st.actors.positions
    for i, b in enumerate(s.sides):
        if gained[i] >= 0 or rate <= 0:
            continue
        pull = drift * min(1.0, -gained[i] / rate)
        q = (~np.isnan(positions[b])).nonzero()[0]
        target = opponent_position(s, d, i, q)
        positions[b, q] += pull * (target - positions[b, q])
        refresh_positions(s, st, d)
