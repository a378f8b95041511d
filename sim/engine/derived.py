"""Derived quantities: caches refreshed when what they depend on changes, and queries computed on demand.

Caches (`Derived`): what changes only with positions, goals or the theatre (after an event or adaptation,
`refresh` / `refresh_positions`) and lookups over the support channels (when a channel opens,
`index_channels`); a round reads them several times. Queries (`own_forces`, `strength`, `weariness`,
`national_control`, `opponent_position`) read the live state each time they are called.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.engine.state import State
from sim.engine.structure import Structure
from sim.kernels import contest


@dataclass
class Derived:
    """ideal (actor, issue): stated positions, the scale's midpoint where an actor takes no stand;
    grievance (actor,): mean over its ceasefire issues of s_aq (hi_q - x_aq) / span_q (Richardson's g);
    region_values (actor, region): v_ar = (territory_a + influence_a) (population_r + area_r + value_ar)
    + oil_access_a oil_r, area_r the region's share of the area given (0 where none is) and value_ar the
    actor's symbolic or strategic worth of it (0 unless set);
    stakes (side, region): its belligerent's v_ar in contested regions, 0 elsewhere (what fighting can win);
    region_weight (region,): population + area + oil, normalised to sum 1 (None if no region has any);
    sided (channel,): the channel helps a side; sided_channels / sided_side: those channels and their sides;
    patron_of (channel, actor): the channel's patron; rival_pair (channel, channel): another patron's channel
    to another side, a rival whenever it is active; same_pair (channel, channel): the same patron's channels to
    the same side (itself included); rival_sided: rival_pair to channels that help a side."""

    ideal: np.ndarray
    grievance: np.ndarray
    region_values: np.ndarray
    stakes: np.ndarray
    region_weight: np.ndarray | None
    sided: np.ndarray
    sided_channels: np.ndarray
    sided_side: np.ndarray
    patron_of: np.ndarray
    rival_pair: np.ndarray
    same_pair: np.ndarray
    rival_sided: np.ndarray


def build_derived(s: Structure, st: State) -> Derived:
    empty = np.zeros(0)
    d = Derived(empty, empty, empty, empty, None, empty, empty, empty, empty, empty, empty, empty)
    index_channels(s, st, d)
    refresh(s, st, d)
    return d


def refresh(s: Structure, st: State, d: Derived) -> None:
    """After an event: region values, stakes and weights, then the positions' caches."""
    g, th = st.actors.goals, st.theatre
    land = th.population + th.area  # where people live and how much ground
    d.region_values = (g["territory"] + g["influence"])[:, None] * (land[None, :] + th.value) + np.outer(
        g["oil_access"], th.oil
    )
    d.stakes = d.region_values[s.sides] * th.contested
    w = land + th.oil
    d.region_weight = w / w.sum() if w.sum() > 0 else None
    refresh_positions(s, st, d)


def refresh_positions(s: Structure, st: State, d: Derived) -> None:
    """After positions move: the ideal points and the grievances."""
    positions, salience = st.actors.positions, st.actors.salience
    absent = np.isnan(positions)
    d.ideal = np.where(absent, s.mid, positions)
    js = s.ceasefire_issues
    has = ~absent[:, js]
    far = np.where(has, salience[:, js] * (s.ceasefire_hi - d.ideal[:, js]) / s.ceasefire_span, 0.0)
    d.grievance = far.sum(axis=1) / np.maximum(has.sum(axis=1), 1)


def index_channels(s: Structure, st: State, d: Derived) -> None:
    """Lookups over the support channels, rebuilt when a channel opens."""
    ch = st.channels
    d.sided = ch.side >= 0
    d.sided_channels = d.sided.nonzero()[0]
    d.sided_side = ch.side[d.sided_channels]
    d.patron_of = ch.src[:, None] == np.arange(len(s.actor_ids))[None, :]
    d.rival_pair = (ch.side[:, None] != ch.side[None, :]) & (ch.src[:, None] != ch.src[None, :])
    d.same_pair = (ch.side[:, None] == ch.side[None, :]) & (ch.src[:, None] == ch.src[None, :])
    d.rival_sided = d.rival_pair & d.sided[None, :]


def own_forces(s: Structure, st: State) -> np.ndarray:
    """Forces of the actors on each side (patrons keep 0 and fight through `support`)."""
    return np.bincount(s.fighter_side, weights=st.actors.forces[s.on_side], minlength=len(s.sides))


def fighter_power(s: Structure, st: State) -> np.ndarray:
    """(on_side,) each fighting actor's combat power: its forces x their quality (force units)."""
    return st.actors.forces[s.on_side] * st.actors.quality[s.on_side]


def channel_power(st: State, d: Derived, levels: np.ndarray | None = None) -> np.ndarray:
    """(sided channels,) each support channel's combat power: level x effectiveness (force units), at its
    current level or at `levels` (all channels)."""
    ok = d.sided_channels
    lv = st.channels.level if levels is None else levels
    return lv[ok] * st.channels.eff[ok]


def strength(s: Structure, st: State, d: Derived, levels: np.ndarray | None = None) -> np.ndarray:
    """F_i = sum over actors a on side i of quality_a x forces_a + sum over channels to side i of level_c x
    effectiveness_c (force units): numbers times quality, the combat power the kernel weighs."""
    n = len(s.sides)
    return np.bincount(s.fighter_side, weights=fighter_power(s, st), minlength=n) + np.bincount(
        d.sided_side, weights=channel_power(st, d, levels), minlength=n
    )


def placed(s: Structure, st: State, d: Derived) -> tuple[np.ndarray, np.ndarray]:
    """Where the forces stand: each side's strength in each region P (R, S) (`contest.deployed`, summing to
    `strength` over the fronts) and the share of each fighting actor's forces in each region w (on_side, R)
    (`contest.placement` of its `deploy`; a support channel follows its recipient's)."""
    ok, ch, ac = d.sided_channels, st.channels, st.actors
    fighters = contest.placement(ac.deploy[s.on_side], st.theatre.contested)
    channels = contest.placement(ac.deploy[ch.dst[ok]], st.theatre.contested)
    power = np.concatenate([fighter_power(s, st), channel_power(st, d)])
    sides = np.concatenate([s.fighter_side, d.sided_side])
    where = np.concatenate([fighters, channels])
    return contest.deployed(power, sides, where, len(s.sides)), fighters


def member_weights(s: Structure, st: State, d: Derived) -> np.ndarray:
    """(B,) force units fighting beside each belligerent: its own forces and those of patrons that name it as
    their `side` and fight themselves, each times its quality (as in `strength`), and the support channels to
    it (level x effectiveness)."""
    n = len(s.belligerents)
    mine = s.member_of[s.on_side] >= 0
    to = st.channels.dst[d.sided_channels]
    given = s.member_of[to] >= 0
    return np.bincount(
        s.member_of[s.on_side[mine]], weights=fighter_power(s, st)[mine], minlength=n
    ) + np.bincount(s.member_of[to[given]], weights=channel_power(st, d)[given], minlength=n)


def side_intensity(s: Structure, st: State, d: Derived) -> np.ndarray:
    """(S,) each side's fighting intensity: its lead's rung's; for a coalition, the members' intensities
    weighted by the force units fighting beside each (`member_weights`): each member's forces fight at the
    rung it chose, so a member that stands down takes its share of the side's effort out of the fight."""
    lead = s.ladder_intensity[st.actors.rung[s.side_actors]]
    if not s.coalition.any():
        return lead
    w = member_weights(s, st, d)
    own = s.ladder_intensity[st.actors.rung[s.belligerents]]
    total = np.bincount(s.member_side, weights=w, minlength=len(s.sides))
    mean = np.bincount(s.member_side, weights=w * own, minlength=len(s.sides)) / np.where(
        total > 0, total, 1.0
    )
    return np.where(s.coalition & (total > 0), mean, lead)


def weariness(st: State) -> float:
    """Cost multiplier 1 + weariness x (the belligerents' battle casualties so far, as a share of their
    forces, `state.hurt`): Richardson's fatigue term grown with the war's cost in lives, the 'mutually hurting
    stalemate' that makes a conflict ripe (Zartman 1989)."""
    return 1.0 + st.engine.escalation.weariness * st.hurt


def national_control(st: State, d: Derived) -> np.ndarray:
    """Each side's share of the country, regions weighted by population + area + oil (S,); sums to 1."""
    w = d.region_weight
    if w is None:
        w = np.full(len(st.theatre.oil), 1.0 / len(st.theatre.oil))
    return w @ st.theatre.control


def opponent_position(s: Structure, d: Derived, k: int, q: np.ndarray) -> np.ndarray:
    """Mean stated position of the other sides' belligerents (the outcome if side k loses the war)."""
    others = s.opponents[k] if k >= 0 else s.side_actors
    if not len(others):
        return (s.lo[q] + s.hi[q]) / 2
    # np.mean's arithmetic (sum, then divide by the count), without its Python-level overhead
    return d.ideal[others[:, None], q].sum(axis=0) / len(others)
