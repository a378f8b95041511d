"""The page's replications panel: N seeds of the run's scenario and settings in a background thread, then
their fan (median, 50% and 90% bands) with the live run drawn over it (dashed) as it goes.

The runs go through `sim.replications.run_all` in a solara task (a thread of the server), so Step, Play and
the other views keep working while they run; the panel shows how many are done. Seeds are children of the
live run's seed (`sim.sweep.designs.run_seed`, as `run --replications`), so `run.py run FILE --seed S
--replications N` with the same settings gives the same runs. The fan is drawn once; each round only the
live run's line is drawn again on it (`sim.viz.charts.base.Chart`'s blitting).
"""

from __future__ import annotations

from dataclasses import dataclass

import solara
from mesa.visualization.utils import update_counter

from sim import fans
from sim.model import ConflictModel
from sim.trajectories import Trajectory
from sim.viz.charts.base import Chart

DEFAULT_RUNS = 40
MAX_RUNS = 500  # held in memory in the server; the CLI streams any number to disk
LIVE = "#c2185b"  # the live run: a colour no side, patron or median uses
PANELS = 4  # country control, rungs, oil, support: what one grid cell shows legibly


@dataclass(frozen=True)
class Done:
    """A finished set of replications, and what it was run for (the live run's file, seed and settings)."""

    made_for: tuple
    fan: fans.Fan
    layout: tuple
    runs: int


def made_for(m: ConflictModel) -> tuple:
    return (m.viz_file, m.seed, tuple(sorted(m.viz_changed.items())))


class FanChart(Chart):
    """The fan as a static background; the live run's lines are the moving artists."""

    def __init__(self, m: ConflictModel, done: Done) -> None:
        super().__init__(m)
        self.layout = done.layout
        drawn = fans.draw(self.figure, done.layout, [("", done.fan)], ncols=2, title=False)
        self.live = []
        for ax, panel in drawn:
            for line in panel.lines:
                (artist,) = ax.plot([], [], color=LIVE, lw=1.3, ls="--", animated=True)
                self.live.append((artist, line.key))
        drawn[0][0].plot([], [], color=LIVE, lw=1.3, ls="--", label="this run")
        drawn[0][0].legend(fontsize=7, loc="best")

    def state(self, m: ConflictModel):
        return m.round

    def refresh(self, m: ConflictModel) -> bool:
        dates, values = fans.live_values(m, self.layout)
        for artist, key in self.live:
            artist.set_data(dates, values[key])
        return False


def replicate(m: ConflictModel, runs: int, on_done=lambda k: None, keep_going=lambda: True) -> Done | None:
    """`runs` seeds of the live run's scenario with its settings; None if stopped by `keep_going`."""
    from sim.replications import run_all
    from sim.sweep.designs import run_seed

    layout = tuple(fans.panels(m)[:PANELS])
    seeds = [run_seed(m.seed, i) for i in range(runs)]
    kept: list[Trajectory] = []
    columns: list[str] = []
    for k, run in enumerate(run_all(m.viz_spec, seeds, None)):
        if not keep_going():
            return None
        kept.append(run.trajectory)
        columns = run.columns
        on_done(k + 1)
    return Done(made_for(m), fans.fan(fans.series_of(kept, columns, layout), layout), layout, runs)


@solara.component
def ReplicationsView(model: ConflictModel):
    update_counter.get()
    runs = solara.use_reactive(DEFAULT_RUNS)
    finished = solara.use_reactive(0)

    def work() -> Done | None:
        finished.set(0)
        return replicate(model, int(runs.value), finished.set, lambda: task.is_current())

    task = solara.lab.use_task(work, dependencies=None)
    done = task.value if task.finished else None
    chart = solara.use_memo(lambda: done and FanChart(model, done), [id(done), model])
    bad = not 2 <= (runs.value or 0) <= MAX_RUNS
    with solara.Column(classes=["stakesim-view", "view-replications"], gap="2px"):
        solara.Text("Replications: fan of N seeds, this run dashed", style={"font-weight": "600"})
        with solara.Row(gap="8px", style={"align-items": "center"}):
            solara.InputInt("Replications (seeds)", value=runs, classes=["stakesim-runs"])
            solara.Button(
                "Run replications",
                on_click=task,
                disabled=bad or task.pending,
                classes=["stakesim-replicate"],
            )
        if bad:
            solara.Error(f"Replications: expected a whole number from 2 to {MAX_RUNS}", dense=True)
        if task.pending:
            solara.ProgressLinear(100 * finished.value / max(1, runs.value))
            solara.Text(
                f"{finished.value} of {runs.value} runs done (in the background; the page keeps working)",
                classes=["stakesim-progress"],
            )
        elif task.error:
            solara.Error(f"The replications failed: {task.exception}")
        elif done is not None:
            note = "" if done.made_for == made_for(model) else " (for other settings; press Run again)"
            solara.Text(
                f"{done.runs} runs from seed {done.made_for[1]}{note}",
                classes=["stakesim-fan-caption"],
                style={"font-size": "12px"},
            )
            if chart:
                solara.Image(chart.frame(model), format="png")
