"""The starting state of a run, built from a scenario and its fixed structure."""

from __future__ import annotations

import numpy as np

from sim.engine.agreements import Accord, Forum, Handover, Peacekeeping, bound_by, read_text
from sim.engine.state import State
from sim.engine.structure import Structure
from sim.engine.tables import GOALS, Actors, Channels, Theatre, Threats
from sim.kernels.combat import defence_multiplier
from sim.kernels.contest import region_pace
from sim.scenario import Scenario
from sim.scenario.actors import Threat as ThreatSpec
from sim.scenario.engine import Engine
from sim.scenario.forums import Schedule
from sim.scenario.theatre import Economy

DEFAULT_MAX_LEVEL = 3.0  # a channel's max_level when the scenario gives none, x its level (docs/SCENARIOS.md)


def build_state(s: Scenario, st: Structure, engine: Engine, economy: Economy) -> State:
    """The starting state of a scenario; `engine` and `economy` are the run's own copies of the settings."""
    assert s.theatre is not None
    specs = [s.actors[a] for a in st.actor_ids]
    n, q = len(specs), len(st.issue_ids)
    positions = np.full((n, q), np.nan)
    salience = np.zeros((n, q))
    affinity = np.zeros((n, n))
    for i, a in enumerate(specs):
        for iid, v in a.positions.items():
            positions[i, st.issue_ids.index(iid)] = v
        for iid, v in a.salience.items():
            salience[i, st.issue_ids.index(iid)] = v
        for other, v in a.affinity.items():
            affinity[i, st.actor_index[other]] = v
    actors = Actors(
        forces=np.array([a.forces for a in specs], dtype=float),
        capability=np.array([a.capability for a in specs], dtype=float),
        risk=np.array([a.risk for a in specs], dtype=float),
        rung=np.clip(np.array([a.rung for a in specs], dtype=int), 0, len(s.ladder) - 1),
        positions=positions,
        salience=salience,
        goals={g: np.array([getattr(a.goals, g) for a in specs]) for g in GOALS},
        affinity=affinity,
        domestic=np.array([a.domestic_constraint for a in specs], dtype=float),
        optimism=np.array([a.optimism for a in specs], dtype=float),
        quality=np.array([a.quality for a in specs], dtype=float),
        deploy=np.array(
            [[a.deploy.get(rid, np.nan) for rid in st.region_ids] for a in specs], dtype=float
        ).reshape(n, len(st.region_ids)),
    )
    sup = [(i, sp) for i, a in enumerate(specs) for sp in a.support]
    dst = np.array([st.actor_index[sp.to] for _, sp in sup], dtype=int)
    ceiling = np.array(
        [sp.max_level if sp.max_level is not None else DEFAULT_MAX_LEVEL * sp.level for _, sp in sup],
        dtype=float,
    )
    channels = Channels(
        src=np.array([i for i, _ in sup], dtype=int),
        dst=dst,
        level=np.array([sp.level for _, sp in sup], dtype=float),
        max=ceiling,
        leverage=np.array([sp.leverage for _, sp in sup], dtype=float),
        eff=np.array([sp.effectiveness for _, sp in sup], dtype=float),
        covert=np.array([sp.mode == "covert" for _, sp in sup], dtype=bool),
        side=st.side_of[dst] if len(sup) else np.zeros(0, dtype=int),
        base=ceiling.copy(),
        limit=np.array([np.inf if sp.limit is None else sp.limit for _, sp in sup], dtype=float),
        kind=[sp.kind for _, sp in sup],
    )
    thr = [(i, t) for i, a in enumerate(specs) for t in a.threats]
    threats = Threats(
        src=np.array([i for i, _ in thr], dtype=int),
        target=np.array([st.actor_index[t.target] for _, t in thr], dtype=int),
        trigger=np.array([t.trigger_rung for _, t in thr], dtype=int),
        mag=np.array([t.magnitude for _, t in thr], dtype=float),
        cred=np.array([t.credibility for _, t in thr], dtype=float),
        state=["open"] * len(thr),
        open=np.ones(len(thr), dtype=bool),
        side=np.array([_beneficiary(st, i, st.actor_index[t.target]) for i, t in thr], dtype=int),
        region=np.array(
            [-1 if t.trigger is None else st.region_ids.index(t.trigger.region) for _, t in thr], dtype=int
        ),
        watch=np.array([_watched(st, t) for _, t in thr], dtype=int),
        above=np.array([1.0 if t.trigger is None else t.trigger.above for _, t in thr], dtype=float),
    )
    assert s.clock is not None
    regions = s.theatre.regions
    area = np.array([regions[r].area for r in st.region_ids], dtype=float)
    control = np.zeros((len(st.region_ids), len(st.sides)))
    for r, rid in enumerate(st.region_ids):
        for who, share in regions[rid].control.items():
            control[r, st.side_of[st.actor_index[who]]] += share
    theatre = Theatre(
        control=control,
        oil=np.array([regions[r].oil for r in st.region_ids]),
        population=np.array([regions[r].population for r in st.region_ids]),
        contested=np.array([regions[r].contested for r in st.region_ids], dtype=bool),
        area=area / area.sum() if area.sum() > 0 else area,
        value=np.array([[regions[r].value.get(a, 0.0) for r in st.region_ids] for a in st.actor_ids]),
        defence=defence_multiplier(
            [regions[r].fortification for r in st.region_ids], [regions[r].terrain for r in st.region_ids]
        ),
        pace=region_pace(
            [regions[r].terrain for r in st.region_ids],
            np.where(area > 0, np.sqrt(area), engine.combat.depth_km),
            s.clock.round_days,
        ),
    )
    forums = {fid: _forum(s, st, fid) for fid in s.forums}
    accord = None
    if s.truce is not None and s.truce.in_force:
        accord = Accord(
            kind="truce",
            forum=None,
            signatories=(signatories := {st.actor_index[a] for a in s.truce.signatories}),
            bound=bound_by(st, signatories),
            monitoring=s.truce.monitoring,
        )
    state = State(
        engine=engine,
        economy=economy,
        actors=actors,
        channels=channels,
        threats=threats,
        theatre=theatre,
        forums=forums,
        accord=accord,
        trust=np.full(len(st.sides), engine.adaptation.initial_trust),
        belief=np.zeros((len(st.sides), 2)),
        blockading=np.zeros(len(st.sides), dtype=bool),
        forecast=np.full(q, np.nan),
        oil_output=economy.oil_baseline_bpd,
        revenue=np.zeros(len(st.sides)),
        revenue_loss_share=np.zeros(len(st.sides)),
    )
    for forum in forums.values():
        if forum.terms is not None:
            for signatory in forum.required:
                if signatory not in forum.signed:
                    state.refused[signatory] = (forum.issues, *read_text(forum.terms))
    return state


def _watched(st: Structure, t: ThreatSpec) -> int:
    """The side whose control share a red line on territory watches (its target's side for a rung trigger)."""
    who = t.target if t.trigger is None else t.trigger.side
    return int(st.side_of[st.actor_index[who]])


def _beneficiary(st: Structure, threatener: int, target: int) -> int:
    """The side a carried-out threat helps: the threatener's side, else the target's strongest opponent."""
    if st.side_of[threatener] >= 0:
        return int(st.side_of[threatener])
    target_side = st.side_of[target]
    own = st.initial_forces
    others = [k for k in range(len(st.sides)) if k != target_side]
    return max(others, key=lambda k: own[k]) if others else 0


def _forum(s: Scenario, st: Structure, fid: str) -> Forum:
    f = s.forums[fid]
    parts = np.array([st.actor_index[a] for a in f.participants], dtype=int)
    mediators = np.array([st.actor_index[a] for a in f.mediators], dtype=int)
    issues = np.array([st.issue_ids.index(i) for i in f.issues], dtype=int)
    required = f.required_signatories
    if required is None:
        required = [a for a in f.participants if s.actors[a].role == "belligerent"]
    forum = Forum(
        id=fid,
        name=f.name,
        participants=parts,
        mediators=mediators,
        issues=issues,
        required=[st.actor_index[a] for a in required],
        mediation_strength=f.mediation_strength,
        monitoring=f.monitoring,
        guarantee=f.guarantee,
        rounds=_rounds(st, f.schedule),
        grid=np.ix_(parts, issues),
        pulled=~np.isin(parts, mediators) if len(mediators) else np.zeros(len(parts), bool),
    )
    _territorial_terms(s, st, fid, forum)
    if f.open_proposal is not None:
        forum.terms = np.array(
            [f.open_proposal.terms.get(st.issue_ids[j], np.nan) for j in issues], dtype=float
        )
        forum.signed = {st.actor_index[a] for a in f.open_proposal.signed_by}
    return forum


def _territorial_terms(s: Scenario, st: Structure, fid: str, forum: Forum) -> None:
    """The forum's territorial terms and peacekeepers, as indices (a date becomes the round containing it)."""
    f = s.forums[fid]

    def due(by: object) -> int:
        return 0 if by is None else st.round_of(by)  # type: ignore[arg-type]

    def side(actor: str) -> int:
        return int(st.side_of[st.actor_index[actor]])

    if f.terms is not None:
        forum.handovers = [
            Handover(st.region_ids.index(t.region), side(t.to), -1, due(t.by)) for t in f.terms.transfer
        ] + [Handover(st.region_ids.index(w.region), -1, side(w.side), due(w.by)) for w in f.terms.withdraw]
        forum.buffer = np.array([st.region_ids.index(g) for g in f.terms.buffer], dtype=int)
    if f.peacekeepers is not None:
        pk = f.peacekeepers
        forum.peacekeepers = Peacekeeping(
            by=st.actor_index[pk.by],
            regions=np.array([st.region_ids.index(g) for g in pk.regions], dtype=int),
            forces=pk.forces,
            monitoring=pk.monitoring,
        )


def _rounds(st: Structure, schedule: Schedule) -> set[int]:
    first = st.round_of(schedule.start)
    if schedule.every_rounds is None:
        return {first}
    last = st.round_of(schedule.until) if schedule.until else st.max_rounds
    return set(range(first, last + 1, schedule.every_rounds))
