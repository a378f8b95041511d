"""Fan charts of many runs: the median and the 50% and 90% bands of each round's values across replications.

`panels(model)` says what is drawn for a scenario (from a model at round 0: its sides, regions, patrons,
ladder and oil): control of the country per side, the rung per side, oil output (only when the scenario has
oil), support per patron (the sum of the patron's channels), and control of each region per side. `fan`
turns runs x rounds values into bands (`QUANTILES`, NumPy's default linear interpolation between order
statistics), `figure` draws one scenario's fan, or several scenarios' fans overlaid, on dated x axes;
`draw` returns the axes so a caller can draw more on them (the browser page's live run). Figures use
matplotlib's Figure API (no pyplot state), so they are safe in threads and workers.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.outputs import has_oil
from sim.plots import SIDE_COLOURS
from sim.scenario.names import support_column
from sim.trajectories import Series, Trajectory, carry_forward, read_series

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)  # the 90% band, the 50% band, the median
PATRON_COLOURS = ("tab:orange", "tab:brown", "tab:olive", "tab:cyan", "tab:pink", "tab:gray")
SHARE = (-0.02, 1.02)  # a share of 0 or 1 stays visible off the frame
SCENARIO_COLOURS = ("black", "tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange", "tab:brown")


@dataclass(frozen=True)
class Line:
    """One banded quantity: the sum of some rounds.csv columns, times `scale`."""

    key: str
    label: str
    columns: tuple[str, ...]
    colour: str
    scale: float = 1.0


@dataclass(frozen=True)
class Panel:
    title: str
    lines: tuple[Line, ...]
    ylabel: str = ""
    ylim: tuple[float, float] | None = None
    # With exactly two sides the second side's control share is 1 minus the first's: an overlay of
    # scenarios draws only the first (the rest is the other side's).
    complement: bool = False


def panels(model) -> list[Panel]:
    """What the fan shows for this scenario, in reading order."""
    m = model
    sides = m.side_ids
    colour = {s: SIDE_COLOURS[i % len(SIDE_COLOURS)] for i, s in enumerate(sides)}
    two = len(sides) == 2
    out = [
        Panel(
            "Control of the country",
            tuple(Line(f"control_{s}", s, (f"control_{s}",), colour[s]) for s in sides),
            "share",
            SHARE,
            complement=two,
        ),
        Panel(
            "Escalation rung",
            tuple(Line(f"rung_{s}", s, (f"rung_{s}",), colour[s]) for s in sides),
            f"rung (0 = {m.spec.ladder[0].name.lower()})",
            (-0.2, len(m.spec.ladder) - 0.8),
        ),
    ]
    if has_oil(m):  # a war without oil has no oil columns
        out.append(
            Panel(
                "Oil output",
                (Line("oil_output_bpd", "output", ("oil_output_bpd",), "black", 1e-6),),
                "million barrels/day",
                (0, m.economy.oil_baseline_bpd * 1.05e-6),
            )
        )
    channels: dict[str, list[str]] = {}
    for (aid, j), e in m.sup_slot.items():
        channels.setdefault(aid, []).append(support_column(aid, j, m.sup_kind[e], m.actor_ids[m.sup_to[e]]))
    if channels:
        out.append(
            Panel(
                "Support per patron",
                tuple(
                    Line(f"support_{aid}", aid, tuple(cols), PATRON_COLOURS[i % len(PATRON_COLOURS)])
                    for i, (aid, cols) in enumerate(channels.items())
                ),
                "force units (all its channels)",
            )
        )
    for rid in m.region_ids:
        name = textwrap.shorten(m.spec.theatre.regions[rid].name.split(" (")[0], 40, placeholder="…")
        out.append(
            Panel(
                f"Control: {name}",
                tuple(Line(f"control_{rid}_{s}", s, (f"control_{rid}_{s}",), colour[s]) for s in sides),
                "share",
                SHARE,
                complement=two,
            )
        )
    return out


def columns(layout: Sequence[Panel]) -> list[str]:
    """The rounds.csv columns the panels need, each once."""
    return list(dict.fromkeys(c for p in layout for line in p.lines for c in line.columns))


def read(path: str | Path, layout: Sequence[Panel]) -> Series:
    """The panels' columns from a trajectories.parquet."""
    return read_series(path, columns(layout))


def series_of(runs: Sequence[Trajectory], variables: Sequence[str], layout: Sequence[Panel]) -> Series:
    """The panels' columns from trajectories held in memory (the browser page's few runs)."""
    rounds = max(len(t.dates) for t in runs)
    longest = max(runs, key=lambda t: len(t.dates))
    last = np.array([len(t.dates) - 1 for t in runs])
    where = {v: i for i, v in enumerate(variables)}
    values = {}
    for col in columns(layout):
        block = np.full((len(runs), rounds), np.nan)
        for k, t in enumerate(runs):
            block[k, : len(t.dates)] = t.values[:, where[col]]
        values[col] = carry_forward(block, last)
    return Series(list(np.array(longest.dates, dtype="datetime64[D]")), values)


@dataclass(frozen=True)
class Fan:
    """Per line key: the QUANTILES of its values across runs, one row per quantile, one column per round."""

    dates: np.ndarray
    bands: dict[str, np.ndarray]
    runs: int


def fan(series: Series, layout: Sequence[Panel]) -> Fan:
    bands = {}
    runs = 0
    for p in layout:
        for line in p.lines:
            total = np.asarray(sum(series.values[c] for c in line.columns)) * line.scale
            runs = total.shape[0]
            bands[line.key] = np.quantile(total, QUANTILES, axis=0)
    return Fan(np.array(series.dates, dtype="datetime64[D]"), bands, runs)


def live_values(model, layout: Sequence[Panel]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """One model's rounds so far as (dates, {line key: values}), to draw over a fan."""
    h = model.history
    dates = np.array([row["date"] for row in h], dtype="datetime64[D]")
    values = {
        line.key: np.array([sum(row[c] for c in line.columns) for row in h], dtype=float) * line.scale
        for p in layout
        for line in p.lines
    }
    return dates, values


def merge(layouts: Sequence[Sequence[Panel]]) -> list[Panel]:
    """The panels of several scenarios in one layout: panels by title, each with every scenario's lines
    (a counterfactual may lack a patron's channels, or add one)."""
    merged: dict[str, Panel] = {}
    for layout in layouts:
        for p in layout:
            if p.title not in merged:
                merged[p.title] = p
                continue
            known = {line.key for line in merged[p.title].lines}
            extra = tuple(line for line in p.lines if line.key not in known)
            if extra:
                old = merged[p.title]
                merged[p.title] = Panel(old.title, old.lines + extra, old.ylabel, old.ylim, old.complement)
    return list(merged.values())


def _overlay_panels(layout: Sequence[Panel], fans: Sequence[tuple[str, Fan]]) -> list[Panel]:
    """One line per panel, the second side of a two-sided control panel left out (it is the complement), and
    no panel for a quantity that no run of any scenario ever changed (listed under the figure instead)."""
    out = []
    for p in layout:
        lines = p.lines[:1] if p.complement else p.lines
        for line in lines:
            if _flat(line.key, fans):
                continue
            title = p.title if len(p.lines) == 1 else f"{p.title}: {line.label}"
            out.append(Panel(title, (line,), p.ylabel, p.ylim))
    return out


def _flat(key: str, fans: Sequence[tuple[str, Fan]]) -> bool:
    bands = [f.bands[key] for _, f in fans if key in f.bands]
    return all(np.nanmax(b) == np.nanmin(b) for b in bands)


def figure(
    layout: Sequence[Panel],
    fans: Sequence[tuple[str, Fan]],
    *,
    ncols: int = 4,
    panel_size: tuple[float, float] = (3.6, 2.5),
) -> Figure:
    """One scenario's fan (lines coloured per side or patron), or several overlaid (one colour per
    scenario, one line per panel), on a new figure sized for the panels."""
    count = len(_overlay_panels(layout, fans) if len(fans) > 1 else layout)
    ncols = min(ncols, count)
    nrows = math.ceil(count / ncols)
    fig = Figure(figsize=(panel_size[0] * ncols, panel_size[1] * nrows + 0.6), layout="constrained")
    draw(fig, layout, fans, ncols=ncols)
    return fig


def draw(
    fig: Figure,
    layout: Sequence[Panel],
    fans: Sequence[tuple[str, Fan]],
    *,
    ncols: int = 4,
    title: bool = True,
) -> list[tuple[Axes, Panel]]:
    """Draw the fans on `fig`, a panel per axes; the (axes, panel) pairs, for drawing more on them."""
    overlay = len(fans) > 1
    shown = _overlay_panels(layout, fans) if overlay else list(layout)
    ncols = min(ncols, len(shown))
    nrows = math.ceil(len(shown) / ncols)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, sharex=True, squeeze=False).ravel())
    runs = "/".join(str(r) for r in sorted({f.runs for _, f in fans}))
    if title and overlay:
        fig.suptitle(
            f"{' · '.join(label for label, _ in fans)}: median and 50% band of {runs} runs each, the same seeds",
            fontsize=11,
        )
    elif title:
        fig.suptitle(f"{fans[0][0]}: median, 50% and 90% bands of {runs} runs", fontsize=11)
    for ax, p in zip(axes, shown, strict=False):
        for k, (label, f) in enumerate(fans):
            for line in (line for line in p.lines if line.key in f.bands):
                colour = SCENARIO_COLOURS[k % len(SCENARIO_COLOURS)] if overlay else line.colour
                q = f.bands[line.key]
                if not overlay:  # overlaid, the 90% bands of several scenarios would cover everything
                    ax.fill_between(f.dates, q[0], q[4], color=colour, alpha=0.15, lw=0)
                ax.fill_between(f.dates, q[1], q[3], color=colour, alpha=0.15 if overlay else 0.35, lw=0)
                ax.plot(f.dates, q[2], color=colour, lw=1.4, label=label if overlay else line.label)
        ax.set_title(p.title, fontsize=9)
        ax.set_ylabel(p.ylabel, fontsize=7)
        if p.ylim:
            ax.set_ylim(*p.ylim)
        ax.tick_params(labelsize=7, labelbottom=True)  # dates under every panel, not only the last row
        locator = mdates.AutoDateLocator(maxticks=5)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        if not overlay and len(p.lines) > 1:
            ax.legend(fontsize=6, loc="best")
    for ax in axes[len(shown) :]:
        ax.set_visible(False)
    if overlay:
        still = [
            p.title if len(p.lines) == 1 else f"{p.title}: {line.label}"
            for p in layout
            for line in (p.lines[:1] if p.complement else p.lines)
            if _flat(line.key, fans)
        ]
        handles, labels = axes[0].get_legend_handles_labels()
        note = ("The same in every run of every scenario: " + "; ".join(still)) if still else None
        fig.legend(
            handles,
            labels,
            loc="outside lower center",
            ncol=len(fans),
            fontsize=8,
            title=note,
            title_fontsize=7,
        )
    return list(zip(axes, shown, strict=False))


def png(fig: Figure, dpi: int = 100) -> bytes:
    buf = io.BytesIO()
    FigureCanvasAgg(fig)
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()
