"""Phase 6, threats (docs/MODEL.md section 5): a threat whose trigger is reached (its target's rung, or a red
line on territory: a side's control share of a region above a value) is carried out with probability = its
credibility (the threatener adds its magnitude to its support of the side it helps, opening a channel if it
had none: a third party enters the war), or is called and loses its credibility."""

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
        if state != "open" or not triggered(st, t):
            continue
        p = th.src[t]
        reasons = {"credibility": round(float(th.cred[t]), 4), "draw": round(float(uniforms[t]), 4)}
        if th.region[t] >= 0:
            reasons["control"] = round(float(st.theatre.control[th.region[t], th.watch[t]]), 4)
        if uniforms[t] < th.cred[t]:
            th.state[t] = "carried_out"
            th.open[t] = False
            k = channel(s, st, d, t)
            # The magnitude is in force units; the channel's level counts units of its own kind.
            ch.level[k] += th.mag[t] / ch.eff[k]
            ch.max[k] = max(ch.max[k], ch.level[k])
            if ch.base[k] <= 0:  # a channel the threat opened: its commitment is counted from here
                ch.base[k] = ch.max[k]
            log.add(
                r, Kind.THREAT_CARRIED_OUT, [p, th.target[t]], magnitude=float(th.mag[t]), reasons=reasons
            )
        else:
            th.state[t] = "called"
            th.open[t] = False
            th.cred[t] = 0.0
            log.add(r, Kind.THREAT_CALLED, [p, th.target[t]], reasons=reasons)


def triggered(st: State, t: int) -> bool:
    """Has threat t's trigger been reached: its target at or above the trigger rung, or, for a red line on
    territory, the watched side's control share of the region above the line?"""
    th = st.threats
    if th.region[t] >= 0:
        return bool(st.theatre.control[th.region[t], th.watch[t]] > th.above[t])
    return bool(st.actors.rung[th.target[t]] >= th.trigger[t])


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
