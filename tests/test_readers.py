"""Every reader in the README's consumer table reads every table, CSV and JSON, with the
documented line: the published types (codes as strings, dates as dates, empty cells as nulls)
and the Parquet file's values."""

from __future__ import annotations

import re
from typing import Any

import dask.dataframe as dd
import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet as pq
import pytest
from conftest import ROOT

import sinopak

DIST = ROOT / "dist"


def documented() -> list[tuple[str, str, str]]:
    """(reader, format, code) for every line of the README's consumer table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- BEGIN readers")[1].split("<!-- END readers")[0]
    found = []
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("reader", "---"):
            continue
        for fmt, cell in zip(("csv", "json"), cells[1:], strict=True):
            code = re.fullmatch(r"`([^`]+)`", cell)
            if code:
                found.append((cells[0], fmt, code.group(1)))
    return found


LINES = documented()
NAMESPACE = {"pd": pd, "pl": pl, "pyarrow": pyarrow, "dd": dd, "duckdb": duckdb, "sinopak": sinopak}


def test_the_table_documents_every_reader() -> None:
    assert sorted({(r, f) for r, f, _ in LINES}) == [
        ("Dask", "csv"),
        ("Dask", "json"),
        ("DuckDB", "csv"),
        ("DuckDB", "json"),
        ("pandas", "csv"),
        ("pandas", "json"),
        ("polars", "csv"),
        ("polars", "json"),
        ("pyarrow", "csv"),
    ]


def read(code: str, table: str, fmt: str) -> Any:
    path = str(DIST / fmt / f"{table}.{fmt}")
    return eval(code, dict(NAMESPACE), {"path": path, "table": table})  # the README's line


@pytest.mark.parametrize("table", sinopak.tables())
@pytest.mark.parametrize(("reader", "fmt", "code"), LINES, ids=[f"{r}-{f}" for r, f, _ in LINES])
def test_reader_gets_the_parquet_values_and_types(
    table: str, reader: str, fmt: str, code: str
) -> None:
    parquet = pq.ParquetFile(DIST / "parquet" / f"{table}.parquet").read()
    result = read(code, table, fmt)
    if isinstance(result, dd.DataFrame):
        result = result.compute().reset_index(drop=True)
    if isinstance(result, pd.DataFrame):  # dtypes and values equal to the pandas backend
        pd.testing.assert_frame_equal(result, sinopak.load(table, backend="pandas"))
        rows = pa.Table.from_pandas(result, preserve_index=False).to_pylist()
    elif isinstance(result, pl.DataFrame):
        assert result.schema == sinopak.load(table, backend="polars").schema
        rows = result.to_dicts()
    elif isinstance(result, pa.Table):
        assert result.schema.types == parquet.schema.types
        rows = result.to_pylist()
    else:
        assert isinstance(result, duckdb.DuckDBPyRelation), type(result)
        kinds = {"string": "VARCHAR", "integer": "BIGINT", "date": "DATE"}
        assert [str(t) for t in result.types] == [kinds[k] for k in schema_kinds(table)]
        rows = [dict(zip(result.columns, r, strict=True)) for r in result.fetchall()]
    assert rows == parquet.to_pylist()


def schema_kinds(table: str) -> list[str]:
    res = next(r for r in sinopak.datapackage()["resources"] if r["name"] == table)
    return [f["type"] for f in res["schema"]["fields"]]


def test_codes_keep_their_leading_zeros_and_dates_are_dates() -> None:
    import datetime as dt

    csv = DIST / "csv" / "events.csv"
    frame = pd.read_csv(csv, **sinopak.read_options("events", "pandas"))
    assert "057" in set(frame["cameo_code"].dropna())
    assert frame["date_start"].dtype == pd.ArrowDtype(pa.date32())
    wei = frame.set_index("event_id").loc["evt.wei-bajwa-talks"]
    assert wei["date_start"] == dt.date(2020, 11, 30)
    guessed = pd.read_csv(csv)  # what the options prevent
    assert "057" not in set(guessed["cameo_code"].dropna().astype(str))


def test_read_options_rejects_what_it_cannot_do() -> None:
    with pytest.raises(ValueError, match="unknown reader 'excel'"):
        sinopak.read_options("events", "excel")
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        sinopak.read_options("events", "pandas", "xml")
    with pytest.raises(ValueError, match="JSON Lines only"):
        sinopak.read_options("events", "pyarrow", "json")
    with pytest.raises(ValueError, match="unknown table 'nope'"):
        sinopak.read_options("nope", "pandas")


def test_options_are_fresh_each_call() -> None:
    first = sinopak.read_options("events", "duckdb")
    first["dtype"]["event_id"] = "INTEGER"
    assert sinopak.read_options("events", "duckdb")["dtype"]["event_id"] == "VARCHAR"


def test_pandas_backend_dates_are_dates() -> None:
    frame = sinopak.load("events", backend="pandas")
    assert frame["date_start"].dtype == pd.ArrowDtype(pa.date32())
    assert frame["event_id"].dtype == pd.StringDtype()
    python = sinopak.load("events")
    dates = [None if pd.isna(v) else v for v in frame["date_start"]]
    assert dates == [r["date_start"] for r in python]
    assert None in dates  # a null date is a null (pd.NA), not NaT
