"""Concurrent builds (issue 14): one at a time per project; the second waits or says clearly
that another is running, and never breaks the first."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import run

from sinopak.errors import BuildError
from sinopak.pipeline.lock import build_lock
from sinopak.pipeline.project import Project

HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
os.pwrite(fd, str(os.getpid()).encode(), 0)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def hold_lock(project: Path, seconds: float) -> subprocess.Popen[str]:
    (project / "build").mkdir(exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(project / "build" / ".lock"), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_build_says_another_is_running(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sinopak.pipeline import lock

    monkeypatch.setattr(lock, "LOCK_WAIT", 0.5)
    holder = hold_lock(project, 30)
    try:
        before = sorted(p.name for p in (project / "build").iterdir())
        result = run("build", "--root", str(project))
        assert result.exit_code == 1, result.output
        assert f"another sinopak build (pid {holder.pid}) is running" in result.output
        assert "Traceback" not in result.output
        assert sorted(p.name for p in (project / "build").iterdir()) == before  # no staging
    finally:
        holder.kill()
        holder.wait()


def test_a_second_holder_waits_until_the_first_is_done(tmp_path: Path) -> None:
    project = Project(tmp_path)
    order: list[str] = []
    entered = threading.Event()

    def first() -> None:
        with build_lock(project):
            order.append("first in")
            entered.set()
            time.sleep(0.6)
            order.append("first out")

    thread = threading.Thread(target=first)
    thread.start()
    entered.wait(5)
    start = time.monotonic()
    with build_lock(project, wait=10):
        order.append("second in")
    thread.join()
    assert order == ["first in", "first out", "second in"]
    assert time.monotonic() - start >= 0.3
    with (
        pytest.raises(BuildError, match="did not finish within"),
        build_lock(project),
        build_lock(project, wait=0.3),  # the same lock again (another open file): refused
    ):
        pass


@pytest.mark.slow
def test_two_builds_at_once_both_succeed(project: Path) -> None:
    """The example of the issue: the second deleted the first's staging folder."""
    sinopak = str(Path(sys.executable).parent / "sinopak")
    env = {**os.environ, "CI": "1"}
    procs = [
        subprocess.Popen(
            [sinopak, "build", "--root", str(project), "--frictionless", "none"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, out + err
        assert "Traceback" not in err
    assert sum("another sinopak build" in err for _, err in outputs) == 1
    assert not list((project / "build").glob("stage-*"))
