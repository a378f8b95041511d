"""Names of list items: events by `id`, an actor's support channels by `id` (default: their `kind`), its
threats by `target`. A name addresses an item in `--set` and sweep paths (`actors.TUR.support.troops.level`)
as its index does (`actors.TUR.support.0.level`); two items of one list may not share a name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sim.scenario.actors import Support
from sim.scenario.document import Document, path_text
from sim.scenario.errors import Problem

DEFAULT_SUPPORT_KIND = Support.model_fields["kind"].default
NAMED_LISTS = ("events", "support", "threats")


def side_ids(spec: Any) -> list[str]:
    """The sides of a scenario by name: each lead belligerent (one that names no other as its `side`; a
    belligerent that does is a member of that side), in actor order as rounds.csv lists them."""
    return [a for a, x in spec.actors.items() if x.role == "belligerent" and x.side in (None, a)]


def support_column(patron: str, index: int, kind: str, to: str) -> str:
    """The rounds.csv column of a patron's support entry: support_<patron>_<index>_<kind>_<recipient>."""
    return f"support_{patron}_{index}_{kind}_{to}"


def item_name(list_key: Any, item: Any) -> str | None:
    """The name of `item` in the list stored under `list_key`, or None if that list names no items."""
    if not isinstance(item, dict):
        return None
    if list_key == "events":
        name = item.get("id")
    elif list_key == "support":
        name = item.get("id", item.get("kind", DEFAULT_SUPPORT_KIND))
    elif list_key == "threats":
        name = item.get("target")
    else:
        return None
    return name if isinstance(name, str) else None


def find(list_key: Any, items: list, name: str) -> int | None:
    """Index of the item called `name`, or None."""
    hits = [i for i, item in enumerate(items) if item_name(list_key, item) == name]
    return hits[0] if len(hits) == 1 else None


def names(list_key: Any, items: list) -> list[str]:
    return [n for n in (item_name(list_key, item) for item in items) if n is not None]


def duplicates(data: dict) -> Iterator[tuple[tuple, tuple, str]]:
    """(path of the later item, path of the first, name) for every name given twice in a named list."""
    lists: list[tuple[tuple, str, Any]] = [(("events",), "events", data.get("events"))]
    actors = data.get("actors")
    for aid, actor in (actors if isinstance(actors, dict) else {}).items():
        if isinstance(actor, dict):
            for key in ("support", "threats"):
                lists.append((("actors", aid, key), key, actor.get(key)))
    for path, key, items in lists:
        if not isinstance(items, list):
            continue
        first: dict[str, int] = {}
        for i, item in enumerate(items):
            name = item_name(key, item)
            if name is None:
                continue
            if name in first:
                yield (*path, i), (*path, first[name]), name
            else:
                first[name] = i


def duplicate_problems(doc: Document, source: str) -> list[Problem]:
    """A Problem at every later item of a named list that repeats an earlier item's name."""
    out = []
    for later, first, name in duplicates(doc.data):
        file, line, col = doc.mark(later, source)
        first_file, first_line, _ = doc.mark(first, source)
        where = f"line {first_line}" if first_file == file else f"{first_file}:{first_line}"
        out.append(
            Problem(
                file,
                line,
                col,
                path_text(later),
                f"a second item named `{name}` (the first is at {where})",
                expected="a distinct name for each item of the list",
                suggestion="rename one (support channels take an `id`), or merge the two",
            )
        )
    return out
