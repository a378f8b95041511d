"""The patrons' part of the `engine:` section: how patrons change their support (`engine.patrons`) and what
each kind of support costs, hides and shows (`engine.support_kinds`; docs/MODEL.md section 5)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from sim.scenario.numbers import NonNegative, Share, Strict


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
    enforce: bool = Field(
        True,
        description=(
            "A patron that co-signed an accord enforces it on its client: the client weighs the chance of"
            " losing that patron's support (leverage x share of its strength) as a sanction when it breaks"
            " the accord, and the patron cuts its support by `step` the round after a breach (the Sochi"
            " memorandum, 22 Oct 2019; Salehyan 2010; Byman & Kreps 2010)."
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


class SupportKind(Strict):
    """What one kind of patron support costs, whether it can be hidden, and how much resolve it shows."""

    cost: NonNegative = Field(
        description="Multiplier of `patrons.support_cost` for one force unit of this kind (troops = 1)."
    )
    covert: bool = Field(
        description="The kind can be given deniably (`mode: covert`); if false it is always seen."
    )
    resolve: Share = Field(
        description=(
            "Share of a channel's committed force units that counts in the balance of resolve its rivals weigh"
            " (a visible, costly commitment ties the patron's hands; Fearon 1997)."
        )
    )


# kind: (cost, covert, resolve); the sources and the reasons are in SupportKinds' docstring and docs/MODEL.md
SUPPORT_KIND_DEFAULTS: dict[str, tuple[float, bool, float]] = {
    "troops": (1.0, False, 1.0),  # own troops in combat: the costliest, always seen
    "air": (1.0, True, 1.0),  # air power; drones can be left unattributed (UN Panel of Experts, Libya 2019)
    "advisers": (0.5, True, 0.5),  # few people, training and targeting help (Byman 2001)
    "mercenaries": (0.5, True, 0.5),  # delegation: cheaper than own troops, deniable (Salehyan 2010)
    "arms": (0.4, True, 0.5),  # deliveries: no one of the patron's own at risk (Byman 2001)
    "money": (0.25, True, 0.25),  # the cheapest to give and to hide (Byman 2001)
    "political": (0.1, False, 0.25),  # statements and votes: public by nature (Regan 2002)
}


def _kind(name: str) -> Any:
    cost, covert, resolve = SUPPORT_KIND_DEFAULTS[name]
    return Field(default_factory=lambda: SupportKind(cost=cost, covert=covert, resolve=resolve))


class SupportKinds(Strict):
    """Per-kind defaults of patron support (docs/MODEL.md section 5, "Support kinds"). The ordering follows
    Regan 2002 (Civil Wars and Foreign Powers: military intervention costs a patron more than economic, economic
    more than diplomatic), Byman et al. 2001 (Trends in Outside Support for Insurgent Movements: states prefer
    money, arms, training and haven, which are cheap and deniable, to direct military support, which is rare,
    costly and seen) and Salehyan 2010 ("The delegation of war to rebel organizations": a proxy or hired force
    costs the patron less than its own troops and can be denied). Every number is a judgement on that ordering.
    A scenario may set one field of one kind; the others keep their defaults."""

    troops: SupportKind = _kind("troops")
    air: SupportKind = _kind("air")
    advisers: SupportKind = _kind("advisers")
    mercenaries: SupportKind = _kind("mercenaries")
    arms: SupportKind = _kind("arms")
    money: SupportKind = _kind("money")
    political: SupportKind = _kind("political")

    @model_validator(mode="before")
    @classmethod
    def _fill(cls, data: Any) -> Any:
        """A kind given in part keeps the defaults of the fields it leaves out."""
        if not isinstance(data, dict):
            return data
        out = dict(data)
        for name, given in data.items():
            if name in SUPPORT_KIND_DEFAULTS and isinstance(given, dict):
                cost, covert, resolve = SUPPORT_KIND_DEFAULTS[name]
                out[name] = {"cost": cost, "covert": covert, "resolve": resolve, **given}
        return out
