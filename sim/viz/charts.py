"""The page's figures as PNG frames: one matplotlib Figure per chart and per model, kept and updated in place.

A chart draws its static parts (axes, ticks, labels, legends) once into a background, and each round only
puts its moving artists (lines, markers, bars) back on that background (matplotlib's blitting) and encodes
the pixels as a PNG. Time axes span the whole run from the start (`clock.max_rounds`, or a window that
doubles for very long runs), so the background stays valid while the lines grow; it is drawn again only
when an axis has to widen. A chart whose inputs did not change in a round returns its previous frame.
Figures are drawn on their own Agg canvas, never through pyplot, so no global backend state is touched.
"""

from __future__ import annotations

import io
import textwrap

import networkx as nx
import numpy as np
import PIL.Image
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

from sim.engine.log import Kind
from sim.model import ConflictModel

DPI = 80
WINDOW = 52  # rounds the time axes show at first (a year of weekly rounds); doubled as a run outgrows it
SIDE_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
NEUTRAL = "#7f7f7f"
FORUM_MARKERS = ("*", "P", "X", "D", "v", "^")
HOSTILE = -0.5  # affinity at or below which the network draws a hostility edge
ROLE_SHAPES = {"belligerent": "o", "patron": "s", "mediator": "D", "stakeholder": "^"}


def _lighter(colour: str, amount: float) -> tuple[float, float, float]:
    r, g, b = to_rgb(colour)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def actor_colours(m: ConflictModel) -> list[str | tuple[float, float, float]]:
    """A colour per actor: its side's; each further actor on a side a lighter shade; no side: grey."""
    colours: list[str | tuple[float, float, float]] = []
    seen: dict[int, int] = {}  # side -> actors of it coloured so far
    for i in range(len(m.actor_ids)):
        k = int(m.side_of[i])
        if k < 0:
            colours.append(NEUTRAL)
            continue
        n = seen.get(k, 0)
        seen[k] = n + 1
        colours.append(_lighter(SIDE_COLOURS[k % len(SIDE_COLOURS)], min(0.6, 0.22 * n)))
    return colours


def short(text: str, width: int) -> str:
    return textwrap.shorten(text, width=width, placeholder="…")


class Chart:
    """A figure kept for one model. `frame(model)` gives the PNG of what it shows now.

    Subclasses build the static figure in `__init__` (moving artists made with `animated=True`), say what
    their picture depends on in `state`, and move the artists in `refresh`, which returns True when the
    background itself changed (an axis widened)."""

    size = (6.0, 4.3)  # SolaraViz's grid cells are 390 px tall; the page caps images at 350 px

    def __init__(self, m: ConflictModel) -> None:
        self.figure = Figure(figsize=self.size, dpi=DPI, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        self.colours = actor_colours(m)
        self.max_rounds = m.max_rounds
        self.window = min(m.max_rounds, WINDOW)
        self.key: object = None
        self.png = b""
        self.background: object | None = None  # the canvas's saved pixels (an opaque matplotlib region)
        self.moving: list[Artist] | None = None

    def state(self, m: ConflictModel):
        raise NotImplementedError

    def refresh(self, m: ConflictModel) -> bool:
        raise NotImplementedError

    def frame(self, m: ConflictModel) -> bytes:
        key = self.state(m)
        if key == self.key:
            return self.png
        if self.refresh(m) or self.background is None:
            self.canvas.draw()  # the static parts; animated artists are skipped
            if self.figure.get_layout_engine() is not None:
                self.figure.set_layout_engine("none")  # laid out once: later frames keep the same geometry
            self.background = self.canvas.copy_from_bbox(self.figure.bbox)
        else:
            self.canvas.restore_region(self.background)
        if self.moving is None:  # found once: findobj walks every tick of every axis, ~25 ms a frame
            self.moving = self.figure.findobj(lambda a: a.get_animated())
        for artist in self.moving:
            self.figure.draw_artist(artist)
        self.png = encode(self.canvas)
        self.key = key
        return self.png

    def widen(self, axes, last_round: int) -> bool:
        """Double the time window when the run outgrows it; True when the axes changed."""
        changed = self.background is None
        while last_round > self.window and self.window < self.max_rounds:
            self.window = min(self.max_rounds, 2 * self.window)
            changed = True
        if changed:
            for ax in axes:
                ax.set_xlim(0, max(self.window, 1))
        return changed


def encode(canvas: FigureCanvasAgg) -> bytes:
    """The canvas's pixels as a PNG; fast compression, since the frame is sent once and then replaced."""
    width, height = canvas.get_width_height()
    image = PIL.Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", compress_level=1)
    return out.getvalue()


class Network(Chart):
    """Who backs whom and who is hostile: nodes sized by forces (belligerents) or capability (others),
    coloured by side, shaped by role, outlined thicker the higher their rung; arrows for support (width:
    level, labelled in thousands); dashed red lines for hostility. The artists are made once and updated;
    the figure is rebuilt only if a new support channel opens (a threat carried out)."""

    size = (6.0, 4.3)

    def __init__(self, m: ConflictModel) -> None:
        super().__init__(m)
        self.ax = self.figure.subplots()
        self.pos = self._layout(m)
        n = len(m.actor_ids)
        self.hostile = [
            (m.actor_ids[a], m.actor_ids[b])
            for a in range(n)
            for b in range(a + 1, n)
            if min(m.affinity[a, b], m.affinity[b, a]) <= HOSTILE
        ]
        self.pairs: list[tuple[str, str]] = []

    @staticmethod
    def _layout(m: ConflictModel) -> dict[str, tuple[float, float]]:
        """Each side a column (its belligerent at the bottom, its backers stacked above); the unaligned
        in the middle."""
        columns = {k: 2.0 * k for k in range(len(m.sides))}
        middle = (max(columns.values()) / 2) if columns else 0.0
        pos: dict[str, tuple[float, float]] = {}
        stacked: dict[int, int] = {}  # side -> backers placed in its column so far
        for i, aid in enumerate(m.actor_ids):
            k = int(m.side_of[i])
            if m.role[i] == "belligerent":
                pos[aid] = (columns[k], 0.0)
                continue
            slot = stacked.get(k, 0)
            stacked[k] = slot + 1
            if k >= 0:
                pos[aid] = (columns[k] + (0.45 if slot % 2 == 0 else -0.45), 1.0 + 0.75 * slot)
            else:
                pos[aid] = (middle, 0.6 + 0.75 * slot)
        return pos

    @staticmethod
    def _levels(m: ConflictModel) -> dict[tuple[str, str], float]:
        """Support summed per (patron, recipient) over its channels."""
        levels: dict[tuple[str, str], float] = {}
        for e in range(len(m.sup_level)):
            pair = (m.actor_ids[m.sup_from[e]], m.actor_ids[m.sup_to[e]])
            levels[pair] = levels.get(pair, 0.0) + float(m.sup_level[e])
        return levels

    def state(self, m: ConflictModel):
        return (
            tuple(m.rung.tolist()),
            tuple(np.round(m.forces, 1).tolist()),
            tuple(np.round(m.sup_level, 2).tolist()),
        )

    def _build(self, m: ConflictModel, pairs: list[tuple[str, str]]) -> None:
        ax = self.ax
        ax.clear()
        ax.set_axis_off()
        nx.draw_networkx_edges(
            nx.Graph(self.hostile),
            self.pos,
            ax=ax,
            style="dashed",
            edge_color="#c0392b",
            alpha=0.55,
            width=1.2,
        )
        graph = nx.DiGraph(pairs)
        graph.add_nodes_from(m.actor_ids)
        self.arrows = nx.draw_networkx_edges(
            graph,
            self.pos,
            ax=ax,
            edgelist=pairs,
            edge_color=[self.colours[m.actor_index[a]] for a, _ in pairs],
            arrowsize=14,
            node_size=900,
        )
        self.edge_labels = nx.draw_networkx_edge_labels(
            graph,
            self.pos,
            ax=ax,
            edge_labels=dict.fromkeys(pairs, ""),
            font_size=7,
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
        )
        self.nodes = []
        for role, shape in ROLE_SHAPES.items():
            members = [i for i, r in enumerate(m.role) if r == role]
            if members:
                collection = nx.draw_networkx_nodes(
                    graph,
                    self.pos,
                    ax=ax,
                    nodelist=[m.actor_ids[i] for i in members],
                    node_shape=shape,
                    node_color=[self.colours[i] for i in members],
                )
                self.nodes.append((members, collection))
        self.rung_labels = {
            i: ax.annotate(
                "",
                self.pos[aid],
                xytext=(0, -30),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=7.5,
            )
            for i, aid in enumerate(m.actor_ids)
            if m.role[i] == "belligerent"
        }
        names = nx.draw_networkx_labels(graph, self.pos, ax=ax, font_size=8, font_weight="bold")
        xs = [p[0] for p in self.pos.values()]
        ys = [p[1] for p in self.pos.values()]
        ax.set_xlim(min(xs) - 1.3, max(xs) + 1.3)
        ax.set_ylim(min(ys) - 0.9, max(ys) + 0.5)
        ax.legend(
            handles=[
                Line2D([], [], color="grey", lw=2, label="support (thousands)"),
                Line2D([], [], color="#c0392b", ls="--", label="hostile"),
            ],
            loc="upper right",
            fontsize=7,
            frameon=False,
        )
        for artist in [
            *self.arrows,
            *self.edge_labels.values(),
            *(c for _, c in self.nodes),
            *self.rung_labels.values(),
            *names.values(),  # drawn after the nodes they sit on
        ]:
            artist.set_animated(True)
        self.moving = None

    def refresh(self, m: ConflictModel) -> bool:
        levels = self._levels(m)
        pairs = list(levels)
        rebuilt = pairs != self.pairs
        if rebuilt:
            self._build(m, pairs)
            self.pairs = pairs
        for arrow, pair in zip(self.arrows, pairs, strict=True):
            arrow.set_linewidth(0.8 + 1.4 * levels[pair])
            arrow.set_alpha(1.0 if levels[pair] > 0 else 0.25)
        for pair, text in self.edge_labels.items():
            text.set_text(f"{levels[pair]:.2f}k")
        for members, collection in self.nodes:
            collection.set_sizes([self._size(m, i) for i in members])
            collection.set_edgecolors(["black" if m.rung[i] > 0 else "white" for i in members])
            collection.set_linewidths([1.0 + 1.2 * float(m.rung[i]) for i in members])
        ladder = m.spec.ladder
        for i, label in self.rung_labels.items():
            rung = int(m.rung[i])
            label.set_text(f"rung {rung}: {short(ladder[rung].name, 24)}\n{m.forces[i]:.1f}k fighters")
        return rebuilt

    @staticmethod
    def _size(m: ConflictModel, i: int) -> float:
        if m.role[i] == "belligerent":
            return 350 + 35 * float(m.forces[i])
        return 250 + 6 * float(m.capability[i])


class Positions(Chart):
    """Each actor's stated position on each issue over the rounds (a panel per issue), with every forum's
    proposals marked where they were tabled."""

    size = (6.6, 4.4)

    def __init__(self, m: ConflictModel) -> None:
        super().__init__(m)
        q = len(m.issue_ids)
        cols = 3 if q > 4 else max(min(q, 2), 1)
        rows = -(-q // cols)
        axes = np.atleast_1d(self.figure.subplots(rows, cols, sharex=True, squeeze=False)).ravel()
        self.forums = list(m.forums)
        self.lines: dict[tuple[int, int], Line2D] = {}
        self.marks = {}
        self.seen = 0  # events already scanned for proposals
        self.proposals: dict[tuple[str, int], list[tuple[int, float]]] = {}
        start = m.positions
        for j, iid in enumerate(m.issue_ids):
            ax = axes[j]
            issue = m.spec.issues[iid]
            ax.set_title(short(issue.name, 34), fontsize=8)
            ax.set_ylim(*issue.scale)
            ax.tick_params(labelsize=7)
            for i in range(len(m.actor_ids)):
                if np.isnan(start[i, j]):
                    continue
                style = "-" if m.role[i] == "belligerent" else (":" if m.side_of[i] < 0 else "--")
                (self.lines[i, j],) = ax.plot(
                    [],
                    [],
                    style,
                    color=self.colours[i],
                    lw=1.4,
                    marker="o",
                    ms=3.5,
                    markevery=[-1],
                    animated=True,
                )
            for f, fid in enumerate(self.forums):
                if j in m.forums[fid].issues:
                    self.marks[fid, j] = ax.scatter(
                        [],
                        [],
                        marker=FORUM_MARKERS[f % len(FORUM_MARKERS)],
                        s=60,
                        c="gold",
                        edgecolors="black",
                        linewidths=0.6,
                        zorder=5,
                        animated=True,
                    )
        spare = axes[q:]
        for ax in spare:
            ax.set_axis_off()
        handles = [
            Line2D([], [], color=self.colours[i], ls="-" if m.role[i] == "belligerent" else "--", label=aid)
            for i, aid in enumerate(m.actor_ids)
            if any((i, j) in self.lines for j in range(q))
        ]
        handles += [
            Line2D(
                [],
                [],
                marker=FORUM_MARKERS[f % len(FORUM_MARKERS)],
                ls="",
                color="gold",
                markeredgecolor="black",
                label=f"{fid} proposal",
            )
            for f, fid in enumerate(self.forums)
        ]
        host = spare[0] if len(spare) else axes[0]
        host.legend(handles=handles, loc="center", fontsize=7, frameon=False, ncol=2 if len(spare) else 1)
        self.axes = axes[:q]

    def state(self, m: ConflictModel):
        return (len(m.viz_positions), len(m.events))

    def refresh(self, m: ConflictModel) -> bool:
        for event in m.events[self.seen :]:
            if event["type"] == Kind.PROPOSAL:
                for iid, value in event["terms"].items():
                    self.proposals.setdefault((event["forum"], m.issue_ids.index(iid)), []).append(
                        (event["round"], value)
                    )
        self.seen = len(m.events)
        history = np.asarray(m.viz_positions)
        rounds = np.arange(len(history))
        for (i, j), line in self.lines.items():
            line.set_data(rounds, history[:, i, j])
        for key, scatter in self.marks.items():
            points = self.proposals.get(key)
            if points:
                scatter.set_offsets(points)
        return self.widen(self.axes, len(history) - 1)


class Rungs(Chart):
    """Each belligerent's escalation rung, round by round, on the scenario's ladder."""

    def __init__(self, m: ConflictModel) -> None:
        super().__init__(m)
        ax = self.ax = self.figure.subplots()
        ladder = m.spec.ladder
        ax.set_yticks(
            range(len(ladder)), [f"{k} {short(r.name, 22)}" for k, r in enumerate(ladder)], fontsize=7
        )
        ax.set_ylim(-0.3, len(ladder) - 0.7)
        ax.set_xlabel("round", fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="y", alpha=0.3)
        self.lines, self.offsets = {}, {}
        for k, b in enumerate(m.sides):
            sid = m.actor_ids[b]
            self.offsets[sid] = 0.06 * (k - (len(m.sides) - 1) / 2)  # equal rungs of two sides stay visible
            (self.lines[sid],) = ax.plot(
                [], [], drawstyle="steps-post", color=self.colours[b], lw=2, label=sid, animated=True
            )
        ax.legend(fontsize=7, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=len(m.sides), frameon=False)

    def state(self, m: ConflictModel):
        return len(m.history)

    def refresh(self, m: ConflictModel) -> bool:
        rounds = [row["round"] for row in m.history]
        for sid, line in self.lines.items():
            line.set_data(rounds, [row[f"rung_{sid}"] + self.offsets[sid] for row in m.history])
        return self.widen([self.ax], rounds[-1])


class Oil(Chart):
    """Oil output against its baseline, and the output lost so far."""

    def __init__(self, m: ConflictModel) -> None:
        super().__init__(m)
        ax = self.ax = self.figure.subplots()
        self.loss_ax = ax.twinx()
        baseline = m.economy.oil_baseline_bpd / 1e3
        ax.axhline(baseline, color="black", lw=0.8, ls=":", label="baseline")
        (self.output,) = ax.plot(
            [], [], color="black", lw=2, label="output (thousand bbl/day)", animated=True
        )
        (self.loss,) = self.loss_ax.plot(
            [], [], color="#e67e22", lw=1.6, label="cumulative loss (million bbl)", animated=True
        )
        self.loss_top = 1.0
        self.loss_ax.set_ylim(0, self.loss_top)
        ax.set_ylim(0, max(baseline, 1) * 1.08)
        ax.set_xlabel("round", fontsize=8)
        ax.set_ylabel("thousand barrels/day", fontsize=8)
        self.loss_ax.set_ylabel("million barrels lost", fontsize=8, color="#e67e22")
        for a in (ax, self.loss_ax):
            a.tick_params(labelsize=7)
        ax.legend(
            handles=[self.output, self.loss],
            fontsize=7,
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            ncol=2,
            frameon=False,
        )

    def state(self, m: ConflictModel):
        return len(m.history)

    def refresh(self, m: ConflictModel) -> bool:
        rounds = [row["round"] for row in m.history]
        output = [row["oil_output_bpd"] / 1e3 for row in m.history]
        loss = [row["oil_loss_bbl"] / 1e6 for row in m.history]
        self.output.set_data(rounds, output)
        self.loss.set_data(rounds, loss)
        widened = False
        while loss[-1] > 0.85 * self.loss_top:  # doubling: the background is redrawn a few times per run
            self.loss_top *= 2
            widened = True
        if widened:
            self.loss_ax.set_ylim(0, self.loss_top)
        return self.widen([self.ax, self.loss_ax], rounds[-1]) or widened


class Control(Chart):
    """Who holds each region now (shares of the region), the country as a whole on top."""

    def __init__(self, m: ConflictModel) -> None:
        super().__init__(m)
        ax = self.ax = self.figure.subplots()
        assert m.spec.theatre is not None  # ConflictModel refuses a scenario without a theatre
        regions = m.spec.theatre.regions
        names = ["Country (population + oil)"] + [
            f"{short(regions[r].name, 22)}{' ⚔' if regions[r].contested else ''}"
            f"{f' · oil {regions[r].oil:.0%}' if regions[r].oil else ''}"
            for r in m.region_ids
        ]
        y = np.arange(len(names))[::-1]
        self.bars = []
        for b in m.sides:
            self.bars.append(
                ax.barh(y, np.zeros(len(names)), color=self.colours[b], label=m.actor_ids[b], height=0.7)
            )
            for bar in self.bars[-1]:
                bar.set_animated(True)
        self.texts = [
            [
                ax.text(0, yy, "", ha="center", va="center", fontsize=7, color="white", animated=True)
                for yy in y
            ]
            for _ in m.sides
        ]
        ax.set_yticks(y, names, fontsize=7)
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.tick_params(axis="x", labelsize=7)
        ax.legend(fontsize=7, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=len(m.sides), frameon=False)

    def shares(self, m: ConflictModel) -> np.ndarray:
        return np.vstack([m.national_control()[None, :], m.control])

    def state(self, m: ConflictModel):
        return tuple(np.round(self.shares(m), 3).ravel().tolist())

    def refresh(self, m: ConflictModel) -> bool:
        shares = self.shares(m)
        left = np.zeros(len(shares))
        for k, bars in enumerate(self.bars):
            for r, bar in enumerate(bars):
                bar.set_x(left[r])
                bar.set_width(shares[r, k])
                text = self.texts[k][r]
                text.set_text(f"{shares[r, k]:.0%}" if shares[r, k] >= 0.08 else "")
                text.set_x(left[r] + shares[r, k] / 2)
            left += shares[:, k]
        return False
