"""The positions chart: each actor's stated position per issue over the rounds, with the forums' proposals."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from sim.engine.log import Kind
from sim.model import ConflictModel
from sim.viz.charts.base import Chart, short

FORUM_MARKERS = ("*", "P", "X", "D", "v", "^")


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
