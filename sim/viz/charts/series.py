"""Charts of one quantity per round read from the model's history rows: the belligerents' rungs, and oil."""

from __future__ import annotations

from sim.model import ConflictModel
from sim.viz.charts.base import Chart, short


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
