"""Validation reads the tables from generated plain data, never from the Pydantic models."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, tree_digest

from sinopak.errors import BuildError, StaleError
from sinopak.pipeline import build as build_module
from sinopak.pipeline.generated import TABLE_DEFS_MODULE, table_defs_module
from sinopak.pipeline.project import Project
from sinopak.schema import table_defs, tables


def test_table_defs_are_the_tables_the_models_give() -> None:
    assert table_defs.TABLES == tables.TABLES
    assert table_defs.RECORD_TABLES == tables.RECORD_TABLES
    assert (ROOT / TABLE_DEFS_MODULE).read_text(encoding="utf-8") == table_defs_module()
    events = table_defs.TABLES["events"]
    assert events.primary_key == ("event_id",)
    status = next(c for c in events.columns if c.name == "status")
    assert status.kind == "string" and status.required and "planned" in status.enum


def test_validation_imports_neither_pydantic_nor_the_models() -> None:
    code = (
        "import sys, sinopak\n"
        "report = sinopak.validate(frictionless='none')\n"
        "assert report.valid, report\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'"
        " or m in ('sinopak.schema.models', 'sinopak.schema.tables'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def _changed_defs(monkeypatch: pytest.MonkeyPatch) -> None:
    """As after an edit to the models: the imported table_defs no longer match them."""
    old = table_defs.TABLES["events"]
    changed = dataclasses.replace(old, description=old.description + " (edited)")
    monkeypatch.setitem(tables.TABLES, "events", changed)


def _source_copy(project: Path) -> Path:
    target = project / TABLE_DEFS_MODULE
    target.parent.mkdir(parents=True)
    target.write_text("stale\n", encoding="utf-8")
    return target


def test_stale_table_defs_are_regenerated_and_the_build_stops(
    monkeypatch: pytest.MonkeyPatch, project: Path
) -> None:
    _changed_defs(monkeypatch)
    target = _source_copy(project)
    before = tree_digest(project / "dist")
    with pytest.raises(BuildError, match="was out of date with the models and has been regen"):
        build_module.build(Project(project))
    assert target.read_text(encoding="utf-8") == table_defs_module()
    assert "(edited)" in target.read_text(encoding="utf-8")
    assert tree_digest(project / "dist") == before


def test_stale_table_defs_fail_the_check_and_change_nothing(
    monkeypatch: pytest.MonkeyPatch, project: Path
) -> None:
    _changed_defs(monkeypatch)
    target = _source_copy(project)
    with pytest.raises(StaleError, match=r"schema/table_defs\.py"):
        build_module.build(Project(project), check_only=True)
    assert target.read_text(encoding="utf-8") == "stale\n"


def test_installed_table_defs_that_differ_ask_for_a_reinstall(
    monkeypatch: pytest.MonkeyPatch, project: Path
) -> None:
    _changed_defs(monkeypatch)  # and no source tree to regenerate into
    with pytest.raises(BuildError, match="reinstall sinopak"):
        build_module.build(Project(project))


def test_a_new_table_order_counts_as_stale(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    reordered = dict(reversed(list(tables.TABLES.items())))
    assert reordered == tables.TABLES  # equal as dicts: only the order differs
    monkeypatch.setattr(tables, "TABLES", reordered)
    with pytest.raises(StaleError, match=r"schema/table_defs\.py"):
        build_module.build(Project(project), check_only=True)
