"""Atomic file writes: a reader (or a crash) never sees half a file, and an old file is never half-replaced."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any


@contextlib.contextmanager
def opened(path: str | Path, mode: str = "w") -> Iterator[IO[Any]]:
    """A temporary file beside `path` to write to; on leaving the block it is fsynced and renamed over
    `path`, or deleted if the block raised. Lets a file be streamed (written over minutes) atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        text = "b" not in mode
        with os.fdopen(fd, mode, encoding="utf-8" if text else None, newline="" if text else None) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_with(path: str | Path, writer: Callable[[IO[Any]], object], mode: str = "w") -> None:
    """Write through `writer(fileobj)` to a temporary file beside `path`, fsync, then rename over `path`."""
    with opened(path, mode) as fh:
        writer(fh)


def write_text(path: str | Path, text: str) -> None:
    write_with(path, lambda fh: fh.write(text))


def write_bytes(path: str | Path, data: bytes) -> None:
    write_with(path, lambda fh: fh.write(data), mode="wb")
