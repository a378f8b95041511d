"""Phase 6, threats (docs/MODEL.md section 5): a threat whose trigger rung is reached is carried out with
probability = its credibility (the threatener adds its magnitude to its support of the side it helps), or is
called and loses its credibility."""

from __future__ import annotations

import numpy as np

from sim.engine.derived import Derived, index_channels
from sim.engine.log import EventLog, Kind
from sim.engine.state import State
from sim.engine.structure import Structure


def carry_out(s: Structure, st: State, d: Derived, rng: np.random.Generator, log: EventLog, r: int) -> None:
    """One U(0, 1) draw per threat (open or not), in threat order."""
    th, ch = st.threats, st.channels
    uniforms = rng.random(len(th.state))
    for t, state in enumerate(th.state):
        if state != "open" or st.actors.rung[th.target[t]] < th.trigger[t]:
            continue
        p = th.src[t]
        if uniforms[t] < th.cred[t]:
            th.state[t] = "carried_out"
            th.open[t] = False
            k = channel(s, st, d, t)
            # The magnitude is in force units; the channel's level counts units of its own kind.
            ch.level[k] += th.mag[t] / ch.eff[k]
            ch.max[k] = max(ch.max[k], ch.level[k])
            log.add(r, Kind.THREAT_CARRIED_OUT, [p, th.target[t]], magnitude=float(th.mag[t]))
        else:
            th.state[t] = "called"
            th.open[t] = False
            th.cred[t] = 0.0
            log.add(r, Kind.THREAT_CALLED, [p, th.target[t]])


def channel(s: Structure, st: State, d: Derived, t: int) -> int:
    """The support channel a carried-out threat adds to: the threatener's largest to the helped side, else
    a new overt one to that side's belligerent."""
    ch = st.channels
    p, side = st.threats.src[t], st.threats.side[t]
    mine = ((ch.src == p) & (ch.side == side) & (ch.eff > 0)).nonzero()[0]
    if len(mine):
        return int(mine[ch.level[mine].argmax()])
    k = ch.open(p, s.sides[side], side)
    index_channels(s, st, d)
    return k
