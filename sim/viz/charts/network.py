"""The network chart: who backs whom and who is hostile, each actor's rung and forces."""

from __future__ import annotations

import networkx as nx
import numpy as np
from matplotlib.lines import Line2D

from sim.model import ConflictModel
from sim.viz.charts.base import Chart, short

HOSTILE = -0.5  # affinity at or below which the network draws a hostility edge
ROLE_SHAPES = {"belligerent": "o", "patron": "s", "mediator": "D", "stakeholder": "^"}


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
