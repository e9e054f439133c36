"""One build at a time per project: an exclusive lock on build/.lock.

A second build waits for the first (saying so on stderr) and gives up with a clear error
after `wait` seconds; it never deletes the first build's staging folder. The lock is
fcntl.flock, which the kernel releases when its holder exits, so a killed build leaves no
stale lock (standard library; POSIX only: elsewhere builds are not serialised).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator

from ..errors import BuildError
from .project import Project

LOCK_WAIT = 600.0  # seconds a build waits for another one to finish
POLL = 0.2


@contextlib.contextmanager
def build_lock(project: Project, *, wait: float | None = None) -> Iterator[None]:
    """Hold the project's build lock for the block, waiting up to `wait` seconds for it
    (default LOCK_WAIT)."""
    if wait is None:
        wait = LOCK_WAIT
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    project.scratch.mkdir(exist_ok=True)
    path = project.scratch / ".lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(fd)
                if time.monotonic() >= deadline:
                    raise BuildError(
                        f"another sinopak build{holder} is running in {project.root} and did "
                        f"not finish within {wait:g} s; try again when it has finished"
                    ) from None
                if not told:
                    print(f"another sinopak build{holder} is running; waiting…", file=sys.stderr)
                    told = True
                time.sleep(POLL)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return f" (pid {pid})" if pid.isdigit() else ""
