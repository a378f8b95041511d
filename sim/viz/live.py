"""The model as the page runs it: built from a scenario file, the seed box and the sliders, never crashing.

SolaraViz's Reset re-creates the model as `type(model)(**parameters)` with the seed box's text and the
sliders' values, so a bad value must still give a model, and the model's type carries its scenario file
(`model_class`). `LiveModel` keeps the run going with the
scenario's own value instead and lists what it could not use in `problems`, which the page shows.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from sim.model import ConflictModel
from sim.scenario import LoadedScenario, Problem, ScenarioError, load_scenario
from sim.viz.params import parse_seed, slots

_lock = threading.Lock()
_last_good: dict[Path, tuple[int, LoadedScenario]] = {}  # file -> (mtime, its last version that validated)


def load(path: str | Path) -> LoadedScenario:
    """Load and validate a scenario file, reusing the parsed file while it is unchanged on disk."""
    key = Path(path).resolve()
    try:
        mtime = key.stat().st_mtime_ns
    except OSError:
        mtime = -1  # let load_scenario word the problem
    with _lock:
        cached = _last_good.get(key)
    if cached and cached[0] == mtime:
        return cached[1]
    loaded = load_scenario(key)
    with _lock:
        _last_good[key] = (mtime, loaded)
    return loaded


def scenario_files(folder: str | Path) -> list[Path]:
    """The scenario files the picker offers: the YAML files directly in `folder`, sorted by name."""
    return sorted(p for p in Path(folder).glob("*.yaml") if p.is_file())


class LiveModel(ConflictModel):
    """ConflictModel built from the page's parameters; also records each round's positions for the charts.

    `scenario_file` is the file picked (default: the one `model_class` gave the type); `rng` the seed box's
    text; every other keyword is a slider named by its `--set` path, and a slider left out keeps the
    scenario's value. `scenario` is ignored: SolaraViz's Reset adds an empty Mesa Scenario under that name.
    """

    viz_default_file: ClassVar[str | None] = None

    def __init__(
        self, *, scenario_file: str | None = None, rng: Any = None, scenario: Any = None, **settings: float
    ) -> None:
        if scenario_file is None:
            scenario_file = type(self).viz_default_file
        if scenario_file is None:
            raise TypeError("LiveModel needs a scenario_file, or a type from sim.viz.live.model_class")
        problems: list[Problem] = []
        try:
            loaded = load(scenario_file)
        except ScenarioError as exc:
            with _lock:
                fallback = _last_good.get(Path(scenario_file).resolve())
            if fallback is None:
                raise  # never valid: the picker reports it and keeps the current model
            loaded = fallback[1]
            problems += exc.problems
            problems.append(
                Problem(
                    scenario_file,
                    None,
                    None,
                    "",
                    "the file changed on disk and no longer validates",
                    suggestion="this run uses its last valid version; fix the file and press Reset",
                )
            )
        base = loaded.scenario
        try:
            seed = parse_seed(base.seed if rng is None or str(rng).strip() == "" else rng)
        except ScenarioError as exc:
            said = exc.problems[0]
            problems.append(
                replace(said, message=f"{said.message}; this run uses the scenario's seed {base.seed}")
            )
            seed = base.seed
        defaults = {slot.path: slot.value for slot in slots(base)}
        changed = {k: v for k, v in settings.items() if k not in defaults or abs(defaults[k] - v) > 1e-12}
        try:
            spec = loaded.derive(changed) if changed else base
        except ScenarioError as exc:
            problems += exc.problems
            spec, changed = base, {}
        # A fresh Scenario per model: the model may change values during a run, and sessions share the cache.
        super().__init__(scenario=spec.model_copy(deep=True), rng=seed)
        self.viz_file = str(scenario_file)
        self.viz_base = base  # the scenario as the file has it: the sliders' starting values
        self.viz_changed = changed
        self.viz_spec = spec  # as validated, before the run changes anything: what replications rerun
        self.viz_problems = problems
        self.viz_positions: list[np.ndarray] = [self.positions.copy()]

    def step(self) -> None:
        super().step()
        self.viz_positions.append(self.positions.copy())


@functools.cache
def model_class(scenario_file: str) -> type[LiveModel]:
    """The LiveModel type whose models default to `scenario_file`: what the page builds, so Reset keeps the file.

    Mesa 3.5.1's Reset builds `type(model)(**parameters)`, the parameters being those its ModelCreator filled
    once, when it first mounted, plus each input the user changes since. After another scenario is picked, the
    re-keyed SolaraViz starts with empty parameters and its ModelCreator does not fill them again: solara's
    sidebar portal matches its children by position, so the sidebar's ModelCreator stays mounted. Only the
    file is lost that way (a slider or seed left untouched means the scenario's value), so the type carries it.
    """
    return type(LiveModel.__name__, (LiveModel,), {"viz_default_file": scenario_file})
