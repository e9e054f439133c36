"""Files of the staged package written by a separate Python process while the build goes on:
the workbook, then the SQLite database, from the staged Parquet tables (`ParquetRows`), while
the build writes the other files; the release zip (`release.zip_job`), while it validates them.

A fresh interpreter, neither a fork of the build (the two shared their pages, and every page
either then wrote was copied: 1.4 GB more at 10,000 articles) nor a child of multiprocessing's
fork server (which runs the caller's main script again: an unguarded script calling `build`
waited on its own build lock). It imports what the build imports (the build's sys.path, in its
order) and runs each job, a `write_staged(args)` of a module, in turn: one process for both
files holds pyarrow and a table's batch once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import BuildError, SinopakError
from ..layout import resource_path

Job = tuple[str, str, list[str]]  # the file it writes (for messages), its module, arguments


class Background:
    """The `jobs` run in turn by a new process; `wait` raises the first error as BuildError,
    `cancel` kills the process."""

    def __init__(self, jobs: list[Job]) -> None:
        self.names = [name for name, _, _ in jobs]
        # a PYTHONPATH entry would come before the standard library: sys.path, as it is
        code = (
            "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
            "from sinopak.pipeline.background import run_jobs; run_jobs()"
        )
        # a pipe the process watches (POSIX): this end closes when the build ends, however it
        # ends (killed too), and the process then stops rather than write into a stage folder
        # nobody will read, or that a later build is removing
        lifeline, self.lifeline = os.pipe() if os.name == "posix" else (-1, -1)
        command = [sys.executable, "-c", code, json.dumps(sys.path), json.dumps(jobs)]
        command.append(str(lifeline))
        # pyarrow's default pool (mimalloc) kept what a table's batches had used: reading the
        # tables of 10,000 articles peaked at 205 MiB with it, 127 MiB with the system's
        env = {**os.environ, "ARROW_DEFAULT_MEMORY_POOL": "system"}
        try:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                pass_fds=(lifeline,) if lifeline >= 0 else (),
            )
        except OSError as exc:
            self._let_go()
            raise BuildError(
                f"{self._named()}: cannot start the process writing {self._it()}: {exc}"
            ) from None
        finally:
            if lifeline >= 0:
                os.close(lifeline)  # the process's end

    def _named(self) -> str:
        return ", ".join(self.names)

    def _it(self) -> str:
        return "it" if len(self.names) == 1 else "them"

    def _let_go(self) -> None:
        """Close this end of the lifeline (the process has ended, or never started)."""
        if self.lifeline >= 0:
            os.close(self.lifeline)
            self.lifeline = -1

    def wait(self) -> None:
        said, errors = self.process.communicate()
        self._let_go()
        code = self.process.returncode
        if code == 0:
            return
        message = said.decode("utf-8", "replace").strip()
        if not message:  # it stopped before it could say anything: killed, or no sinopak
            last = errors.decode("utf-8", "replace").strip().splitlines()[-1:]
            why = f": {last[0]}" if last else ""
            message = (
                f"{self._named()}: the process writing {self._it()} stopped (exit code "
                f"{code}){why}; run the build again"
            )
        raise BuildError(message)

    def cancel(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()
        self._let_go()


def run_jobs() -> None:
    """In the new process: each job `Background` was given, in turn; on failure print what
    went wrong (a sinopak error as it is, anything else named after the job's file) and exit
    with 1."""
    import importlib

    if (lifeline := int(sys.argv[3])) >= 0:
        _watch(lifeline)
    for name, module, args in json.loads(sys.argv[2]):
        try:
            importlib.import_module(module).write_staged(args)
        except Exception as exc:  # reaches the build as a BuildError, not a traceback
            known = isinstance(exc, SinopakError)
            message = str(exc) if known else f"{name}: {type(exc).__name__}: {exc}"
            sys.stdout.buffer.write(message.encode("utf-8"))
            raise SystemExit(1) from None


def _watch(lifeline: int) -> None:
    """Stop this process as soon as the build that started it is gone: a thread waits on the
    lifeline, whose other end only the build holds, and reads its end (EOF) when the build
    exits or is killed."""
    import threading

    def watch() -> None:
        try:
            os.read(lifeline, 1)
        finally:
            os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


class ParquetRows(Mapping[str, "ParquetTable"]):
    """The rows of each table as published in `folder`/parquet/, read a batch at a time."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __getitem__(self, table: str) -> ParquetTable:
        return ParquetTable(self.folder / resource_path(table, "parquet"))

    def __iter__(self) -> Iterator[str]:
        return (p.stem for p in sorted((self.folder / "parquet").glob("*.parquet")))

    def __len__(self) -> int:
        return sum(1 for _ in self)


class ParquetTable:
    """One table's rows from its Parquet file: `len` from the file's metadata, each pass over
    it a fresh read, BATCH rows at a time, as Arrow record batches."""

    BATCH = 1 << 14

    def __init__(self, path: Path) -> None:
        self.path = path

    def __len__(self) -> int:
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(self.path).metadata.num_rows)

    def batches(self) -> Iterator[Any]:
        import pyarrow.parquet as pq

        with pq.ParquetFile(self.path) as data:
            yield from data.iter_batches(batch_size=self.BATCH)
