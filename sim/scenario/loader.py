"""Loading a scenario: read (with `extends`), override (`--set path=value`), validate; its provenance kept.

Every problem in a file is collected before anything is raised, so a user fixes a file in one pass. The steps
live in their own modules: parse (safe YAML with line marks), extends (bases, deep merge), paths (dotted
paths), validate (schema, cross-references, event effects).
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.scenario.document import Document
from sim.scenario.errors import Problem, ScenarioError
from sim.scenario.extends import read_with_extends
from sim.scenario.files import default_roots
from sim.scenario.parse import parse_yaml
from sim.scenario.paths import parse_override, resolve_names, set_path
from sim.scenario.schema import Scenario
from sim.scenario.validate import validate


@dataclass
class LoadedScenario:
    """A validated scenario, the merged document it came from, and its provenance."""

    scenario: Scenario
    document: Document
    source: str
    content_hash: str

    @property
    def data(self) -> dict[str, Any]:
        return self.document.data

    def derive(self, values: dict[str, Any]) -> Scenario:
        """A new scenario with dotted-path `values` applied (sweeps, sliders); raises ScenarioError."""
        data = copy.deepcopy(self.document.data)
        problems = []
        for dotted, value in values.items():
            problem = set_path(data, dotted, value, origin=f"parameter {dotted}")
            if problem:
                problems.append(problem)
        if problems:
            raise ScenarioError(problems)
        return validate(Document(data, self.document.marks), self.source)


def content_hash(data: dict) -> str:
    """SHA-256 of the merged scenario, so a result can be traced to exactly what was run."""
    canonical = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def load_scenario(
    path: str | Path, overrides: Iterable[str] = (), roots: Iterable[str | Path] | None = None
) -> LoadedScenario:
    """Read, merge (`extends`), override (`--set path=value`) and validate a scenario file.

    Every file read (the scenario and its bases) must lie inside `roots`; by default the scenario's own
    folder and the project's scenarios/ (sim.scenario.files)."""
    shown = str(path)
    inside = default_roots(path) if roots is None else tuple(Path(r).resolve() for r in roots)
    doc = read_with_extends(Path(path), shown, (), inside)
    problems = []
    for text in overrides:
        parsed = parse_override(text)
        if isinstance(parsed, Problem):
            problems.append(parsed)
            continue
        dotted, value = parsed
        problem = set_path(doc.data, dotted, value, origin=f"--set {text}")
        if problem:
            problems.append(problem)
        else:
            doc.marks[resolve_names(doc.data, dotted)] = (f"--set {text}", None, None)
    if problems:
        raise ScenarioError(problems)
    scenario = validate(doc, shown)
    return LoadedScenario(scenario, doc, shown, content_hash(doc.data))


def load_scenario_text(text: str, name: str = "<text>") -> LoadedScenario:
    """Validate scenario text with no file behind it (tests, the browser's editor); no `extends`."""
    doc = parse_yaml(text, name)
    if "extends" in doc.data:
        file, line, col = doc.mark(("extends",), name)
        raise ScenarioError(
            [
                Problem(
                    file,
                    line,
                    col,
                    "extends",
                    "`extends` needs a file on disk",
                    suggestion="load the file with load_scenario(path)",
                )
            ]
        )
    return LoadedScenario(validate(doc, name), doc, name, content_hash(doc.data))
