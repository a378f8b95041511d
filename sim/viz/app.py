"""The browser page: a scenario live in Mesa's SolaraViz (`run.py viz` serves it as `sim.viz.app:Page`).

Each browser tab gets its own model (`Page` builds it in `solara.use_memo`, per session), never a model
shared by every visitor. The sidebar holds SolaraViz's controls (Reset, Play, Step, play and render
intervals), the seed box and one slider per knob of `sim.viz.params` (named by `--set` paths), and a
scenario picker over the folder of the scenario being served. A bad seed or slider value, or a scenario file
that fails validation, is shown as a message in the page; the run goes on.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from pathlib import Path

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from sim.engine.agreements import Accord
from sim.model import DEFAULT_SCENARIO, ConflictModel
from sim.outputs import has_oil
from sim.scenario import ScenarioError
from sim.viz import narrative
from sim.viz.charts.base import Chart
from sim.viz.charts.control import Control
from sim.viz.charts.network import Network
from sim.viz.charts.positions import Positions
from sim.viz.charts.series import Oil, Rungs
from sim.viz.live import LiveModel, model_class, scenario_files
from sim.viz.params import model_params
from sim.viz.replications import ReplicationsView
from sim.viz.server import SCENARIO_ENV

SCENARIO = Path(os.environ.get(SCENARIO_ENV, DEFAULT_SCENARIO))
PLAY_INTERVAL_MS = 250
# SolaraViz's grid cells have a fixed height (390 px): a figure keeps its aspect and fits inside.
CSS = (
    ".stakesim-view img { max-width: 100%; max-height: 350px; width: auto !important; height: auto; }"
    " .view-replications img { max-height: 265px; }"  # below the panel's own controls
)
STATUS_COLOURS = {  # accord status -> banner background
    "holding": "#e8f5e9",
    "signed": "#e8f5e9",
    "proposed": "#fff8e1",
    "violated": "#fff3e0",
    "collapsed": "#ffebee",
    "none": "#ffebee",
}


def _chart_view(kind: str, title: str, chart: type[Chart]):
    """A grid item showing one chart; the chart object lives as long as its model."""

    @solara.component
    def View(model: ConflictModel):
        update_counter.get()  # re-render on Step/Play (SolaraViz does not wrap @solara.component views)
        figure = solara.use_memo(lambda: chart(model), [model])
        with solara.Column(classes=["stakesim-view", f"view-{kind}"], gap="2px"):
            solara.Text(title, style={"font-weight": "600", "font-size": "14px"})
            solara.Image(figure.frame(model), format="png")

    View.__name__ = View.__qualname__ = f"{chart.__name__}View"
    return View


@solara.component
def EventsView(model: ConflictModel):
    update_counter.get()
    rows = "".join(
        f"<div style='margin:0 0 6px 0'><b>{html.escape(when)}</b><br>{html.escape(text)}</div>"
        for when, text in narrative.latest(model)
    )
    with solara.Column(classes=["stakesim-view", "view-events"], gap="2px"):
        solara.Text("Latest events (newest first)", style={"font-weight": "600", "font-size": "14px"})
        solara.HTML(
            tag="div",
            unsafe_innerHTML=rows or "<i>Nothing has happened yet: press Step or ▶.</i>",
            style={"font-size": "13px", "overflow-y": "auto", "max-height": "330px"},
        )


@solara.component
def WhyView(model: ConflictModel):
    """The selected round's decisions with their reasons, drawn as one block once per round."""
    update_counter.get()
    picked: int | None  # declared so that use_state's None does not fix the state's type to None
    set_picked: Callable[[int | None], None]
    picked, set_picked = solara.use_state(None)
    shown, lines = solara.use_memo(lambda: narrative.decisions(model, picked), [model, model.round, picked])
    rows = "".join(f"<div style='margin:0 0 6px 0'>{html.escape(line)}</div>" for line in lines)
    with solara.Column(classes=["stakesim-view", "view-why"], gap="2px"):
        solara.Text(f"Why: the decisions of round {shown}", style={"font-weight": "600", "font-size": "14px"})
        solara.InputInt(
            "Round (empty: the latest)", value=picked, on_value=set_picked, optional=True, dense=True
        )
        solara.HTML(
            tag="div",
            unsafe_innerHTML=rows or "<i>No decision with reasons in this round.</i>",
            classes=["stakesim-why"],
            style={"font-size": "13px", "overflow-y": "auto", "max-height": "270px"},
        )


OIL_VIEW = (_chart_view("oil", "Oil output and cumulative loss", Oil), 0)
COMPONENTS = [
    (_chart_view("network", "Actors: support, hostility, rungs", Network), 0),
    (_chart_view("positions", "Positions per issue, with forum proposals", Positions), 0),
    (_chart_view("rungs", "Escalation rung of each belligerent", Rungs), 0),
    OIL_VIEW,
    (_chart_view("control", "Control per region", Control), 0),
    (EventsView, 0),
    (WhyView, 0),
    (ReplicationsView, 0),
]


def components(m: ConflictModel) -> list:
    """The views for this scenario: the oil chart only in a war with oil (`sim.outputs.has_oil`)."""
    return [c for c in COMPONENTS if c is not OIL_VIEW or has_oil(m)]


def status_line(m: ConflictModel) -> str:
    """The truce or agreement in force, then every other forum's agreement in force, each with its forum."""
    acc = m.accord
    if acc is None:
        text = (
            "A proposal is on the table; no truce in force."
            if m.accord_status == "proposed"
            else "No truce in force."
        )
    else:
        text = _accord_line(m, acc)
    others = [a for a in m.accords.values() if a is not acc and a.in_force]
    return " ".join([text, *(_accord_line(m, a) for a in others)])


def _accord_line(m: ConflictModel, acc: Accord) -> str:
    where = f" signed at {m.spec.forums[acc.forum].name}" if acc.forum in m.spec.forums else ""
    signed = ", ".join(m.actor_ids[a] for a in sorted(acc.signatories))
    text = f"{acc.kind.capitalize()}{where} by {signed}: {acc.status}"
    if acc.status == "holding" and acc.held_rounds:
        text += f" for {acc.held_rounds} round{'s' if acc.held_rounds != 1 else ''}"
    if acc.violation_rounds:
        text += f"; {acc.violation_rounds} round{'s' if acc.violation_rounds != 1 else ''} with violations"
    return text + "."


@solara.component
def Banner(model: ConflictModel):
    """Round, date, the truce/agreement status, the run's settings, and any problem with them."""
    update_counter.get()
    state = "running" if model.running else f"ended: {str(model.outcome).replace('_', ' ')}"
    changed = ", ".join(f"{k}={v:g}" for k, v in model.viz_changed.items()) or "none"
    colour = STATUS_COLOURS.get(model.accord_status, "#eceff1")
    with solara.Column(
        classes=["stakesim-banner"],
        gap="4px",
        style={"background": colour, "padding": "10px 16px", "border-radius": "6px", "margin": "8px 12px 0"},
    ):
        solara.Text(
            f"Round {model.round} · {model.date.strftime('%-d %b %Y')} · {state}",
            style={"font-size": "18px", "font-weight": "600"},
        )
        solara.Text(status_line(model), style={"font-size": "15px"})
        solara.Text(
            f"{model.spec.name} · seed {model.seed} · changed settings: {changed}",
            style={"font-size": "12px", "color": "#455a64"},
        )
        for problem in model.viz_problems:
            solara.Error(str(problem), classes=["stakesim-problem"])


@solara.component
def ScenarioPicker(model: solara.Reactive):
    """Pick a scenario from the served folder; one that fails validation is reported and not loaded."""
    folder = SCENARIO.parent
    names = [p.name for p in scenario_files(folder)]
    picked, set_picked = solara.use_state(Path(model.value.viz_file).name)
    failure: ScenarioError | None  # declared so that use_state's None does not fix the state's type to None
    set_failure: Callable[[ScenarioError | None], None]
    failure, set_failure = solara.use_state(None)

    def pick(name: str) -> None:
        set_picked(name)
        try:
            fresh = model_class(str(folder / name))()
        except ScenarioError as exc:
            set_failure(exc)
            return
        set_failure(None)
        model.value = fresh

    with solara.Card("Scenario", classes=["stakesim-picker"]):
        solara.Select("Scenario file", values=names, value=picked, on_value=pick)
        if failure is not None:
            shown = Path(model.value.viz_file).name
            solara.Error(
                f"{picked} was not loaded ({len(failure.problems)} problem(s)); still showing {shown}.",
                classes=["stakesim-problem"],
            )
            solara.Preformatted("\n".join(str(p) for p in failure.problems))


def _first_model() -> tuple[LiveModel | None, ScenarioError | None]:
    try:
        return model_class(str(SCENARIO))(), None
    except ScenarioError as exc:  # the file was broken after the server started
        return None, exc


@solara.component
def Page():
    first, failure = solara.use_memo(_first_model, [])
    model = solara.use_reactive(first)
    m = model.value
    params = solara.use_memo(lambda: m and model_params(m.viz_base), [m and m.viz_file])
    if m is None:
        assert failure is not None  # _first_model gives a model or the error that stopped it
        solara.Error(
            f"{SCENARIO.name} cannot be run ({len(failure.problems)} problem(s)); fix it and reload."
        )
        solara.Preformatted("\n".join(str(p) for p in failure.problems))
        return
    solara.Style(CSS)
    with solara.Sidebar():
        ScenarioPicker(model)
    Banner(m)
    # Keyed by file: a new scenario brings its own sliders, so SolaraViz starts afresh with them.
    SolaraViz(
        model,
        components=components(m),
        model_params=params,
        name=f"stakesim · {m.spec.name}",
        play_interval=PLAY_INTERVAL_MS,
    ).key(m.viz_file)
