"""Dotted field paths as users write them (`--set`, sweep parameters, event effects): resolve, get, set.

A part is a mapping key, a list index (negative counts from the end) or a list item's name
(sim.scenario.names: `actors.TUR.support.troops.level`). Setting a path that cannot exist gives a Problem,
never a KeyError.
"""

from __future__ import annotations

from typing import Any

import yaml

from sim.scenario import names
from sim.scenario.document import FieldPath, Key, path_text
from sim.scenario.errors import Problem, did_you_mean
from sim.scenario.fields import field_names, model_at
from sim.scenario.parse import load_value
from sim.scenario.schema import Scenario


def _parse_path(text: str) -> list[Key]:
    return [int(p) if p.lstrip("-").isdigit() else p for p in text.split(".")]


def _no_key(origin: str, here: str, part: Key, known: list[str], hint: str | None) -> Problem:
    return Problem(
        origin,
        None,
        None,
        here,
        f"no `{part}` here",
        expected=f"one of: {', '.join(known) or '(nothing yet)'}",
        suggestion=hint,
    )


def set_path(data: dict, dotted: str, value: Any, origin: str) -> Problem | None:
    """Set `value` at a dotted path (`actors.TUR.support.0.level`); a Problem if the path cannot exist."""
    parts = _parse_path(dotted)
    if not dotted or any(p == "" for p in parts):
        return Problem(origin, None, None, dotted, "empty path segment", expected="a dotted path like a.b.c")
    node: Any = data
    for depth, part in enumerate(parts[:-1]):
        here = path_text(tuple(parts[: depth + 1]))
        if isinstance(node, dict):
            model = model_at(tuple(parts[:depth]), Scenario)
            if part not in node and model is not None:
                # A section the file leaves to the schema's defaults (e.g. `engine`) can still be set.
                allowed = field_names(model)
                if part not in allowed:
                    return _no_key(origin, here, part, allowed, did_you_mean(part, allowed))
                node[part] = {}
            elif part not in node:
                hint = did_you_mean(part, node.keys())
                if depth == 0 or hint:
                    return _no_key(origin, here, part, list(map(str, node)), hint)
                node[part] = {}
            node = node[part]
        elif isinstance(node, list):
            index = _list_index(parts, depth, node)
            if index is None:
                return _no_item(origin, here, parts, depth, node)
            node = node[index]
        else:
            return Problem(
                origin,
                None,
                None,
                here,
                "cannot go inside a plain value",
                expected="a path through mappings and lists",
            )
    last = parts[-1]
    if isinstance(node, list) and (index := _list_index(parts, len(parts) - 1, node)) is not None:
        node[index] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        return Problem(
            origin,
            None,
            None,
            dotted,
            "cannot set a value here",
            expected="a path ending in a mapping key or a list index",
        )
    return None


def _list_index(parts: list[Key], depth: int, node: list) -> int | None:
    """The index that `parts[depth]` names in the list `node`: an index, or an item's name (names.py)."""
    part = parts[depth]
    if isinstance(part, int):
        return part % len(node) if -len(node) <= part < len(node) else None
    return names.find(parts[depth - 1] if depth else None, node, part)


def _no_item(origin: str, here: str, parts: list[Key], depth: int, node: list) -> Problem:
    known = names.names(parts[depth - 1] if depth else None, node)
    expected = f"an index from 0 to {len(node) - 1}" if node else "nothing: the list is empty"
    if known:
        expected += f", or a name: {', '.join(known)}"
    return Problem(
        origin,
        None,
        None,
        here,
        f"no item `{parts[depth]}` in a list of {len(node)}",
        expected=expected,
        suggestion=did_you_mean(str(parts[depth]), known) if known else None,
    )


def resolve_names(data: dict, dotted: str) -> FieldPath:
    """The path of `dotted` with item names replaced by their indices (as far as the path exists)."""
    parts = _parse_path(dotted)
    node: Any = data
    out: list[Key] = []
    for depth, part in enumerate(parts):
        if isinstance(node, list):
            index = _list_index(parts, depth, node)
            if index is None:
                return (*out, *parts[depth:])
            out.append(index)
            node = node[index]
        else:
            out.append(part)
            node = node.get(part) if isinstance(node, dict) else None
    return tuple(out)


def get_path(data: Any, dotted: str) -> Any:
    """The value at `dotted` in `data`, or None where the path does not exist."""
    node = data
    for part in resolve_names(data, dotted):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def parse_override(text: str) -> tuple[str, Any] | Problem:
    """`dotted.path=value`, the value read as YAML (numbers, booleans, lists); a Problem if malformed."""
    origin = f"--set {text}"
    if "=" not in text:
        return Problem(
            origin,
            None,
            None,
            "",
            "missing `=`",
            expected="--set dotted.path=value",
            suggestion="e.g. --set engine.escalation.temperature=0.3",
        )
    path, raw = text.split("=", 1)
    try:
        value = load_value(raw) if raw.strip() else ""
    except yaml.YAMLError as exc:
        return Problem(origin, None, None, path.strip(), f"the value is not valid YAML: {exc}")
    return path.strip(), value
