"""The scenario language: typed models with defaults, units and ranges.

One declaration gives three things: validation with field paths, defaults for everything the model needs,
and the JSON Schema (`run.py schema`, `scenarios/schema.json`) that editors use to complete keys.
Cross-references between sections (a forum naming an actor that exists, control shares summing to 1)
live in `sim.scenario.checks`, because they need the whole document at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from sim.scenario.engine import Engine
from sim.scenario.numbers import (
    MAX_BPD,
    MAX_CAPABILITY,
    MAX_COST,
    MAX_PRICE,
    MAX_ROUNDS,
    Affinity,
    Float,
    Forces,
    Identifier,
    Int,
    Point,
    Share,
    Strict,
    Weight,
)


class Clock(Strict):
    start: dt.date = Field(description="Calendar date of round 0 (YYYY-MM-DD).")
    round_days: Int = Field(7, ge=1, le=365, description="Days in one round (one Mesa step).")
    max_rounds: Int = Field(
        52, ge=1, le=MAX_ROUNDS, description="Hard stop: the run ends after this many rounds."
    )

    @model_validator(mode="after")
    def _in_the_calendar(self) -> Clock:
        # Every round's date must exist: Python's dates end on 9999-12-31.
        last = self.start.toordinal() + (self.max_rounds + 1) * self.round_days
        if last > dt.date.max.toordinal():
            raise ValueError(
                f"the calendar runs past {dt.date.max}: {self.max_rounds} rounds of {self.round_days} days"
                f" from {self.start}; start earlier or run fewer rounds"
            )
        return self


class Issue(Strict):
    name: str = Field(description="Readable name of the issue.")
    scale: tuple[Point, Point] = Field(
        (0.0, 100.0), description="[low, high] ends of the position scale; positions lie inside it."
    )
    low: str = Field(description="What a position at the low end means.")
    high: str = Field(description="What a position at the high end means.")
    kind: Literal["ceasefire", "territory", "oil", "foreign_forces", "political", "other"] = Field(
        "other",
        description=(
            "How the model links the issue to the battlefield: `ceasefire` to escalation, `territory` to"
            " control of regions, `oil` to revenue, `foreign_forces` to patron support; `political` and"
            " `other` are bargained over only."
        ),
    )

    @model_validator(mode="after")
    def _ordered(self) -> Issue:
        if not self.scale[0] < self.scale[1]:
            raise ValueError("scale must be [low, high] with low < high")
        return self


class Goals(Strict):
    """Weights (0..1) of what an actor cares about; they enter its utility for rungs, blockades and deals."""

    oil_access: Weight = Field(0.0, description="Weight of oil revenue and of holding oil regions.")
    ceasefire_adherence: Weight = Field(
        0.5, description="Weight of the cost of breaking a truce it signed (1: never breaks it lightly)."
    )
    territory: Weight = Field(0.0, description="Weight of controlling population and land.")
    influence: Weight = Field(0.0, description="Weight of its clients' success and its place at the table.")
    cost_aversion: Weight = Field(0.5, description="Weight of casualties and money spent on fighting.")


class Support(Strict):
    """Patronage given by this actor to another (troops, arms, money, air power)."""

    id: Identifier | None = Field(
        None,
        description=(
            "Name of this channel among the actor's support, for `--set` and sweeps"
            " (`actors.TUR.support.troops.level`); default: its `kind`."
        ),
    )
    to: Identifier = Field(description="Id of the actor who receives the support.")
    kind: Literal["troops", "arms", "money", "air", "mercenaries", "advisers", "political"] = Field(
        "arms",
        description=(
            "What the support is: its cost per unit, whether it can be covert and the resolve it shows come"
            " from `engine.support_kinds.<kind>`; also the channel's default `id` and its label in outputs."
        ),
    )
    level: Forces = Field(
        description=(
            "Units of support given (head-count in thousands, like `forces`, or equivalent units for arms and"
            " air power); in battle it counts as level x effectiveness force units."
        )
    )
    effectiveness: Float = Field(
        1.0,
        ge=0.0,
        le=10.0,
        description=(
            "Combat value of one unit of this support relative to one unit of the recipient's own forces"
            " (1 = a militia fighter; professional contractors, drones, air defence are worth more)."
        ),
    )
    max_level: Forces | None = Field(
        None,
        description=(
            "The patron's commitment at round 0, the most it will give now (default: 3 x level); with"
            " `engine.patrons.commitment` on, the patron raises or cuts it each round."
        ),
    )
    limit: Forces | None = Field(
        None,
        description=(
            "What is physically impossible to exceed (bases, airlift, stocks), in units of `level`; the chosen"
            " commitment never goes above it (default: no limit)."
        ),
    )
    mode: Literal["overt", "covert"] = Field(
        "covert",
        description=(
            "Covert support is deniable: cheaper politically (`patrons.covert_cost_share`); a kind that cannot"
            " be hidden (`engine.support_kinds.<kind>.covert` false, e.g. troops) must be `overt`."
        ),
    )
    leverage: Weight = Field(
        0.3, description="How far the patron can press the recipient to sign a proposal the patron backs."
    )


class RegionTrigger(Strict):
    """A red line on territory: a side's control share of a region crossing a value (Schelling 1966)."""

    region: Identifier = Field(description="Id of the region.")
    side: Identifier = Field(description="The belligerent whose control share is watched.")
    above: Share = Field(description="The line: the threat is carried out once that share exceeds it.")


class Threat(Strict):
    """A public threat (e.g. Erdogan's 'lesson' to Haftar) that deters a target from escalating."""

    target: Identifier = Field(description="Id of the actor threatened.")
    trigger_rung: Int = Field(
        2, ge=0, le=1000, description="The threat is carried out if the target reaches this rung."
    )
    trigger: RegionTrigger | None = Field(
        None,
        description=(
            "A red line on territory instead of a rung: carried out once `side`'s share of `region` exceeds"
            " `above` (`trigger_rung` is then not used). The threatener may be outside the war: it enters by"
            " a support channel to the side the line protects."
        ),
    )
    magnitude: Forces = Field(description="Force units the threatener would add against the target.")
    credibility: Share = Field(
        0.5, description="Probability the target believes the threat will be carried out."
    )
    statement: str | None = Field(None, description="The words of the threat, with date and source.")


class Actor(Strict):
    name: str = Field(description="Readable name.")
    role: Literal["belligerent", "patron", "mediator", "stakeholder"] = Field(
        "stakeholder",
        description=(
            "Belligerents fight and sign; patrons support them; mediators pull toward compromise;"
            " stakeholders only bargain (plain forecasting cases)."
        ),
    )
    side: Identifier | None = Field(
        None,
        description=(
            "For a patron or mediator leaning to one side: the belligerent it backs (a patron's own `forces`"
            " fight beside it). For a belligerent: the lead belligerent of the side it joins (a coalition;"
            " the side is named by its lead); none: it leads its own side."
        ),
    )
    capability: Annotated[float, Field(strict=True, ge=0.0, le=MAX_CAPABILITY)] = Field(
        description="Bargaining clout (relative; any positive scale)."
    )
    forces: Forces = Field(
        0.0,
        description=(
            "Military strength in theatre, in thousands of fighters; a patron's count for the side of the"
            " belligerent it names as `side` (a patron that also fights)."
        ),
    )
    positions: dict[Identifier, Point] = Field(
        default_factory=dict, description="Position per issue id, on that issue's scale."
    )
    salience: dict[Identifier, Share] = Field(
        default_factory=dict, description="Salience per issue id, 0 (indifferent) .. 1 (vital)."
    )
    goals: Goals = Field(default_factory=Goals)
    risk: Affinity = Field(
        0.0, description="Risk attitude, -1 (averse) .. 1 (acceptant); used when engine risk mode is `fixed`."
    )
    support: list[Support] = Field(default_factory=list, description="Support this actor gives to others.")
    threats: list[Threat] = Field(default_factory=list, description="Public threats this actor has made.")
    affinity: dict[Identifier, Affinity] = Field(
        default_factory=dict, description="Affinity toward other actors, -1 (hostile) .. 1 (allied)."
    )
    rung: Int = Field(0, ge=0, le=1000, description="Escalation rung at round 0.")
    domestic_constraint: Weight = Field(
        0.0,
        description=(
            "For a patron: how much its domestic politics raise the cost of a larger commitment (audience"
            " costs, Fearon 1994; legislatures, opinion), 0 none .. 1 doubles it. Set only from sources."
        ),
    )
    quality: Annotated[float, Field(strict=True, gt=0.0, le=100.0)] = Field(
        1.0,
        description=(
            "For a belligerent: the combat quality of its own forces (training, technology, air or drone"
            " superiority), a multiplier of their numbers in battle; 1 = parity. Set only from sources."
        ),
    )
    deploy: dict[Identifier, Share] = Field(
        default_factory=dict,
        description=(
            "For an actor that fights: the share of its own forces placed in each named contested region"
            " (shares sum to at most 1); the rest is spread equally over the fronts it does not name, and"
            " support it receives stands where its forces do. Default: equal shares over the fronts. Set"
            " only from sources."
        ),
    )
    optimism: Annotated[float, Field(strict=True, ge=-0.5, le=0.5)] = Field(
        0.0,
        description=(
            "For a belligerent: how far its own estimate of its chance of winning sits above (below, if"
            " negative) the balance of forces at round 0; fighting reveals the difference. Set only from"
            " sources."
        ),
    )


# Dupuy's 14 QJM terrain types (sim.kernels.combat.TERRAIN) and a defender's three preparations (POSTURE)
TerrainName = Literal[
    "rugged_heavily_wooded",
    "rugged_mixed",
    "rugged_bare",
    "rolling_heavily_wooded",
    "rolling_mixed",
    "rolling_bare",
    "flat_heavily_wooded",
    "flat_mixed",
    "flat_bare",
    "flat_desert",
    "desert_sandy_dunes",
    "swamp_jungled",
    "swamp_mixed",
    "urban",
]


class Region(Strict):
    name: str
    oil: Share = Field(0.0, description="Share of national oil output produced or exported here.")
    population: Share = Field(0.0, description="Share of the national population living here.")
    area: Annotated[float, Field(strict=True, ge=0.0, le=2e7)] = Field(
        0.0,
        description=(
            "Land area in km2 (0: not given). Sets the region's depth (sqrt of the area) over which fighting"
            " moves control, and its share of the area given enters the region's weight beside population"
            " and oil."
        ),
    )
    value: dict[Identifier, Share] = Field(
        default_factory=dict,
        description=(
            "Symbolic or strategic worth of the region to each actor (0..1, beside its population share),"
            " entering that actor's stake in the region's territory."
        ),
    )
    terrain: TerrainName = Field(
        "rolling_mixed",
        description=(
            "Dupuy's terrain type (QJM, NPW Table 1): the defender's multiplier and the attacker's mobility."
            " Default rolling_mixed (1.3, 0.8), the middle of Dupuy's table."
        ),
    )
    fortification: Literal["hasty", "prepared", "fortified"] = Field(
        "prepared",
        description=(
            "How the holder defends the region (Dupuy's posture, NPW Table 5: hasty 1.3, prepared 1.5,"
            " fortified 1.6). Default prepared: a front line held for days or more."
        ),
    )
    control: dict[Identifier, Share] = Field(
        min_length=1, description="Share of the region each belligerent controls; shares sum to 1."
    )
    contested: bool = Field(False, description="A front line: fighting happens here and control can move.")


class Theatre(Strict):
    regions: dict[Identifier, Region] = Field(description="Regions by id.")


class Economy(Strict):
    oil_baseline_bpd: Annotated[float, Field(strict=True, ge=0.0, le=MAX_BPD)] = Field(
        description="Oil output with no blockade or fighting, barrels/day."
    )
    oil_price_usd: Annotated[float, Field(strict=True, ge=0.0, le=MAX_PRICE)] = Field(
        60.0, description="Price per barrel, USD."
    )
    revenue_to: Identifier | None = Field(
        None,
        description=(
            "Actor whose institutions receive oil revenue whoever controls the fields (e.g. Tripoli's NOC and"
            " Central Bank). Null: revenue goes to whoever controls each region."
        ),
    )
    fighting_disruption: Share = Field(
        0.1, description="Share of a contested region's output lost per unit of fighting intensity."
    )


class Schedule(Strict):
    start: dt.date = Field(description="First date the forum convenes.")
    every_rounds: Int | None = Field(
        None, ge=1, le=MAX_ROUNDS, description="Convene again every N rounds after `start`; null: only once."
    )
    until: dt.date | None = Field(None, description="Last date the forum may convene.")


class OpenProposal(Strict):
    """A text already on the table when the run starts (e.g. the Moscow draft)."""

    terms: dict[Identifier, Point] = Field(description="The proposal: a point on each of the forum's issues.")
    signed_by: list[Identifier] = Field(default_factory=list, description="Parties that have signed it.")


class Transfer(Strict):
    region: Identifier = Field(description="Region id the text hands over.")
    to: Identifier = Field(description="Actor whose side takes the whole region.")
    by: dt.date | None = Field(None, description="Date the region changes hands; none: on signing.")


class Withdraw(Strict):
    side: Identifier = Field(description="Actor whose side leaves the region.")
    region: Identifier = Field(description="Region id it leaves.")
    by: dt.date | None = Field(None, description="Date it has left; none: on signing.")


class Terms(Strict):
    """Territorial terms of a forum's text, carried out when the text is signed (docs/SCENARIOS.md)."""

    transfer: list[Transfer] = Field(
        default_factory=list, description="Regions handed whole to one side, at once or by a date."
    )
    withdraw: list[Withdraw] = Field(
        default_factory=list,
        description="A side leaves a region: its share goes to the other sides in proportion to theirs.",
    )
    buffer: list[Identifier] = Field(
        default_factory=list,
        description="Regions where no one may fight: a truce-breaking rung while one is a front violates.",
    )


class Peacekeepers(Strict):
    """A third party's force deployed by the signed text (Fortna 2008; Walter 2002)."""

    by: Identifier = Field(description="Actor who sends them.")
    regions: list[Identifier] = Field(min_length=1, description="Region ids they deploy into.")
    forces: Forces = Field(
        description="Force units deployed, counted as deterrent force against a side that attacks there."
    )
    monitoring: Share = Field(
        description="Chance that a breach where they stand is seen and sanctioned (0 none, 1 full)."
    )


class Forum(Strict):
    name: str
    participants: list[Identifier] = Field(min_length=1, description="Actors who bargain in the forum.")
    mediators: list[Identifier] = Field(default_factory=list, description="Actors who mediate.")
    issues: list[Identifier] = Field(min_length=1, description="Issue ids on the table.")
    schedule: Schedule
    format: Literal["direct", "indirect"] = Field(
        "direct",
        description=(
            "Indirect: mediators shuttle between parties who never meet. A label for outputs; the bargaining"
            " is the same either way."
        ),
    )
    required_signatories: list[Identifier] | None = Field(
        None, description="Who must sign for an agreement (default: the belligerent participants)."
    )
    mediation_strength: Share = Field(
        0.3, description="How strongly mediators pull positions toward compromise."
    )
    monitoring: Share = Field(
        0.0, description="Strength of monitoring of what is signed here (0 none, 1 full)."
    )
    guarantee: Share = Field(
        0.0,
        description=(
            "Third-party guarantee of what is signed here: guarantors or peacekeepers who will punish the side"
            " that breaks it (Walter 2002; Fortna 2008). Raises each party's trust that the deal holds,"
            " t + (1 - t) g, and the chance that breaking it is sanctioned, m + (1 - m) g. 0: none."
        ),
    )
    open_proposal: OpenProposal | None = None
    terms: Terms | None = Field(None, description="Territorial terms carried out on signing; none: none.")
    peacekeepers: Peacekeepers | None = Field(None, description="Peacekeepers deployed on signing.")


class Truce(Strict):
    in_force: bool = Field(True, description="Is a truce in force at round 0?")
    since: dt.date | None = Field(
        None, description="Date the truce took effect (a label; round 0 is `clock.start`)."
    )
    signatories: list[Identifier] = Field(
        default_factory=list, description="Parties that accepted the truce."
    )
    monitoring: Share = Field(0.0, description="Strength of monitoring (0 none, 1 full).")


class Rung(Strict):
    name: str = Field(description="What the rung means on the ground.")
    intensity: Share = Field(description="Fighting intensity, 0 (none) .. 1 (all-out).")
    cost: Annotated[float, Field(strict=True, ge=0.0, le=MAX_COST)] = Field(
        description="Cost per round to the actor choosing it (forces and money, relative)."
    )
    breaks_truce: bool = Field(description="Choosing this rung violates a signed truce or ceasefire.")


class Condition(Strict):
    """A declarative test on the model's state; never evaluated as code.

    Exactly one form: a comparison (`metric` with `op` and `value`), or `all` / `any` / `not` of conditions.
    """

    metric: str | None = Field(
        None,
        description=(
            "A state metric: `round`, `control.<region>.<actor>`, `forces.<actor>`, `rung.<actor>`,"
            " `oil_output`, `agreement` (1 signed, 0 not), `violations`, `support.<patron>.<recipient>`."
        ),
    )
    op: Literal["<", "<=", ">", ">=", "==", "!="] | None = None
    value: Float | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(None, alias="not")

    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        forms = [self.metric is not None, self.all is not None, self.any is not None, self.not_ is not None]
        if sum(forms) != 1:
            raise ValueError("a condition needs exactly one of: metric (with op and value), all, any, not")
        if self.metric is not None and (self.op is None or self.value is None):
            raise ValueError("a metric condition needs `op` and `value`")
        return self


class Effect(Strict):
    """One change an event makes. `set`/`add` take a dotted path into the scenario's live state."""

    set: str | None = Field(None, description="Dotted path to set, e.g. `actors.TUR.support.0.level`.")
    add: str | None = Field(None, description="Dotted path to add `value` to.")
    value: Float | bool | str | None = None
    convene: Identifier | None = Field(None, description="Forum id to convene this round.")

    @model_validator(mode="after")
    def _one_kind(self) -> Effect:
        kinds = [self.set is not None, self.add is not None, self.convene is not None]
        if sum(kinds) != 1:
            raise ValueError("an effect needs exactly one of: set, add, convene")
        if (self.set or self.add) and self.value is None:
            raise ValueError("`set` and `add` need a `value`")
        return self


class Event(Strict):
    id: Identifier
    description: str = Field(description="A readable sentence for the narrative, with its source.")
    date: dt.date | None = Field(None, description="Scheduled: applied in the round that contains this date.")
    when: Condition | None = Field(None, description="Triggered: applied in the first round this holds.")
    once: bool = Field(True, description="Triggered events fire once unless this is false.")
    probability: Share = Field(
        1.0, description="Chance the event happens when due (drawn from the run's RNG)."
    )
    effects: list[Effect] = Field(default_factory=list)
    enabled: bool = Field(
        True, description="false switches off an event inherited from a base scenario (`extends`)."
    )

    @model_validator(mode="after")
    def _timing(self) -> Event:
        if (self.date is None) == (self.when is None):
            raise ValueError("an event needs exactly one of `date` (scheduled) or `when` (triggered)")
        return self


class Scenario(Strict):
    """A conflict and the negotiations around it."""

    name: str = Field(description="Short name of the scenario.")
    description: str = Field("", description="What the scenario represents, as of when, from which sources.")
    extends: str | None = Field(
        None, description="Path (relative to this file) of a base scenario to deep-merge this file over."
    )
    clock: Clock | None = Field(None, description="Calendar of the run; needed by `run`, not by `forecast`.")
    seed: Int = Field(0, ge=0, le=2**63 - 1, description="Default random seed (`--seed` overrides it).")
    issues: dict[Identifier, Issue] = Field(min_length=1, description="Issues by id.")
    actors: dict[Identifier, Actor] = Field(min_length=1, description="Actors by id.")
    theatre: Theatre | None = Field(None, description="Regions; needed for escalation and the oil economy.")
    economy: Economy | None = None
    forums: dict[Identifier, Forum] = Field(default_factory=dict)
    truce: Truce | None = Field(None, description="The truce or ceasefire in force at round 0, if any.")
    ladder: list[Rung] = Field(
        default_factory=list, description="Escalation rungs, from 0 (observe the truce) upward."
    )
    events: list[Event] = Field(default_factory=list)
    engine: Engine = Field(default_factory=Engine)

    @model_validator(mode="after")
    def _drop_disabled_events(self) -> Scenario:
        # A variant switches an inherited event off; the model then never sees it.
        self.events = [e for e in self.events if e.enabled]
        return self


def json_schema() -> dict:
    """The JSON Schema of a scenario file (draft 2020-12), as committed in `scenarios/schema.json`."""
    schema = Scenario.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://stakesim.invalid/scenario.schema.json"
    return schema
