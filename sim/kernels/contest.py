"""Fighting: the contest success function, effort, the battle over each region (the combat kernel), expected
and realised shifts of control.

Pure NumPy functions on small arrays (S sides, R regions); no Mesa, no YAML. Each docstring gives the equation
as built and the source it follows; docs/MODEL.md sections 3 and 6 explain how the model uses them.
"""

from __future__ import annotations

import numpy as np

from sim.kernels import combat
from sim.kernels.combat import CombatParams

FORCE_UNIT = 1_000.0  # men per unit of the model's forces (thousands of fighters)
MIN_FORCES = 1e-9  # a side with no forces still enters the kernel's logarithms
KERNEL = CombatParams()  # the combat kernel's defaults: Dupuy's factors, the rest fitted on CDB90


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


def placement(named: np.ndarray, contested: np.ndarray) -> np.ndarray:
    """The share of each unit's forces in each region (U, R): w_ur, summing to 1 over the contested regions.

    named (U, R) holds the shares a unit places in named regions (NaN where none is named); contested (R,).
    w_ur = n_ur for a named contested region; the rest, 1 - sum of those, is spread equally over the
    contested regions it does not name: w_ur = (1 - sum_named n_us) / (number of unnamed fronts). With no
    unnamed front left (or named shares over 1), the shares are scaled to sum to 1 (every man fights
    somewhere; named shares all 0 leave the unit out of battle); outside the
    fronts w = 0, and a share named for a region that is not a front this round goes to the other fronts.

    Forces in places (Lanchester 1916, *Aircraft in Warfare*, ch. V: under the square law a force divided
    into parts is beaten in detail, so concentration at the decisive point counts for more than numbers
    overall; Mearsheimer 1989, "Assessing the conventional balance": an attacker gets the local superiority
    of about 3:1 it needs by concentrating on a narrow sector while the whole-front ratio stays near 1:1).
    The default, equal shares over the active fronts, is Cederman's (1997, *Emergent Actors in World
    Politics*) GeoSim, where a state spreads its resources equally over its fronts. A unit is an actor (its
    `deploy`) or a support channel (its recipient's row).
    """
    named = np.asarray(named, dtype=float)
    front = np.asarray(contested, dtype=bool)[None, :]
    is_named = front & ~np.isnan(named)
    fixed = np.where(is_named, named, 0.0)
    free = front & ~is_named
    n_free = free.sum(axis=1, keepdims=True)
    rest = np.maximum(1.0 - fixed.sum(axis=1, keepdims=True), 0.0)
    w = fixed + np.where(free, rest / np.maximum(n_free, 1), 0.0)
    total = w.sum(axis=1, keepdims=True)
    rescale = ((n_free == 0) | (total > 1.0)) & (total > 0.0)  # (shares over 1 are the checks' to report)
    return np.where(rescale, w / np.where(rescale, total, 1.0), w)


def deployed(power: np.ndarray, side: np.ndarray, place: np.ndarray, n_sides: int) -> np.ndarray:
    """Each side's strength in each region (R, S): P_ri = sum over units u of side i of w_ur x power_u.

    power (U,) is each unit's combat power (force units: forces x quality, or a channel's level x
    effectiveness), side (U,) its side, place (U, R) the `placement` shares. Summed over regions it is the
    side's strength F_i on the fronts (all of it while any region is a front)."""
    onehot = np.asarray(side)[:, None] == np.arange(n_sides)[None, :]
    return np.asarray(place, float).T @ (np.asarray(power, float)[:, None] * onehot)


def region_battles(
    power: np.ndarray,
    intensity: np.ndarray,
    control: np.ndarray,
    defence: np.ndarray,
    defence_effort: float,
    extra: np.ndarray | None = None,
    params: CombatParams = KERNEL,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """This round's battle in every region: each side's chance of winning it q (..., R, S), the fraction of
    its engaged forces it loses there f (..., R, S), and the fighting intensity I = max_i e_i (...,).

    Every region's battle is `sim.kernels.combat.resolve` (the kernel `benchmarks/cdb90.py` tests on CDB90)
    of each side i against the others together. Side i engages u_i P_ri in region r: effort u = efforts(e, d)
    times its strength there P_ri (`deployed`: the part of its own forces x quality plus support x
    effectiveness placed in r, thousands of fighters; `extra` (..., R, S) is added after effort: a threatener
    expected to strike in kind, peacekeepers where they stand). A side's strength is not everywhere at once:
    with its forces spread over n fronts each battle sees 1/n of them, which leaves the force ratios of an even
    spread unchanged and scales the casualty fraction by n^eta through the kernel's size term (fewer men a
    battle; in CDB90 smaller battles cost a smaller fraction, eta = -0.15: 0.90 at two fronts). Each side defends the part of region r it
    holds: phi_ri = Phi_r ** c_ri, Phi_r the region's posture (fortification) x terrain multiplier
    (`combat.defence_multiplier`), so a side holding all of a region defends it with Dupuy's full multiplier
    and one attacking into it from outside has his attack posture (1); between them, the log-linear mix.
    The others' defence enters as their power-weighted mean multiplier. Posture from the rungs: the sides at
    the highest intensity attack, and who chose the battle is the kernel's attacker's edge: +1 when i attacks
    and the others do not, -1 when they attack and i does not, 0 when all fight at the same intensity (a
    meeting engagement). With two sides q_r1 = 1 - q_r0; with more, the kernel's chances are
    normalised to sum to 1. `power` (..., R, S) and `intensity` (..., S) may carry leading batch axes (one row
    per candidate rung); `control` is (R, S), `defence` (R,).
    """
    intensity = np.asarray(intensity, dtype=float)
    n = intensity.shape[-1]
    fight = intensity.max(axis=-1)
    if n < 2:  # nobody to fight
        nothing = np.zeros((*intensity.shape[:-1], *control.shape))
        return nothing + 1.0 / max(n, 1), nothing, fight
    engaged = efforts(intensity, defence_effort)[..., None, :] * power
    if extra is not None:
        engaged = engaged + extra
    men = FORCE_UNIT * np.maximum(engaged, MIN_FORCES)  # (..., R, S)
    attacks = (intensity >= fight[..., None]) & (fight[..., None] > 0.0)  # (..., S)
    phi = np.broadcast_to(np.asarray(defence, float)[:, None] ** control, (*men.shape[:-2], *control.shape))
    weight = params.factor_weight if params.factor_weight > 0 else 1.0  # gamma 0: the multiplier is unused
    held = men * phi**weight
    rest = men.sum(axis=-1, keepdims=True) - men
    rest_phi = ((held.sum(axis=-1, keepdims=True) - held) / rest) ** (1.0 / weight)
    others_attack = attacks.sum(axis=-1, keepdims=True) - attacks
    edge = (attacks.astype(float) - (others_attack > 0))[..., None, :]
    out = combat.resolve(
        combat.Force(men, defence=phi), combat.Force(rest, defence=rest_phi), attacks=edge, params=params
    )
    p = out.p_attacker_wins
    return p / p.sum(axis=-1, keepdims=True), out.attacker_casualty_fraction, fight


def region_pace(terrain: list[str], depth_km: np.ndarray, round_days: int) -> np.ndarray:
    """The share of each region (R,) a side sure to win takes in a round of full-intensity fighting:
    round_days x r0 x mobility_r / depth_r, Dupuy's advance of a certain winner (`combat.advance` at p = 1,
    the kernel's r0 fitted on CDB90) over the region's depth in km (the square root of its area)."""
    return round_days * combat.advance(1.0, combat.terrain_mobility(terrain)) / np.asarray(depth_km, float)


def expected_shift(q: np.ndarray, fight: np.ndarray, control: np.ndarray, pace: np.ndarray) -> np.ndarray:
    """Expected change of each side's control share in each region this round (..., R, S):
    E[dc_ri] = pace_r I (S q_ri - 1) / (S - 1), clipped to [-c_ri, 1 - c_ri]. Zero-sum, zero for an even
    battle, pace_r x I for a side sure to win against one opponent (the kernel's advance, `region_pace`);
    nothing is left to win in a region a side holds whole. Masad's Agents in Conflict resolves clashes by
    share the same way; here the share and the pace both come from the combat kernel."""
    n = q.shape[-1]
    if n < 2:
        return np.zeros_like(q)
    shift = pace[:, None] * np.asarray(fight, float)[..., None, None] * (n * q - 1.0) / (n - 1)
    return np.minimum(np.maximum(shift, -control), 1.0 - control)


def realise(
    control: np.ndarray,
    contested: np.ndarray,
    q: np.ndarray,
    fight: float,
    pace: np.ndarray,
    noise: float,
    shocks: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The battles' results (R, S) and the new control shares (R, S) after one round of fighting.

    Result (battle luck, zero-sum): b_ri = clip(q_ri + noise (S - 1) / S (eps_ri - mean_j eps_rj), 0, 1),
    eps ~ N(0, 1) per region and side. In each contested region c' = c + pace_r I (S b_ri - 1) / (S - 1),
    clipped to [0, 1] and renormalised to sum to 1 (a side cannot lose more than it holds). Uncontested
    regions do not move.
    """
    n = control.shape[1]
    eps = shocks - shocks.sum(axis=1, keepdims=True) / n  # the mean, without np.mean's overhead
    result = np.minimum(np.maximum(q + noise * (n - 1) / n * eps, 0.0), 1.0)
    delta = pace[:, None] * fight * (n * result - 1.0) / max(n - 1, 1)
    new = np.where(contested[:, None], np.minimum(np.maximum(control + delta, 0.0), 1.0), control)
    return new / new.sum(axis=1, keepdims=True), result
