"""Ripeness (docs/MODEL.md section 2.2): each round's fighting intensity and national control are kept, so a
party weighing a text can read from the last `ripeness_window_days` whether the war is a hurting stalemate
(`sim.kernels.ripeness`)."""

from __future__ import annotations

import numpy as np

from sim.engine.derived import Derived, national_control
from sim.engine.state import State
from sim.engine.structure import Structure
from sim.kernels import ripeness


def observe(st: State, d: Derived) -> None:
    """After the fighting of a round (and once at the start): its intensity and each side's national control."""
    st.fight_path.append(st.fight)
    st.control_path.append(national_control(st, d))


def ripeness_now(s: Structure, st: State) -> float:
    """R over the last n = max(1, round(ripeness_window_days / round_days)) whole rounds; 0 until n rounds have
    been fought (the window is in days, so the round length does not change what counts as a long stalemate)."""
    b = st.engine.bargaining
    n = max(1, round(b.ripeness_window_days / s.round_days))
    done = len(st.fight_path) - 1  # rounds fought so far (the paths start with the starting state)
    if done < n:
        return 0.0
    return ripeness.ripeness(
        np.array(st.fight_path[done - n + 1 :]), np.array(st.control_path[done - n :]), b.stalemate_share
    )
