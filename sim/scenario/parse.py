"""Safe YAML with line marks: one document read by PyYAML's SafeLoader, each field's file:line:column kept.

Only the SafeLoader is used: scenario text can never construct Python objects or run code. Duplicate keys,
self-referring or exploding aliases and unreadable text are problems with a line, not silent surprises.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from sim.scenario.document import Document, FieldPath, Mark, path_text
from sim.scenario.errors import Problem, ScenarioError


def _walk_marks(node: yaml.Node, file: str, path: FieldPath, marks: dict[FieldPath, Mark]) -> None:
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


def _duplicate_keys(node: yaml.Node, file: str, path: FieldPath, out: list[Problem]) -> None:
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
                            path_text((*path, key)),
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
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise ScenarioError(
            [
                Problem(
                    file,
                    mark.line + 1 if mark else None,
                    mark.column + 1 if mark else None,
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
    marks: dict[FieldPath, Mark] = {(): (file, 1, 1)}
    _walk_marks(node, file, (), marks)
    return Document(data, marks)
