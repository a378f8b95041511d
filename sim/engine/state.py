"""The live state of a run: every number a phase of the round or a scenario event can change.

Tables of like things, arrays inside (docs/MODEL.md "State"): the actors (A,), the support channels (C,), the
threats (T,), the theatre's regions (R, and control R x S), the forums, the accord in force, and the sides'
beliefs and the economy's running totals. Each array keeps its first axis for the things it describes, so a
later batch axis (many replications at once) can be put in front. The model's settings (`engine`, `economy`)
live here too because events may change them during a run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.engine.structure import Structure
from sim.kernels.combat import defence_multiplier
from sim.kernels.contest import region_pace
from sim.scenario import Scenario
from sim.scenario.engine import Engine
from sim.scenario.schema import Economy, Schedule
from sim.scenario.schema import Threat as ThreatSpec

GOALS = ("oil_access", "ceasefire_adherence", "territory", "influence", "cost_aversion")
DEFAULT_MAX_LEVEL = 3.0  # a channel's max_level when the scenario gives none, x its level (docs/SCENARIOS.md)


@dataclass
class Actors:
    """Per actor (A,): forces in theatre, EUM capability and risk, rung, positions and saliences (A, Q), the
    goal weights (A,) by goal, affinity toward each other actor (A, A), a patron's domestic constraint and a
    belligerent's optimism about its chance of winning."""

    forces: np.ndarray
    capability: np.ndarray
    risk: np.ndarray
    rung: np.ndarray
    positions: np.ndarray
    salience: np.ndarray
    goals: dict[str, np.ndarray]
    affinity: np.ndarray
    domestic: np.ndarray
    optimism: np.ndarray
    quality: np.ndarray  # combat quality of its own forces, a multiplier of their numbers in battle
    deploy: np.ndarray  # (A, R) share of its forces it places in a named front, NaN where it names none


@dataclass
class Channels:
    """Support channels (C,): patron `src` -> recipient `dst`, helping side `side` (-1: none); level and its
    maximum (the patron's commitment), the starting commitment its steps are counted in (`base`) and the hard
    `limit` (inf: none), leverage over the recipient, effectiveness (force units per unit), covert mode and its
    `kind` (`engine.support_kinds`: cost per unit and resolve shown)."""

    src: np.ndarray
    dst: np.ndarray
    level: np.ndarray
    max: np.ndarray
    leverage: np.ndarray
    eff: np.ndarray
    covert: np.ndarray
    side: np.ndarray
    base: np.ndarray
    limit: np.ndarray
    kind: list[str]

    def open(self, src: int, dst: int, side: int) -> int:
        """Add an overt channel of troops at level 0 with effectiveness 1 (a carried-out threat's); its row."""
        self.src = np.append(self.src, src)
        self.dst = np.append(self.dst, dst)
        self.level = np.append(self.level, 0.0)
        self.max = np.append(self.max, 0.0)
        self.leverage = np.append(self.leverage, 0.0)
        self.eff = np.append(self.eff, 1.0)
        self.covert = np.append(self.covert, False)
        self.side = np.append(self.side, side)
        self.base = np.append(self.base, 0.0)
        self.limit = np.append(self.limit, np.inf)
        self.kind.append("troops")  # a threat carried out in kind: the threatener's own forces
        return len(self.level) - 1


@dataclass
class Threats:
    """Threats (T,): threatener `src` against `target`, carried out at rungs >= `trigger` (or, a red line on
    territory, once side `watch`'s control share of `region` exceeds `above`; region -1: a rung trigger) with
    force `mag` and probability `cred`, helping side `side`; `open` until carried out or called."""

    src: np.ndarray
    target: np.ndarray
    trigger: np.ndarray
    mag: np.ndarray
    cred: np.ndarray
    state: list[str]  # "open", "carried_out" or "called"
    open: np.ndarray
    side: np.ndarray
    region: np.ndarray
    watch: np.ndarray
    above: np.ndarray


@dataclass
class Theatre:
    """Regions (R,): oil, population and area shares, contested or not, the holder's defence multiplier
    (Dupuy's fortification x terrain) and the pace of fighting (`sim.kernels.contest.region_pace`); value
    (A, R): each actor's symbolic or strategic worth of each region; control (R, S): each side's share."""

    control: np.ndarray
    oil: np.ndarray
    population: np.ndarray
    contested: np.ndarray
    area: np.ndarray
    value: np.ndarray
    defence: np.ndarray
    pace: np.ndarray


@dataclass
class Handover:
    """A territorial term of a forum's text (`forums.<id>.terms`): in round `due` (0: on signing) side `leaves`
    hands region `region` over; to side `to` whole (a transfer), or, with `to` -1 (a withdrawal), to the other
    sides in proportion to their shares. `gave`: the sides that held a share of it when it was handed over."""

    region: int
    to: int
    leaves: int  # -1 for a transfer: every side but `to`
    due: int
    gave: set[int] = field(default_factory=set)
    done: bool = False


@dataclass
class Peacekeeping:
    """Peacekeepers a signed text deploys (`forums.<id>.peacekeepers`): who sends them, where, how many, and
    the chance they see and report a breach there."""

    by: int
    regions: np.ndarray
    forces: float
    monitoring: float


@dataclass
class Forum:
    """A forum's live state: who bargains, on what, when, and the text on its table."""

    id: str
    name: str
    participants: np.ndarray
    mediators: np.ndarray
    issues: np.ndarray
    required: list[int]
    mediation_strength: float
    monitoring: float
    guarantee: float
    rounds: set[int]
    grid: tuple[np.ndarray, ...]  # np.ix_(participants, issues), to read the table in one step
    pulled: np.ndarray  # (participant,) bool: whom the mediators pull toward the forecast
    terms: np.ndarray | None = None  # the text on the table, over `issues`
    signed: set[int] = field(default_factory=set)
    last_table: tuple[np.ndarray, ...] | None = None  # positions, capabilities, saliences at the last redraft
    last_session: tuple[np.ndarray, dict[str, int]] | None = None  # its proposal and move counts
    handovers: list[Handover] = field(default_factory=list)  # territorial terms, carried out on signing
    buffer: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))  # regions no one may fight in
    peacekeepers: Peacekeeping | None = None


@dataclass
class Accord:
    """A truce or agreement in force (or last in force): who signed, whom it binds, what it covers, how it is
    monitored, how it fares. It binds each belligerent that signed it and the client of each patron (or mediator
    leaning to a side) that signed it, the belligerent it names as its `side` (`bound_by`); a coalition member
    that did not sign, and whose patron did not, is not bound.
    A ceasefire accord (the truce, or a text on a `ceasefire` issue) is broken by a rung that `breaks_truce`; an
    accord on an `oil` issue by a blockade (docs/MODEL.md section 6)."""

    kind: str  # "truce" (given at round 0) or "agreement" (signed in a forum during the run)
    forum: str | None
    signatories: set[int]
    bound: set[int]  # the belligerents it binds
    monitoring: float
    status: str = "holding"
    violation_rounds: int = 0
    held_rounds: int = 0
    guarantee: float = 0.0  # third-party guarantee or peacekeepers (Walter 2002; Fortna 2008), 0..1
    ceasefire: bool = True  # broken by a truce-breaking rung
    oil: bool = False  # broken by a blockade
    issues: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))  # what the text covers
    signed_round: int = 0
    violators: dict[int, str] = field(default_factory=dict)  # who broke it in `violation_round`, and how
    handovers: list[Handover] = field(default_factory=list)  # its territorial terms (`Forum.handovers`)
    buffer: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    peacekeepers: Peacekeeping | None = None
    watched: float = 0.0  # its peacekeepers' monitoring, where they stand on a front when it is signed
    violation_round: int = -1

    @property
    def in_force(self) -> bool:
        return self.status != "collapsed"


@dataclass
class State:
    """Everything that changes during a run (see the module docstring)."""

    engine: Engine
    economy: Economy
    actors: Actors
    channels: Channels
    threats: Threats
    theatre: Theatre
    forums: dict[str, Forum]
    accord: Accord | None  # the ceasefire accord: the truce or the latest agreement on a ceasefire issue
    trust: np.ndarray  # (side,) trust that the other sides keep a signed deal
    # (side, 2) each side's battle evidence (sum of I x realised battle share, sum of I): its belief about its
    # chance of winning (`sim.kernels.learning.win_estimate`)
    belief: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    hurt: float = 0.0  # rounds of full-intensity fighting so far (Zartman's hurting stalemate builds on it)
    # per round (0: the start): national control (round, side) and fighting intensity, for ripeness
    control_path: list[np.ndarray] = field(default_factory=list)
    fight_path: list[float] = field(default_factory=list)
    blockading: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # (side,)
    # actor -> the text it last refused, as read: (issues, terms, on the table); see `signing.read`
    refused: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)
    forecast: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (issue,) the latest text, NaN: none
    convened: set[str] = field(default_factory=set)  # forums that sit this round
    accords: dict[str, Accord] = field(default_factory=dict)  # forum -> the agreement last signed there
    # the economy's flows this round and totals so far
    oil_output: float = 0.0
    oil_loss_bbl: float = 0.0
    revenue_loss_usd: float = 0.0
    revenue: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (side,) USD per day
    revenue_loss_share: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (side,)
    fight: float = 0.0  # this round's fighting intensity
    battle: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # (R, S) this round's battle results
    # the run's tallies (summary.json)
    agreement_signed: bool = False
    first_agreement_round: int | None = None
    first_violation_round: int | None = None
    first_blockade_round: int | None = None
    violations: int = 0
    partial_signing: bool = False
    outcome: str | None = None
    winner: str | None = None
    defeated: list[str] = field(default_factory=list)

    def in_force(self) -> list[Accord]:
        """Every accord in force: the ceasefire accord first, then the others by forum, in the order
        of their forums' first signing."""
        out = [self.accord] if self.accord is not None and self.accord.in_force else []
        return out + [a for a in self.accords.values() if a is not self.accord and a.in_force]

    @property
    def accord_status(self) -> str:
        if self.accord is None:
            return "proposed" if any(f.terms is not None for f in self.forums.values()) else "none"
        return self.accord.status


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


def kind_values(st: State, attribute: str) -> np.ndarray:
    """(C,) one number of `engine.support_kinds` for each channel's kind: `cost` or `resolve`."""
    table = st.engine.support_kinds
    return np.array([getattr(getattr(table, k), attribute) for k in st.channels.kind], dtype=float)


def bound_by(st: Structure, signatories: set[int]) -> set[int]:
    """The belligerents an accord with these signatories binds: each belligerent signatory itself, and the
    belligerent each other signatory names as its `side`."""
    return {int(st.client[a]) for a in signatories if st.client[a] >= 0}


def read_text(terms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A text as the parties read it: (terms with 0 where it says nothing, which issues it covers); an open text
    may leave some of the forum's issues out (NaN)."""
    on_table = ~np.isnan(terms)
    return np.where(on_table, terms, 0.0), on_table


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
