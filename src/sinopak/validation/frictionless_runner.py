"""Run frictionless on the package's resources, in parallel worker processes, and collect its
errors into the report.

Each resource is one task (`frictionless_worker.validate_resource`), largest first, on as
many worker processes as there are CPUs, at a lower priority than the caller's (the build's
own steps wait for nothing the workers do: they run in the time the build leaves). The
workers start from a fork server that has imported frictionless once, so that they neither
re-import it nor inherit the parent's threads (pyarrow's pools). `start` is called as soon
as the files are known to be safe, so that frictionless runs while sinopak's own table checks
run in the parent; `Pending.collect` waits.
A worker that crashes or is killed becomes a `frictionless-error` naming each resource it did
not finish: never a hang, never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .report import Report, Scope

if TYPE_CHECKING:  # imported by `start`: `--frictionless none` never needs them
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.context import BaseContext

Task = Callable[[str, str], list[dict[str, Any]]]
# Imported once by the fork server (importing starts no thread), not by every worker.
PRELOAD = ["frictionless", "pyarrow.parquet", "sinopak.validation.frictionless_worker"]


def selected(descriptor: dict[str, Any], scope: Scope) -> list[dict[str, Any]]:
    """The resources frictionless validates in this scope, largest file first."""
    chosen = [r for r in descriptor["resources"] if scope == "all" or r.get("format") == "csv"]
    return sorted(chosen, key=lambda r: -_size(r))


def _size(res: dict[str, Any]) -> int:
    size = res.get("bytes", res.get("sinopak:bytes", 0))
    return size if isinstance(size, int) else 0


@dataclass
class Pending:
    """frictionless running on the resources: `collect` adds its problems to the report."""

    pool: ProcessPoolExecutor
    futures: list[tuple[dict[str, Any], Future[list[dict[str, Any]]]]]

    def submit(
        self, descriptor_path: Path, resources: list[dict[str, Any]], task: Task | None = None
    ) -> None:
        """Give the workers these resources of the package at `descriptor_path` too, largest
        first (their problems are collected with the others')."""
        from .frictionless_worker import validate_resource

        path = str(descriptor_path.resolve())
        run = task or validate_resource
        for res in sorted(resources, key=lambda r: -_size(r)):
            self.futures.append((res, self._submit(run, path, res["name"])))

    def _submit(self, run: Task, path: str, name: str) -> Future[list[dict[str, Any]]]:
        """The pool's future for one resource; if a worker already died (the pool is broken,
        which `submit` would raise), a future holding that error: reported for the resource
        by `collect`, as a worker dying later is."""
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.pool.submit(run, path, name)
        except BrokenProcessPool as exc:
            failed: Future[list[dict[str, Any]]] = Future()
            failed.set_exception(exc)
            return failed

    def cancel(self) -> None:
        """Stop (the build failed before collecting): queued resources never start, and the
        workers are stopped, not waited for (one large table keeps a worker for seconds)."""
        # the pool names its processes only in `_processes` (`terminate_workers`, which
        # does this, is new in Python 3.14); taken before `shutdown` forgets them
        workers = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in workers:
            process.terminate()

    def collect(self, report: Report) -> None:
        try:
            for res, future in self.futures:
                _collect_one(res, future, report)
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _collect_one(res: dict[str, Any], future: Future[list[dict[str, Any]]], report: Report) -> None:
    from concurrent.futures.process import BrokenProcessPool

    name, file = res.get("name"), res.get("path")
    try:
        problems = future.result()
    except BrokenProcessPool:
        report.add(
            "frictionless-error",
            "frictionless did not finish this resource: its worker process stopped (crashed "
            "or was killed)",
            resource=name,
            file=file,
        )
        return
    except Exception as exc:  # frictionless may raise on inputs it cannot open at all
        report.add(
            "frictionless-error",
            f"frictionless could not validate: {exc}",
            resource=name,
            file=file,
        )
        return
    for p in problems:
        report.add_frictionless(
            p["type"],
            p["message"],
            resource=name,
            file=file,
            row=p.get("row"),
            field=p.get("field"),
        )


def _context() -> BaseContext:
    """Where the workers start: the fork server, which imports PRELOAD once; without one
    (Windows), spawned processes, each importing what it needs."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    server = multiprocessing.get_context("forkserver")
    server.set_forkserver_preload(PRELOAD)
    return server


def warm() -> None:
    """Start the fork server now (it imports frictionless and pyarrow, in a process of its
    own: about 1.5 CPU-s), so that the workers `start` asks for later fork from a server that
    is ready. Nothing where there is no fork server."""
    if _context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def start(
    descriptor_path: Path, descriptor: dict[str, Any], scope: Scope, *, task: Task | None = None
) -> Pending:
    """Submit every selected resource to the worker processes; return at once."""
    from concurrent.futures import ProcessPoolExecutor

    from . import frictionless_worker

    resources = selected(descriptor, scope)
    workers = max(1, min(os.cpu_count() or 1, len(resources)))
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=_context(), initializer=frictionless_worker.lower_priority
    )
    pending = Pending(pool, [])
    try:
        pending.submit(descriptor_path, resources, task)
    except BaseException:
        pending.cancel()
        raise
    return pending


def run_frictionless(
    descriptor_path: Path, descriptor: dict[str, Any], scope: Scope, report: Report
) -> None:
    """Run frictionless on the package (every format, or the CSV tables) and collect errors."""
    start(descriptor_path, descriptor, scope).collect(report)
