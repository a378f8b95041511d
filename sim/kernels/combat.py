"""Combat kernel: who wins a battle, what it costs each side, how far the attacker gets. Pure NumPy.

Every argument is an array over battles (or a scalar that broadcasts), so one call resolves every contested
region of a round. Side a attacks, side b defends; either may carry a defence multiplier, which is what makes
the kernel symmetric when the sides are swapped together with their postures (and the attacker's edge flips
sign).

Combat power (Lanchester 1916; Dupuy 1979/1985, *Numbers, Predictions and War* (NPW), the QJM):

    P_i = q_i * (N_i + kappa * H_i) * phi_i ** gamma

`N` personnel, `H` heavy weapons (tanks + artillery tubes + close-air-support sorties), `kappa` personnel
equivalents per heavy weapon, `q` the caller's quality multiplier (training, technology, air or drone
superiority; 1 = parity), `phi` Dupuy's defence multiplier: posture factor (NPW Table 5, p. 230: attack 1.0,
delay 1.2, withdrawal 1.15, hasty 1.3, prepared 1.5, fortified 1.6) times terrain factor (NPW Table 1, p. 228;
`TERRAIN` below). `gamma` weighs Dupuy's factors: 1 takes them as published, 0 ignores them. The log power
ratio is `L = ln(P_a / P_b)`.

Winner (Helmbold 1961's generalised Lanchester law, dA/dt = -a A^(1-W) B^W, dB/dt = -b B^(1-W) A^W, has the
invariant b (A0^2W - A^2W) = a (B0^2W - B^2W), so A annihilates B first iff 2W ln(A0/B0) + ln(b/a) > 0: the
square law at W = 1, the linear law at W = 1/2). With the unobserved part of ln(b/a) logistic, the
probability that the attacker wins is the ratio-form contest

    p = 1 / (1 + exp(-(beta + s * L)))   =   P_a^s / (P_a^s + e^-beta P_b^s)

`s` the weight of the power ratio (2W over the spread of what is not observed) and `beta` the attacker's
edge: an attacker chooses where and when to fight. Biddle (2004, *Military Power*) explains why `s` is small:
how forces are employed (cover, concealment, dispersion, combined arms, depth, reserves) decides more than
numbers, and it is not in the inputs, so it is the noise here.

Casualties (Helmbold's fractional exchange relation, from the same invariant for small losses,
f_b / f_a = (b/a) (A0/B0)^2W): each side's fraction lost is

    ln(f_b / f_a) = 2W * L,    ln sqrt(f_a f_b) = ln c0 - eta * ln((N_a + N_b) / 10_000)

`c0` the geometric-mean fraction lost in a battle of 10,000 men, `eta` the size elasticity (Helmbold 1995,
CAA-RP-95-1, and Dupuy 1990, *Attrition*: daily attrition rates fall with force size; whole battles of more
men also last longer, and in CDB90 the second wins, eta < 0).

Advance (Dupuy's advance rates, *Understanding War* 1987 ch. 14, scale with the terrain's mobility factor
and are zero for an attacker who fails): the expected advance per day of battle is

    r0 * mobility * p

`r0` km/day on terrain of mobility 1 for an attacker sure to win; `mobility` is Dupuy's terrain factor for
foot and mixed forces (`TERRAIN`).

The free parameters are in `CombatParams`. Its defaults take Dupuy's factors as published (gamma = 1) and the
rest from the fit on CDB90's decided battles (`benchmarks/cdb90.py`, which refits on every training fold and
scores the held-out wars; docs/COMBAT.md has the table and where the kernel fails).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

# Dupuy, NPW (1985 ed.) Table 5, p. 230: force-strength multiplier of the side in each posture, quoted by the
# Dupuy Institute ("The Defensive Value of Urban Terrain According to the QJM", 16 Aug 2022).
POSTURE = {
    "attack": 1.0,
    "delay": 1.2,
    "withdrawal": 1.15,
    "hasty": 1.3,
    "prepared": 1.5,
    "fortified": 1.6,
}

# Dupuy, NPW Table 1, p. 228: the 14 QJM terrain types, (defence multiplier, mobility factor for foot and
# mixed forces). The Dupuy Institute quotes rugged-mixed 1.5, rolling-mixed 1.3 and urban 1.4; the other
# values are from a public transcription of the table, which gives 1.5 to rugged-heavily-wooded and 1.55 to
# rugged-mixed: read as swapped, since the Institute's quote has rugged-mixed at 1.5. The transcription's
# sandy-dunes row repeats its jungled-swamp row and is taken as printed.
TERRAIN = {
    "rugged_heavily_wooded": (1.55, 0.4),
    "rugged_mixed": (1.5, 0.5),
    "rugged_bare": (1.45, 0.6),
    "rolling_heavily_wooded": (1.35, 0.6),
    "rolling_mixed": (1.3, 0.8),
    "rolling_bare": (1.2, 1.0),
    "flat_heavily_wooded": (1.2, 0.7),
    "flat_mixed": (1.2, 0.9),
    "flat_bare": (1.05, 1.05),
    "flat_desert": (1.18, 0.95),
    "desert_sandy_dunes": (1.4, 0.3),
    "swamp_jungled": (1.4, 0.3),
    "swamp_mixed": (1.3, 0.4),
    "urban": (1.4, 0.7),
}

SIZE_REFERENCE = 10_000.0  # men: the battle size at which c0 is the geometric-mean fraction lost


@dataclass(frozen=True)
class CombatParams:
    """The kernel's free parameters. Defaults: Dupuy's factors as published (gamma = 1) and the rest fitted on
    CDB90's 614 decided battles (`benchmarks/cdb90.py` prints the fit; it refits on every training fold)."""

    attacker_edge: float = 0.70  # beta, logit: the attacker chose the battle
    sharpness: float = 0.55  # s, logit per unit of ln power ratio
    factor_weight: float = 1.0  # gamma, exponent on Dupuy's posture x terrain multiplier
    heavy_weight: float = 100.0  # kappa, personnel equivalents per heavy weapon
    helmbold_w: float = 0.285  # W, Helmbold's weighting: ln(f_b/f_a) = 2W L
    casualty_level: float = 0.065  # c0, geometric-mean fraction lost at 10,000 men in all
    size_exponent: float = -0.15  # eta: in CDB90 bigger battles cost a larger fraction (they last longer)
    advance_rate: float = 2.33  # r0, km per day of battle at mobility 1 for a certain winner


class CombatOutcome(NamedTuple):
    p_attacker_wins: np.ndarray
    attacker_casualty_fraction: np.ndarray
    defender_casualty_fraction: np.ndarray
    advance_km_per_day: np.ndarray  # expected, in the attacker's direction


def defence_multiplier(posture, terrain) -> np.ndarray:
    """Dupuy's multiplier phi = posture factor x terrain defence factor, for names in POSTURE and TERRAIN.

    A side that attacks has posture "attack" (1.0); Dupuy applies the terrain factor to the defender only, so
    pass terrain None for the attacker."""
    posture = np.atleast_1d(np.asarray(posture, dtype=object))
    post = np.array([POSTURE[p] for p in posture])
    if terrain is None:
        return post
    terrain = np.broadcast_to(np.asarray(terrain, dtype=object), post.shape)
    return post * np.array([TERRAIN[t][0] for t in terrain])


def terrain_mobility(terrain) -> np.ndarray:
    """Dupuy's mobility factor of each terrain name (TERRAIN), which scales the advance."""
    return np.array([TERRAIN[t][1] for t in np.atleast_1d(np.asarray(terrain, dtype=object))])


class Force(NamedTuple):
    """One side of a battle (arrays broadcast together): personnel N (> 0), heavy weapons H (tanks +
    artillery + sorties, >= 0), quality multiplier q (> 0) and Dupuy's posture x terrain multiplier phi
    (`defence_multiplier`; 1 for a side that attacks)."""

    strength: ArrayLike
    heavy: ArrayLike = 0.0
    quality: ArrayLike = 1.0
    defence: ArrayLike = 1.0

    def log_power(self, params: CombatParams) -> np.ndarray:
        """ln P = ln q + ln(N + kappa H) + gamma ln phi (module docstring)."""
        numbers = np.asarray(self.strength, float) + params.heavy_weight * np.asarray(self.heavy, float)
        return (
            np.log(np.asarray(self.quality, float))
            + np.log(numbers)
            + params.factor_weight * np.log(np.asarray(self.defence, float))
        )


def log_power_ratio(a: Force, b: Force, params: CombatParams = CombatParams()) -> np.ndarray:
    """L = ln(P_a / P_b), P_i = q_i (N_i + kappa H_i) phi_i^gamma (module docstring)."""
    return a.log_power(params) - b.log_power(params)


def advance(p, mobility, params: CombatParams = CombatParams()) -> np.ndarray:
    """Expected advance in km per day of battle, r0 x mobility x p, of a side that wins with probability p."""
    return params.advance_rate * np.asarray(mobility, float) * np.asarray(p, float)


def resolve(
    a: Force, b: Force, *, mobility=1.0, attacks=1.0, params: CombatParams = CombatParams()
) -> CombatOutcome:
    """Resolve battles of side a against side b (arrays broadcast together): the module docstring's equations.

    mobility: Dupuy's terrain mobility factor (`terrain_mobility`). attacks: who chose the battle, the sign and
    weight of the attacker's edge beta: 1 a attacks b (CDB90's battles), -1 b attacks a, 0 both attack (a
    meeting engagement: neither chose it), so that swapping a and b with their postures and `attacks` swaps
    the outcome."""
    ratio = log_power_ratio(a, b, params)
    p = 1.0 / (1.0 + np.exp(-(params.attacker_edge * np.asarray(attacks, float) + params.sharpness * ratio)))
    size = np.log((np.asarray(a.strength, float) + np.asarray(b.strength, float)) / SIZE_REFERENCE)
    level = np.log(params.casualty_level) - params.size_exponent * size
    half_exchange = params.helmbold_w * ratio  # half of ln(f_b / f_a) = 2W L
    cas_a = np.minimum(np.exp(level - half_exchange), 1.0)
    cas_b = np.minimum(np.exp(level + half_exchange), 1.0)
    return CombatOutcome(p, cas_a, cas_b, advance(p, mobility, params))
