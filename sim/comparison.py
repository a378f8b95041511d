"""A comparison of scenarios run on the same seeds: outcome shares and key dates, each scenario against the
first (the base), with 95% intervals of the paired difference (`sim.paired`). docs/FORMATS.md, "compare".
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np

from sim.paired import bootstrap_median_difference, newcombe_paired, paired_table
from sim.replications import Outcomes

SHARE_METHOD = "Newcombe paired score (method 10)"
DATE_METHOD = "paired bootstrap of the medians (2000 resamples)"
EVENTS = (  # (label, Outcomes.first key)
    ("agreement signed", "agreement"),
    ("truce violated", "violation"),
    ("oil blockade", "blockade"),
)
OIL_EVENTS = ("blockade",)  # the EVENTS only a war with an oil economy has (`Outcomes.oil`)
COLUMNS = (
    "measure",
    "unit",
    "base",
    "scenario",
    "base_value",
    "value",
    "difference",
    "ci95_low",
    "ci95_high",
    "base_count",
    "count",
    "method",
)


def _reported(key: str, base: Outcomes, other: Outcomes) -> bool:
    """Whether the pair's rows include the event: an oil event only if one of the two has an oil economy (in
    a war without one it never happens, and its rows would only say so)."""
    return key not in OIL_EVENTS or base.oil or other.oil


def _event_measure(label: str) -> str:
    return f"{label} (at any time)"


def _indicators(o: Outcomes) -> dict[str, np.ndarray]:
    shares = {f"outcome: {label}": np.array(o.outcome) == label for label in set(o.outcome)}
    for label, key in EVENTS:
        shares[_event_measure(label)] = np.array([r is not None for r in o.first[key]])
    shares["partial signing"] = np.array(o.partial_signing)
    return shares


def _days(dates: list[str | None]) -> np.ndarray:
    return np.array([np.nan if d is None else dt.date.fromisoformat(d).toordinal() for d in dates])


def _median_date(days: np.ndarray) -> str | None:
    have = days[~np.isnan(days)]
    if not len(have):
        return None
    return dt.date.fromordinal(int(round(float(np.median(have))))).isoformat()


def compare(names: list[str], runs: list[Outcomes], seed: int = 0) -> list[dict]:
    """One row per measure and scenario after the first; every scenario must have run the same seeds."""
    base_name, base = names[0], runs[0]
    for name, o in zip(names[1:], runs[1:], strict=True):
        if o.seeds != base.seeds:
            raise ValueError(f"{name} ran other seeds than {base_name}: not a paired comparison")
    n = len(base)
    indicators = [_indicators(o) for o in runs]
    measures = sorted(set().union(*indicators), key=lambda m: (not m.startswith("outcome"), m))
    event_of = {_event_measure(label): key for label, key in EVENTS}
    rows = []
    for measure in measures:
        x = indicators[0].get(measure, np.zeros(n, bool))
        for name, o, ind in zip(names[1:], runs[1:], indicators[1:], strict=True):
            if measure in event_of and not _reported(event_of[measure], base, o):
                continue
            y = ind.get(measure, np.zeros(n, bool))
            low, high = newcombe_paired(*paired_table(x, y))
            rows.append(
                {
                    "measure": measure,
                    "unit": "share",
                    "base": base_name,
                    "scenario": name,
                    "base_value": float(x.mean()),
                    "value": float(y.mean()),
                    "difference": float(y.mean() - x.mean()),
                    "ci95_low": low,
                    "ci95_high": high,
                    "base_count": int(x.sum()),
                    "count": int(y.sum()),
                    "method": SHARE_METHOD,
                }
            )
    for _, key in EVENTS:
        x = _days(base.first_date[key])
        for name, o in zip(names[1:], runs[1:], strict=True):
            if not _reported(key, base, o):
                continue
            y = _days(o.first_date[key])
            mx, my = _median_date(x), _median_date(y)
            diff = None
            if mx and my:
                diff = float(np.nanmedian(y) - np.nanmedian(x))
            low, high = bootstrap_median_difference(x, y, seed=seed)
            rows.append(
                {
                    "measure": f"median date of the first {key}",
                    "unit": "date (difference in days)",
                    "base": base_name,
                    "scenario": name,
                    "base_value": mx,
                    "value": my,
                    "difference": diff,
                    "ci95_low": low,
                    "ci95_high": high,
                    "base_count": int(np.sum(~np.isnan(x))),
                    "count": int(np.sum(~np.isnan(y))),
                    "method": DATE_METHOD,
                }
            )
    return rows


def comparison_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: "" if r[k] is None else r[k] for k in COLUMNS})
    return buf.getvalue()


def comparison_text(rows: list[dict], replications: int, base_seed: int) -> str:
    """The table as a reader wants it: per scenario, each measure's base -> scenario and the difference."""
    lines = [
        f"{replications} replications per scenario on the same seeds (base seed {base_seed});"
        f" differences against {rows[0]['base'] if rows else '-'}, 95% intervals:"
        f" shares by {SHARE_METHOD}, dates by {DATE_METHOD}",
    ]
    for name in dict.fromkeys(r["scenario"] for r in rows):
        lines += ["", f"{name}:"]
        for r in (r for r in rows if r["scenario"] == name):
            if r["unit"] == "share":
                diff = f"{r['difference'] * 100:+6.1f} pts [{r['ci95_low'] * 100:+.1f}, {r['ci95_high'] * 100:+.1f}]"
                lines.append(f"  {r['measure']:<40} {r['base_value']:6.1%} -> {r['value']:6.1%}   {diff}")
            else:
                if r["difference"] is None:
                    diff = "n/a"
                elif r["ci95_low"] is None:
                    diff = f"{r['difference']:+5.0f} days"
                else:
                    diff = f"{r['difference']:+5.0f} days [{r['ci95_low']:+.0f}, {r['ci95_high']:+.0f}]"
                lines.append(
                    f"  {r['measure']:<40} {r['base_value'] or 'never':>10} -> {r['value'] or 'never':>10}   {diff}"
                    f"  (of {r['base_count']} -> {r['count']} runs)"
                )
    return "\n".join(lines)
