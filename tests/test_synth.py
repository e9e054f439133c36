"""The synthetic corpus: deterministic for a seed, and built from data files alone."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import ROOT, point_accessor_at, run, tree_digest

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import generate

import sinopak


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    a = tree_digest(generate(tmp_path / "a", 5, seed=7) / "seeds")
    b = tree_digest(generate(tmp_path / "b", 5, seed=7) / "seeds")
    c = tree_digest(generate(tmp_path / "c", 5, seed=8) / "seeds")
    assert a == b and a != c


def test_synthetic_corpus_builds_validates_and_covers_every_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = generate(tmp_path / "synth", 3, seed=1)
    result = run("build", "--root", str(project))
    assert result.exit_code == 0, result.output
    assert run("validate", str(project / "dist")).exit_code == 0
    point_accessor_at(monkeypatch, project / "dist")
    for table in sinopak.tables():
        assert sinopak.load(table), f"synthetic corpus has no {table}"  # type: ignore[call-overload]
    cov = sinopak.datapackage()["sinopak:coverage"]
    assert cov == {"sentences": 18, "covered": 18, "excluded": 0}
    kinds = {e["event_type"] for e in sinopak.load("events")}
    assert kinds == {"signing", "talks", "exercise"}
