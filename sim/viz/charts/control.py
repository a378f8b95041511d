"""The control chart: who holds each region now, the country as a whole on top."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import PercentFormatter

from sim.model import ConflictModel
from sim.viz.charts.base import Chart, short


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
