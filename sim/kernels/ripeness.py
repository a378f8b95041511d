"""Ripeness: the mutually hurting stalemate (Zartman 1989, 2000; Mooradian & Druckman 1999).

Pure NumPy; docs/MODEL.md section 2.2 explains how the model uses it.
"""

from __future__ import annotations

import numpy as np


def ripeness(intensity: np.ndarray, control: np.ndarray, stalemate_share: float) -> float:
    """How ripe the conflict is over a window of rounds, in [0, 1]: hurt x stalemate.

    Zartman (1989, *Ripe for Resolution*; 2000, "Ripeness: the hurting stalemate and beyond"): parties look for a
    way out when they find themselves in a deadlock they cannot escalate out of and the deadlock hurts. Mooradian &
    Druckman (1999, Nagorno-Karabakh 1990-95) found the ceasefire followed a period of intense, costly fighting
    without a decisive shift, not the mediation before it. Both conditions are read from the window:

    hurt      = mean of the window's fighting intensities I_r (0..1, the ladder's scale)
    moved     = max over sides i of |control_i(end) - control_i(start)|   (net change of national control)
    stalemate = max(0, 1 - moved / stalemate_share)
    R         = hurt * stalemate

    `intensity` (n,): the window's rounds; `control` (n + 1, S): national control at the window's start and after
    each of its rounds; `stalemate_share` > 0. An empty window is not ripe.
    """
    if len(intensity) == 0:
        return 0.0
    hurt = float(intensity.sum()) / len(intensity)
    moved = float(np.abs(control[-1] - control[0]).max())
    stalemate = max(0.0, 1.0 - moved / stalemate_share)
    return hurt * stalemate
