"""Validation reads a JSON table only when its bytes are not the CSV rows written as a JSON
table (`tables.json_as_csv`): the problems found are the same either way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from corrupt import rehash, rewrite_table

from sinopak.validation import tables, validate


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    read: list[tuple[str, str]] = []
    real = tables.read_table

    def recording(table: Any, fmt: str, *args: Any) -> Any:
        read.append((table.name, fmt))
        return real(table, fmt, *args)

    monkeypatch.setattr(tables, "read_table", recording)
    return read


def test_json_tables_written_as_the_build_writes_them_are_not_read_again(
    dist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = _reads(monkeypatch)
    report = validate(dist, frictionless="none")
    assert report.valid, [p.render() for p in report.problems]
    assert sorted(fmt for _, fmt in read) == ["csv"] * 18 + ["parquet"] * 18
    assert sum(report.tables.values()) > 1000


@pytest.mark.parametrize("layout", ["spaced", "one more line"])
def test_the_same_rows_laid_out_otherwise_are_read_and_valid(
    dist: Path, monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    # json's own spacing (as 1.0.0 published them), or the file the build writes and one
    # more newline: the same rows, read the long way
    events = dist / "json" / "events.json"
    if layout == "spaced":
        spaced = [json.dumps(r, ensure_ascii=False) for r in json.loads(events.read_bytes())]
        events.write_text("[\n" + ",\n".join(spaced) + "\n]\n", encoding="utf-8")
    else:
        events.write_bytes(events.read_bytes() + b"\n")
    rehash(dist)
    read = _reads(monkeypatch)
    report = validate(dist, frictionless="none")
    assert report.valid, [p.render() for p in report.problems]
    assert [name for name, fmt in read if fmt == "json"] == ["events"]


def _relabel(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # one character for another: the file keeps its length
    label = rows[0]["label"]
    rows[0]["label"] = ("X" if label[0] != "X" else "Y") + label[1:]
    return rows


def test_a_json_table_that_differs_from_its_csv_rows_is_read_and_the_difference_said(
    dist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rewrite_table(dist, "events", _relabel, ("json",))
    read = _reads(monkeypatch)
    report = validate(dist, frictionless="none")
    assert [name for name, fmt in read if fmt == "json"] == ["events"]
    found = [(p.type, p.resource, p.row, p.field) for p in report.problems]
    assert found == [("format-mismatch", "events-json", 1, "label")]
    # the JSON table's rows (changed) written to the other formats: the JSON file is then
    # the CSV rows written again, and nothing is read twice
    rewrite_table(dist, "events", lambda rows: rows, ("csv", "parquet"))
    read.clear()
    assert validate(dist, frictionless="none").valid
    assert [fmt for _, fmt in read].count("json") == 0
