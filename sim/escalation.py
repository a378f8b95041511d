"""Fighting and its decisions: contest function, control shifts, rung utilities, quantal choice, signing.

Pure NumPy functions on small arrays (S sides, R regions, K rungs); no Mesa, no YAML. Each docstring gives the
equation as built and the source it follows; `docs/MODEL.md` explains how the model strings them together.
"""

from __future__ import annotations

import numpy as np


def contest(strength: np.ndarray, exponent: float) -> np.ndarray:
    """Win probabilities of S sides from their strengths (..., S): p_i = F_i^m / sum_j F_j^m.

    The ratio-form contest success function (Tullock 1980; Hirshleifer 1989, "Conflict and rent-seeking success
    functions"); m is the decisiveness of fighting (m = 1 proportional, large m winner-takes-all). Strengths
    are forces plus patron support (level x effectiveness) times effort. All-zero strengths give equal shares.
    Leading axes batch.
    """
    f = np.maximum(np.asarray(strength, dtype=float), 0.0)
    if exponent != 1.0:
        f = f**exponent
    total = f.sum(axis=-1, keepdims=True)
    if total.min() > 0.0:  # one reduction; NaN fails it as it fails (total > 0).all()
        return f / total
    return np.where(total > 0.0, f / np.where(total > 0.0, total, 1.0), 1.0 / f.shape[-1])


def efforts(intensity: np.ndarray, defence_effort: float) -> np.ndarray:
    """Effort u_i = max(e_i, d): a side that does not attack still defends with effort d (Cederman's GeoSim
    fights back on every front that is attacked; a 'defence' floor keeps the contest defined at rung 0)."""
    return np.maximum(np.asarray(intensity, dtype=float), defence_effort)


def expected_shift(
    forces: np.ndarray,
    intensity: np.ndarray,
    control: np.ndarray,
    defence_effort: float,
    entrenchment: float,
    exponent: float,
    rate: float,
    extra: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Expected change of each side's control share in each region this round (..., R, S), and the fighting
    intensity (...,).

    I = max_i e_i (it takes one side to fight). In region r side i fights with u_i F_i (1 + h c_ri): effort
    u = efforts(e, d), strength F, and entrenchment h times the share c_ri it already holds (the defence is the
    stronger form of war, Clausewitz, On War VI.1; the attacker's 3:1 rule of thumb, Mearsheimer 1989,
    "Assessing the conventional balance"). q_r = contest(those strengths, m);
    E[dc_ri] = rate * I * (S q_ri - 1) / (S - 1): zero-sum, zero for an even contest, `rate * I` for a side that
    wins for certain against one opponent, clipped to [-c_ri, 1 - c_ri] (nothing is left to win in a region
    a side holds whole). Masad's Agents in Conflict resolves clashes by support share the same
    way; the rate caps how much ground changes hands in a round. `forces` and `intensity` (..., S) may carry
    leading batch axes (e.g. one row per candidate rung); `control` is (R, S). `extra` (..., S) is fighting
    strength added after effort (a threatener expected to strike in kind: credibility x magnitude x intensity).
    """
    intensity = np.asarray(intensity, dtype=float)
    n = intensity.shape[-1]
    fight = intensity.max(axis=-1)
    if n < 2:
        return np.zeros((*intensity.shape[:-1], *control.shape)), fight
    effort = efforts(intensity, defence_effort) * forces
    if extra is not None:
        effort = effort + extra
    effort = effort[..., None, :]
    q = contest(effort * (1.0 + entrenchment * control), exponent)
    shift = rate * fight[..., None, None] * (n * q - 1.0) / (n - 1)
    return np.minimum(np.maximum(shift, -control), 1.0 - control), fight


def shift_control(
    control: np.ndarray,
    contested: np.ndarray,
    expected: np.ndarray,
    fight: float,
    rate: float,
    noise: float,
    shocks: np.ndarray,
) -> np.ndarray:
    """New control shares (R, S) after one round of fighting.

    In each contested region: c' = c + E[dc] + rate * I * noise * (eps - mean(eps)), eps ~ N(0, 1) per region and
    side (battle luck, zero-sum). Shares are clipped to [0, 1] and renormalised to sum to 1 (a side cannot lose
    more than it holds). Uncontested regions do not move.
    """
    eps = shocks - shocks.sum(axis=1, keepdims=True) / shocks.shape[1]  # the mean, without np.mean's overhead
    delta = expected + rate * fight * noise * eps
    new = np.where(contested[:, None], np.minimum(np.maximum(control + delta, 0.0), 1.0), control)
    return new / new.sum(axis=1, keepdims=True)


def truce_penalty(adherence: np.ndarray, monitoring: float, restraint: float, cost: float) -> np.ndarray:
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
    cost_aversion: float,
    grievance: float,
    breaks: np.ndarray,
    penalty: float,
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


def quantal_choice(utilities: np.ndarray, temperature: float, uniform: np.ndarray) -> np.ndarray:
    """Draw one option per row with logit quantal-response probabilities P_k = exp(U_k / T) / sum_j exp(U_j / T).

    McKelvey & Palfrey (1995), "Quantal response equilibria for normal form games": T -> 0 is the best
    response, large T uniform noise. Options with U = -inf have probability 0 (a row with no possible option
    is uniform). `utilities` (N, K) or (K,); `uniform` (N,) or scalar: U(0, 1) draws from the model's RNG
    (inverse-CDF sampling: the first k whose cumulative weight exceeds uniform x total), so the draw order is
    fixed and runs are reproducible. Returns the chosen indices (N,) (or one index for one row).
    """
    u = np.asarray(utilities, dtype=float)
    rows = u if u.ndim == 2 else u[None, :]
    top = rows.max(axis=1, keepdims=True)
    if not np.isfinite(top).all():
        rows = np.where(np.isfinite(top), rows, 0.0)
        top = rows.max(axis=1, keepdims=True)
    cum = np.exp((rows - top) / temperature).cumsum(axis=1)
    k = (cum <= np.asarray(uniform).reshape(-1, 1) * cum[:, -1:]).sum(axis=1)
    if k.max() >= rows.shape[1]:  # a uniform draw rounding up to 1: take the last possible option
        k = np.minimum(k, rows.shape[1] - 1 - np.argmax(np.isfinite(rows[:, ::-1]), axis=1))
    return k if u.ndim == 2 else int(k[0])


def weighted_distance(a: np.ndarray, b: np.ndarray, salience: np.ndarray, span: np.ndarray) -> np.ndarray:
    """Salience-weighted mean distance between a point `a` (Q,) and points `b` (..., Q) on the issues, in [0, 1]:
    d = sum_q s_q |a_q - b_q| / span_q / sum_q s_q (0 when the actor cares about none of them)."""
    total = float(salience.sum())
    if total <= 0.0:
        return np.zeros(np.shape(b)[:-1])
    return (np.abs(b - a) * (salience / (span * total))).sum(axis=-1)


def settlement_margin(
    d_proposal: float,
    d_opponent: float,
    p_win: float,
    war_cost: float,
    trust: float,
    betrayal: float,
    pressure: float,
) -> float:
    """How much better signing is than fighting on, in proposal-utility units (sign when > 0).

    Fearon (1995), "Rationalist explanations for war": with win probability p and cost c, war is worth
    U_war = 1 - (1 - p) d_opp - c to a party whose ideal is at distance d_opp from its opponent's (utility 1 at
    its own ideal, linear loss); a deal at distance d_prop is worth U_deal = 1 - d_prop. The bargaining range is
    the set of deals with U_deal >= U_war. Commitment problem (Fearon; Walter 2002, "Committing to Peace"): the
    deal is kept with probability `trust` (already raised by monitoring); if the other side breaks it, the party
    fights on anyway and is worse off by b * c for having stood down (b: `betrayal`). Patron pressure (the sum
    of leverage x the patrons' own gain from the deal over the war) counts only as far as the deal is kept:

    margin = trust * (U_deal - U_war + pressure) - (1 - trust) * b * c
    """
    u_war = 1.0 - (1.0 - p_win) * d_opponent - war_cost
    u_deal = 1.0 - d_proposal
    return trust * (u_deal - u_war + pressure) - (1.0 - trust) * betrayal * war_cost


def logistic(x: float, temperature: float) -> float:
    """P = 1 / (1 + exp(-x / T)): a binary quantal response (McKelvey & Palfrey 1995)."""
    z = -x / temperature
    if z > 700.0:
        return 0.0
    return 1.0 / (1.0 + np.exp(z))
