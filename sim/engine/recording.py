"""Rows of rounds.csv (docs/FORMATS.md): the columns of a scenario and one row per round."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from sim.engine.derived import Derived, national_control, strength, weariness
from sim.engine.state import State
from sim.engine.structure import Structure
from sim.scenario import Scenario
from sim.scenario.names import support_column

OIL_COLUMNS = ("oil_output_bpd", "oil_loss_bbl", "revenue_loss_usd")  # and revenue_<side>
# The columns holding words, not numbers: the date, the ceasefire status, and per forum its accord's status
# (`accord_<forum>`) and who signed its text (`signed_<forum>`).
TEXT_COLUMNS = ("date", "status")
TEXT_PREFIXES = ("accord_", "signed_")


def is_text_column(name: str) -> bool:
    """Whether the rounds.csv column `name` holds text (a numeric test cannot read it), by its name."""
    return name in TEXT_COLUMNS or name.startswith(TEXT_PREFIXES)


def reports_oil(scenario: Scenario) -> bool:
    """Whether a run of the scenario has an oil economy to record: an `economy` with a baseline output, or an
    event that sets or adds one. A war without either has no oil columns, keys or panels (docs/FORMATS.md)."""
    economy = scenario.economy
    if economy is not None and economy.oil_baseline_bpd > 0:
        return True
    paths = (f.set or f.add for e in scenario.events for f in e.effects)
    return any(p == "economy.oil_baseline_bpd" for p in paths)


def row_columns(s: Structure, st: State, *, oil: bool) -> list[str]:
    """The columns of rounds.csv for this scenario, in order (docs/FORMATS.md); `oil`: with the oil economy's
    columns (`reports_oil`)."""
    sides = s.side_ids
    cols = ["round", "date", "status", "violations", *(OIL_COLUMNS if oil else ()), "fighting"]
    for prefix in (
        "rung",
        "control",
        "forces",
        "strength",
        "blockade",
        "trust",
        *(("revenue",) if oil else ()),
    ):
        cols += [f"{prefix}_{sid}" for sid in sides]
    cols += [f"forecast_{q}" for q in s.issue_ids]
    cols += [f"control_{rid}_{sid}" for rid in s.region_ids for sid in sides]
    ch = st.channels
    cols += [support_column(aid, j, ch.kind[e], s.actor_ids[ch.dst[e]]) for (aid, j), e in s.sup_slot.items()]
    cols += [f"rung_{s.actor_ids[m]}" for m in members(s)]
    cols += [f"accord_{fid}" for fid in st.forums]
    cols += [f"war_cost_{sid}" for sid in sides]
    cols += [f"agreement_{fid}" for fid in st.forums]
    cols += [f"signed_{fid}" for fid in st.forums]
    return cols


def war_costs(st: State, s: Structure) -> np.ndarray:
    """Each side's cost of fighting on (S,), in proposal-utility units: c_i = war_cost x cost_aversion_i x W, W
    the weariness multiplier (`derived.weariness`); the war term of the belligerent's sign-or-refuse decision,
    without the oil revenue it loses (docs/MODEL.md section 2.2)."""
    aversion = st.actors.goals["cost_aversion"][s.side_actors]
    return st.engine.bargaining.war_cost * aversion * weariness(st)


def members(s: Structure) -> list[int]:
    """The coalition members that do not lead their side (each has its own rung column)."""
    return [int(b) for b in s.belligerents if b not in s.sides]


def round_row(
    s: Structure, st: State, d: Derived, r: int, date: dt.date, columns: list[str]
) -> dict[str, Any]:
    """One row of rounds.csv: the state at the end of round r (round 0: the starting state); `columns` from
    `row_columns`, whose oil columns say whether the oil economy is recorded."""
    b = s.side_actors
    oil = columns[4] == OIL_COLUMNS[0]
    numbers = np.concatenate(
        [
            st.actors.rung[b],
            national_control(st, d),
            st.actors.forces[b],
            strength(s, st, d),
            st.blockading,
            st.trust,
            *((st.revenue,) if oil else ()),
            st.forecast,
            st.theatre.control.ravel(),
            # the scenario's channels (threats may open more after them)
            st.channels.level[: len(s.sup_slot)],
        ]
    ).tolist()
    head = [r, date.isoformat(), st.accord_status, st.violations]
    if oil:
        head += [st.oil_output, st.oil_loss_bbl, st.revenue_loss_usd]
    head.append(st.fight)
    n = len(b)
    numbers[:n] = [int(v) for v in numbers[:n]]
    numbers[4 * n : 5 * n] = [int(v) for v in numbers[4 * n : 5 * n]]
    numbers += [int(st.actors.rung[m]) for m in members(s)]
    accords = [st.accords[fid].status if fid in st.accords else "none" for fid in st.forums]
    in_force = [int(fid in st.accords and st.accords[fid].in_force) for fid in st.forums]
    signed = ["+".join(sorted(s.actor_ids[a] for a in f.signed)) for f in st.forums.values()]
    tail = accords + war_costs(st, s).tolist() + in_force + signed
    return dict(zip(columns, head + [None if v != v else v for v in numbers] + tail, strict=True))


def row_value(model: Any, key: str) -> Any:
    """Model reporter: one column of the latest round's row (module-level so the collector pickles)."""
    return model.history[-1].get(key)
