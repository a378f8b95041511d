"""Atomic file writes: a reader (or a crash) never sees half a file, and an old file is never half-replaced.

Files are created with mode 0666 less the umask, like any file a program writes (mkstemp's 0600 would make
outputs unreadable to a group that shares a results folder).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any


def _create_beside(path: Path) -> tuple[int, Path]:
    """A new, empty temporary file in `path`'s folder (mode 0666 & ~umask) and its name."""
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue


@contextlib.contextmanager
def opened(path: str | Path, mode: str = "w") -> Iterator[IO[Any]]:
    """A temporary file beside `path` to write to; on leaving the block it is fsynced and renamed over
    `path`, or deleted if the block raised. Lets a file be streamed (written over minutes) atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_beside(path)
    try:
        text = "b" not in mode
        with os.fdopen(fd, mode, encoding="utf-8" if text else None, newline="" if text else None) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_with(path: str | Path, writer: Callable[[IO[Any]], object], mode: str = "w") -> None:
    """Write through `writer(fileobj)` to a temporary file beside `path`, fsync, then rename over `path`."""
    with opened(path, mode) as fh:
        writer(fh)


def write_text(path: str | Path, text: str) -> None:
    write_with(path, lambda fh: fh.write(text))


def write_bytes(path: str | Path, data: bytes) -> None:
    write_with(path, lambda fh: fh.write(data), mode="wb")


def write_folder(folder: str | Path, files: Mapping[str, str | bytes]) -> dict[str, Path]:
    """Write every file of `files` (name -> content) into `folder`, all of them or none.

    A new folder is filled under a temporary name beside it and then renamed, so it appears complete. An
    existing folder (it may hold other files of the user's) is never replaced as a whole: each file is
    replaced atomically, and only after every one has been written beside it."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / name for name in files}
    if not folder.exists():
        tmp = folder.parent / f".{folder.name}.{secrets.token_hex(4)}.tmp"
        try:
            tmp.mkdir(mode=0o777)
            for name, content in files.items():
                if isinstance(content, bytes):
                    write_bytes(tmp / name, content)
                else:
                    write_text(tmp / name, content)
            os.rename(tmp, folder)
            return paths
        except FileExistsError:
            pass  # another process made the folder meanwhile: fall through and replace file by file
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        shutil.rmtree(tmp, ignore_errors=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, content in files.items():
            fd, tmp_file = _create_beside(paths[name])
            staged.append((tmp_file, paths[name]))
            with os.fdopen(fd, "wb") as fh:
                fh.write(content if isinstance(content, bytes) else content.encode("utf-8"))
                fh.flush()
                os.fsync(fh.fileno())
        for tmp_file, target in staged:
            os.replace(tmp_file, target)
    except BaseException:
        for tmp_file, _ in staged:
            tmp_file.unlink(missing_ok=True)
        raise
    return paths
