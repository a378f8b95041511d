"""Event effects checked at their extremes: no `set` or `add` an event can make during a run may take the
scenario outside what validation accepts.
"""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from sim.scenario.checks import cross_reference_problems
from sim.scenario.document import Document, FieldPath, path_text
from sim.scenario.errors import Problem
from sim.scenario.paths import get_path, set_path
from sim.scenario.schema import Scenario


def effect_problems(scenario: Scenario, doc: Document, source: str) -> list[Problem]:
    """An event changes the scenario during a run, past the checks of validation: each `set` value, and each
    `add` at the most it can add (once, or at every round of the clock if the event repeats), must give a
    valid scenario too, so no event can take the model outside its bounds."""
    base = scenario.model_dump(by_alias=True, exclude_none=True)
    rounds = scenario.clock.max_rounds if scenario.clock else 1
    out: list[Problem] = []
    changes: list[tuple[FieldPath, str, Any]] = []
    listed = doc.data.get("events", [])
    for i, event in enumerate(listed):
        if not isinstance(event, dict) or event.get("enabled") is False:
            continue
        for j, effect in enumerate(event.get("effects") or []):
            target = effect.get("set") or effect.get("add")
            value = effect.get("value")
            if not isinstance(target, str) or "convene" in effect:
                continue
            where: FieldPath = ("events", i, "effects", j, "value")
            if "add" in effect:
                current = get_path(base, target)
                if current is None:
                    current = 0.0  # a value the model derives (max_level: 3 x level): the added part alone
                if not _is_number(value) or not _is_number(current):
                    out.append(
                        Problem(
                            *doc.mark(where, source),
                            path_text(where),
                            "`add` needs a number",
                            expected="a number to add to a number",
                        )
                    )
                    continue
                times = 1 if event.get("once", True) else rounds
                value = current + value * times
            changes.append((where, target, value))
    # One validation for all effects on distinct paths (the usual case, and what keeps `derive` quick); each
    # effect alone when that fails, to say which, and when two effects change one path.
    targets = Counter(target for _, target, _ in changes)
    single = [c for c in changes if targets[c[1]] == 1]
    alone = changes if single and _invalid(base, single) else [c for c in changes if targets[c[1]] > 1]
    for where, target, value in alone:
        reasons = _invalid(base, [(where, target, value)])
        if reasons:
            out.append(
                Problem(
                    *doc.mark(where, source),
                    path_text(where),
                    f"this effect can make `{target}` {value!r}, which is not valid: {'; '.join(reasons)}",
                    expected="a value the scenario accepts at that path",
                    suggestion="change the value; an event that repeats (`once: false`) adds at every round",
                )
            )
    return out


def _invalid(base: dict, changes: list[tuple[FieldPath, str, Any]]) -> list[str]:
    """Why `base` with every change applied is not a valid scenario (nothing if it is)."""
    data = copy.deepcopy(base)
    for _, target, value in changes:
        if set_path(data, target, value, origin=target) is not None:
            return []  # the path is the cross-reference checks' to report
    reasons = [e["msg"] for e in _schema_errors(data)]
    return reasons + [message for _, message, _, _ in cross_reference_problems(data)]


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _schema_errors(data: dict) -> list[ErrorDetails]:
    try:
        Scenario.model_validate(data)
    except ValidationError as exc:
        return exc.errors()
    return []
