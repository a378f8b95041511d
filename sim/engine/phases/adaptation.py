"""Phase 10, adaptation (docs/MODEL.md section 8): a side losing ground moves its stated positions toward its
opponents', and a side winning ground moves them away (it raises its demands)."""

from __future__ import annotations

import numpy as np

from sim.engine.derived import Derived, opponent_position, refresh_positions
from sim.engine.state import State
from sim.engine.structure import Structure


def drift_positions(s: Structure, st: State, d: Derived, shift: np.ndarray) -> None:
    """x_b += drift x min(1, |gain_i| / pace) x (opponents' mean position - x_b) for the belligerent b
    of each side i that lost ground this round (gain_i < 0: the region-weighted change of its control share;
    pace: the largest share of a contested region a round's fighting can move, `sim.kernels.contest.region_pace`);
    with `harden`, x_b -= the same for a side that won ground (gain_i > 0), within the issues' scales.

    Losers soften and winners raise their demands: battle outcomes move the terms each side would accept
    (Filson & Werner 2002, "A bargaining model of war and peace"; Slantchev 2003, "The power to hurt"),
    the two halves of the same update."""
    if d.region_weight is None:  # no region weighs anything: no side loses ground that counts
        return
    gained = d.region_weight @ shift
    contested = st.theatre.contested
    rate = float(st.theatre.pace[contested].max()) if contested.any() else 0.0
    drift = st.engine.adaptation.position_drift
    positions = st.actors.positions
    harden = st.engine.adaptation.harden
    # Every side moves against the positions all sides held at the start of the phase (a simultaneous update:
    # the order of the sides must not matter).
    moves = []
    for i, b in enumerate(s.sides):
        if rate <= 0 or gained[i] == 0 or (gained[i] > 0 and not harden):
            continue
        pull = drift * min(1.0, abs(gained[i]) / rate)
        q = (~np.isnan(positions[b])).nonzero()[0]
        toward = pull * (opponent_position(s, d, i, q) - positions[b, q])
        moves.append((b, q, toward if gained[i] < 0 else -toward))
    for b, q, move in moves:
        positions[b, q] = np.minimum(np.maximum(positions[b, q] + move, s.lo[q]), s.hi[q])
    if moves:
        refresh_positions(s, st, d)
