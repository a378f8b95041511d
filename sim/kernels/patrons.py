"""Patrons: the utility of a commitment to a client (how much a patron is prepared to give).

Pure NumPy; docs/MODEL.md section 5 explains how the model uses it.
"""

from __future__ import annotations

import numpy as np


def commitment_utilities(
    stakes: np.ndarray,
    p_client: np.ndarray,
    relative: np.ndarray,
    cost: np.ndarray,
    own: np.ndarray,
    rivals: np.ndarray,
    resolve: np.ndarray,
) -> np.ndarray:
    """Utility of each commitment option (N, K) of N channels:

    U(M) = stakes * p_client(M) - cost * (M / M_0)^2 - resolve * max(0, R - own(M)) / R      (0 if R = 0)

    stakes (N,): gain_weight x (influence_P + oil_access_P x the oil the client holds) x the client's danger,
    so a patron commits for a client under attack and for oil its client holds (Regan 2002, "Civil Wars and
    Foreign Powers": outside states intervene when the expected gain in the outcome is worth the cost);
    p_client (N, K): the client's chance of winning with the channel given in full at M; cost (N,):
    commitment_cost x cost_aversion_P x (1 + domestic_constraint_P), times the square of the commitment
    relative to its starting size M_0 (`relative`): a political cost convex in commitment, larger where
    leaders face audience costs at home (Fearon 1994, "Domestic political audiences and the escalation of
    international disputes"); own (N, K): the force units the patron commits to that side with this channel
    at M; rivals (N,): the force units the patrons of the other sides commit (R); both counted at the resolve
    each channel's kind shows (`engine.support_kinds.<kind>.resolve`: troops in combat tie a patron's hands,
    money barely does; Fearon 1997, "Signaling foreign policy interests"). The last term is the
    balance of resolve: a patron out-committed by its rivals has lost escalation dominance (Kahn 1965, On
    Escalation) and pays in proportion to the shortfall, so a rival's raise is worth matching.
    """
    rivals = np.asarray(rivals, dtype=float)[:, None]
    shortfall = np.where(rivals > 0, np.maximum(rivals - own, 0.0) / np.where(rivals > 0, rivals, 1.0), 0.0)
    return (
        np.asarray(stakes)[:, None] * p_client
        - np.asarray(cost)[:, None] * relative**2
        - np.asarray(resolve)[:, None] * shortfall
    )
