"""`extends`: a scenario file read with the bases it names, each deep-merged under the file that extends it.

Every file read must lie inside the roots (sim.scenario.files); a base with problems is reported with them,
and line marks follow each merged value back to the file and line it came from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim.scenario import names
from sim.scenario.document import Document, FieldPath
from sim.scenario.errors import Problem, ScenarioError
from sim.scenario.fields import SCENARIO_KEYS
from sim.scenario.files import outside_roots, read_text, roots_text
from sim.scenario.parse import parse_yaml

# Lists of mappings that name their items merge item by item on that name, so a variant can change one
# event or one patron's support without restating the whole list.
LIST_ITEM_KEYS = ("id", "to", "target")


def _item_key(items: list) -> str | None:
    """The naming key shared by every item of `items`, if each value is a distinct string."""
    for key in LIST_ITEM_KEYS:
        if all(isinstance(i, dict) and isinstance(i.get(key), str) for i in items):
            given = [i[key] for i in items]
            if len(set(given)) == len(given):
                return key
    return None


def deep_merge(
    base: Any,
    over: Any,
    moves: dict[FieldPath, FieldPath] | None = None,
    at: FieldPath = (),
    over_at: FieldPath = (),
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
            items = list(base)
            index = {item[key]: i for i, item in enumerate(items)}
            for j, item in enumerate(over):
                i = index.setdefault(item[key], len(items))
                if i == len(items):
                    items.append(item)
                else:
                    items[i] = deep_merge(items[i], item, moves, (*at, i), (*over_at, j))
                if moves is not None:
                    moves[(*over_at, j)] = (*at, i)
            return items
    return over


def _moved(path: FieldPath, moves: dict[FieldPath, FieldPath]) -> FieldPath:
    for n in range(len(path), 0, -1):
        if path[:n] in moves:
            return (*moves[path[:n]], *path[n:])
    return path


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


def read_with_extends(path: Path, shown: str, chain: tuple[Path, ...], roots: tuple[Path, ...]) -> Document:
    """The merged document of `path` (shown to the user as `shown`) and its bases; `chain`: the files that
    extend it, to refuse a cycle."""
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
    # A base's own duplicate names; the top file's are reported with the rest of its problems.
    duplicates = names.duplicate_problems(doc, shown) if chain else []
    if duplicates:
        raise ScenarioError(duplicates)
    parent = doc.data.get("extends")
    if parent is None:
        return doc

    def at_extends(message: str, expected: str | None = None, suggestion: str | None = None) -> Problem:
        file, line, col = doc.mark(("extends",), shown)
        return Problem(file, line, col, "extends", message, expected, suggestion)

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
        base = read_with_extends(base_path, str(Path(shown).parent / parent), here, roots)
    except ScenarioError as exc:
        note = at_extends(f"the base scenario `{parent}` has problems (listed above)")
        raise ScenarioError([*exc.problems, note]) from None
    moves: dict[FieldPath, FieldPath] = {}
    data = deep_merge(base.data, doc.data, moves)
    data.pop("extends", None)
    marks = {**base.marks, **{_moved(p, moves): m for p, m in doc.marks.items()}}
    return Document(data, marks)
