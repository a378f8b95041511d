"""Reading scenario files: safe YAML with line marks, `extends` (deep merge), `--set` overrides, validation.

Every problem in a file is collected before anything is raised, so a user fixes a file in one pass.
Only PyYAML's SafeLoader is used: scenario text can never construct Python objects or run code.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import math
import re
import typing
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from sim.scenario import names
from sim.scenario.checks import cross_reference_problems
from sim.scenario.errors import Problem, ScenarioError, did_you_mean
from sim.scenario.files import default_roots, outside_roots, read_text, roots_text
from sim.scenario.schema import Scenario

Key = str | int
PathT = tuple[Key, ...]
Mark = tuple[str, int | None, int | None]  # file, line, column (1-based)


@dataclass
class Document:
    """A parsed mapping and where each of its fields came from."""

    data: dict[str, Any]
    marks: dict[PathT, Mark] = field(default_factory=dict)

    def mark(self, path: PathT, default_file: str) -> Mark:
        """Mark of the longest prefix of `path` that has one (so a missing child points at its parent)."""
        for n in range(len(path), -1, -1):
            if path[:n] in self.marks:
                return self.marks[path[:n]]
        return (default_file, None, None)


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


# ----------------------------------------------------------------------------------------------- YAML


def _walk_marks(node: yaml.Node, file: str, path: PathT, marks: dict[PathT, Mark]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            child = (*path, key)
            marks[child] = (file, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _walk_marks(value_node, file, child, marks)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            child = (*path, i)
            marks[child] = (file, item.start_mark.line + 1, item.start_mark.column + 1)
            _walk_marks(item, file, child, marks)


def _duplicate_keys(node: yaml.Node, file: str, path: PathT, out: list[Problem]) -> None:
    """PyYAML keeps the last of two equal keys silently; a user almost always meant something else."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is not None and key != "<<":
                if key in seen:
                    first = seen[key].start_mark.line + 1
                    out.append(
                        Problem(
                            file,
                            key_node.start_mark.line + 1,
                            key_node.start_mark.column + 1,
                            _dotted((*path, key)),
                            f"duplicate key `{key}` (first given on line {first})",
                            expected="each key once per mapping",
                            suggestion="merge the two entries or rename one; YAML would keep only the last",
                        )
                    )
                seen[key] = key_node
            _duplicate_keys(value_node, file, (*path, key if key is not None else "?"), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _duplicate_keys(item, file, (*path, i), out)


MAX_VALUES = 100_000  # a real scenario has a few thousand; more means aliases nested in aliases


def _alias_problem(node: yaml.Node, file: str) -> Problem | None:
    """Aliases make a graph, not a tree: one that refers to itself, or expands past MAX_VALUES (the
    'billion laughs' file), would hang every step after parsing. Counted on the graph, so it stays cheap."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    found: list[Problem] = []

    def size(n: yaml.Node) -> int:
        if id(n) in sizes:
            return sizes[id(n)]
        if id(n) in open_nodes:
            found.append(
                Problem(
                    file,
                    n.start_mark.line + 1,
                    n.start_mark.column + 1,
                    "",
                    "an anchor's value contains an alias to itself",
                    expected="aliases (*name) that refer to a value defined before and outside them",
                )
            )
            return 0
        open_nodes.add(id(n))
        children: list[yaml.Node] = []
        if isinstance(n, yaml.MappingNode):
            children = [c for pair in n.value for c in pair]
        elif isinstance(n, yaml.SequenceNode):
            children = list(n.value)
        total = 1 + sum(size(c) for c in children if not found)
        open_nodes.discard(id(n))
        sizes[id(n)] = total
        return total

    total = size(node)
    if found:
        return found[0]
    if total > MAX_VALUES:
        return Problem(
            file,
            None,
            None,
            "",
            f"the document expands to {total:,} values through its aliases",
            expected=f"at most {MAX_VALUES:,} values",
            suggestion="aliases repeated inside aliases multiply; write the values out or use `extends`",
        )
    return None


class _Loader(yaml.SafeLoader):
    """PyYAML's SafeLoader, except that an impossible date (2020-13-45) stays text: the schema then reports it
    with its line, among every other problem, instead of the parse stopping at it."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
# YAML 1.2 reads `1e3` and `2e-1` (an exponent without a dot) as numbers; PyYAML's YAML 1.1 resolver reads them
# as text, so a file's `2e2` would pass the checks as a string. add_implicit_resolver copies the table first,
# so PyYAML's own SafeLoader is left as it is.
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def load_value(text: str) -> Any:
    """One YAML value (a `--set` value), read as a scenario file reads it."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader


def parse_yaml(text: str, file: str) -> Document:
    """Parse one YAML document safely, with marks; raises ScenarioError on any problem."""
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        # The reader rejects control characters before parsing starts; point at the character.
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - text.rfind("\n", 0, exc.position)
        raise ScenarioError(
            [
                Problem(
                    file,
                    line,
                    col,
                    "",
                    f"not valid YAML: character #x{exc.character:04x} is not allowed",
                    expected="printable text (tabs and newlines are fine)",
                    suggestion="delete the invisible character; it often comes from copying out of a PDF",
                )
            ]
        ) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise ScenarioError([Problem(file, 1, 1, "", "the file is empty", expected="a YAML mapping")])
        alias_problem = _alias_problem(node, file)
        if alias_problem:
            raise ScenarioError([alias_problem])
        problems: list[Problem] = []
        _duplicate_keys(node, file, (), problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise ScenarioError(
            [
                Problem(
                    file,
                    line,
                    col,
                    "",
                    f"not valid YAML: {what}",
                    expected="well-formed YAML",
                    suggestion="check indentation and that every `key:` is followed by a space",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(file, None, None, "", f"not valid YAML: {exc}")]) from None
    except RecursionError:
        raise ScenarioError(
            [Problem(file, None, None, "", "the document is nested too deeply", expected="a few levels")]
        ) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # PyYAML's constructors can raise plain errors (e.g. a huge number in a base-60 integer).
        raise ScenarioError(
            [
                Problem(
                    file,
                    None,
                    None,
                    "",
                    f"a value cannot be read: {exc}",
                )
            ]
        ) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ScenarioError(
            [
                Problem(
                    file,
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                    "",
                    f"the document is a {type(data).__name__}",
                    expected="a mapping of `key: value` lines",
                )
            ]
        )
    if problems:
        raise ScenarioError(problems)
    marks: dict[PathT, Mark] = {(): (file, 1, 1)}
    _walk_marks(node, file, (), marks)
    return Document(data, marks)


# ------------------------------------------------------------------------------------ extends and --set


# Lists of mappings that name their items merge item by item on that name, so a variant can change one
# event or one patron's support without restating the whole list.
LIST_ITEM_KEYS = ("id", "to", "target")


def _item_key(items: list) -> str | None:
    """The naming key shared by every item of `items`, if each value is a distinct string."""
    for key in LIST_ITEM_KEYS:
        if all(isinstance(i, dict) and isinstance(i.get(key), str) for i in items):
            names = [i[key] for i in items]
            if len(set(names)) == len(names):
                return key
    return None


def deep_merge(
    base: Any, over: Any, moves: dict[PathT, PathT] | None = None, at: PathT = (), over_at: PathT = ()
) -> Any:
    """`over` on top of `base`.

    Mappings merge key by key. Lists of mappings whose items all carry a distinct `id` (events), `to`
    (support) or `target` (threats), in both files, merge item by item on it: a named item deep-merges
    into the base item of the same name, a new name is appended. An empty list, and any other list,
    replaces the base list. `moves` collects where each item of `over` landed, so line marks follow it.
    """
    if isinstance(base, dict) and isinstance(over, dict):
        merged = dict(base)
        for key, value in over.items():
            merged[key] = (
                deep_merge(base[key], value, moves, (*at, key), (*over_at, key)) if key in base else value
            )
        return merged
    if isinstance(base, list) and isinstance(over, list) and base and over:
        key = _item_key(base)
        if key is not None and _item_key(over) == key:
            merged = list(base)
            index = {item[key]: i for i, item in enumerate(merged)}
            for j, item in enumerate(over):
                i = index.setdefault(item[key], len(merged))
                if i == len(merged):
                    merged.append(item)
                else:
                    merged[i] = deep_merge(merged[i], item, moves, (*at, i), (*over_at, j))
                if moves is not None:
                    moves[(*over_at, j)] = (*at, i)
            return merged
    return over


def _moved(path: PathT, moves: dict[PathT, PathT]) -> PathT:
    for n in range(len(path), 0, -1):
        if path[:n] in moves:
            return (*moves[path[:n]], *path[n:])
    return path


SCENARIO_KEYS = tuple(f.alias or n for n, f in Scenario.model_fields.items())


def _not_a_scenario(doc: Document, shown: str) -> None:
    """A file that is some other YAML (a sweep, a config, a data file) in one line, its content unquoted:
    listing each of its keys as "unknown" would print the file."""
    keys = list(doc.data)
    known = [k for k in keys if k in SCENARIO_KEYS]
    if not known or len(keys) - len(known) > max(2, len(known)):
        raise ScenarioError(
            [
                Problem(
                    shown,
                    1,
                    1,
                    "",
                    f"not a scenario: {len(known)} of its {len(keys)} top-level keys are scenario keys",
                    expected=f"a scenario file (top-level keys among: {', '.join(SCENARIO_KEYS)})",
                    suggestion="check that the path names a scenario",
                )
            ]
        )


def _duplicate_names(doc: Document, source: str) -> list[Problem]:
    out = []
    for later, first, name in names.duplicates(doc.data):
        file, line, col = doc.mark(later, source)
        first_file, first_line, _ = doc.mark(first, source)
        where = f"line {first_line}" if first_file == file else f"{first_file}:{first_line}"
        out.append(
            Problem(
                file,
                line,
                col,
                _dotted(later),
                f"a second item named `{name}` (the first is at {where})",
                expected="a distinct name for each item of the list",
                suggestion="rename one (support channels take an `id`), or merge the two",
            )
        )
    return out


def _read_with_extends(path: Path, shown: str, chain: tuple[Path, ...], roots: tuple[Path, ...]) -> Document:
    if outside_roots(path, roots):
        raise ScenarioError(
            [
                Problem(
                    shown,
                    None,
                    None,
                    "",
                    "lies outside the folders scenario files are read from",
                    expected=f"a file inside {roots_text(roots)}",
                    suggestion="keep bases beside their variants, or widen the folders with --allow-root DIR",
                )
            ]
        )
    text = read_text(path, shown, "scenarios ship in scenarios/")
    doc = parse_yaml(text, shown)
    _not_a_scenario(doc, shown)
    duplicates = (
        _duplicate_names(doc, shown) if chain else []
    )  # a base's own; the top file's come with the rest
    if duplicates:
        raise ScenarioError(duplicates)
    parent = doc.data.get("extends")
    if parent is None:
        return doc

    def at_extends(message: str, **hints: str) -> Problem:
        return Problem(*doc.mark(("extends",), shown), "extends", message, **hints)

    if not isinstance(parent, str) or not parent.strip():
        expected = "a path to the base scenario, e.g. `extends: base.yaml`"
        raise ScenarioError([at_extends(f"got {parent!r}", expected=expected)])
    base_path = path.parent / parent
    here = (*chain, path.resolve())
    if base_path.resolve() in here:
        cycle = " -> ".join(p.name for p in (*here, base_path.resolve()))
        hint = "a variant extends its base, never the other way round"
        raise ScenarioError([at_extends(f"`extends` makes a cycle: {cycle}", suggestion=hint)])
    try:
        base = _read_with_extends(base_path, str(Path(shown).parent / parent), here, roots)
    except ScenarioError as exc:
        note = at_extends(f"the base scenario `{parent}` has problems (listed above)")
        raise ScenarioError([*exc.problems, note]) from None
    moves: dict[PathT, PathT] = {}
    data = deep_merge(base.data, doc.data, moves)
    data.pop("extends", None)
    marks = {**base.marks, **{_moved(p, moves): m for p, m in doc.marks.items()}}
    return Document(data, marks)


def _parse_path(dotted: str) -> list[Key]:
    return [int(p) if p.lstrip("-").isdigit() else p for p in dotted.split(".")]


def set_path(data: dict, dotted: str, value: Any, origin: str) -> Problem | None:
    """Set `value` at a dotted path (`actors.TUR.support.0.level`); a Problem if the path cannot exist."""
    parts = _parse_path(dotted)
    if not dotted or any(p == "" for p in parts):
        return Problem(origin, None, None, dotted, "empty path segment", expected="a dotted path like a.b.c")
    node: Any = data
    for depth, part in enumerate(parts[:-1]):
        here = _dotted(tuple(parts[: depth + 1]))
        if isinstance(node, dict):
            model = _model_at(tuple(parts[:depth]), Scenario)
            if part not in node and model is not None:
                # A section the file leaves to the schema's defaults (e.g. `engine`) can still be set.
                allowed = [f.alias or n for n, f in model.model_fields.items()]
                if part not in allowed:
                    return Problem(
                        origin,
                        None,
                        None,
                        here,
                        f"no `{part}` here",
                        expected=f"one of: {', '.join(allowed)}",
                        suggestion=did_you_mean(part, allowed),
                    )
                node[part] = {}
            elif part not in node:
                hint = did_you_mean(part, node.keys())
                if depth == 0 or hint:
                    return Problem(
                        origin,
                        None,
                        None,
                        here,
                        f"no `{part}` here",
                        expected=f"one of: {', '.join(map(str, node)) or '(nothing yet)'}",
                        suggestion=hint,
                    )
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


def resolve_names(data: dict, dotted: str) -> PathT:
    """The path of `dotted` with item names replaced by their indices (as far as the path exists)."""
    parts = _parse_path(dotted)
    node: Any = data
    out: list[Key] = []
    for depth, part in enumerate(parts):
        if isinstance(node, list):
            index = _list_index(parts, depth, node)
            if index is None:
                return (*out, *parts[depth:])
            part = index
        out.append(part)
        node = node.get(part) if isinstance(node, dict) else node[part] if isinstance(node, list) else None
    return tuple(out)


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


# ------------------------------------------------------------------------------------------ validation


def _dotted(path: PathT) -> str:
    return ".".join(str(p) for p in path)


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Annotated so the resolver sees the container or model underneath."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, __import__("types").UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _model_at(loc: PathT, root: type[BaseModel]) -> type[BaseModel] | None:
    """The pydantic model whose fields are allowed at `loc`, for 'did you mean' on unknown keys."""
    current: Any = root
    items = list(loc)
    while items:
        current = _unwrap(current)
        part = items.pop(0)
        if isinstance(current, type) and issubclass(current, BaseModel):
            by_alias = {(f.alias or name): f for name, f in current.model_fields.items()}
            fld = current.model_fields.get(part) or by_alias.get(part)
            if fld is None:
                return None
            current = fld.annotation
        elif typing.get_origin(current) in (dict, list):
            current = typing.get_args(current)[-1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


_EXPECTED = {
    "float_parsing": "a number",
    "float_type": "a number",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "dict_type": "a mapping of `key: value` lines",
    "model_type": "a mapping of `key: value` lines",
    "model_attributes_type": "a mapping of `key: value` lines",
    "list_type": "a list (lines starting with `- `)",
    "tuple_type": "a list like [0, 100]",
    "date_parsing": "a date written YYYY-MM-DD",
    "date_type": "a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD",
    "date_from_datetime_inexact": "a date with no time",
    "string_pattern_mismatch": "an id: a letter, then letters, digits or underscores",
    "too_short": "at least one entry",
    "finite_number": "a finite number (not .inf or .nan)",
    "too_long": "fewer entries",
}


def _expected(err: dict) -> str | None:
    kind, ctx = err["type"], err.get("ctx") or {}
    bounds = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}
    if kind in bounds:
        limit = next(iter(ctx.values()), "?")
        return f"a number {bounds[kind]} {limit}"
    if kind == "literal_error":
        return f"one of {ctx.get('expected', '')}"
    if kind == "missing":
        return "this field (it is required)"
    if kind == "value_error":
        return None
    return _EXPECTED.get(kind)


def problem_from_error(
    err: dict, doc: Document, source: str, root_model: type[BaseModel] = Scenario
) -> Problem:
    """One pydantic error as a Problem at its line; `root_model` is the file's top-level model."""
    loc: PathT = tuple(p for p in err["loc"] if p != "[key]")
    file, line, col = doc.mark(loc, source)
    path = _dotted(loc)
    kind = err["type"]
    got = err.get("input")
    suggestion = None
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1], root_model)
        allowed = [f.alias or n for n, f in model.model_fields.items()] if model else []
        message = f"unknown key `{loc[-1]}`"
        suggestion = did_you_mean(loc[-1], allowed)
        expected = f"one of: {', '.join(allowed)}" if allowed else "no key here"
        return Problem(file, line, col, path, message, expected, suggestion)
    if kind == "missing":
        return Problem(
            file,
            line,
            col,
            path,
            f"`{loc[-1]}` is missing",
            _expected(err),
            f"add `{loc[-1]}:` under `{_dotted(loc[:-1]) or 'the top level'}`",
        )
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str((err.get("ctx") or {}).get("expected", "")))
        suggestion = did_you_mean(got, choices) if isinstance(got, str) else None
    msg = err["msg"].removeprefix("Value error, ")
    if kind in ("float_type", "int_type", "float_parsing", "int_parsing") and isinstance(
        got, str | bool | float
    ):
        msg = _number_message(got, whole=kind.startswith("int"))
    elif got is not None and not isinstance(got, dict | list):
        msg = f"got {got!r}: {msg}"
    return Problem(file, line, col, path, msg, _expected(err), suggestion)


def _number_message(got: str | bool | float, whole: bool) -> str:
    """What to write instead of text, true/false or a fraction where a number belongs."""
    if isinstance(got, bool):
        return f"got {str(got).lower()}: write a {'whole ' if whole else ''}number, not true/false"
    if isinstance(got, float):
        whole_value = math.isfinite(got) and got == int(got)
        return f"got {got!r}: write {int(got)}" if whole_value else f"got {got!r}: write a whole number"
    try:
        number = load_value(got.strip())
    except yaml.YAMLError:
        number = None
    if isinstance(number, int | float) and not isinstance(number, bool):
        return f"got the text {got!r}: write {got.strip()}, not {got!r} (quotes make it text)"
    return f"got the text {got!r}: write a {'whole ' if whole else ''}number"


def _misspelt_sections(data: dict) -> dict[str, str]:
    """Top-level keys that are near misses of a section the file lacks (`actrs` for `actors`)."""
    out = {}
    for key in data:
        if key not in SCENARIO_KEYS:
            close = difflib.get_close_matches(str(key), [k for k in SCENARIO_KEYS if k not in data], 1, 0.75)
            if close:
                out[key] = close[0]
    return out


def _read_as(doc: Document, renames: dict[str, str]) -> Document:
    """The document with misspelt sections renamed, marks following, so one typo gives one problem (not one
    per reference into the section) and the section's own problems are still found."""
    data = {renames.get(k, k): v for k, v in doc.data.items()}
    marks = {((renames.get(p[0], p[0]), *p[1:]) if p else p): m for p, m in doc.marks.items()}
    return Document(data, marks)


def validate(doc: Document, source: str) -> Scenario:
    """Validate a merged document; every structural and cross-reference problem in one ScenarioError.

    A misspelt section comes first, then every other problem in file and line order; the checks read the
    section under the name it was surely meant to have."""
    renames = _misspelt_sections(doc.data)
    first = [
        Problem(
            *doc.mark((key,), source),
            str(key),
            f"unknown key `{key}`",
            expected=f"one of: {', '.join(SCENARIO_KEYS)}",
            suggestion=f"did you mean `{meant}`? (the rest of this report reads it as `{meant}`)",
        )
        for key, meant in renames.items()
    ]
    doc = _read_as(doc, renames) if renames else doc
    problems: list[Problem] = []
    scenario = None
    try:
        scenario = Scenario.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(problem_from_error(e, doc, source) for e in exc.errors())
    problems += _duplicate_names(doc, source)
    for path, message, expected, suggestion in cross_reference_problems(doc.data):
        file, line, col = doc.mark(path, source)
        problems.append(Problem(file, line, col, _dotted(path), message, expected, suggestion))
    if scenario is not None and not problems and not first:
        problems += _effect_problems(scenario, doc, source)
    if problems or first:
        problems.sort(key=lambda p: (p.file, p.line or 0, p.column or 0))
        raise ScenarioError([*first, *problems])
    assert scenario is not None
    return scenario


def _effect_problems(scenario: Scenario, doc: Document, source: str) -> list[Problem]:
    """An event changes the scenario during a run, past the checks above: each `set` value, and each `add`
    at the most it can add (once, or at every round of the clock if the event repeats), must give a valid
    scenario too, so no event can take the model outside its bounds."""
    base = scenario.model_dump(by_alias=True, exclude_none=True)
    rounds = scenario.clock.max_rounds if scenario.clock else 1
    out: list[Problem] = []
    changes: list[tuple[PathT, str, Any]] = []
    listed = doc.data.get("events", [])
    for i, event in enumerate(listed):
        if not isinstance(event, dict) or event.get("enabled") is False:
            continue
        for j, effect in enumerate(event.get("effects") or []):
            target = effect.get("set") or effect.get("add")
            value = effect.get("value")
            if not isinstance(target, str) or "convene" in effect:
                continue
            where = ("events", i, "effects", j, "value")
            if "add" in effect:
                current = _get(base, target)
                if current is None:
                    current = 0.0  # a value the model derives (max_level: 3 x level): the added part alone
                if not _is_number(value) or not _is_number(current):
                    out.append(
                        Problem(
                            *doc.mark(where, source),
                            _dotted(where),
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
                    _dotted(where),
                    f"this effect can make `{target}` {value!r}, which is not valid: {'; '.join(reasons)}",
                    expected="a value the scenario accepts at that path",
                    suggestion="change the value; an event that repeats (`once: false`) adds at every round",
                )
            )
    return out


def _invalid(base: dict, changes: list[tuple[PathT, str, Any]]) -> list[str]:
    """Why `base` with every change applied is not a valid scenario (nothing if it is)."""
    data = copy.deepcopy(base)
    for _, target, value in changes:
        if set_path(data, target, value, origin=target) is not None:
            return []  # the path is the cross-reference checks' to report
    reasons = [e["msg"] for e in _schema_errors(data)]
    return reasons + [message for _, message, _, _ in cross_reference_problems(data)]


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _get(data: Any, dotted: str) -> Any:
    node = data
    for part in resolve_names(data, dotted):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _schema_errors(data: dict) -> list[dict]:
    try:
        Scenario.model_validate(data)
    except ValidationError as exc:
        return list(exc.errors())
    return []


def content_hash(data: dict) -> str:
    """SHA-256 of the merged scenario, so a result can be traced to exactly what was run."""
    canonical = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def load_scenario(
    path: str | Path, overrides: typing.Iterable[str] = (), roots: typing.Iterable[str | Path] | None = None
) -> LoadedScenario:
    """Read, merge (`extends`), override (`--set path=value`) and validate a scenario file.

    Every file read (the scenario and its bases) must lie inside `roots`; by default the scenario's own
    folder and the project's scenarios/ (sim.scenario.files)."""
    shown = str(path)
    inside = default_roots(path) if roots is None else tuple(Path(r).resolve() for r in roots)
    doc = _read_with_extends(Path(path), shown, (), inside)
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
