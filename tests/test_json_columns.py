"""JSON tables are read column by column when nothing is wrong with them, and row by row
otherwise: both give the same rows, and a problem is always the row reader's (first) error."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import ROOT

from sinopak import codec
from sinopak.schema.table_defs import TABLES

FIELDS = [("id", "string"), ("day", "date"), ("n", "integer"), ("ok", "boolean")]
GOOD = {"id": "a", "day": "2020-12-11", "n": 3, "ok": True}


def outcome(read: Any, data: bytes) -> Any:
    try:
        return read(data, FIELDS)
    except codec.CellError as exc:
        return ("CellError", exc.row, exc.field, str(exc))


@pytest.mark.parametrize("table", list(TABLES))
def test_published_tables_read_column_by_column_as_row_by_row(table: str) -> None:
    data = (ROOT / "dist" / "json" / f"{table}.json").read_bytes()
    fields = [(c.name, c.kind) for c in TABLES[table].columns]
    fast = codec._json_columns(data, fields)
    assert fast is not None
    assert fast == codec._json_rows(data, fields)
    assert [list(r) for r in fast] == [[n for n, _ in fields]] * len(fast)


def rows_text(*rows: str) -> bytes:
    return ("[\n" + ",\n".join(rows) + "\n]\n").encode()


GOOD_TEXT = json.dumps(GOOD)
BAD = {
    "repeated key": '{"id": "a", "day": null, "n": 1, "ok": true, "n": 2}',
    "repeated key, keys in order": '{"id": "a", "id": "b", "day": null, "n": 1, "ok": true}',
    "bool as integer": '{"id": "a", "day": null, "n": true, "ok": true}',
    "float as integer": '{"id": "a", "day": null, "n": 1.0, "ok": true}',
    "NaN": '{"id": "a", "day": null, "n": NaN, "ok": true}',
    "integer as boolean": '{"id": "a", "day": null, "n": 1, "ok": 1}',
    "number as text": '{"id": 5, "day": null, "n": 1, "ok": true}',
    "object as value": '{"id": {"x": 1}, "day": null, "n": 1, "ok": true}',
    "array as value": '{"id": ["a"], "day": null, "n": 1, "ok": true}',
    "no such day": '{"id": "a", "day": "2020-02-30", "n": 1, "ok": true}',
    "empty date": '{"id": "a", "day": "", "n": 1, "ok": true}',
    "basic date": '{"id": "a", "day": "20201211", "n": 1, "ok": true}',
    "week date": '{"id": "a", "day": "2020-W50-1", "n": 1, "ok": true}',
    "two dates in a cell": '{"id": "a", "day": "2020-12-11\\n2020-12-12", "n": 1, "ok": true}',
    "date and more": '{"id": "a", "day": "2020-12-11 ", "n": 1, "ok": true}',
    "key missing": '{"id": "a", "day": null, "n": 1}',
    "extra key": '{"id": "a", "day": null, "n": 1, "ok": true, "x": 1}',
    "keys reordered": '{"day": null, "id": "a", "n": 1, "ok": true}',
    "array for an object": '["a", null, 1, true]',
    "pairs for an object": '[["id", "a"], ["day", null], ["n", 1], ["ok", true]]',
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_problem_is_the_row_readers_error(case: str) -> None:
    data = rows_text(GOOD_TEXT, BAD[case], GOOD_TEXT)
    assert codec._json_columns(data, FIELDS) is None
    found = outcome(codec.parse_json, data)
    assert found == outcome(codec._json_rows, data)
    assert found[0] == "CellError" and found[1] in (0, 2), found


@pytest.mark.parametrize(
    "data",
    [
        b'{"id": "a"}',  # not an array
        b"[" * 100_000 + b"]" * 100_000,  # nested past the recursion limit
        b"[[[1]]]",
        b"\xff[]",  # not UTF-8
        b"[1, 2",  # cut short
    ],
)
def test_a_malformed_document_is_the_row_readers_error(data: bytes) -> None:
    assert codec._json_columns(data, FIELDS) is None
    with pytest.raises(ValueError) as fast:
        codec.parse_json(data, FIELDS)
    with pytest.raises(ValueError) as slow:
        codec._json_rows(data, FIELDS)
    assert (type(fast.value), str(fast.value)) == (type(slow.value), str(slow.value))


def test_nulls_empty_and_dates_column_by_column() -> None:
    data = rows_text(GOOD_TEXT, '{"id": null, "day": null, "n": null, "ok": null}', GOOD_TEXT)
    rows = codec._json_columns(data, FIELDS)
    assert rows == codec._json_rows(data, FIELDS)
    assert rows is not None and rows[1] == dict.fromkeys(["id", "day", "n", "ok"])
    assert str(rows[0]["day"]) == "2020-12-11" and type(rows[0]["day"]).__name__ == "date"
    assert codec._json_columns(b"[]", FIELDS) == [] == codec.parse_json(b"[]", FIELDS)
