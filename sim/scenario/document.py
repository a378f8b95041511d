"""A parsed input document and where each of its fields came from: the field paths every problem points at."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Key = str | int  # a mapping key or a list index
FieldPath = tuple[Key, ...]  # ("actors", "TUR", "support", 0, "level"); pydantic's `loc` has this type
Mark = tuple[str, int | None, int | None]  # file, line, column (1-based)


def path_text(path: FieldPath) -> str:
    """`actors.TUR.support.0.level`: a field path as a user writes it (and as Problem.path shows it)."""
    return ".".join(str(p) for p in path)


@dataclass
class Document:
    """A parsed mapping and where each of its fields came from."""

    data: dict[str, Any]
    marks: dict[FieldPath, Mark] = field(default_factory=dict)

    def mark(self, path: FieldPath, default_file: str) -> Mark:
        """Mark of the longest prefix of `path` that has one (so a missing child points at its parent)."""
        for n in range(len(path), -1, -1):
            if path[:n] in self.marks:
                return self.marks[path[:n]]
        return (default_file, None, None)
