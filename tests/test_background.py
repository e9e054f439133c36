"""The process that writes the workbook and the database while the build goes on: its jobs run
in turn, and any failure is a BuildError naming the file, never a traceback or a hang."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from sinopak.errors import BuildError
from sinopak.pipeline.background import Background

JOBS = """
import pathlib, sys
from sinopak.errors import BuildError

def write_staged(args):
    out, what = args
    if what == "fail":
        raise BuildError(f"{out}: refused, as asked")
    if what == "crash":
        raise KeyError("no such thing")
    if what == "hang":
        import time
        time.sleep(60)
    import pyarrow
    pool = pyarrow.default_memory_pool().backend_name
    pathlib.Path(out).write_text(f"{what} {pool}", encoding="utf-8")
"""


@pytest.fixture
def jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A module of jobs the process can import (it takes this process's sys.path)."""
    (tmp_path / "fake_jobs.py").write_text(JOBS, encoding="utf-8")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    return tmp_path


def a_then_b(folder: Path, first: str, second: str) -> Background:
    """The process writing a.txt (job `first`), then b.txt (job `second`), in `folder`."""
    a, b = folder / "a.txt", folder / "b.txt"
    return Background(
        [("a.txt", "fake_jobs", [str(a), first]), ("b.txt", "fake_jobs", [str(b), second])]
    )


def test_jobs_run_in_turn_with_the_system_memory_pool(jobs: Path) -> None:
    a_then_b(jobs, "one", "two").wait()
    assert (jobs / "a.txt").read_text() == "one system"
    assert (jobs / "b.txt").read_text() == "two system"


def test_a_failing_job_is_its_error_and_later_jobs_do_not_run(jobs: Path) -> None:
    with pytest.raises(BuildError, match=r"a\.txt: refused, as asked$"):
        a_then_b(jobs, "fail", "two").wait()
    assert not (jobs / "b.txt").exists()


def test_an_unexpected_error_is_named_after_the_jobs_file(jobs: Path) -> None:
    with pytest.raises(BuildError, match=r"^b\.txt: KeyError: 'no such thing'$"):
        a_then_b(jobs, "one", "crash").wait()
    assert (jobs / "a.txt").read_text() == "one system"


def test_a_killed_process_names_every_file_it_was_writing(jobs: Path) -> None:
    job = Background([("a.txt", "fake_jobs", ["x", "hang"]), ("b.txt", "fake_jobs", ["y", "one"])])
    os.kill(job.process.pid, signal.SIGKILL)
    with pytest.raises(
        BuildError, match=r"^a\.txt, b\.txt: the process writing them stopped \(exit code -9\)"
    ):
        job.wait()


def test_cancel_stops_a_running_process(jobs: Path) -> None:
    job = Background([("a.txt", "fake_jobs", ["x", "hang"])])
    job.cancel()
    assert job.process.returncode == -signal.SIGKILL


def _ended(pid: int) -> bool:
    """Whether process `pid` has exited (gone, or a zombie its new parent has not reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_the_process_stops_when_the_build_is_killed(jobs: Path) -> None:
    """A build killed while its process writes (SIGKILL: no handler runs) leaves no process
    behind still writing into the stage folder: the process watches the build's end of a pipe."""
    import json
    import subprocess
    import time

    build = (
        "import json, sys, time; sys.path[:] = json.loads(sys.argv[1])\n"
        "from sinopak.pipeline.background import Background\n"
        "job = Background([('a.txt', 'fake_jobs', ['x', 'hang'])])\n"
        "print(job.process.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", build, json.dumps(sys.path)], stdout=subprocess.PIPE
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert not _ended(child)
    time.sleep(0.5)
    assert not _ended(child)  # it runs while the build does
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while not _ended(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _ended(child)
