"""The integrity checks test each column whole first and read it cell by cell only when some
cell fails: on damaged tables they report exactly what the cell-by-cell reading reports."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from typing import Any

import pytest
from conftest import ROOT

import sinopak
from sinopak.schema.table_defs import TABLES
from sinopak.validation import integrity
from sinopak.validation.report import Report

RESOURCES = {
    r["name"]: r for r in json.loads((ROOT / "dist" / "datapackage.json").read_bytes())["resources"]
}
TYPED = {name: sinopak.load(name) for name in TABLES}  # type: ignore[call-overload]
# odd values of each kind (typed rows hold their column's type or null)
ODD: dict[str, list[Any]] = {
    "string": [None, "", "x", "imagined", "ent.nobody", "a\x07b", "a\u202eb", " ", "é" * 3],
    "integer": [None, -1, 0, 10**6],
    "date": [None, dt.date(2020, 1, 1)],
    "boolean": [None, True, False],
}


def damaged(seed: int) -> dict[str, list[dict[str, Any]]]:
    """The published rows with a few cells replaced by odd values (and rows repeated)."""
    rng = random.Random(seed)
    typed = copy.deepcopy(TYPED)
    for _ in range(rng.randrange(1, 6)):
        name = rng.choice([n for n in TABLES if typed[n]])
        rows = typed[name]
        row = rng.choice(rows)
        if rng.random() < 0.2:
            rows.append(dict(row))  # a repeated key
            continue
        column = rng.choice(TABLES[name].columns)
        row[column.name] = rng.choice(ODD[column.kind])
    return typed


def found(typed: dict[str, list[dict[str, Any]]]) -> list[tuple[Any, ...]]:
    report = Report("x")
    integrity.check_constraints(typed, RESOURCES, report)
    keys = integrity.check_keys(typed, RESOURCES, report)
    integrity.check_foreign_keys(typed, keys, RESOURCES, report)
    return [(p.type, p.message, p.resource, p.row, p.field) for p in report.problems]


@pytest.mark.parametrize("seed", range(40))
def test_damaged_tables_report_as_cell_by_cell(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    typed = damaged(seed)
    fast = found(typed)
    for whole in ("_column_holds", "_all_distinct", "_all_keys"):  # no column tested whole
        monkeypatch.setattr(integrity, whole, lambda *args: False)
    assert found(typed) == fast


def test_most_damage_is_seen() -> None:
    # the comparison above means something: most damaged tables have problems to report
    seen = [bool(found(damaged(seed))) for seed in range(40)]
    assert sum(seen) >= 30, seen


def test_published_tables_hold_every_constraint_and_key() -> None:
    assert found(copy.deepcopy(TYPED)) == []
