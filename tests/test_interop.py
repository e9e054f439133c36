"""The published files read the same values in pyarrow, pandas, polars and DuckDB."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from conftest import ROOT

import sinopak

DIST = ROOT / "dist"


def schema_types(name: str) -> dict[str, str]:
    res = next(r for r in sinopak.datapackage()["resources"] if r["name"] == name)
    return {f["name"]: f["type"] for f in res["schema"]["fields"]}


@pytest.mark.parametrize("name", sinopak.tables())
def test_parquet_equals_json_in_every_reader(name: str) -> None:
    expected = sinopak.load(name)  # type: ignore[call-overload]
    path = DIST / "parquet" / f"{name}.parquet"
    assert pq.ParquetFile(path).read().to_pylist() == expected
    assert pl.read_parquet(path).to_dicts() == expected
    con = duckdb.connect()
    rel = con.execute(f"SELECT * FROM read_parquet('{path}')")
    cols = [d[0] for d in rel.description]
    assert [dict(zip(cols, row, strict=True)) for row in rel.fetchall()] == expected
    frame = pd.read_parquet(path)
    assert len(frame) == len(expected) and list(frame.columns) == list(expected[0])


@pytest.mark.parametrize("name", ["events", "posts", "evidence", "documents"])
def test_csv_reads_with_declared_types(name: str) -> None:
    types = schema_types(name)
    arrow_types = {
        "string": pa.string(),
        "integer": pa.int64(),
        "date": pa.date32(),
        "boolean": pa.bool_(),
    }
    options = pacsv.ConvertOptions(
        column_types={k: arrow_types[v] for k, v in types.items()},
        strings_can_be_null=True,
    )
    table = pacsv.read_csv(DIST / "csv" / f"{name}.csv", convert_options=options)
    assert table.to_pylist() == sinopak.load(name)  # type: ignore[call-overload]


def test_types_survive_in_each_reader() -> None:
    path = DIST / "parquet" / "events.parquet"
    duck = (
        duckdb.connect()
        .execute(
            f"SELECT date_start, quote_start, agreement_id FROM read_parquet('{path}') "
            "WHERE event_id = 'evt.mou-signing'"
        )
        .fetchone()
    )
    assert duck == (None, 17, "agr.china-pakistan-mou-2020")
    types = (
        duckdb.connect()
        .execute(
            f"SELECT typeof(date_end), typeof(quote_start) FROM read_parquet('{path}') LIMIT 1"
        )
        .fetchone()
    )
    assert types == ("DATE", "BIGINT")
    frame = pl.read_parquet(path)
    assert frame.schema["date_end"] == pl.Date and frame.schema["quote_end"] == pl.Int64
    assert frame.filter(pl.col("event_id") == "evt.mou-signing")["date_start"].null_count() == 1
    pdf = pd.read_parquet(path, dtype_backend="pyarrow")
    assert str(pdf["quote_start"].dtype) == "int64[pyarrow]"
    assert pdf.loc[pdf.event_id == "evt.wei-bajwa-talks", "date_start"].iloc[0] == dt.date(
        2020, 11, 30
    )


def test_json_dates_are_iso_strings_and_nulls_are_null() -> None:
    rows = json.loads((DIST / "json" / "events.json").read_text())
    mou = next(r for r in rows if r["event_id"] == "evt.mou-signing")
    assert mou["date_start"] is None and mou["date_end"] == "2020-11-30"
    assert isinstance(mou["quote_start"], int)


def test_dask_reads_the_parquet_files_unchanged() -> None:
    import dask.dataframe as dd

    def plain(v: object) -> object:
        return None if v is pd.NA or v is None or (isinstance(v, float) and v != v) else v

    for name in ("events", "evidence"):
        frame = dd.read_parquet(str(DIST / "parquet" / f"{name}.parquet")).compute()
        rows = [{k: plain(v) for k, v in r.items()} for r in frame.to_dict("records")]
        assert rows == sinopak.load(name)  # type: ignore[call-overload]
        assert str(frame["sentence_id"].dtype) in ("string", "str")
        if name == "events":  # dates stay dates (Arrow date32), not strings or timestamps
            assert "date32" in str(frame["date_start"].dtype)
