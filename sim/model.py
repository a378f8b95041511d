"""The conflict model: one Mesa step is one round of events, negotiation, escalation, coercion, patronage,
fighting, economy and adaptation (DESIGN.md "The model"; docs/MODEL.md gives every equation as built).

State lives in NumPy arrays indexed by actor, side (one per belligerent), region, issue and rung; the `Actor`
agents are named views of it. All randomness comes from `self.rng` (the model's seeded numpy Generator), drawn
in a fixed order each round, so a scenario and a seed give the same run on any machine or worker.

Speed: a round is a few hundred NumPy operations on arrays of a few elements (2 sides, 5 rungs, 6 regions),
where a call's overhead outweighs its work. So lookups that change only with the scenario, an event or a new
support channel are kept between rounds (`_index_channels`, `_derive`), and the step uses array methods and
ufuncs (`.nonzero()[0]`, `.argmax()`, `np.minimum`) rather than NumPy's Python-level helpers (`np.flatnonzero`,
`np.clip`, `np.tile`, `np.mean`), with the same arithmetic, so results stay identical.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import mesa
import numpy as np

from sim import bargaining, economy, escalation, events
from sim.agents import Actor
from sim.scenario import LoadedScenario, Scenario, load_scenario
from sim.scenario.errors import Problem, ScenarioError
from sim.scenario.loader import Document, content_hash, set_path

DEFAULT_SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "libya_2020.yaml"

STATUSES = ("none", "proposed", "signed", "holding", "violated", "collapsed")
_MOVES = np.array([-1.0, 0.0, 1.0])  # a support channel's options: a step down, stay, a step up


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
    rounds: set[int]
    terms: np.ndarray | None = None  # the text on the table, over `issues`
    signed: set[int] = field(default_factory=set)
    grid: tuple[np.ndarray, np.ndarray] = ()  # np.ix_(participants, issues), to read the table in one step
    # (participant,) bool: whom the mediators pull toward the forecast (no one in a forum without mediators)
    pulled: np.ndarray | None = None
    last_table: tuple[np.ndarray, ...] | None = None  # positions, capabilities, saliences at the last session
    last_session: tuple[np.ndarray, dict[str, int]] | None = None  # its proposal and move counts


@dataclass
class Accord:
    """The truce or agreement in force (or last in force): who signed, how it is monitored, how it fares."""

    kind: str  # "truce" (given at round 0) or "agreement" (signed in a forum during the run)
    forum: str | None
    signatories: set[int]
    monitoring: float
    status: str = "holding"
    violation_rounds: int = 0
    held_rounds: int = 0

    @property
    def in_force(self) -> bool:
        return self.status != "collapsed"


def _seed(rng: Any, default: int) -> Any:
    """SolaraViz sends the seed box's text; batch_run and the CLI send ints; None means the scenario's seed."""
    if rng is None or (isinstance(rng, str) and not rng.strip()):
        return default
    if isinstance(rng, str):
        try:
            return int(rng.strip())
        except ValueError:
            raise ScenarioError(
                [Problem("rng", None, None, "rng", f"got {rng!r}", expected="a whole number")]
            ) from None
    return rng


def _resolve(scenario, overrides) -> tuple[Scenario, str, str, Document]:
    """(Scenario, content hash, source, document) from a Scenario, a LoadedScenario, a path or None.

    Overrides are applied to the scenario document the way `--set` is, so the hash covers them alike."""
    if scenario is None or isinstance(scenario, str | Path):
        loaded = load_scenario(scenario or DEFAULT_SCENARIO)
    elif isinstance(scenario, LoadedScenario):
        loaded = scenario
    elif isinstance(scenario, Scenario):
        data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
        loaded = LoadedScenario(scenario, Document(data), "<scenario>", content_hash(data))
    else:
        raise TypeError(f"scenario must be a Scenario, LoadedScenario or path, not {type(scenario).__name__}")
    if not overrides:
        return loaded.scenario, loaded.content_hash, loaded.source, loaded.document
    derived = loaded.derive(dict(overrides))  # validates; raises ScenarioError with every problem
    data = copy.deepcopy(loaded.data)
    for dotted, value in overrides.items():
        set_path(data, dotted, value, origin=dotted)
    return derived, content_hash(data), loaded.source, Document(data, loaded.document.marks)


def _check_runnable(s: Scenario, source: str) -> None:
    """What `run` needs beyond a valid scenario (a plain bargaining case is valid but has nothing to fight)."""
    missing = [
        (path, what)
        for path, what, ok in (
            ("clock", "a clock", s.clock is not None),
            ("ladder", "an escalation ladder", bool(s.ladder)),
            ("theatre", "a theatre with regions", s.theatre is not None and bool(s.theatre.regions)),
            (
                "actors",
                "at least one belligerent (an actor with role: belligerent)",
                any(a.role == "belligerent" for a in s.actors.values()),
            ),
        )
        if not ok
    ]
    if s.theatre is not None:
        missing += [
            (f"theatre.regions.{rid}.control", "control shares for at least one belligerent")
            for rid, region in s.theatre.regions.items()
            if not region.control
        ]
    if missing:
        raise ScenarioError(
            [
                Problem(
                    source,
                    None,
                    None,
                    path,
                    f"a scenario to run needs {what}",
                    suggestion="`run.py forecast` handles plain bargaining cases",
                )
                for path, what in missing
            ]
        )


class ConflictModel(mesa.Model):
    """A scenario played out round by round. See the module docstring and docs/MODEL.md."""

    def __init__(
        self,
        *,
        scenario: Scenario | LoadedScenario | str | None = None,
        overrides: dict[str, Any] | None = None,
        rng: int | str | None = None,
        collect: bool = True,
        max_rounds: int | None = None,
    ) -> None:
        s, self.scenario_hash, self.source, document = _resolve(scenario, overrides)
        self.seed = _seed(rng, s.seed)
        super().__init__(rng=self.seed)
        _check_runnable(s, self.source)
        self.spec = s
        self.engine = s.engine.model_copy(deep=True)  # events may change engine settings during a run
        self.economy = (s.economy or _no_economy()).model_copy()
        self.max_rounds = int(max_rounds or s.clock.max_rounds)
        self.round = 0
        self.date: dt.date = s.clock.start
        self.events: list[dict] = []
        self._dates: dict[int, str] = {}
        self.history: list[dict] = []
        self.collect = collect
        self._build(s)
        self.outcome: str | None = None
        self.winner: str | None = None
        self.defeated: list[str] = []
        self.agents_by_id = {}
        for i, aid in enumerate(self.actor_ids):
            spec = s.actors[aid]
            self.agents_by_id[aid] = Actor(
                self, index=i, aid=aid, name=spec.name, role=spec.role, side=self.side_name(i)
            )
        self._derive()
        self.due = events.prepare(self, s.events, self._round_of, document, self.source)
        self.columns = row_columns(self)
        self.running = True
        self._economy_phase()
        self.datacollector = mesa.DataCollector(model_reporters=self._reporters())
        self._record()

    # ------------------------------------------------------------------------------------------- building

    def _build(self, s: Scenario) -> None:
        self.actor_ids = list(s.actors)
        self.actor_index = {a: i for i, a in enumerate(self.actor_ids)}
        n = len(self.actor_ids)
        specs = [s.actors[a] for a in self.actor_ids]
        self.issue_ids = list(s.issues)
        q = len(self.issue_ids)
        self.lo = np.array([s.issues[i].scale[0] for i in self.issue_ids])
        self.hi = np.array([s.issues[i].scale[1] for i in self.issue_ids])
        self.span = self.hi - self.lo
        self.mid = (self.lo + self.hi) / 2
        self.ceasefire_issues = np.array(
            [j for j, i in enumerate(self.issue_ids) if s.issues[i].kind == "ceasefire"], dtype=int
        )
        # their scales' tops and spans, read whenever positions move (the scales never change)
        self.ceasefire_hi = self.hi[self.ceasefire_issues]
        self.ceasefire_span = self.span[self.ceasefire_issues]

        self.role = [a.role for a in specs]
        self.capability = np.array([a.capability for a in specs], dtype=float)
        self.forces = np.array([a.forces for a in specs], dtype=float)
        self.risk = np.array([a.risk for a in specs], dtype=float)
        self.rung = np.array([a.rung for a in specs], dtype=int)
        self.positions = np.full((n, q), np.nan)
        self.salience = np.zeros((n, q))
        for i, a in enumerate(specs):
            for iid, v in a.positions.items():
                self.positions[i, self.issue_ids.index(iid)] = v
            for iid, v in a.salience.items():
                self.salience[i, self.issue_ids.index(iid)] = v
        self.goals = {g: np.array([getattr(a.goals, g) for a in specs]) for g in events.GOALS}
        self.affinity = np.zeros((n, n))
        for i, a in enumerate(specs):
            for other, v in a.affinity.items():
                self.affinity[i, self.actor_index[other]] = v

        # Sides: one per belligerent; patrons and mediators lean to the side they name.
        self.sides = [i for i, r in enumerate(self.role) if r == "belligerent"]
        self.side_of = np.full(n, -1)
        for k, b in enumerate(self.sides):
            self.side_of[b] = k
        for i, a in enumerate(specs):
            if self.role[i] != "belligerent" and a.side is not None:
                self.side_of[i] = self.sides.index(self.actor_index[a.side])
        self.on_side = (self.side_of >= 0).nonzero()[0]  # actors whose forces fight for a side
        self.fighter_side = self.side_of[self.on_side]
        self.initial_forces = self._own_forces()
        self.opponents = [
            np.array([b for j, b in enumerate(self.sides) if j != k], dtype=int)
            for k in range(len(self.sides))
        ]
        self.not_self = ~np.eye(len(self.sides), dtype=bool)  # (side, other side)
        self.own_rung = ~self.not_self[:, None, :]  # (side, rung, side): where a side's candidate rung goes

        sup = [(i, j, sp) for i, a in enumerate(specs) for j, sp in enumerate(a.support)]
        self.sup_from = np.array([i for i, _, _ in sup], dtype=int)
        self.sup_to = np.array([self.actor_index[sp.to] for _, _, sp in sup], dtype=int)
        self.sup_level = np.array([sp.level for _, _, sp in sup], dtype=float)
        self.sup_max = np.array(
            [sp.max_level if sp.max_level is not None else 3.0 * sp.level for _, _, sp in sup], dtype=float
        )
        self.sup_leverage = np.array([sp.leverage for _, _, sp in sup], dtype=float)
        self.sup_eff = np.array([sp.effectiveness for _, _, sp in sup], dtype=float)  # force units per unit
        self.sup_covert = np.array([sp.mode == "covert" for _, _, sp in sup], dtype=bool)
        self.sup_slot = {(self.actor_ids[i], j): e for e, (i, j, _) in enumerate(sup)}
        self.sup_side = self.side_of[self.sup_to] if len(sup) else np.zeros(0, dtype=int)
        self._index_channels()

        thr = [(i, j, t) for i, a in enumerate(specs) for j, t in enumerate(a.threats)]
        self.threat_slot = {(self.actor_ids[i], j): k for k, (i, j, _) in enumerate(thr)}
        self.thr_from = np.array([i for i, _, _ in thr], dtype=int)
        self.thr_target = np.array([self.actor_index[t.target] for _, _, t in thr], dtype=int)
        self.thr_trigger = np.array([t.trigger_rung for _, _, t in thr], dtype=int)
        self.thr_mag = np.array([t.magnitude for _, _, t in thr], dtype=float)
        self.thr_cred = np.array([t.credibility for _, _, t in thr], dtype=float)
        self.thr_state = ["open"] * len(thr)
        self.thr_open = np.ones(len(thr), dtype=bool)
        self.thr_side = np.array([self._beneficiary(i, t) for i, _, t in thr], dtype=int)

        regions = s.theatre.regions
        self.region_ids = list(regions)
        self.oil = np.array([regions[r].oil for r in self.region_ids])
        self.population = np.array([regions[r].population for r in self.region_ids])
        self.contested = np.array([regions[r].contested for r in self.region_ids], dtype=bool)
        self.control = np.zeros((len(self.region_ids), len(self.sides)))
        for r, rid in enumerate(self.region_ids):
            for who, share in regions[rid].control.items():
                self.control[r, self.side_of[self.actor_index[who]]] += share

        self.ladder_intensity = np.array([r.intensity for r in s.ladder])
        self.ladder_cost = np.array([r.cost for r in s.ladder])
        self.ladder_breaks = np.array([r.breaks_truce for r in s.ladder], dtype=bool)
        self.rung = np.clip(self.rung, 0, len(s.ladder) - 1)
        self.rung_index = np.arange(len(s.ladder))
        self.side_index = np.arange(len(self.sides))
        self.side_actors = np.array(self.sides)  # `sides` as an index array: a list is converted on every use

        self.forums: dict[str, Forum] = {}
        for fid, f in s.forums.items():
            parts = np.array([self.actor_index[a] for a in f.participants], dtype=int)
            required = f.required_signatories
            if required is None:
                required = [a for a in f.participants if s.actors[a].role == "belligerent"]
            forum = Forum(
                id=fid,
                name=f.name,
                participants=parts,
                mediators=np.array([self.actor_index[a] for a in f.mediators], dtype=int),
                issues=np.array([self.issue_ids.index(i) for i in f.issues], dtype=int),
                required=[self.actor_index[a] for a in required],
                mediation_strength=f.mediation_strength,
                monitoring=f.monitoring,
                rounds=self._forum_rounds(f.schedule),
            )
            forum.grid = np.ix_(forum.participants, forum.issues)
            forum.pulled = (
                ~np.isin(parts, forum.mediators) if len(forum.mediators) else np.zeros(len(parts), bool)
            )
            if f.open_proposal is not None:
                forum.terms = np.array(
                    [f.open_proposal.terms.get(self.issue_ids[j], np.nan) for j in forum.issues], dtype=float
                )
                forum.signed = {self.actor_index[a] for a in f.open_proposal.signed_by}
            self.forums[fid] = forum
        self.convened: set[str] = set()

        self.accord: Accord | None = None
        if s.truce is not None and s.truce.in_force:
            self.accord = Accord(
                kind="truce",
                forum=None,
                signatories={self.actor_index[a] for a in s.truce.signatories},
                monitoring=s.truce.monitoring,
            )
        self.agreement_signed = False
        self.first_agreement_round: int | None = None
        self.first_violation_round: int | None = None
        self.first_blockade_round: int | None = None
        self.violations = 0
        self.partial_signing = False
        self.trust = np.full(len(self.sides), self.engine.adaptation.initial_trust)
        self.hurt = 0.0  # rounds of full-intensity fighting so far (Zartman's hurting stalemate builds on it)
        self.blockading = np.zeros(len(self.sides), dtype=bool)
        # actor -> the text it last refused, as read: (issues, terms, on the table); see `_read`
        self.table: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        for forum in self.forums.values():
            if forum.terms is not None:
                for a in forum.required:
                    if a not in forum.signed:
                        self.table[a] = (forum.issues, *_read(forum.terms))
        self.forecast = np.full(q, np.nan)
        self.oil_output = self.economy.oil_baseline_bpd
        self.oil_loss_bbl = 0.0
        self.revenue_loss_usd = 0.0
        self.revenue = np.zeros(len(self.sides))
        self.revenue_loss_share = np.zeros(len(self.sides))
        self.fight = 0.0

    def _beneficiary(self, threatener: int, threat) -> int:
        """The side a carried-out threat helps: the threatener's side, else the target's strongest opponent."""
        if self.side_of[threatener] >= 0:
            return int(self.side_of[threatener])
        target_side = self.side_of[self.actor_index[threat.target]]
        own = self._own_forces()
        others = [k for k in range(len(self.sides)) if k != target_side]
        return max(others, key=lambda k: own[k]) if others else 0

    def _forum_rounds(self, schedule) -> set[int]:
        first = self._round_of(schedule.start)
        if schedule.every_rounds is None:
            return {first}
        last = self._round_of(schedule.until) if schedule.until else self.max_rounds
        return set(range(first, last + 1, schedule.every_rounds))

    def _round_of(self, date: dt.date) -> int:
        """1-based round whose week contains `date` (dates before the start fall in round 1)."""
        days = (date - self.spec.clock.start).days
        return max(1, days // self.spec.clock.round_days + 1)

    def side_name(self, actor: int) -> str | None:
        k = self.side_of[actor]
        return self.actor_ids[self.sides[k]] if k >= 0 else None

    def actor(self, aid: str) -> Actor:
        return self.agents_by_id[aid]

    @property
    def side_ids(self) -> list[str]:
        return [self.actor_ids[b] for b in self.sides]

    # ------------------------------------------------------------------------------------ derived state

    def _index_channels(self) -> None:
        """Lookups over the support channels, rebuilt when a channel opens (they are read several times a round)."""
        self.sided = self.sup_side >= 0  # (channel,) bool: the channel helps a side
        self.sided_channels = self.sided.nonzero()[0]
        self.sided_side = self.sup_side[self.sided_channels]
        self.patron_of = self.sup_from[:, None] == np.arange(len(self.actor_ids))[None, :]  # (channel, actor)
        # (channel, channel): another patron's channel to another side, a rival whenever it is active
        self.rival_pair = (self.sup_side[:, None] != self.sup_side[None, :]) & (
            self.sup_from[:, None] != self.sup_from[None, :]
        )

    def _own_forces(self) -> np.ndarray:
        """Forces of the actors on each side (patrons keep 0 and fight through `support`)."""
        return np.bincount(self.fighter_side, weights=self.forces[self.on_side], minlength=len(self.sides))

    def strength(self, levels: np.ndarray | None = None) -> np.ndarray:
        """F_i = own forces + sum over channels to side i of level_c x effectiveness_c (force units)."""
        ok = self.sided_channels
        lv = self.sup_level if levels is None else levels
        weights = lv[ok] * self.sup_eff[ok]
        return self._own_forces() + np.bincount(self.sided_side, weights=weights, minlength=len(self.sides))

    def side_rungs(self) -> np.ndarray:
        return self.rung[self.side_actors]

    def _derive(self) -> None:
        """Quantities that change only when positions, goals or the theatre do (after events and adaptation).

        ideal (actor, issue): stated positions, the scale's midpoint where an actor takes no stand;
        region_values (actor, region): v_ar = (territory_a + influence_a) population_r + oil_access_a oil_r;
        stakes (side, region): its belligerent's v_ar in contested regions, 0 elsewhere (what fighting can win);
        region_weight (region,): population + oil, normalised to sum 1 (None if no region has either);
        grievance (actor,): mean over its ceasefire issues of s_aq (hi_q - x_aq) / span_q (Richardson's g).
        """
        g = self.goals
        self.region_values = np.outer(g["territory"] + g["influence"], self.population) + np.outer(
            g["oil_access"], self.oil
        )
        self.stakes = self.region_values[self.sides] * self.contested
        w = self.population + self.oil
        self.region_weight = w / w.sum() if w.sum() > 0 else None
        self._derive_positions()

    def _derive_positions(self) -> None:
        absent = np.isnan(self.positions)
        self.ideal = np.where(absent, self.mid, self.positions)
        js = self.ceasefire_issues
        has = ~absent[:, js]
        far = np.where(
            has, self.salience[:, js] * (self.ceasefire_hi - self.ideal[:, js]) / self.ceasefire_span, 0.0
        )
        self.grievance = far.sum(axis=1) / np.maximum(has.sum(axis=1), 1)

    def weariness(self) -> float:
        """Cost multiplier 1 + weariness x (rounds of full-intensity fighting so far): Richardson's fatigue term
        grown with the war, the 'mutually hurting stalemate' that makes a conflict ripe (Zartman 1989)."""
        return 1.0 + self.engine.escalation.weariness * self.hurt

    def national_control(self) -> np.ndarray:
        """Each side's share of the country, regions weighted by population + oil (S,); sums to 1."""
        w = self.region_weight
        if w is None:
            w = np.full(len(self.oil), 1.0 / len(self.oil))
        return w @ self.control

    # ----------------------------------------------------------------------------------------- the round

    def step(self) -> None:
        r = self.round + 1
        self.convened = {fid for fid, f in self.forums.items() if r in f.rounds}
        self._events_phase(r)
        # Forces and support levels stay put from here until the patrons move: one strength for these phases.
        strength = self.strength()
        self._negotiation_phase(r, strength)
        self._escalation_phase(r, strength)
        self._coercion_phase(r)
        self._patron_phase(r, strength)
        shift = self._resolution_phase(r)
        self._economy_phase()
        self._adaptation_phase(r, shift)
        self.round = r
        self.date = self.spec.clock.start + dt.timedelta(days=(r - 1) * self.spec.clock.round_days)
        self._record()
        self._stop_phase(r)

    def _log(self, r: int, kind: str, actors: list[int] | tuple = (), **data: Any) -> None:
        self.events.append(
            {
                "round": r,
                "date": self.date_of(r),
                "type": kind,
                "actors": [self.actor_ids[a] for a in actors],
                **data,
            }
        )

    def date_of(self, r: int) -> str:
        """ISO date of round r's first day (memoised per model: events of a round share it)."""
        if r not in self._dates:
            self._dates[r] = (
                self.spec.clock.start + dt.timedelta(days=(r - 1) * self.spec.clock.round_days)
            ).isoformat()
        return self._dates[r]

    # 1. events ---------------------------------------------------------------------------------------

    def _events_phase(self, r: int) -> None:
        for due in self.due:
            if due.fired and (due.event.once or due.round is not None):
                continue
            if due.round is not None:
                if due.round != r:
                    continue
            elif not events.holds(self, due.event.when):
                continue
            due.fired = True
            if due.event.probability < 1.0 and self.rng.random() >= due.event.probability:
                continue
            changes = events.apply(due.effects, self.convened.add)
            self._keep_in_range()
            self._log(
                r,
                "scheduled_event" if due.round is not None else "triggered_event",
                id=due.event.id,
                description=due.event.description,
                changes=changes,
            )

    def _keep_in_range(self) -> None:
        """After an event: values back inside their schema ranges (an `add` can overshoot); a support level
        raised above its maximum raises the maximum (the event is authoritative)."""
        np.clip(self.rung, 0, len(self.ladder_intensity) - 1, out=self.rung)
        for arr in (self.forces, self.capability, self.sup_level, self.thr_mag, self.oil, self.population):
            np.maximum(arr, 0.0, out=arr)
        for arr in (self.salience, self.thr_cred, self.sup_leverage, *self.goals.values()):
            np.clip(arr, 0.0, 1.0, out=arr)
        np.clip(self.risk, -1.0, 1.0, out=self.risk)
        np.clip(self.affinity, -1.0, 1.0, out=self.affinity)
        np.clip(self.sup_eff, 0.0, 10.0, out=self.sup_eff)
        np.clip(self.positions, self.lo, self.hi, out=self.positions)
        np.maximum(self.sup_max, self.sup_level, out=self.sup_max)
        self._derive()

    # 2. negotiation ----------------------------------------------------------------------------------

    def _negotiation_phase(self, r: int, strength: np.ndarray) -> None:
        if r == 1:
            for forum in self.forums.values():
                if forum.terms is not None and forum.id not in self.convened:
                    self._log(
                        r, "proposal", forum.required, forum=forum.id, terms=self._terms(forum), open=True
                    )
                    self._decide(r, forum, strength)
        for fid in sorted(self.convened, key=list(self.forums).index):
            self._bargain(r, self.forums[fid], strength)

    def _terms(self, forum: Forum) -> dict[str, float]:
        return {
            self.issue_ids[j]: round(float(v), 3)
            for j, v in zip(forum.issues, forum.terms, strict=True)
            if v == v  # an open text may leave an issue out (NaN)
        }

    def _bargain(self, r: int, forum: Forum, strength: np.ndarray) -> None:
        """EUM bargaining on the forum's issues, mediators pulling toward the forecast after each round.

        A forum whose table has not changed materially since its last session (same capabilities and
        saliences, no position moved by more than `redraft_threshold` of its scale) tables its last text again
        instead of redrafting it: the EUM is deterministic, and diplomats do not redraft for a nuance.
        """
        p, q = forum.participants, forum.issues
        table = (self.positions[forum.grid], self.capability[p], self.salience[forum.grid])
        last = forum.last_table
        threshold = self.engine.bargaining.redraft_threshold
        if (
            last is None
            or (table[1] != last[1]).any()  # same shapes: the forum's participants and issues
            or (table[2] != last[2]).any()
            or (np.abs(table[0] - last[0]) > threshold * self.span[q]).any()  # NaN (no stand) compares False
        ):
            forum.last_table = tuple(a.copy() for a in table)
            forum.last_session = self._eum_session(forum, table[0])
        terms, kinds = forum.last_session
        forum.terms = terms.copy()
        forum.signed = set()
        self.forecast[q] = forum.terms
        self._log(r, "forum_convened", p, forum=forum.id, name=forum.name, moves=dict(kinds))
        self._log(r, "proposal", forum.required, forum=forum.id, terms=self._terms(forum), open=False)
        if self.accord is not None and self.accord.kind == "agreement" and self.accord.in_force:
            return  # the forum talks on, but a signed agreement in force is not reopened
        self._decide(r, forum, strength)

    def _eum_session(self, forum: Forum, x: np.ndarray) -> tuple[np.ndarray, dict[str, int]]:
        b = self.engine.bargaining
        settings = bargaining.EUMSettings(variant=b.variant, q=b.q, t=b.t, risk=b.risk, rule=b.rule)
        p, q = forum.participants, forum.issues
        x = x.copy()
        c = self.capability[p]
        sal = np.where(np.isnan(x), 0.0, self.salience[forum.grid])
        lo, hi = self.lo[q], self.hi[q]
        fixed = bargaining.risk_exponent(self.risk[p]) if b.risk == "fixed" else None
        kinds = dict.fromkeys(bargaining.KINDS, 0)
        for _ in range(b.rounds):
            res = bargaining.eum_round(x, c, sal, lo, hi, settings, fixed_risk=fixed)
            x = res.x
            for mv in res.moves:
                kinds[mv.kind] += 1
            if forum.pulled.any() and forum.mediation_strength > 0:
                fc = bargaining.forecast(x, c, sal, b.rule)
                x[forum.pulled] += forum.mediation_strength * (fc[None, :] - x[forum.pulled])
        terms = bargaining.forecast(x, c, sal, b.rule)
        return np.where(np.isnan(terms), (lo + hi) / 2, terms), kinds

    def _decide(self, r: int, forum: Forum, strength: np.ndarray) -> None:
        """Each required signatory who has not signed signs or refuses (Fearon's range, patron pressure)."""
        b = self.engine.bargaining
        p_win = escalation.contest(strength, self.engine.combat.contest_exponent)
        terms, on_table = _read(forum.terms)
        refused = []
        for a in forum.required:
            if a in forum.signed:
                continue
            margin = self._sign_margin(a, forum, p_win, terms, on_table)
            if self.rng.random() < escalation.logistic(margin, b.sign_temperature):
                forum.signed.add(a)
                self._log(r, "signed", [a], forum=forum.id, margin=round(float(margin), 4))
            else:
                refused.append(a)
                self._log(r, "refused", [a], forum=forum.id, margin=round(float(margin), 4))
        for a in forum.required:
            if a in forum.signed:
                self.table.pop(a, None)
            else:
                self.table[a] = (forum.issues, terms, on_table)
        if all(a in forum.signed for a in forum.required):
            self._sign_agreement(r, forum)
        elif forum.signed and refused:
            self.partial_signing = True
            self._log(
                r,
                "partial_signing",
                sorted(forum.signed),
                forum=forum.id,
                refused=[self.actor_ids[a] for a in refused],
            )

    def _sign_margin(
        self, a: int, forum: Forum, p_win: np.ndarray, terms: np.ndarray, on_table: np.ndarray
    ) -> float:
        """Actor a's settlement margin for the forum's text (`terms`, 0 where `on_table` is False)."""
        q = forum.issues
        span = self.span[q]
        x_a = self.ideal[a, q]
        k = self.side_of[a]
        opp = self._opponent_position(k, q)
        points = np.array([terms, x_a, opp])  # (3, issue): the text, a's ideal, its opponents'
        d_prop, d_opp = escalation.weighted_distance(x_a, points[::2], self.salience[a, q] * on_table, span)
        pw = float(p_win[k]) if k >= 0 else 1.0
        cost = self.engine.bargaining.war_cost * self.goals["cost_aversion"][a] * self.weariness()
        if k >= 0:
            cost += self.goals["oil_access"][a] * self.revenue_loss_share[k]
        trust = self.trust[k] if k >= 0 else 1.0
        trust = trust + (1.0 - trust) * forum.monitoring
        pressure = 0.0
        channels = ((self.sup_level > 0) & (self.sup_side == k)).nonzero()[0] if k >= 0 else []
        patrons, levers = self.sup_from[channels], self.sup_leverage[channels]
        for patron in sorted(set(patrons.tolist())):
            # One patron presses once, with the leverage of its strongest lever, however many channels it has.
            leverage = float(levers[patrons == patron].max())
            d_deal, d_client, d_rival = escalation.weighted_distance(
                self.ideal[patron, q], points, self.salience[patron, q] * on_table, span
            )
            u_war = (
                1.0
                - pw * d_client
                - (1.0 - pw) * d_rival
                - self.engine.bargaining.war_cost * self.goals["cost_aversion"][patron]
            )
            pressure += leverage * (1.0 - d_deal - u_war)
        return escalation.settlement_margin(
            d_prop, d_opp, pw, cost, trust, self.engine.bargaining.betrayal_cost, pressure
        )

    def _opponent_position(self, k: int, q: np.ndarray) -> np.ndarray:
        """Mean stated position of the other sides' belligerents (the outcome if this side loses the war)."""
        others = self.opponents[k] if k >= 0 else self.side_actors
        if not len(others):
            return (self.lo[q] + self.hi[q]) / 2
        # np.mean's arithmetic (sum, then divide by the count), without its Python-level overhead
        return self.ideal[others[:, None], q].sum(axis=0) / len(others)

    def _sign_agreement(self, r: int, forum: Forum) -> None:
        self.accord = Accord(
            kind="agreement",
            forum=forum.id,
            signatories=set(forum.required),
            monitoring=forum.monitoring,
            status="signed",
        )
        self.agreement_signed = True
        if self.first_agreement_round is None:
            self.first_agreement_round = r
        for a in forum.required:
            self.table.pop(a, None)
        self._log(r, "agreement", sorted(forum.required), forum=forum.id, terms=self._terms(forum))

    # 3. escalation -----------------------------------------------------------------------------------

    def _bound(self, a: int) -> bool:
        """Is actor a bound by a truce or agreement in force that it signed?"""
        return self.accord is not None and self.accord.in_force and a in self.accord.signatories

    def _escalation_phase(self, r: int, strength: np.ndarray) -> None:
        """Every belligerent picks a rung at once (quantal response over rung utilities, all sides vectorised).

        Utilities are computed for each side i and candidate rung k with the other sides on their current rungs
        (simultaneous moves); at rungs at or above an open threat's trigger, the threatener's side fights with
        an extra credibility x magnitude x (that rung's intensity): the threat is expected to be answered in kind.
        """
        e, c = self.engine.escalation, self.engine.combat
        n_sides, k_rungs = len(self.sides), len(self.ladder_intensity)
        ks = self.rung_index
        sides = self.side_index
        uniforms = self.rng.random(n_sides)
        rungs = self.side_rungs()
        current = self.ladder_intensity[rungs]
        eff = np.where(self.own_rung, self.ladder_intensity[None, :, None], current)  # (side, rung, side)
        threat = np.zeros((n_sides, k_rungs, n_sides))  # the threatener strikes back in kind
        for t in self.thr_open.nonzero()[0]:
            i = self.side_of[self.thr_target[t]]
            if i >= 0:
                hit = ks >= self.thr_trigger[t]
                threat[i, hit, self.thr_side[t]] += (
                    e.deterrence_weight * self.thr_cred[t] * self.thr_mag[t] * self.ladder_intensity[hit]
                )
        shift, _ = escalation.expected_shift(
            strength,
            eff,
            self.control,
            c.defence_effort,
            c.entrenchment,
            c.contest_exponent,
            c.control_rate,
            extra=threat,
        )  # (side, rung, region, side)
        own = shift[sides, :, :, sides]  # (side, rung, region): each side's own expected change
        gain = e.gain_weight * (own * self.stakes[:, None, :]).sum(axis=2)
        bound = np.array([self._bound(b) for b in self.sides], dtype=bool)
        penalty = np.zeros(n_sides)
        if bound.any():
            m = min(1.0, e.monitoring_weight * self.accord.monitoring)
            adherence = self.goals["ceasefire_adherence"][self.side_actors]
            penalty = np.where(
                bound, escalation.truce_penalty(adherence, m, e.unmonitored_restraint, e.truce_cost), 0.0
            )
        grievance = e.grievance_weight * self.grievance[self.side_actors]
        u = escalation.rung_utilities(
            gain,
            self.ladder_intensity,
            self.ladder_cost,
            self.goals["cost_aversion"][self.side_actors][:, None] * self.weariness(),
            grievance[:, None],
            self.ladder_breaks[None, :] & bound[:, None],
            penalty[:, None],
        )
        # Climb at most max_step rungs, but a side may always answer its opponents' highest rung at once, and a
        # side bound by a truce may always stand down to a rung that keeps it.
        answer = np.where(self.not_self, rungs[None, :], 0).max(axis=1)
        allowed = (
            (np.abs(ks[None, :] - rungs[:, None]) <= e.max_step)
            | (ks[None, :] <= answer[:, None])
            | (bound[:, None] & ~self.ladder_breaks[None, :])
        )
        u = np.where(allowed, u, -np.inf)
        new = self.rung.copy()
        new[self.side_actors] = escalation.quantal_choice(u, e.temperature, uniforms)
        for b in self.sides:
            if new[b] != self.rung[b]:
                self._log(
                    r,
                    "rung_changed",
                    [b],
                    old=int(self.rung[b]),
                    new=int(new[b]),
                    rung=self.spec.ladder[new[b]].name,
                )
        self.rung = new

    # 4. coercion -------------------------------------------------------------------------------------

    def _coercion_phase(self, r: int) -> None:
        co, temp = self.engine.coercion, self.engine.escalation.temperature
        receiver = self.economy.revenue_to
        recv_side = self.side_of[self.actor_index[receiver]] if receiver is not None else None
        held = self.oil @ self.control
        uniforms = self.rng.random(len(self.sides))
        for i, b in enumerate(self.sides):
            rho = 1.0 if recv_side is None or recv_side == i else 0.0
            dissatisfaction = 0.0
            if b in self.table and not self._bound_by_agreement(b):
                q, terms, on_table = self.table[b]
                dissatisfaction = float(
                    escalation.weighted_distance(
                        self.ideal[b, q], terms, self.salience[b, q] * on_table, self.span[q]
                    )
                )
            u = economy.blockade_utility(
                float(held[i]),
                rho,
                float(self.goals["oil_access"][b]),
                dissatisfaction,
                co.leverage_weight,
                co.political_cost,
                co.inertia,
                bool(self.blockading[i]),
            )
            # Compellence needs a demand: a side that refused no text does not start a blockade.
            able = held[i] > 0 and (dissatisfaction > 0 or self.blockading[i])
            on = able and uniforms[i] < escalation.logistic(u, temp)
            if on != self.blockading[i]:
                self.blockading[i] = on
                kind = "blockade_started" if on else "blockade_lifted"
                self._log(r, kind, [b], oil_share=round(float(held[i]), 4), utility=round(float(u), 4))
                if on and self.first_blockade_round is None:
                    self.first_blockade_round = r

    def _bound_by_agreement(self, a: int) -> bool:
        return self._bound(a) and self.accord.kind == "agreement"

    # 5. patrons --------------------------------------------------------------------------------------

    def _patron_phase(self, r: int, strength: np.ndarray) -> None:
        """Every support channel moves down a step, stays or moves up a step (quantal response, all at once).

        U(L) = gain_weight * influence_p * danger * p_client(L) - cost_aversion_p * cost * L
               - clash * L / max_level + [L = current] * inertia,
        danger = the highest intensity the client's opponents fight at now (a client under attack needs help;
        one at peace does not), p_client = contest of the sides' strengths with this channel at L.
        """
        pa, e, c = self.engine.patrons, self.engine.escalation, self.engine.combat
        uniforms = self.rng.random(len(self.sup_level))
        live = (self.sided & (self.sup_max > 0)).nonzero()[0]
        if len(live) == 0 or len(self.sides) < 2:
            self._threats(r)
            return
        intensity = self.ladder_intensity[self.side_rungs()]
        danger_of = np.where(self.not_self, intensity[None, :], 0.0).max(axis=1)
        side = self.sup_side[live]
        level, top = self.sup_level[live], self.sup_max[live]
        options = np.minimum(
            np.maximum(level[:, None] + (pa.step * top)[:, None] * _MOVES, 0.0), top[:, None]
        )
        rows = np.arange(len(live))
        forces = np.empty((len(live), 3, len(self.sides)))  # (live channel, option, side)
        forces[:] = strength
        forces[rows, :, side] += (options - level[:, None]) * self.sup_eff[live][:, None]
        p_client = escalation.contest(forces, c.contest_exponent)[rows, :, side]
        patron = self.sup_from[live]
        cost_unit = pa.support_cost * np.where(self.sup_covert[live], pa.covert_cost_share, 1.0)
        clash = self._clash(live)
        u = (
            (e.gain_weight * self.goals["influence"][patron] * danger_of[side])[:, None] * p_client
            - (self.goals["cost_aversion"][patron] * cost_unit)[:, None] * options
            - (clash / top)[:, None] * options
        )
        u[:, 1] += pa.inertia
        chosen = options[rows, escalation.quantal_choice(u, e.temperature, uniforms[live])]
        for row in (np.abs(chosen - level) > 1e-12).nonzero()[0]:
            k = live[row]
            self._log(
                r,
                "support_changed",
                [patron[row], self.sup_to[k]],
                old=round(float(level[row]), 4),
                new=round(float(chosen[row]), 4),
                covert=bool(self.sup_covert[k]),
            )
            self.sup_level[k] = chosen[row]
        self._threats(r)

    def _clash(self, live: np.ndarray) -> np.ndarray:
        """Per channel: clash_aversion x its patron's positive affinity toward each other patron that now
        supports another side."""
        active = (self.sup_level > 0) & self.sided
        rival_channel = self.rival_pair[live] & active  # (live channel, any channel)
        # (live channel, actor): the actor runs at least one rival channel (a boolean product: any of them)
        rival_patron = rival_channel @ self.patron_of
        affinity = np.maximum(self.affinity[self.sup_from[live]], 0.0)
        return self.engine.patrons.clash_aversion * (rival_patron * affinity).sum(axis=1)

    def _threats(self, r: int) -> None:
        """A threat whose trigger is reached is carried out with probability = credibility; else it is called."""
        uniforms = self.rng.random(len(self.thr_state))
        for t, state in enumerate(self.thr_state):
            if state != "open" or self.rung[self.thr_target[t]] < self.thr_trigger[t]:
                continue
            p = self.thr_from[t]
            if uniforms[t] < self.thr_cred[t]:
                self.thr_state[t] = "carried_out"
                self.thr_open[t] = False
                k = self._threat_channel(t)
                # The magnitude is in force units; the channel's level counts units of its own kind.
                self.sup_level[k] += self.thr_mag[t] / self.sup_eff[k]
                self.sup_max[k] = max(self.sup_max[k], self.sup_level[k])
                self._log(r, "threat_carried_out", [p, self.thr_target[t]], magnitude=float(self.thr_mag[t]))
            else:
                self.thr_state[t] = "called"
                self.thr_open[t] = False
                self.thr_cred[t] = 0.0
                self._log(r, "threat_called", [p, self.thr_target[t]])

    def _threat_channel(self, t: int) -> int:
        """The support entry a carried-out threat adds to: the threatener's largest to the helped side."""
        p, side = self.thr_from[t], self.thr_side[t]
        mine = ((self.sup_from == p) & (self.sup_side == side) & (self.sup_eff > 0)).nonzero()[0]
        if len(mine):
            return int(mine[self.sup_level[mine].argmax()])
        # No support yet: open an overt channel to the side's belligerent.
        self.sup_from = np.append(self.sup_from, p)
        self.sup_to = np.append(self.sup_to, self.sides[side])
        self.sup_level = np.append(self.sup_level, 0.0)
        self.sup_max = np.append(self.sup_max, 0.0)
        self.sup_leverage = np.append(self.sup_leverage, 0.0)
        self.sup_eff = np.append(self.sup_eff, 1.0)
        self.sup_covert = np.append(self.sup_covert, False)
        self.sup_side = np.append(self.sup_side, side)
        self._index_channels()
        return len(self.sup_level) - 1

    # 6. resolution -----------------------------------------------------------------------------------

    def _resolution_phase(self, r: int) -> np.ndarray:
        c = self.engine.combat
        shocks = self.rng.standard_normal(self.control.shape)
        intensity = self.ladder_intensity[self.side_rungs()]
        strength = self.strength()
        expected, fight = escalation.expected_shift(
            strength,
            intensity,
            self.control,
            c.defence_effort,
            c.entrenchment,
            c.contest_exponent,
            c.control_rate,
        )
        before = self.control.copy()
        self.control = escalation.shift_control(
            self.control, self.contested, expected, fight, c.control_rate, c.noise, shocks
        )
        self.fight = fight = float(fight)
        self.hurt += fight
        if fight > 0:
            q = escalation.contest(
                escalation.efforts(intensity, c.defence_effort) * strength, c.contest_exponent
            )
            n = len(self.sides)
            loss = c.attrition * fight * (1.0 - q) * n / max(n - 1, 1)
            self.forces[self.on_side] *= 1.0 - loss[self.fighter_side]
        # Narrative: a region changes hands (another side now holds most of it) or is taken whole.
        lead = self.control.argmax(axis=1)
        whole = self.control.max(axis=1) >= 1.0
        changed = (before.argmax(axis=1) != lead) | (whole & (before.max(axis=1) < 1.0))
        for rr in changed.nonzero()[0]:
            winner = int(lead[rr])
            self._log(
                r,
                "control_changed",
                [self.sides[winner]],
                region=self.region_ids[rr],
                share=round(float(self.control[rr, winner]), 4),
            )
        self._violations(r)
        return self.control - before

    def _violations(self, r: int) -> None:
        acc = self.accord
        if acc is None or not acc.in_force:
            return
        breakers = [a for a in sorted(acc.signatories) if self.ladder_breaks[self.rung[a]]]
        for a in breakers:
            self.violations += 1
            self._log(r, "violation", [a], rung=int(self.rung[a]), accord=acc.kind, forum=acc.forum)
        if self.first_violation_round is None and breakers:
            self.first_violation_round = r
        for i in range(len(self.sides)):
            others = [a for a in breakers if self.side_of[a] != i]
            ad = self.engine.adaptation
            if others:
                self.trust[i] = max(0.0, self.trust[i] - ad.trust_loss_per_violation * len(others))
            else:
                self.trust[i] = min(1.0, self.trust[i] + ad.trust_gain_per_round_kept)
        if breakers:
            acc.violation_rounds += 1
            acc.held_rounds = 0
            acc.status = "violated"
            if acc.violation_rounds >= self.engine.escalation.collapse_violations:
                acc.status = "collapsed"
                self._log(
                    r,
                    "collapsed",
                    breakers,
                    accord=acc.kind,
                    forum=acc.forum,
                    violations=acc.violation_rounds,
                )
        else:
            acc.held_rounds += 1
            acc.status = "holding"

    # 7. economy --------------------------------------------------------------------------------------

    def _economy_phase(self) -> None:
        ec = self.economy
        blocked = economy.blocked_share(self.control, self.blockading)
        disrupted = economy.disruption(self.contested, self.fight, ec.fighting_disruption)
        self.oil_output = economy.oil_output(ec.oil_baseline_bpd, self.oil, blocked, disrupted)
        receiver = ec.revenue_to
        if receiver is None:  # each side sells what it holds
            shares = economy.revenue_shares(self.control, self.oil, None)
            flowing = economy.revenue_shares(
                self.control * ((1 - blocked) * (1 - disrupted))[:, None], self.oil, None
            )
            self.revenue = ec.oil_baseline_bpd * ec.oil_price_usd * flowing * self.oil.sum()
            self.revenue_loss_share = np.where(
                shares > 0, 1.0 - flowing / np.where(shares > 0, shares, 1.0), 0.0
            )
        else:  # one national receiver; an actor on no side (a neutral institution) leaves every side nothing
            side = int(self.side_of[self.actor_index[receiver]])
            shares = (
                economy.revenue_shares(self.control, self.oil, side)
                if side >= 0
                else np.zeros(len(self.sides))
            )
            self.revenue = shares * self.oil_output * ec.oil_price_usd
            lost = 1.0 - self.oil_output / ec.oil_baseline_bpd if ec.oil_baseline_bpd > 0 else 0.0
            self.revenue_loss_share = np.where(shares > 0, lost, 0.0)
        if self.history:  # round 0 is the starting state: nothing lost yet
            days = self.spec.clock.round_days
            self.oil_loss_bbl += (ec.oil_baseline_bpd - self.oil_output) * days
            self.revenue_loss_usd += (ec.oil_baseline_bpd - self.oil_output) * days * ec.oil_price_usd

    # 8. adaptation -----------------------------------------------------------------------------------

    def _adaptation_phase(self, r: int, shift: np.ndarray) -> None:
        """A side losing ground moves its stated positions toward its opponents' (by its loss per round,
        relative to the most ground that can change hands in a round)."""
        if self.region_weight is None:  # no region weighs anything: no side loses ground that counts
            return
        gained = self.region_weight @ shift
        rate = self.engine.combat.control_rate
        drift = self.engine.adaptation.position_drift
        for i, b in enumerate(self.sides):
            if gained[i] >= 0 or rate <= 0:
                continue
            pull = drift * min(1.0, -gained[i] / rate)
            q = (~np.isnan(self.positions[b])).nonzero()[0]
            target = self._opponent_position(i, q)
            self.positions[b, q] += pull * (target - self.positions[b, q])
            self._derive_positions()

    # 9. stop -----------------------------------------------------------------------------------------

    def _stop_phase(self, r: int) -> None:
        st = self.engine.stop
        own = self._own_forces()
        defeated = [i for i in range(len(self.sides)) if own[i] < st.defeat_share * self.initial_forces[i]]
        acc = self.accord
        if defeated:
            alive = [i for i in range(len(self.sides)) if i not in defeated]
            self.winner = self.actor_ids[self.sides[alive[0]]] if len(alive) == 1 else None
            self.defeated = [self.actor_ids[self.sides[i]] for i in defeated]
            self._end(
                r,
                "military_victory"
                if self.winner
                else ("mutual_exhaustion" if not alive else "side_defeated"),
            )
        elif (
            acc is not None
            and acc.kind == "agreement"
            and acc.in_force
            and acc.held_rounds >= st.durability_rounds
        ):
            self._end(r, "durable_agreement")
        elif r >= self.max_rounds:
            self._end(r, self._label())

    def _label(self) -> str:
        acc = self.accord
        if self.agreement_signed and acc is not None and acc.kind == "agreement":
            return "agreement_holding" if acc.in_force else "agreement_collapsed"
        return "partial_signing" if self.partial_signing else "no_agreement"

    def _end(self, r: int, outcome: str) -> None:
        self.outcome = outcome
        self.running = False
        self._log(r, "run_ended", (), outcome=outcome, winner=self.winner)

    def run(self) -> ConflictModel:
        while self.running:
            self.step()
        return self

    # ----------------------------------------------------------------------------------------- recording

    @property
    def accord_status(self) -> str:
        if self.accord is None:
            if any(f.terms is not None for f in self.forums.values()):
                return "proposed"
            return "none"
        return self.accord.status

    def _record(self) -> None:
        self.history.append(round_row(self))
        if self.collect:
            self.datacollector.collect(self)

    def _reporters(self) -> dict:
        names = list(self.history[-1]) if self.history else list(round_row(self))
        # Side-level columns only: the per-region and per-channel ones are in rounds.csv, and every reporter
        # costs a deepcopy per round.
        skip = ("date", "status", "support_") + tuple(f"control_{rid}_" for rid in self.region_ids)
        return {name: partial(row_value, key=name) for name in names if not name.startswith(skip)}


def _read(terms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A text as the parties read it: (terms with 0 where it says nothing, which issues it covers); an open text
    may leave some of the forum's issues out (NaN)."""
    on_table = ~np.isnan(terms)
    return np.where(on_table, terms, 0.0), on_table


def _no_economy():
    from sim.scenario.schema import Economy

    return Economy(oil_baseline_bpd=0.0)


def row_columns(m: ConflictModel) -> list[str]:
    """The columns of rounds.csv for this scenario, in order (docs/FORMATS.md)."""
    sides = m.side_ids
    cols = [
        "round",
        "date",
        "status",
        "violations",
        "oil_output_bpd",
        "oil_loss_bbl",
        "revenue_loss_usd",
        "fighting",
    ]
    for prefix in ("rung", "control", "forces", "strength", "blockade", "trust", "revenue"):
        cols += [f"{prefix}_{sid}" for sid in sides]
    cols += [f"forecast_{q}" for q in m.issue_ids]
    cols += [f"control_{rid}_{sid}" for rid in m.region_ids for sid in sides]
    cols += [f"support_{aid}_{j}_{m.actor_ids[m.sup_to[e]]}" for (aid, j), e in m.sup_slot.items()]
    return cols


def round_row(m: ConflictModel) -> dict:
    """One row of rounds.csv: the state at the end of round `m.round` (round 0: the starting state)."""
    b = m.side_actors
    numbers = np.concatenate(
        [
            m.rung[b],
            m.national_control(),
            m.forces[b],
            m.strength(),
            m.blockading,
            m.trust,
            m.revenue,
            m.forecast,
            m.control.ravel(),
            m.sup_level[: len(m.sup_slot)],  # the scenario's channels (threats may open more after them)
        ]
    ).tolist()
    head = [
        m.round,
        m.date.isoformat(),
        m.accord_status,
        m.violations,
        m.oil_output,
        m.oil_loss_bbl,
        m.revenue_loss_usd,
        m.fight,
    ]
    n = len(b)
    numbers[:n] = [int(v) for v in numbers[:n]]
    numbers[4 * n : 5 * n] = [int(v) for v in numbers[4 * n : 5 * n]]
    return dict(zip(m.columns, head + [None if v != v else v for v in numbers], strict=True))


def row_value(model: ConflictModel, key: str):
    """Model reporter: one column of the latest round's row (module-level so the collector pickles)."""
    return model.history[-1].get(key)


def run_model(
    scenario: Scenario | LoadedScenario | str | None,
    *,
    seed: int | str | None,
    max_rounds: int | None = None,
    collect: bool = False,
    overrides: dict[str, Any] | None = None,
) -> ConflictModel:
    """Build a model and step it until a stop rule ends the run."""
    return ConflictModel(
        scenario=scenario, overrides=overrides, rng=seed, collect=collect, max_rounds=max_rounds
    ).run()
