"""Learning from fighting (docs/MODEL.md "Learning"): each side's estimate of its chance of winning is a Beta
belief (`sim.kernels.learning`), read where a side's own estimate is meant (signing's U_war, the rung choice)
and updated from each round's battle results after the fighting."""

from __future__ import annotations

import numpy as np

from sim.engine.derived import Derived
from sim.engine.state import State
from sim.engine.structure import Structure
from sim.kernels import contest, learning


def estimate(s: Structure, st: State, strength: np.ndarray) -> np.ndarray:
    """Each side's estimate of its chance of winning (S,): the contest of strengths, or with learning on the
    posterior mean of its belief."""
    p = contest.contest(strength, st.engine.combat.contest_exponent)
    le = st.engine.learning
    if not le.on:
        return p
    return learning.win_estimate(p, st.actors.optimism[s.side_actors], st.belief, le.prior_strength)


def observe(s: Structure, st: State, d: Derived) -> None:
    """Add this round's battles to each side's evidence: I observations of its battle share, the results of
    the contested regions' battles (`state.battle`, from the combat kernel with battle luck)."""
    if not st.engine.learning.on or st.fight <= 0 or not st.theatre.contested.any():
        return
    q = learning.battle_share(st.battle, st.theatre.contested, d.region_weight)
    st.belief[:, 0] += st.fight * q
    st.belief[:, 1] += st.fight
