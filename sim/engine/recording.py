"""Rows of rounds.csv (docs/FORMATS.md): the columns of a scenario and one row per round."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from sim.engine.derived import Derived, national_control, strength
from sim.engine.state import State
from sim.engine.structure import Structure
from sim.scenario.names import support_column


def row_columns(s: Structure, st: State) -> list[str]:
    """The columns of rounds.csv for this scenario, in order (docs/FORMATS.md)."""
    sides = s.side_ids
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
    cols += [f"forecast_{q}" for q in s.issue_ids]
    cols += [f"control_{rid}_{sid}" for rid in s.region_ids for sid in sides]
    ch = st.channels
    cols += [support_column(aid, j, ch.kind[e], s.actor_ids[ch.dst[e]]) for (aid, j), e in s.sup_slot.items()]
    cols += [f"rung_{s.actor_ids[m]}" for m in members(s)]
    cols += [f"accord_{fid}" for fid in st.forums]
    return cols


def members(s: Structure) -> list[int]:
    """The coalition members that do not lead their side (each has its own rung column)."""
    return [int(b) for b in s.belligerents if b not in s.sides]


def round_row(
    s: Structure, st: State, d: Derived, r: int, date: dt.date, columns: list[str]
) -> dict[str, Any]:
    """One row of rounds.csv: the state at the end of round r (round 0: the starting state)."""
    b = s.side_actors
    numbers = np.concatenate(
        [
            st.actors.rung[b],
            national_control(st, d),
            st.actors.forces[b],
            strength(s, st, d),
            st.blockading,
            st.trust,
            st.revenue,
            st.forecast,
            st.theatre.control.ravel(),
            # the scenario's channels (threats may open more after them)
            st.channels.level[: len(s.sup_slot)],
        ]
    ).tolist()
    head = [
        r,
        date.isoformat(),
        st.accord_status,
        st.violations,
        st.oil_output,
        st.oil_loss_bbl,
        st.revenue_loss_usd,
        st.fight,
    ]
    n = len(b)
    numbers[:n] = [int(v) for v in numbers[:n]]
    numbers[4 * n : 5 * n] = [int(v) for v in numbers[4 * n : 5 * n]]
    numbers += [int(st.actors.rung[m]) for m in members(s)]
    accords = [st.accords[fid].status if fid in st.accords else "none" for fid in st.forums]
    return dict(zip(columns, head + [None if v != v else v for v in numbers] + accords, strict=True))


def row_value(model: Any, key: str) -> Any:
    """Model reporter: one column of the latest round's row (module-level so the collector pickles)."""
    return model.history[-1].get(key)
