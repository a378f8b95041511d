"""A sweep file checked against the scenario it varies: each parameter path must exist there, its extreme
values must give a valid scenario, and each metric must be a single value of a run's summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sim.outputs import SUMMARY_KEYS
from sim.scenario import names
from sim.scenario.document import Document, FieldPath, path_text
from sim.scenario.errors import Problem, ScenarioError, did_you_mean
from sim.scenario.loader import LoadedScenario
from sim.sweep.runs import RUN_COLUMNS
from sim.sweep.spec import Parameter, SweepSpec


def _lookup(data: Any, parts: list[str]) -> tuple[Any, int | None, list[str]]:
    """Walk `parts` through mappings and lists (by index or item name, sim.scenario.names): (value, index of
    the first missing part or None, choices)."""
    node = data
    for i, part in enumerate(parts):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.lstrip("-").isdigit() and -len(node) <= int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, list) and i and (j := names.find(parts[i - 1], node, part)) is not None:
            node = node[j]
        else:
            choices = (
                list(node)
                if isinstance(node, dict)
                else [str(j) for j in range(len(node))] + names.names(parts[i - 1] if i else None, node)
                if isinstance(node, list)
                else []
            )
            return None, i, choices
    return node, None, []


def _corners(param: Parameter) -> list[Any]:
    """Values that must each give a valid scenario: every explicit value, or the ends of a range."""
    if param.values is not None:
        return list(param.values)
    if param.range is not None:
        return [param.range.low, param.range.high]
    if param.uniform is not None:
        return [param.uniform.low, param.uniform.high]
    if param.triangular is not None:
        return [param.triangular.low, param.triangular.high]
    assert param.normal is not None, "called only for a parameter with exactly one kind (Parameter.kind)"
    return [param.normal.mean]


def spec_problems(
    spec: SweepSpec, doc: Document, source: str, scenario: LoadedScenario | None
) -> list[Problem]:
    problems: list[Problem] = []

    def add(
        path: FieldPath, message: str, expected: str | None = None, suggestion: str | None = None
    ) -> None:
        file, line, col = doc.mark(path, source)
        problems.append(Problem(file, line, col, path_text(path), message, expected, suggestion))

    kind = spec.design.kind
    if kind != "grid" and spec.design.samples is None:
        add(
            ("design",),
            f"a `{kind}` design needs `samples`",
            "a whole number >= 1",
            "add `samples: 64` under design",
        )
    if kind == "grid" and spec.design.samples is not None:
        add(
            ("design", "samples"),
            "a grid runs every combination; `samples` does not apply",
            suggestion="remove it",
        )
    if kind == "sobol" and spec.design.samples and spec.design.samples & (spec.design.samples - 1):
        add(
            ("design", "samples"),
            f"got {spec.design.samples}: Sobol sequences need a power of 2",
            "1, 2, 4, ... 64, 128 ...",
        )
    for dotted, param in spec.parameters.items():
        where = ("parameters", dotted)
        given = param.kind()
        if given is None:
            add(
                where,
                "give exactly one of: values, range, uniform, normal, triangular",
                suggestion="e.g. `range: {low: 0, high: 4, steps: 5}`",
            )
            continue
        if kind == "grid" and given not in ("values", "range"):
            add(
                (*where, given),
                f"a grid needs fixed values, not a `{given}` distribution",
                "values or range",
                "use `range: {low, high, steps}`",
            )
        if kind != "grid" and given == "range":
            add(
                (*where, "range"),
                f"a `{kind}` design samples a distribution",
                "uniform, normal, triangular or values",
                "use `uniform: {low, high}`",
            )
        if kind == "morris" and given == "normal":
            add(
                (*where, "normal"),
                "Morris screening needs bounded parameters",
                "uniform, triangular or values",
            )
        for name in ("range", "uniform", "triangular"):
            dist = getattr(param, name)
            if dist is not None and not dist.low < dist.high:
                add((*where, name), f"low ({dist.low}) must be below high ({dist.high})")
        if (
            param.triangular is not None
            and not param.triangular.low <= param.triangular.mode <= param.triangular.high
        ):
            add((*where, "triangular", "mode"), "the mode must lie between low and high")
        if scenario is None:
            continue
        value, missing, choices = _lookup(scenario.data, dotted.split("."))
        if missing is not None:
            bad = dotted.split(".")[missing]
            add(
                where,
                f"the scenario has no `{'.'.join(dotted.split('.')[: missing + 1])}`",
                f"one of: {', '.join(map(str, choices))}"
                if choices
                else "a path through the scenario's mappings and lists",
                did_you_mean(bad, choices),
            )
            continue
        if isinstance(value, dict | list):
            add(
                where,
                "this path is a whole section, not a single value",
                suggestion="extend the path to a number or a word inside it",
            )
            continue
        for corner in _corners(param):
            try:
                scenario.derive({dotted: corner})
            except ScenarioError as exc:
                reason = "; ".join(p.message for p in exc.problems)
                add(where, f"the value {corner!r} does not give a valid scenario: {reason}")
    clock = scenario.scenario.clock if scenario is not None else None
    if spec.rounds is not None and clock is not None and spec.rounds > clock.max_rounds:
        add(
            ("rounds",),
            f"got {spec.rounds}: the scenario's clock.max_rounds is {clock.max_rounds}",
            f"at most {clock.max_rounds}",
            "run fewer rounds, or raise clock.max_rounds in the scenario",
        )
    _check_metrics(spec, add, scenario)
    return problems


def _inside(shape: str, scenario: LoadedScenario) -> list[list[str]]:
    """The keys each level of a summary mapping of `shape` (sim.outputs.SUMMARY_KEYS) has for this scenario;
    an empty list at a level means any name."""
    s = scenario.scenario
    sides = names.side_ids(s)
    regions = list(s.theatre.regions) if s.theatre else []
    channels = [f"{a}.{j}" for a, spec in s.actors.items() for j in range(len(spec.support))]
    levels: dict[str, list[list[str]]] = {
        "side": [sides],
        "region.side": [regions, sides],
        "patron.index": [channels],
        "issue": [list(s.issues)],
        "event type": [[]],
        "forum": [list(s.forums)],
        # only forums where a text was signed appear in a run's summary; these are an accord's single values
        "forum.accord": [
            list(s.forums),
            [
                "signed_round",
                "signed_date",
                "status",
                "violation_rounds",
                "held_rounds",
                "monitoring",
                "guarantee",
            ],
        ],
    }
    return levels[shape]


def _check_metrics(spec: SweepSpec, add: Callable[..., None], scenario: LoadedScenario | None) -> None:
    """Each metric against the documented keys of a run's summary (sim.outputs.SUMMARY_KEYS)."""
    for i, metric in enumerate(spec.metrics):
        if metric in RUN_COLUMNS or metric in spec.parameters:
            add(
                ("metrics", i),
                f"`{metric}` is already a column of the result store",
                suggestion="drop it; the store keeps it anyway",
            )
    for i, metric in enumerate(spec.metrics):
        head, _, rest = metric.partition(".")
        if head not in SUMMARY_KEYS:
            add(
                ("metrics", i),
                f"unknown metric `{metric}`",
                f"a key of the run summary (docs/FORMATS.md): {', '.join(SUMMARY_KEYS)}",
                did_you_mean(head, SUMMARY_KEYS),
            )
            continue
        shape = SUMMARY_KEYS[head]
        if shape is None:
            if rest:
                add(("metrics", i), f"`{head}` is a single value; nothing is inside it", f"`{head}`")
            continue
        if shape == "list":
            add(
                ("metrics", i),
                f"`{head}` is a list, not a single value",
                "a number, a word or true/false per run",
            )
            continue
        if scenario is None:
            continue
        levels = _inside(shape, scenario)
        # support_final's keys hold a dot themselves (`TUR.0`)
        parts = ([rest] if shape == "patron.index" else rest.split(".")) if rest else []
        if len(parts) < len(levels):
            known = levels[len(parts)]
            inside = [f"{metric}.{k}" for k in known]
            add(
                ("metrics", i),
                f"`{metric}` is a mapping, not a single value",
                "a number, a word or true/false per run",
                f"pick one inside it: {', '.join(inside)}"
                if inside
                else f"add the {shape} after `{metric}.`",
            )
            continue
        for depth, (part, known) in enumerate(zip(parts, levels, strict=False)):
            if known and part not in known:
                where = ".".join([head, *parts[:depth]])
                add(
                    ("metrics", i),
                    f"unknown metric `{metric}`",
                    f"a key of {where} (docs/FORMATS.md): {', '.join(known)}",
                    did_you_mean(part, known),
                )
                break
        else:
            if len(parts) > len(levels):
                add(("metrics", i), f"`{metric}` goes deeper than the summary", f"{head} has {shape} keys")
