"""The `engine:` section of a scenario: the model's parameters with their defaults and sources
(docs/MODEL.md gives the equations each one enters; docs/SCENARIOS.md the table of them)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sim.scenario.numbers import MAX_ROUNDS, MAX_WEIGHT, Float, Int, NonNegative, Share, Strict
from sim.scenario.patrons import Patrons, SupportKinds


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
            "Growth of every cost of fighting (rung costs, the war cost in signing) per share of the"
            " belligerents' forces lost in battle so far: 1 doubles them once the war has cost as many fighters"
            " as they field (a mutually hurting stalemate). Off (0) by default."
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
    collapse_days: Int | None = Field(
        None,
        ge=1,
        le=MAX_ROUNDS,
        description=(
            "Days of violation after which a truce or agreement has collapsed: ceil(collapse_days /"
            " round_days) rounds with a violation, replacing `collapse_violations` when set (a truce that"
            " fails within days; with 7-day rounds any value up to 7 is one round). Unset: by rounds."
        ),
    )


class Combat(Strict):
    """The battles over the contested regions (docs/MODEL.md section 6); the kernel's own parameters are
    `sim.kernels.combat.CombatParams`, fitted on CDB90 (docs/COMBAT.md)."""

    contest_exponent: Float = Field(
        1.0,
        gt=0.0,
        le=5.0,
        description="m in p = F_a^m / (F_a^m + F_b^m): a side's chance of winning the war as a whole.",
    )
    noise: Float = Field(
        0.3, ge=0.0, le=10.0, description="Standard deviation of battle luck on each region's battle result."
    )
    battles_per_round: NonNegative = Field(
        0.05,
        description=(
            "CDB90 battles' worth of casualties a round of full-intensity fighting costs each side (the"
            " kernel's casualty fractions x this, averaged over the fronts): 0.05 keeps about 0.3% a round"
            " (~15% a year) at an even front of 10,000 men."
        ),
    )
    depth_km: Float = Field(
        200.0,
        gt=0.0,
        le=10_000.0,
        description=(
            "Depth in km of a region whose area is not given: a side sure to win takes round_days x Dupuy's"
            " advance rate x mobility / depth of it per round."
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
    support_kinds: SupportKinds = Field(default_factory=SupportKinds)
    learning: Learning = Field(default_factory=Learning)
    stop: Stop = Field(default_factory=Stop)
