"""Fighting: the contest success function, effort, expected and realised shifts of control.

Pure NumPy functions on small arrays (S sides, R regions); no Mesa, no YAML. Each docstring gives the equation
as built and the source it follows; docs/MODEL.md sections 3 and 6 explain how the model uses them.
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
