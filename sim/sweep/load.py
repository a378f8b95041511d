"""Reading a sweep file: its models validated, then checked against the scenario it varies
(`sim.sweep.checks`); every problem at once, line-numbered like a scenario file's."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.scenario.document import Document
from sim.scenario.errors import Problem, ScenarioError
from sim.scenario.files import default_roots, read_text
from sim.scenario.loader import LoadedScenario, load_scenario
from sim.scenario.parse import parse_yaml
from sim.scenario.schema_problems import validation_problems
from sim.sweep.checks import spec_problems
from sim.sweep.spec import SweepSpec


@dataclass
class LoadedSweep:
    """A validated sweep, the scenario it varies (every default filled in), and their hashes."""

    spec: SweepSpec
    scenario: LoadedScenario
    source: str
    spec_hash: str

    @property
    def scenario_hash(self) -> str:
        return self.scenario.content_hash


def canonical_hash(data: Any) -> str:
    """SHA-256 of the JSON text, keys in their given order: the order of `parameters` numbers the runs."""
    text = json.dumps(data, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _complete(loaded: LoadedScenario) -> LoadedScenario:
    """The scenario with every default written out, so a sweep can vary a value the file leaves implicit."""
    data = loaded.scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    return LoadedScenario(
        loaded.scenario, Document(data, loaded.document.marks), loaded.source, loaded.content_hash
    )


def load_sweep(path: str | Path, allow_roots: Iterable[str | Path] = ()) -> LoadedSweep:
    """Read and validate a sweep file and the scenario it names; raises ScenarioError with every problem.

    The scenario and its bases are read only inside the sweep file's folder, the shipped scenarios/ and
    `allow_roots` (sim.scenario.files)."""
    path = Path(path)
    shown = str(path)
    text = read_text(path, shown, "shipped sweeps are in scenarios/sweeps/")
    doc = parse_yaml(text, shown)
    try:
        spec = SweepSpec.model_validate(doc.data)
    except ValidationError as exc:
        problems = validation_problems(exc, doc, shown, SweepSpec)
        raise ScenarioError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0))) from None
    scenario = None
    problems = []
    try:
        scenario = _complete(
            load_scenario(path.parent / spec.scenario, roots=default_roots(path, allow_roots))
        )
    except ScenarioError as exc:
        file, line, col = doc.mark(("scenario",), shown)
        problems = [
            *exc.problems,
            Problem(
                file, line, col, "scenario", f"the scenario `{spec.scenario}` cannot be used (problems above)"
            ),
        ]
    problems += spec_problems(spec, doc, shown, scenario)
    if problems:
        raise ScenarioError(sorted(problems, key=lambda p: (p.file != shown, p.line or 0, p.column or 0)))
    assert scenario is not None, "a scenario that failed to load added its problems above"
    spec_hash = canonical_hash(spec.model_dump(mode="json"))
    return LoadedSweep(spec, scenario, shown, spec_hash)
