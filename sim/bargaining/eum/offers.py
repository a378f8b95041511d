"""Which offer each actor accepts: the octants of (E1, E2) and the choice among the offers an actor has."""

from __future__ import annotations

import numpy as np

from sim.bargaining.issues import Issues

# Offer tests and choices treat differences below these as ties (EUs are O(1); keys are positions, relative to
# Delta), so a decision never hinges on rounding noise, which differs between summation orders and machines.
_EU_TIE = 1e-12
_KEY_TIE = 1e-12


def grid(k: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Index arrays (k, 1) and (n,) that, with a (k, n) array of partners, pick M[q, a, partner[q, a]]: the
    same gather as np.take_along_axis, without its per-call overhead (these tables are small)."""
    return np.arange(k)[:, None], np.arange(n)


def _first_min(keys: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """Index of the first key within `tie` of the smallest along the last axis (ties go to the lower index)."""
    return np.argmax(keys <= keys.min(axis=-1, keepdims=True) + tie, axis=-1)


def choose_offers(iss: Issues, e1, e2, variant: str, choice: str):
    """Each actor's accepted offer: (kind index (k, n) or -1, partner (k, n), new position (k, n)).

    Octants, seen by the receiving actor a facing o (x_a != x_o):
        confrontation  E2 > E1 > 0                 a loses and moves to x_o
        compromise     E1 < 0 < E2,  E2 > |E1|     a moves toward o by (x_o - x_a) |E1 / E2|
        capitulation   E1 < 0 < E2,  E2 < |E1|     a moves to x_o (`paper`; never in `compat`, whose test
                                                    `eu_ji < abs(eu_ji)` cannot be true)
    Source: Scholz et al. (2011), section 2.5; research/bargaining-models.md section 1.3.
    """
    xa = iss.x[:, :, None]
    xo = iss.x[:, None, :]
    valid = iss.present[:, :, None] & iss.present[:, None, :] & (xa != xo)
    eps = _EU_TIE
    conf = valid & (e2 - e1 > eps) & (e1 > eps)
    challenged = valid & (e2 > eps) & (e1 < -eps)
    abs1 = np.abs(e1)
    comp = challenged & (e2 - abs1 > eps)
    cap = challenged & (abs1 - e2 > eps) if variant == "paper" else np.zeros_like(valid)
    ratio = np.divide(abs1, e2, out=np.zeros_like(e1), where=comp)
    comp_new = xa + (xo - xa) * ratio
    to_partner = np.abs(xo - xa)  # how far a confrontation or a capitulation moves a: all the way to x_o
    tie = _KEY_TIE * iss.delta[:, None, None]
    if choice == "least_move":
        masks = np.stack([conf, comp, cap], axis=2)  # (k, n, kind, n)
        move = np.stack([to_partner, np.abs(comp_new - xa), to_partner], axis=2)
        keys = np.where(masks, move, np.inf).reshape(*e1.shape[:2], -1)
        best = _first_min(keys, tie)
        found = np.isfinite(np.take_along_axis(keys, best[:, :, None], axis=2)[:, :, 0])
        kind, partner = np.divmod(best, e1.shape[2])
    else:
        abs2 = np.abs(e2)
        denom = np.where(comp, abs1 + abs2, 1.0)
        comp_key = (abs1 * xa + abs2 * xo) / denom
        # (kind, k, n) in one array call: np.stack's Python-level overhead outweighs the work on these tables
        has = np.array([conf, comp, cap]).any(axis=3)
        found = has.any(axis=0)
        kind = has.argmax(axis=0)
        # Each actor's keys for the kind it takes (an actor with no offer gets all inf and partner 0).
        picked = kind[:, :, None]
        keys = np.where(
            picked == 1,
            np.where(comp, comp_key, np.inf),
            np.where(np.where(picked == 0, conf, cap), to_partner, np.inf),
        )
        partner = _first_min(keys, tie)
    issue, actor = grid(*partner.shape)
    new = np.where(kind == 1, comp_new[issue, actor, partner], iss.x[issue, partner])
    return np.where(found, kind, -1), partner, np.where(found, new, iss.x)
