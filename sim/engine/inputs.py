"""What a run starts from: the scenario (from a path, a loaded file or a Scenario, with `--set`-style overrides),
its seed, and the check that it has what a run needs."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from sim.scenario import LoadedScenario, Scenario, load_scenario
from sim.scenario.errors import Problem, ScenarioError
from sim.scenario.loader import Document, content_hash, set_path
from sim.scenario.theatre import Economy

DEFAULT_SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "libya_2020.yaml"


def seed_of(rng: Any, default: int) -> Any:
    """SolaraViz sends the seed box's text; batch_run and the CLI send ints; None means the scenario's seed."""
    if rng is None or (isinstance(rng, str) and not rng.strip()):
        return default
    if isinstance(rng, str):
        try:
            return int(rng.strip())
        except ValueError:
            raise ScenarioError(
                [Problem("rng", None, None, "rng", f"got {rng!r}", expected="a whole number")]
            ) from None
    return rng


def resolve(scenario, overrides) -> tuple[Scenario, str, str, Document]:
    """(Scenario, content hash, source, document) from a Scenario, a LoadedScenario, a path or None.

    Overrides are applied to the scenario document the way `--set` is, so the hash covers them alike."""
    if scenario is None or isinstance(scenario, str | Path):
        loaded = load_scenario(scenario or DEFAULT_SCENARIO)
    elif isinstance(scenario, LoadedScenario):
        loaded = scenario
    elif isinstance(scenario, Scenario):
        data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
        loaded = LoadedScenario(scenario, Document(data), "<scenario>", content_hash(data))
    else:
        raise TypeError(f"scenario must be a Scenario, LoadedScenario or path, not {type(scenario).__name__}")
    if not overrides:
        return loaded.scenario, loaded.content_hash, loaded.source, loaded.document
    derived = loaded.derive(dict(overrides))  # validates; raises ScenarioError with every problem
    data = copy.deepcopy(loaded.data)
    for dotted, value in overrides.items():
        set_path(data, dotted, value, origin=dotted)
    return derived, content_hash(data), loaded.source, Document(data, loaded.document.marks)


def check_runnable(s: Scenario, source: str) -> None:
    """What `run` needs beyond a valid scenario (a plain bargaining case is valid but has nothing to fight)."""
    missing = [
        (path, what)
        for path, what, ok in (
            ("clock", "a clock", s.clock is not None),
            ("ladder", "an escalation ladder", bool(s.ladder)),
            ("theatre", "a theatre with regions", s.theatre is not None and bool(s.theatre.regions)),
            (
                "actors",
                "at least one belligerent (an actor with role: belligerent)",
                any(a.role == "belligerent" for a in s.actors.values()),
            ),
        )
        if not ok
    ]
    if s.theatre is not None:
        missing += [
            (f"theatre.regions.{rid}.control", "control shares for at least one belligerent")
            for rid, region in s.theatre.regions.items()
            if not region.control
        ]
    if missing:
        raise ScenarioError(
            [
                Problem(
                    source,
                    None,
                    None,
                    path,
                    f"a scenario to run needs {what}",
                    suggestion="`run.py forecast` handles plain bargaining cases",
                )
                for path, what in missing
            ]
        )


def no_economy() -> Economy:
    """The economy of a scenario without one: no oil."""
    return Economy(oil_baseline_bpd=0.0)
