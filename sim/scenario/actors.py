"""The `actors:` section of a scenario: each actor's role, strength, positions and goals, the support it
gives and the threats it has made.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sim.scenario.numbers import (
    MAX_CAPABILITY,
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
