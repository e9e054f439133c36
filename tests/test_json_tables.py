"""The JSON tables: an array of compact objects, one row per line, that read back as the
rows written (`json_table`, which writes a batch of rows with one orjson call)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from sinopak import json_table
from sinopak.json_table import table_bytes

TRICKY = [
    'a},{"event_id":"b',  # the boundary the rows are split at, inside a value
    '},{"event_id":',
    'quote " backslash \\ end\\',
    "line\nbreak\ttab\r\x00\x1f\x7f",
    "Urdu اردو, Chinese 中文, emoji 🛩, separators \u2028\u2029",
    "",
]


def _rows(n: int) -> list[dict[str, Any]]:
    return [
        {
            "event_id": f"evt.{i}",
            "label": TRICKY[i % len(TRICKY)],
            "count": [0, -1, 2**63 - 1, -(2**63)][i % 4],
            "flag": [True, False, None][i % 3],
            "date": [dt.date(2020, 12, 11), dt.date(999, 1, 2), None][i % 3],
        }
        for i in range(n)
    ]


def _as_read(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v.isoformat() if isinstance(v, dt.date) else v for k, v in r.items()} for r in rows]


def _lines(data: bytes) -> list[bytes]:
    lines = data.split(b"\n")
    assert lines[0] == b"[" and lines[-2:] == [b"]", b""]
    return lines[1:-2]


@pytest.mark.parametrize("batch", [3, 4096])
def test_each_row_is_one_compact_line_that_reads_back_as_written(
    monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    monkeypatch.setattr(json_table, "BATCH", batch)
    rows = _rows(40)
    data = table_bytes(rows)
    assert json.loads(data) == _as_read(rows)
    lines = _lines(data)
    assert len(lines) == len(rows)
    for line, row in zip(lines, _as_read(rows), strict=True):
        text = line.removesuffix(b",").decode("utf-8")
        assert json.loads(text) == row
        # what json itself writes with compact separators and no \u escapes of non-ASCII
        assert text == json.dumps(row, ensure_ascii=False, separators=(",", ":"))
    assert [line.endswith(b",") for line in lines] == [True] * (len(rows) - 1) + [False]
    assert table_bytes([]) == b"[]\n"


def test_rows_holding_the_boundary_inside_are_written_one_at_a_time() -> None:
    # a value that is a list of objects starting with the first key puts `},{"k":` inside a
    # row: the batch is then written row by row, still one row per line
    rows: list[dict[str, Any]] = [
        {"k": 1, "x": [{"k": 2}, {"k": 3}]},
        {"k": 4, "x": None},
        {"k": 5, "x": [{"k": 6}]},
    ]
    data = table_bytes(rows)
    assert json.loads(data) == rows
    assert [json.loads(line.removesuffix(b",")) for line in _lines(data)] == rows


def test_rows_whose_first_keys_differ_are_written_one_at_a_time() -> None:
    rows: list[dict[str, Any]] = [{"a": 1, "b": 2}, {"b": 3, "a": 4}, {"a": '},{"a":'}]
    data = table_bytes(rows)
    assert [json.loads(line.removesuffix(b",")) for line in _lines(data)] == rows
    assert [list(json.loads(line.removesuffix(b","))) for line in _lines(data)] == [
        ["a", "b"],
        ["b", "a"],
        ["a"],
    ]
