"""Problems a user can act on: where (file:line:column, field path), what was expected, what to try."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    expected: str | None = None
    suggestion: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.path or '(top level)'}: {self.message}"
        if self.expected:
            text += f"\n    expected: {self.expected}"
        if self.suggestion:
            text += f"\n    suggestion: {self.suggestion}"
        return text


@dataclass
class ScenarioError(Exception):
    """Every problem found in one or more input files. The CLI prints them all and exits with code 2."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.report())

    def report(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found:"
        return "\n".join([head, *(str(p) for p in self.problems)])


def did_you_mean(word: object, choices: Iterable[object]) -> str | None:
    """'did you mean X?' for a misspelt key or id (a list index too: compared as text), or None when nothing
    is close."""
    matches = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean `{matches[0]}`?" if matches else None
