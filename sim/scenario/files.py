"""Reading input files safely: only regular `.yaml`/`.yml` files of a few MB, and only inside the roots.

A scenario names other files (`extends:`, a sweep's `scenario:`). Validating a file from someone else must not
read the rest of the machine: every file is resolved (symlinks followed) and must lie inside one of the roots,
which are by default the folder of the file given on the command line and the project's `scenarios/`;
`--allow-root DIR` adds more. A device (`/dev/zero`), a named pipe or a folder is refused before it is opened,
and nothing larger than MAX_BYTES is read, so no input can hang a command or exhaust its memory.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from sim.scenario.errors import Problem, ScenarioError

MAX_BYTES = 4 * 1024 * 1024  # the largest shipped scenario is ~30 kB
SUFFIXES = (".yaml", ".yml")
PROJECT_SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def default_roots(path: str | Path, extra: Iterable[str | Path] = ()) -> tuple[Path, ...]:
    """The folders files named from `path` may come from: its own folder, the shipped scenarios, `extra`."""
    return tuple(_resolved(p) for p in (Path(path).parent, PROJECT_SCENARIOS, *extra))


def _resolved(path: str | Path) -> Path:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte
        return Path(os.path.abspath(path))


def outside_roots(path: Path, roots: Iterable[Path]) -> bool:
    target = _resolved(path)
    return not any(target.is_relative_to(root) for root in roots)


def roots_text(roots: Iterable[Path]) -> str:
    return ", ".join(str(r) for r in roots)


def read_text(path: Path, shown: str, where: str) -> str:
    """The text of an input file, or a ScenarioError saying in one line why it is not read (`where`: where to
    look). The file's content is never quoted."""

    def refuse(message: str, suggestion: str | None = None) -> ScenarioError:
        return ScenarioError([Problem(shown, None, None, "", message, suggestion=suggestion)])

    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise refuse("file not found", f"check the path; {where}") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        raise refuse(f"cannot read the file: {_reason(exc)}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, pipe or socket"
        raise refuse(f"not a regular file ({kind})", "name a .yaml file") from None
    if path.suffix.lower() not in SUFFIXES:
        raise refuse(
            f"not a YAML file (`{path.suffix or 'no suffix'}`)", "name a .yaml or .yml file"
        ) from None
    if info.st_size > MAX_BYTES:
        raise refuse(f"the file has {info.st_size:,} bytes; at most {MAX_BYTES:,} are read") from None
    try:
        # O_NONBLOCK: should the file be swapped for a pipe after the check, opening it still cannot hang.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise refuse("not a regular file", "name a .yaml file") from None
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise refuse(f"cannot read the file: {_reason(exc)}") from None
    if len(data) > MAX_BYTES:
        raise refuse(f"the file has more than {MAX_BYTES:,} bytes") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise refuse(f"not UTF-8 text (byte {exc.start})", "save the file as UTF-8") from None


def _reason(exc: Exception) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
