"""Killing `sinopak build` at any moment leaves the previous dist/ intact and valid."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run, tree_digest

from sinopak.folders import exchange
from sinopak.validation import validate


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("A")
    (b / "x").write_text("B")
    if not exchange(a, b):
        pytest.fail("renameat2(RENAME_EXCHANGE) is unavailable on this Linux machine")
    assert (a / "x").read_text() == "B" and (b / "x").read_text() == "A"


@pytest.mark.parametrize("delay", [0.05, 0.3, 0.8, 1.5, 2.2, 2.9, 3.5, 4.2])
def test_kill_at_any_moment_leaves_a_valid_dist(project: Path, delay: float) -> None:
    old = tree_digest(project / "dist")
    # A seed change, so the build really replaces dist/ at its end.
    events = project / "seeds/records/d3da3a035377400c/events.yaml"
    events.write_text(
        events.read_text().replace(
            "Shaheen (Eagle)-IX joint air force exercise of",
            "Shaheen (Eagle)-IX joint air exercise of",
        )
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "sinopak", "build", "--root", str(project)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(delay)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (project / "dist").is_dir()
    now = tree_digest(project / "dist")
    report = validate(project / "dist", frictionless="none")
    assert report.valid, [p.render() for p in report.problems[:5]]
    if now != old:  # the build finished: the new dist is complete and differs only as meant
        assert b"joint air exercise of" in (project / "dist/csv/events.csv").read_bytes()
    # and the next build completes from whatever state the kill left
    assert run("build", "--root", str(project)).exit_code == 0
    assert not list((project / "build").glob("stage-*"))
