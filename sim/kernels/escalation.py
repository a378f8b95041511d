"""Escalation: the utility of each rung of the ladder and the cost of breaking a truce.

Pure NumPy; docs/MODEL.md section 3 explains how the model uses them.
"""

from __future__ import annotations

import numpy as np


def truce_penalty(
    adherence: np.ndarray | float, monitoring: np.ndarray | float, restraint: float, cost: float
) -> np.ndarray:
    """Cost of breaking a signed truce: truce_cost * k / (1 - k), infinite at k = 1.

    k = adherence * (restraint + (1 - restraint) * m): the share of an actor's ceasefire_adherence that binds
    without monitoring, plus the rest in proportion to monitoring m (the expected-sanction term of Epstein's
    civil-violence rule, defect iff grievance - risk * P(sanction) > threshold, with P(sanction) = m). The
    barrier k / (1 - k) makes full adherence under full monitoring rule violations out, not just make them rare.
    """
    k = np.minimum(np.asarray(adherence, dtype=float) * (restraint + (1.0 - restraint) * monitoring), 1.0)
    return np.where(k >= 1.0, np.inf, cost * k / np.maximum(1.0 - k, 1e-300))  # max: no 1/0 where k = 1


def rung_utilities(
    gain: np.ndarray,
    intensity: np.ndarray,
    cost: np.ndarray,
    cost_aversion: np.ndarray | float,
    grievance: np.ndarray | float,
    breaks: np.ndarray,
    penalty: np.ndarray | float,
) -> np.ndarray:
    """Expected utility of each rung k for one actor (K,):

    U_k = G_k + g * e_k - a * cost_k - [breaks_k] * penalty

    G_k: gain from ground expected at rung k (gain_weight x region value x E[dc], opponents assumed to stay on
    their rungs, threats already added to their strength); g: Richardson's grievance term (1960, Arms and
    Insecurity: dx/dt = k y - a x + g) times intensity e_k; a: cost aversion times the rung's cost (the fatigue
    term); penalty: truce_penalty for rungs that break a truce the actor signed. -inf utilities are impossible.
    """
    u = gain + grievance * intensity - cost_aversion * cost
    return np.where(breaks, u - penalty, u)
