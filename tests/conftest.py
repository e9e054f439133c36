"""Shared fixtures: a throw-away copy of the project to break, and a CLI runner."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import sinopak
from sinopak.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOC = "d3da3a035377400c"
SOURCE = ROOT / "seeds" / f"000_{DOC}.txt"


def tree_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder`, by relative path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project (seeds, schema, dist, pyproject) that a test may corrupt."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("seeds", "schema", "dist"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A copy of the published dist/ that a test may corrupt."""
    copy = tmp_path / "dist"
    shutil.copytree(ROOT / "dist", copy)
    return copy


def run(*args: str) -> Result:
    """Invoke the CLI in-process; exceptions are not swallowed into a passing result."""
    return CliRunner().invoke(main, list(args), catch_exceptions=True)


@pytest.fixture
def text() -> str:
    return SOURCE.read_text(encoding="utf-8")


def published() -> tuple[dict[str, list[dict[str, Any]]], dict[str, str]]:
    """Every published table's rows and each source text by document id, from dist/."""
    rows = {name: sinopak.load(name) for name in sinopak.tables()}  # type: ignore[call-overload]
    texts = {
        d["document_id"]: (ROOT / "dist" / d["source_path"]).read_text(encoding="utf-8")
        for d in rows["documents"]
    }
    return rows, texts


def point_accessor_at(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make sinopak.load() and friends read the data package in `folder`."""
    from sinopak import _access

    monkeypatch.setattr(_access, "data_dir", lambda: str(folder))
    _access.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_accessor_caches() -> Iterator[None]:
    from sinopak import _access

    yield
    _access.clear_cache()
