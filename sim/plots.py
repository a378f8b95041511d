"""report.png: one run on one page (matplotlib's Figure API, no pyplot state, safe in threads and workers)."""

from __future__ import annotations

import datetime as dt
import io
import textwrap

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.engine.log import Kind
from sim.outputs import has_oil

SIDE_COLOURS = ("tab:blue", "tab:red", "tab:green", "tab:purple", "tab:orange", "tab:brown")
MARKS = {
    Kind.AGREEMENT: ("*", "tab:green"),
    Kind.VIOLATION: ("x", "black"),
    Kind.COLLAPSED: ("v", "black"),
    Kind.BLOCKADE_STARTED: ("s", "tab:brown"),
    Kind.BLOCKADE_LIFTED: ("D", "tab:olive"),
    Kind.THREAT_CARRIED_OUT: ("^", "tab:orange"),
}


def report_figure(model) -> Figure:
    """Four panels over calendar time: rungs and key events, control per side, oil (a war without oil: each
    side's cost of fighting on), strength and support."""
    m = model
    h = m.history
    dates = [dt.date.fromisoformat(r["date"]) for r in h]
    sides = m.side_ids
    fig = Figure(figsize=(12, 8.5), layout="constrained")
    ax = fig.subplots(2, 2, sharex=True).ravel()
    fig.suptitle(f"{m.spec.name}  (seed {m.seed}): {m.outcome or 'running'}", fontsize=12)

    for i, s in enumerate(sides):
        ax[0].step(dates, [r[f"rung_{s}"] for r in h], where="post", color=SIDE_COLOURS[i % 6], label=s)
    ax[0].set_yticks(range(len(m.spec.ladder)))
    # Rung names are sentences; wrapped labels keep the panel wide enough to read.
    ax[0].set_yticklabels(
        [
            textwrap.fill(f"{k} {r.name}", 20, max_lines=2, placeholder="…")
            for k, r in enumerate(m.spec.ladder)
        ],
        fontsize=7,
    )
    ax[0].set_title("Escalation rung and key events")
    seen = set()
    for e in m.events:
        if e["type"] in MARKS:
            marker, colour = MARKS[e["type"]]
            label = e["type"] if e["type"] not in seen else None
            seen.add(e["type"])
            ax[0].plot(
                [dt.date.fromisoformat(e["date"])], [-0.35], marker=marker, color=colour, ls="", label=label
            )
    ax[0].set_ylim(-0.6, len(m.spec.ladder) - 0.6)
    ax[0].legend(fontsize=7, loc="upper left", ncol=2)

    for i, s in enumerate(sides):
        ax[1].plot(dates, [r[f"control_{s}"] for r in h], color=SIDE_COLOURS[i % 6], label=f"{s} (country)")
    for rid in m.region_ids[:6]:
        if m.contested[m.region_ids.index(rid)] and sides:
            ax[1].plot(
                dates, [r[f"control_{rid}_{sides[0]}"] for r in h], ls=":", lw=1, label=f"{sides[0]} in {rid}"
            )
    ax[1].set_ylim(0, 1)
    ax[1].set_title("Control: country (solid), contested regions (dotted)")
    ax[1].legend(fontsize=7)

    if has_oil(m):
        _oil_panel(ax[2], m, dates)
    else:  # a war without oil: what fighting on costs each side instead of an empty oil panel
        _war_cost_panel(ax[2], m, dates)

    for i, s in enumerate(sides):
        ax[3].plot(dates, [r[f"strength_{s}"] for r in h], color=SIDE_COLOURS[i % 6], label=f"{s} strength")
        ax[3].plot(
            dates, [r[f"forces_{s}"] for r in h], color=SIDE_COLOURS[i % 6], ls=":", label=f"{s} own forces"
        )
    ax[3].set_title("Own forces and strength with support (thousands)")
    ax[3].legend(fontsize=7)
    for a in ax:
        a.tick_params(axis="x", labelrotation=30, labelsize=8)
    return fig


def _war_cost_panel(ax, m, dates) -> None:
    for i, s in enumerate(m.side_ids):
        ax.plot(dates, [r[f"war_cost_{s}"] for r in m.history], color=SIDE_COLOURS[i % 6], label=s)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("proposal-utility units")
    ax.set_title("Cost of fighting on (war cost x cost aversion x weariness)")
    ax.legend(fontsize=7)


def _oil_panel(ax, m, dates) -> None:
    h = m.history
    ax.plot(dates, [r["oil_output_bpd"] / 1e6 for r in h], color="black", label="output (m b/d)")
    ax.set_ylabel("million barrels/day")
    ax.set_ylim(0, max(m.economy.oil_baseline_bpd / 1e6 * 1.05, 0.1))
    twin = ax.twinx()
    twin.plot(
        dates,
        [r["oil_loss_bbl"] / 1e6 for r in h],
        color="tab:brown",
        ls="--",
        label="cumulative loss (m bbl)",
    )
    twin.set_ylabel("million barrels lost")
    ax.set_title("Oil output and cumulative loss")
    ax.legend(fontsize=7, loc="lower left")
    twin.legend(fontsize=7, loc="lower right")


def report_png(model, dpi: int = 110) -> bytes:
    fig = report_figure(model)
    buf = io.BytesIO()
    FigureCanvasAgg(fig)
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()
