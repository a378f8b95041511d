"""The ground of a scenario: the `theatre:` regions (terrain, fortification, control) and the oil `economy:`."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sim.scenario.numbers import MAX_BPD, MAX_PRICE, Identifier, Share, Strict

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
