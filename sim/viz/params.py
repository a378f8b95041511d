"""The page's knobs: the parameters worth exploring, declared once, named by their `--set` paths.

A knob's path may hold `*`, standing for every key or list index the scenario has there, so one row gives
a slider per patron's support line or per forum, whatever the scenario's cast. Each slider is named by its
concrete path (`actors.TUR.support.1.level`), exactly what `run --set` takes, and the page passes the
sliders' values to the model as those overrides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sim.scenario import Problem, Scenario, ScenarioError

SEED = "rng"  # Mesa's name for the seed; SolaraViz's Reset passes it to the model as given (text)

Keys = tuple[str | int, ...]


@dataclass(frozen=True)
class Knob:
    path: str
    label: Callable[[dict, Keys], str]  # (scenario data, what the stars matched) -> slider label
    low: float
    high: float | Callable[[dict, Keys], float]
    step: float
    applies: Callable[[dict, Keys], bool] = lambda data, keys: True


@dataclass(frozen=True)
class Slot:
    """One slider: a knob made concrete for one scenario."""

    path: str
    label: str
    value: float
    low: float
    high: float
    step: float


def _support_ceiling(data: dict, keys: Keys) -> float:
    line = data["actors"][keys[0]]["support"][keys[1]]
    ceiling = (
        line["max_level"] if line["max_level"] is not None else 3 * line["level"]
    )  # the schema's default
    return max(ceiling, line["level"], 0.1)


def _belligerent(data: dict, keys: Keys) -> bool:
    return data["actors"][keys[0]]["role"] == "belligerent"


def _support_label(data: dict, keys: Keys) -> str:
    line = data["actors"][keys[0]]["support"][keys[1]]
    return f"{keys[0]} → {line['to']}: {line['kind']} (k)"


KNOBS: tuple[Knob, ...] = (
    # Patron support: force units (thousands) each support line adds to its recipient in battle.
    Knob("actors.*.support.*.level", _support_label, 0.0, _support_ceiling, 0.005),
    Knob("forums.*.mediation_strength", lambda d, k: f"{k[0]}: mediation", 0.0, 1.0, 0.05),
    Knob(
        "actors.*.goals.ceasefire_adherence",
        lambda d, k: f"{k[0]}: truce adherence",
        0.0,
        1.0,
        0.05,
        applies=_belligerent,
    ),
    Knob("engine.escalation.temperature", lambda d, k: "escalation noise", 0.01, 1.0, 0.01),
)


def _matches(node: Any, parts: list[str], keys: Keys) -> Iterator[tuple[Keys, Any]]:
    if not parts:
        yield keys, node
        return
    head, rest = parts[0], parts[1:]
    children: Iterable[tuple[str | int, Any]]
    if isinstance(node, dict):
        children = node.items() if head == "*" else ([(head, node[head])] if head in node else [])
    elif isinstance(node, list):
        if head == "*":
            children = enumerate(node)
        else:
            children = [(int(head), node[int(head)])] if head.isdigit() and int(head) < len(node) else []
    else:
        return
    for key, child in children:
        yield from _matches(child, rest, (*keys, key) if head == "*" else keys)


def slots(scenario: Scenario, knobs: tuple[Knob, ...] = KNOBS) -> list[Slot]:
    """The sliders `knobs` give for `scenario`, in table order, with the scenario's values (defaults filled)."""
    data = scenario.model_dump(by_alias=True)
    out = []
    for knob in knobs:
        for keys, value in _matches(data, knob.path.split("."), ()):
            if not isinstance(value, int | float) or isinstance(value, bool) or not knob.applies(data, keys):
                continue
            stars = iter(keys)
            path = ".".join(str(next(stars)) if part == "*" else part for part in knob.path.split("."))
            high = knob.high(data, keys) if callable(knob.high) else knob.high
            # A scenario may set a value beyond the usual range; the slider then reaches it.
            low, high = min(knob.low, value), max(high, value)
            out.append(Slot(path, knob.label(data, keys), float(value), low, float(high), knob.step))
    return out


def model_params(scenario: Scenario) -> dict[str, Any]:
    """SolaraViz's `model_params`: the seed box and one slider per slot (the file comes with the model's type:
    `sim.viz.live.model_class`)."""
    params: dict[str, Any] = {
        SEED: {"type": "InputText", "value": str(scenario.seed), "label": "Seed (a whole number)"}
    }
    for slot in slots(scenario):
        params[slot.path] = {
            "type": "SliderFloat",
            "value": slot.value,
            "min": slot.low,
            "max": slot.high,
            "step": slot.step,
            "label": slot.label,
        }
    return params


def parse_seed(value: Any) -> int:
    """The seed box's text (or a number) as a seed; ScenarioError naming the box when it is not one."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    raise ScenarioError(
        [
            Problem(
                "seed box",
                None,
                None,
                "seed",
                f"got {str(value)!r}",
                expected="a whole number >= 0, e.g. 42",
                suggestion="type digits only, then press Enter and Reset",
            )
        ]
    )
