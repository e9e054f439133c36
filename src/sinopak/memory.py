"""Memory of large builds: the cyclic garbage collector paused, freed memory given back.

The build and validation make millions of long-lived objects (records, rows, cells) and almost
no reference cycles, yet each full collection walks all of them: at 10,000 articles that was
about 40% of reading the seeds, checking and making rows (measured: 52 s -> 29 s, 18 s -> 13 s,
17 s -> 10 s). Plain reference counting still frees everything else at once; the few cycles
made meanwhile (649 objects at 1,000 articles) are collected when the pause ends. A paused
collector also keeps forked children (the seed readers) from walking, and so copying, every
page they inherited.

Memory freed by Python is not always returned to the system (glibc keeps freed blocks for
reuse, and pyarrow keeps its own pool); `give_back` returns it after each large step of the
build and after each resource a frictionless worker validates.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic collector off; restore its state afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def give_back() -> None:
    """Return the memory freed so far to the system: pyarrow's pool (when pyarrow is loaded)
    and glibc's heap (`malloc_trim`; other C libraries keep theirs)."""
    import sys

    if "pyarrow" in sys.modules:  # never imported for this
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Any:
    """glibc's malloc_trim, or None (musl, macOS, Windows)."""
    import ctypes

    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)
    except (OSError, TypeError):  # no C library to load by that name (Windows)
        return None
