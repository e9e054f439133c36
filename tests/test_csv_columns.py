"""CSV tables are typed column by column when nothing is wrong with them, and row by row
otherwise: both give the same rows, and a problem is always the row reader's (first) error."""

from __future__ import annotations

import csv
import io
import random
from typing import Any

import pytest
from conftest import ROOT

from sinopak import codec
from sinopak.schema.table_defs import TABLES

FIELDS = [("id", "string"), ("day", "date"), ("n", "integer"), ("ok", "boolean")]
HEADER = "id,day,n,ok\n"


def outcome(data: bytes, fields: list[tuple[str, str]] = FIELDS) -> Any:
    """What a reader gives: rows, or the error (type, row, field, message)."""
    try:
        return codec.parse_csv(data, fields)
    except codec.CellError as exc:
        return ("CellError", exc.row, exc.field, str(exc))
    except csv.Error as exc:
        return ("csv.Error", str(exc))


def row_outcome(data: bytes, fields: list[tuple[str, str]] = FIELDS) -> Any:
    try:
        return codec._csv_rows(data.decode("utf-8"), fields)
    except codec.CellError as exc:
        return ("CellError", exc.row, exc.field, str(exc))
    except csv.Error as exc:
        return ("csv.Error", str(exc))


@pytest.mark.parametrize("table", list(TABLES))
def test_published_tables_read_column_by_column_as_row_by_row(table: str) -> None:
    text = (ROOT / "dist" / "csv" / f"{table}.csv").read_text(encoding="utf-8")
    fields = [(c.name, c.kind) for c in TABLES[table].columns]
    cells = list(codec._csv_reader(text, fields))
    fast = codec._csv_columns(cells, fields)
    assert fast is not None  # the published tables take the fast path
    assert fast == codec._csv_rows(text, fields)
    assert [list(r) for r in fast] == [[n for n, _ in fields]] * len(fast)


GOOD = "a,2020-12-11,3,true"
BAD = {
    "leading zero": "a,,007,",
    "plus sign": "a,,+5,",
    "space before a number": "a,, 5,",
    "underscore in a number": "a,,1_0,",
    "arabic-indic digits": "a,,١٥٦,",
    "minus zero": "a,,-0,",
    "twenty digits": "a,,12345678901234567890,",
    "nineteen digits": "a,,-9999999999999999999,",
    "a float": "a,,1.0,",
    "no such day": "a,2020-02-30,,",
    "basic date": "a,20201211,,",
    "week date": "a,2020-W50-1,,",
    "two dates in a cell": 'a,"2020-12-11\n2020-12-12",,',
    "two numbers in a cell": 'a,,"1\n2",',
    "date and more": "a,2020-12-11 ,,",
    "True": "a,,,True",
    "one": "a,,,1",
    "formula escape": "'=1+1,,,",
    "escape of an escape": "''=1,,,",
    "quote that is no escape": "'abc,,,",
    "quoted escape after a newline": '"x\n\'=1",,,',
    "newline in a text": '"a\nb",,,',
    "too few cells": "a,,",
    "too many cells": "a,,,,",
    "stray quote": 'a"b,,,',
    "unclosed quote": '"a,,,',
}


@pytest.mark.parametrize("case", list(BAD))
def test_each_odd_cell_reads_as_the_row_reader_reads_it(case: str) -> None:
    data = (HEADER + "\n".join([GOOD, BAD[case], GOOD]) + "\n").encode()
    assert outcome(data) == row_outcome(data)


@pytest.mark.parametrize(
    "case", ["too few cells", "a float", "no such day", "True", "unclosed quote", "twenty digits"]
)
def test_a_problem_is_the_first_error_by_row(case: str) -> None:
    data = (HEADER + "\n".join([GOOD, BAD[case], "a,,x,"]) + "\n").encode()
    found = outcome(data)
    assert found == row_outcome(data)
    assert found[0] in ("CellError", "csv.Error")
    if found[0] == "CellError":
        assert found[1] == 3  # the header is line 1, the first row line 2


def test_a_wrong_header_is_the_row_readers_error() -> None:
    data = b"id,day,n\na,,\n"
    assert (
        outcome(data)
        == row_outcome(data)
        == (
            "CellError",
            1,
            "ok",
            "header ['id', 'day', 'n'] differs from the schema's fields ['id', 'day', 'n', 'ok']",
        )
    )


def test_empty_table_and_nulls() -> None:
    assert codec.parse_csv(HEADER.encode(), FIELDS) == []
    rows = codec.parse_csv((HEADER + ",,,\n" + GOOD + "\n").encode(), FIELDS)
    assert rows[0] == dict.fromkeys(["id", "day", "n", "ok"])
    assert rows[1]["n"] == 3 and rows[1]["ok"] is True
    assert type(rows[1]["day"]).__name__ == "date" and str(rows[1]["day"]) == "2020-12-11"


TOKENS = {
    "string": ["a", "", "'=x", "''+1", "'a", "-1", "x\ny", "\u2028", "=SUM(A1)", "'"],
    "date": ["2020-12-11", "", "2020-02-29", "2021-02-29", "2020-1-01", "x", "0000-01-01"],
    "integer": ["0", "12", "-3", "", "007", "+1", "1e3", "99999999999999999999", "-0", "٣"],
    "boolean": ["true", "false", "", "TRUE", "0", "yes"],
}


def test_random_tables_read_as_the_row_reader_reads_them() -> None:
    """Tables of odd cells (each cell valid or not): the column reader's rows, or the first
    problem, are always the row reader's."""
    rng = random.Random(13)
    fast = 0
    for _ in range(400):
        buf = io.StringIO(newline="")
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([n for n, _ in FIELDS])
        for _ in range(rng.randint(0, 6)):
            if rng.random() < 0.8:  # mostly valid cells, so that tables often pass
                row = [TOKENS[k][0 if rng.random() < 0.7 else rng.randrange(3)] for _, k in FIELDS]
            else:
                row = [rng.choice(TOKENS[k]) for _, k in FIELDS]
            writer.writerow(row[: rng.choice([4, 4, 4, 3])])
        data = buf.getvalue().encode()
        assert outcome(data) == row_outcome(data), data
        try:
            cells = list(codec._csv_reader(data.decode(), FIELDS))
        except csv.Error:
            continue
        fast += codec._csv_columns(cells, FIELDS) is not None
    assert fast >= 100  # the column reader itself read many of them


@pytest.mark.parametrize("data", [b"\n", b"\n\n", b"\n\n\n\n", b"\nx\n"])
def test_a_table_of_no_columns_reads_as_the_row_reader_reads_it(data: bytes) -> None:
    """A foreign descriptor (`sinopak diff`) may declare a table of no fields."""
    assert outcome(data, []) == row_outcome(data, [])
