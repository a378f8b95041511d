"""The scenario language: typed models with defaults, units and ranges.

One declaration gives three things: validation with field paths, defaults for everything the model needs,
and the JSON Schema (`run.py schema`, `scenarios/schema.json`) that editors use to complete keys.
Cross-references between sections (a forum naming an actor that exists, control shares summing to 1)
live in `sim.scenario.checks`, because they need the whole document at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# Numbers are numbers: `strict` refuses text ('150') and true/false where a number belongs, and every model
# refuses .inf and .nan (`allow_inf_nan=False` below). Upper bounds keep every product the model forms finite;
# each is far above any real case and has a meaning (docs/SCENARIOS.md, "Numbers and their bounds").
MAX_FORCES = 10_000.0  # thousands of fighters (or their equivalent): ten million
MAX_CAPABILITY = 1_000_000.0  # bargaining clout on any relative scale
MAX_SCALE = 1_000_000_000.0  # largest magnitude of an issue scale's end, a position or a term
MAX_COST = 1_000.0  # rung-cost units: a thousand times the costliest rung of the shipped ladders
MAX_WEIGHT = 10_000.0  # engine weights and costs, in rung-cost or proposal-utility units
MAX_BPD = 1_000_000_000.0  # barrels a day: ten times the world's output
MAX_PRICE = 100_000.0  # USD a barrel
MAX_ROUNDS = 10_000
Float = Annotated[float, Field(strict=True)]
Int = Annotated[int, Field(strict=True)]
Share = Annotated[float, Field(strict=True, ge=0.0, le=1.0)]
Weight = Annotated[float, Field(strict=True, ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(strict=True, ge=0.0, le=MAX_WEIGHT)]
Forces = Annotated[float, Field(strict=True, ge=0.0, le=MAX_FORCES)]
Affinity = Annotated[float, Field(strict=True, ge=-1.0, le=1.0)]
Point = Annotated[float, Field(strict=True, ge=-MAX_SCALE, le=MAX_SCALE)]
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]


class Strict(BaseModel):
    """Base: unknown keys are errors (they are usually typos), and the schema forbids them too."""

    model_config = ConfigDict(extra="forbid", validate_default=True, allow_inf_nan=False)


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
    kind: Literal["troops", "arms", "money", "air", "mercenaries", "political"] = Field(
        "arms",
        description=(
            "What the support is: a label for outputs and the page, and the channel's default `id`; the model"
            " itself uses only `level` and `effectiveness`."
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
        "covert", description="Covert support is deniable: cheaper politically, less deterrent."
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
            "For a patron or mediator leaning to one side: the belligerent it backs. Belligerents are their"
            " own side."
        ),
    )
    capability: Annotated[float, Field(strict=True, ge=0.0, le=MAX_CAPABILITY)] = Field(
        description="Bargaining clout (relative; any positive scale)."
    )
    forces: Forces = Field(0.0, description="Military strength in theatre, in thousands of fighters.")
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
    optimism: Annotated[float, Field(strict=True, ge=-0.5, le=0.5)] = Field(
        0.0,
        description=(
            "For a belligerent: how far its own estimate of its chance of winning sits above (below, if"
            " negative) the balance of forces at round 0; fighting reveals the difference. Set only from"
            " sources."
        ),
    )


class Region(Strict):
    name: str
    oil: Share = Field(0.0, description="Share of national oil output produced or exported here.")
    population: Share = Field(0.0, description="Share of the national population living here.")
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


class Bargaining(Strict):
    variant: Literal["paper", "compat"] = Field(
        "paper",
        description=(
            "EUM reading: `paper` (P_ij + P_ji = 1, working capitulation) or `compat` (Scholz's code, which"
            " reproduces the published EC trajectory)."
        ),
    )
    q: Share = Field(1.0, description="Q: probability the status quo persists when no challenge is made.")
    t: Share = Field(1.0, description="T: probability the status quo improves rather than worsens.")
    risk: Literal["endogenous", "fixed"] = Field(
        "endogenous", description="Risk exponents from the EUM or from `risk`."
    )
    model: Literal["eum", "compromise", "nbs", "exchange"] = Field(
        "eum",
        description=(
            "The model a forum drafts its text with (docs/MODEL.md section 2.1): `eum`, `rounds` EUM rounds"
            " with mediation after each; `exchange`, `rounds` rounds of Stokman & Van Oosten's position"
            " exchanges with mediation after each; `compromise`, the capability x salience weighted mean; `nbs`,"
            " the Nash bargaining solution with the common breakdown loss K = 10. The last two draft one text"
            " without rounds or mediation."
        ),
    )
    rule: Literal["mean", "median"] = Field(
        "mean", description="Forecast rule for a forum's proposal under the EUM."
    )
    rounds: Int = Field(
        3, ge=0, le=100, description="Rounds per forum session of the EUM or the exchange model."
    )
    redraft_threshold: Share = Field(
        0.05,
        description=(
            "A forum redrafts its text only if some participant's position moved by more than this share of"
            " the issue's scale since it last drafted its text (or a capability or salience changed); otherwise"
            " it tables the same text again. 0: redraft at every session."
        ),
    )
    sign_temperature: Float = Field(
        0.02,
        ge=0.0001,
        le=10.0,
        description=(
            "Logit noise of the sign-or-refuse decision, in proposal-utility units (0..1 scale): P(sign) ="
            " 1 / (1 + exp(-margin / sign_temperature)). Small: parties sign exactly when the deal beats war."
        ),
    )
    betrayal_cost: NonNegative = Field(
        0.5,
        description=(
            "Share of the war cost a party loses on top if it signs and the other side breaks the deal (it"
            " stood down first): with trust t it signs an even deal at parity only if t > b / (1 + b)."
        ),
    )
    war_cost: NonNegative = Field(
        0.15,
        description=(
            "Fearon's cost of war c: what fighting on costs a party with cost_aversion 1, in proposal-utility"
            " units (1 = the whole distance between its ideal and its opponent's on every issue)."
        ),
    )
    ripeness_weight: NonNegative = Field(
        1.0,
        description=(
            "Ripeness (Zartman's mutually hurting stalemate): in a stalemate R (0..1) fighting on costs a party"
            " ripeness_weight x R x its war cost more when it weighs a text. 1: a party that has watched the"
            " front stand still for a window expects the war to last as long again (naive persistence). 0: off."
        ),
    )
    ripeness_window_days: Int = Field(
        60,
        ge=1,
        le=36500,
        description=(
            "Days of fighting over which a stalemate is judged (whole rounds, at least one; a judgement:"
            " neither Zartman nor Mooradian & Druckman gives a length)."
        ),
    )
    stalemate_share: Float = Field(
        0.05,
        ge=0.0001,
        le=1.0,
        description=(
            "A front 'barely moves' when no side's national control changed by this much over the window:"
            " stalemate = max(0, 1 - moved / stalemate_share) (a judgement: 5 points of the country)."
        ),
    )


class Escalation(Strict):
    temperature: Float = Field(
        0.15,
        ge=0.001,
        le=10.0,
        description="Quantal-response temperature: higher means noisier rung choices.",
    )
    deterrence_weight: NonNegative = Field(
        1.0, description="Scale of a patron threat's weight in rung utility."
    )
    monitoring_weight: NonNegative = Field(
        1.0, description="Scale of monitoring in the cost of breaking a truce."
    )
    max_step: Int = Field(
        2,
        ge=1,
        le=100,
        description=(
            "Most rungs an actor can climb in one round (Kahn's ladder is climbed; it can step down to any"
            " lower rung); it can always answer the highest rung its opponents use at once. 2 suits weekly"
            " rounds: from a truce to shelling within a week."
        ),
    )
    gain_weight: NonNegative = Field(
        100.0,
        description=(
            "Utility of winning a whole country's worth of region value in one round, in rung-cost units;"
            " converts expected ground won into the same units as rung costs. Default 100: a whole country is"
            " worth about two years of weekly rounds at the costliest rung (calibration, docs/MODEL.md)."
        ),
    )
    grievance_weight: NonNegative = Field(
        0.5,
        description=(
            "Richardson's grievance term: utility per unit of rung intensity for an actor at the 'fight on' end"
            " of a `ceasefire` issue (scaled by its salience and distance from the ceasefire end)."
        ),
    )
    weariness: NonNegative = Field(
        0.0,
        description=(
            "Growth of every cost of fighting (rung costs, the war cost in signing) per round of full-intensity"
            " fighting so far: 0.02 doubles them after 50 such rounds (a mutually hurting stalemate). Off (0)"
            " by default; see docs/MODEL.md for its effect on the Libya runs."
        ),
    )
    truce_cost: NonNegative = Field(
        1.0,
        description=(
            "Cost of breaking a signed truce at compliance pressure 0.5 (rung-cost units); the cost is"
            " truce_cost x k / (1 - k) with k = adherence x (restraint + (1 - restraint) x monitoring)."
        ),
    )
    unmonitored_restraint: Share = Field(
        0.5, description="Share of an actor's ceasefire_adherence that binds with no monitoring at all."
    )
    collapse_violations: Int = Field(
        3,
        ge=1,
        le=MAX_ROUNDS,
        description="Rounds with violations after which a truce or agreement has collapsed.",
    )


class Combat(Strict):
    contest_exponent: Float = Field(1.0, gt=0.0, le=5.0, description="m in p = F_a^m / (F_a^m + F_b^m).")
    control_rate: Share = Field(0.08, description="Largest share of a region that changes hands per round.")
    noise: Float = Field(0.3, ge=0.0, le=10.0, description="Standard deviation of the battle-luck term.")
    attrition: Share = Field(
        0.003,
        description=(
            "Share of a side's forces lost per round at full intensity in an even fight (the losing side of"
            " an uneven one loses up to twice this); 0.003 is ~15% a year of all-out war."
        ),
    )
    entrenchment: NonNegative = Field(
        2.0,
        description=(
            "Defender's edge: in a contested region a side fights with its strength times (1 + entrenchment x"
            " the share of the region it holds). 0: no edge; 2 (default): holding all of a region triples it,"
            " the attacker's 3:1 rule of thumb (Mearsheimer 1989)."
        ),
    )
    defence_effort: Share = Field(
        0.3,
        description=(
            "Effort of a side that does not attack (rung intensity below this), as a fraction of full effort:"
            " defenders fight back when attacked."
        ),
    )


class Adaptation(Strict):
    position_drift: Share = Field(0.1, description="How fast a side losing ground softens its positions.")
    harden: bool = Field(
        True,
        description=(
            "A side that gained ground raises its demands: its positions move away from its opponents' at the"
            " same rate as a losing side's soften (Filson & Werner 2002; Slantchev 2003)."
        ),
    )
    trust_loss_per_violation: Share = Field(0.1)
    trust_gain_per_round_kept: Share = Field(0.02)
    initial_trust: Share = Field(
        0.5,
        description=(
            "Each belligerent's trust at round 0 that the other side keeps a signed deal (Fearon's commitment"
            " problem; monitoring makes up for missing trust)."
        ),
    )


class Learning(Strict):
    """Each side's estimate of its chance of winning, a belief updated from the battles (Wagner 2000)."""

    on: bool = Field(
        True,
        description=(
            "Sides decide on a Beta belief about their chance of winning, updated each round from the realised"
            " battle results; off: on the true balance of forces."
        ),
    )
    prior_strength: Annotated[float, Field(strict=True, gt=0.0, le=MAX_WEIGHT)] = Field(
        10.0,
        description=(
            "Weight of a side's prior estimate, in rounds of all-out fighting: after that many such rounds the"
            " battles weigh as much as the prior (judgement, not fitted)."
        ),
    )


class Coercion(Strict):
    """Oil blockades: economic coercion by whoever controls oil infrastructure."""

    leverage_weight: NonNegative = Field(
        2.0,
        description=(
            "Utility of shutting the opponent's whole oil revenue while dissatisfied with the table's terms"
            " (scaled by the blockader's salience-weighted distance from those terms, 0..1)."
        ),
    )
    political_cost: NonNegative = Field(
        0.3, description="Per-round cost of holding a blockade (international pressure), rung-cost units."
    )
    inertia: NonNegative = Field(
        0.2,
        description=(
            "Bonus for keeping the current blockade decision, rung-cost units (tribes and guards who shut"
            " a terminal do not reopen it on a whim, nor close it on one)."
        ),
    )


class Patrons(Strict):
    """How patrons change their support."""

    step: Share = Field(
        0.25,
        description="Support changes by this share of its `max_level` per round (up, down or not at all).",
    )
    support_cost: NonNegative = Field(
        0.05, description="Cost per round of one force unit of support for a patron with cost_aversion 1."
    )
    inertia: NonNegative = Field(
        0.1,
        description="Bonus for keeping a support level unchanged this round (policy is not remade weekly).",
    )
    covert_cost_share: Share = Field(
        0.5, description="Share of `support_cost` a patron pays for covert (deniable) support."
    )
    clash_aversion: NonNegative = Field(
        0.5,
        description=(
            "Cost of raising support against a rival patron, times the two patrons' affinity (if > 0): patrons"
            " on good terms avoid fighting each other directly."
        ),
    )
    commitment: bool = Field(
        True,
        description=(
            "Patrons choose their commitment (a channel's ceiling) each round: raise it, keep it or cut it by"
            " `step` x its starting `max_level` (Regan 2002; Fearon 1994); off: `max_level` is a fixed cap."
        ),
    )
    commitment_cost: NonNegative = Field(
        1.0,
        description=(
            "Political cost per round of a commitment at its starting size for a patron with cost_aversion 1"
            " and no domestic constraint, rung-cost units; it grows with the square of the commitment"
            " (normalisation: the costliest rung of the shipped ladders costs 1)."
        ),
    )
    resolve_weight: NonNegative = Field(
        1.0,
        description=(
            "Cost of being out-committed by the rival patrons, at a commitment of none against theirs, times"
            " the patron's influence goal, rung-cost units (escalation dominance, Kahn 1965; balance of"
            " resolve)."
        ),
    )


class Stop(Strict):
    durability_rounds: Int = Field(
        8, ge=1, le=MAX_ROUNDS, description="An agreement that holds this many rounds ends the run."
    )
    defeat_share: Share = Field(
        0.05, description="A side below this share of its starting forces is defeated."
    )


class Engine(Strict):
    bargaining: Bargaining = Field(default_factory=Bargaining)
    escalation: Escalation = Field(default_factory=Escalation)
    combat: Combat = Field(default_factory=Combat)
    adaptation: Adaptation = Field(default_factory=Adaptation)
    coercion: Coercion = Field(default_factory=Coercion)
    patrons: Patrons = Field(default_factory=Patrons)
    learning: Learning = Field(default_factory=Learning)
    stop: Stop = Field(default_factory=Stop)


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
