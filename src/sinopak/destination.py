"""Where a download lands, without ever losing a user's file.

DEST may be missing (it is created), empty, or a previous sinopak download (recognised by the
marker file `.sinopak-download.json`, which lists the files that download installed). Anything
else is refused: a non-empty foreign folder, a file, `.`, a folder whose parent is read-only.
A verified package is staged in a temporary folder on the same file system and installed file
by file with os.replace (each file atomically); files the package does not list are kept, and
files only the previous download listed are removed. Temporary folders carry the owner's pid:
they are removed on SIGTERM, and stale ones (owner gone) on the next run.

Standard library only.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import PackageError

MARKER = ".sinopak-download.json"
TEMP_PREFIX = ".sinopak-tmp-"


class DestinationError(PackageError):
    """DEST cannot safely receive a download."""


def check_destination(dest: Path) -> list[str]:
    """Refuse a DEST that a download could damage; return the files a previous download there
    installed (empty for a new or empty folder)."""
    here = Path.cwd().resolve()
    if (
        dest.name in ("", ".", "..")
        or here.is_relative_to(dest.resolve())
        or dest.resolve() == Path.home()
    ):
        raise DestinationError(
            f"{dest}: give a new or empty folder, or one that holds a previous download "
            "(not the current folder, its parent or your home folder)"
        )
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise DestinationError(f"{dest}: expected a folder, found a file; nothing was changed")
    parent = dest.parent if dest.parent != Path("") else Path(".")
    if not dest.exists():
        if not parent.is_dir():
            if parent.exists():
                raise DestinationError(f"{parent}: expected a folder, found a file")
            return []  # created (with its parents) when the package is installed
        if not os.access(parent, os.W_OK | os.X_OK):
            raise DestinationError(f"{parent}: folder is not writable; nothing was downloaded")
        return []
    if not os.access(dest, os.W_OK | os.X_OK):
        raise DestinationError(f"{dest}: folder is not writable; nothing was downloaded")
    clean_stale(dest)
    contents = [p for p in dest.iterdir() if not p.name.startswith(TEMP_PREFIX)]
    if not contents:
        return []
    marker = dest / MARKER
    if not marker.is_file() or marker.is_symlink():
        raise DestinationError(
            f"{dest}: folder is not empty and holds no previous sinopak download ({MARKER}); "
            "give a new or empty folder; nothing was changed"
        )
    return _marker_files(marker)


def _marker_files(marker: Path) -> list[str]:
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
        files = data["files"]
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise TypeError
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise DestinationError(
            f"{marker}: not a sinopak download marker (expected JSON with a files list); "
            "nothing was changed"
        ) from None
    return [f for f in files if _inside(f)]


def _inside(rel: str) -> bool:
    pure = PurePosixPath(rel)
    return bool(rel) and not pure.is_absolute() and ".." not in pure.parts and "\\" not in rel


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(folder: Path) -> None:
    """Remove temporary folders that an interrupted download left in `folder`."""
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            if not path.name.startswith(TEMP_PREFIX):
                continue
            pid = path.name.removeprefix(TEMP_PREFIX).partition("-")[0]
            if pid.isdigit() and not _alive(int(pid)) and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def temporary_folder(near: Path) -> Iterator[Path]:
    """A temporary folder inside `near` (same file system), removed at the end, also when the
    process receives SIGTERM."""
    try:
        near.mkdir(parents=True, exist_ok=True)
        clean_stale(near)
        tmp = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=near))
    except OSError as exc:
        raise DestinationError(
            f"{near}: cannot write there ({exc.strerror or exc}); nothing was changed"
        ) from None
    try:
        with _sigterm_raises():
            yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class Terminated(SystemExit):
    """SIGTERM arrived: unwind (running every cleanup) and exit 143."""


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """Turn SIGTERM into an exception while the block runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise Terminated(128 + signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def install(stage: Path, dest: Path, files: list[str], previous: list[str]) -> None:
    """Move the verified `files` from `stage` into `dest`, each with one atomic os.replace;
    remove what only the previous download listed; then write the marker."""
    if not dest.exists():
        _write_marker(stage, files)
        try:
            os.rename(stage, dest)  # the whole folder at once
            return
        except OSError:
            if dest.exists():  # created meanwhile: install file by file below
                check_destination(dest)
            else:
                raise
    for rel in files:
        target = dest / rel
        for parent in reversed(target.relative_to(dest).parents[:-1]):
            folder = dest / parent
            if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
                raise DestinationError(
                    f"{folder}: expected a folder for {rel}, found a file or link; stopped"
                )
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir() and not target.is_symlink():
            raise DestinationError(f"{target}: expected a file, found a folder; stopped")
        os.replace(stage / rel, target)
    for rel in sorted(set(previous) - set(files)):
        old = dest / rel
        if old.is_file() or old.is_symlink():
            old.unlink()
    _write_marker(dest, files)


def _write_marker(folder: Path, files: list[str]) -> None:
    tmp = folder / (MARKER + ".tmp")
    tmp.write_text(
        json.dumps({"sinopak-download": 1, "files": sorted(files)}, indent=2) + "\n",
        encoding="utf-8",
    )
    os.replace(tmp, folder / MARKER)
