"""Per-file work of the build (parsing YAML, segmenting sources) on every core.

Reading the seeds is the build's one long step that nothing else overlaps, so a large corpus is
split among worker processes forked from the build (they inherit the loaded code: no start-up
imports); results come back in input order, so the build stays deterministic. Small corpora,
platforms without `fork` and single-core machines run serially: forking costs more than it saves.
A worker that dies raises BuildError, never a hang.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, TypeVar, cast

from ..errors import BuildError, SinopakError

if TYPE_CHECKING:  # ForkContext exists only where fork does
    from multiprocessing.context import ForkContext

T = TypeVar("T")
R = TypeVar("R")
MIN_ITEMS = 64  # below this, serial is faster than starting workers


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def fork_context() -> ForkContext | None:
    """The `fork` start method (children inherit the loaded code and data), or None where the
    platform has none."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


def imap_in_order(
    func: Callable[[T], R], items: Sequence[T], *, what: str, min_items: int | None = None
) -> Generator[R, None, None]:
    """[func(item) for item in items], on every core when there are many items, each result
    given as soon as it and those before it are ready (an exception `func` raises is raised
    there, the first in input order, as in the serial loop): the caller works on the first
    results while the workers make the others. The workers start on every item at once, so
    the caller can do other work before it asks for a result. A caller that stops early
    closes it (`contextlib.closing`): its workers are then stopped, not waited for."""
    results = _in_order(func, items, what=what, min_items=min_items)
    next(results)  # runs up to the workers' start (the serial loop: up to its first item)
    return cast(Generator[R, None, None], results)


def _in_order(
    func: Callable[[T], R], items: Sequence[T], *, what: str, min_items: int | None
) -> Generator[R | None, None, None]:
    """`imap_in_order`'s results, after a None yielded once the workers have their items."""
    min_items = MIN_ITEMS if min_items is None else min_items
    workers = min(cores(), len(items) // max(1, min_items // 2))
    context = fork_context()
    if len(items) < min_items or workers < 2 or context is None:
        yield None
        yield from (func(item) for item in items)
        return
    chunk = max(1, len(items) // (workers * 8))
    pool = ProcessPoolExecutor(workers, mp_context=context)
    done = False
    try:
        results = pool.map(func, items, chunksize=chunk)  # every item submitted here
        yield None
        yield from results
        done = True
    except BrokenProcessPool:
        raise BuildError(
            f"{what}: a worker process stopped (crashed or was killed); run the build again"
        ) from None
    except SinopakError:
        raise
    except Exception as exc:  # e.g. a result that cannot be pickled: no traceback for users
        raise BuildError(f"{what}: {type(exc).__name__}: {exc}") from None
    finally:
        # all results in: the workers are joined; else (an error, or the caller stopped and
        # closed this generator) the work not started is dropped and nothing waits for the rest
        pool.shutdown(wait=done, cancel_futures=not done)
