"""Signing: distances to a text and the settlement margin (Fearon 1995; Walter 2002).

Pure NumPy; docs/MODEL.md section 2.2 explains how the model uses them.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


def weighted_distance(a: np.ndarray, b: np.ndarray, salience: np.ndarray, span: np.ndarray) -> np.ndarray:
    """Salience-weighted mean distance between a point `a` (Q,) and points `b` (..., Q) on the issues, in [0, 1]:
    d = sum_q s_q |a_q - b_q| / span_q / sum_q s_q (0 when the actor cares about none of them)."""
    total = float(salience.sum())
    if total <= 0.0:
        return np.zeros(np.shape(b)[:-1])
    return (np.abs(b - a) * (salience / (span * total))).sum(axis=-1)


class Settlement(NamedTuple):
    """A party's two options and the margin between them (docs/MODEL.md section 2.2)."""

    u_deal: float
    u_war: float
    margin: float


def settlement_margin(
    d_proposal: float,
    d_opponent: float,
    p_win: float,
    war_cost: float,
    trust: float,
    betrayal: float,
    pressure: float,
    ripeness: float = 0.0,
) -> Settlement:
    """How much better signing is than fighting on, in proposal-utility units (sign when margin > 0).

    Fearon (1995), "Rationalist explanations for war": with win probability p and cost c, war is worth
    U_war = 1 - (1 - p) d_opp - c to a party whose ideal is at distance d_opp from its opponent's (utility 1 at
    its own ideal, linear loss); a deal at distance d_prop is worth U_deal = 1 - d_prop. The bargaining range is
    the set of deals with U_deal >= U_war. Commitment problem (Fearon; Walter 2002, "Committing to Peace"): the
    deal is kept with probability `trust` (already raised by monitoring); if the other side breaks it, the party
    fights on anyway and is worse off by b * c for having stood down (b: `betrayal`). Patron pressure (the sum
    of leverage x the patrons' own gain from the deal over the war) counts only as far as the deal is kept.
    Ripeness (Zartman 1989, 2000): in a mutually hurting stalemate fighting on costs `ripeness` more (see
    `sim.kernels.ripeness`); it lowers U_war only, since a betrayed party's loss is from standing down first.

    U_war = 1 - (1 - p) d_opp - c - ripeness
    margin = trust * (U_deal - U_war + pressure) - (1 - trust) * b * c
    """
    u_war = 1.0 - (1.0 - p_win) * d_opponent - war_cost - ripeness
    u_deal = 1.0 - d_proposal
    return Settlement(
        u_deal, u_war, trust * (u_deal - u_war + pressure) - (1.0 - trust) * betrayal * war_cost
    )
