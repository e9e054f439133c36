"""Reader arguments derived from the published schema: `read_options(table, reader, fmt)`.

Left to guess, readers damage the CSV and JSON files: a code such as `cameo_code` "057" becomes
the number 57, an all-empty text column a float column, an ISO date a string or a timestamp.
`read_options` returns the keyword arguments that give every reader the published types
(codes as strings, dates as dates, integers as integers, empty cells as nulls), from the field
types in `datapackage.json`, so that

    pd.read_csv(path, **sinopak.read_options("events", "pandas"))

reads what `sinopak.load("events", backend="pandas")` returns. Readers: pandas, polars,
pyarrow, dask, duckdb; formats: csv and json (pyarrow.json reads JSON Lines only, so pyarrow
takes csv; the Parquet files need no options at all).
"""

from __future__ import annotations

from typing import Any

READERS = ("pandas", "polars", "pyarrow", "dask", "duckdb")
FORMATS = ("csv", "json")
DUCKDB_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "date": "DATE", "boolean": "BOOLEAN"}


def read_options(table: str, reader: str, fmt: str = "csv") -> dict[str, Any]:
    """Keyword arguments that make `reader` read the published `fmt` file of `table` with the
    published types. Imports the reader's own library (pandas, polars or pyarrow) when its
    options are objects of that library."""
    from ._access import _resource

    if reader not in READERS:
        raise ValueError(f"unknown reader {reader!r}; valid: {', '.join(READERS)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; valid: {', '.join(FORMATS)}")
    fields = {f["name"]: f["type"] for f in _resource(table, "csv")["schema"]["fields"]}
    if reader in ("pandas", "dask"):
        return _pandas(fields, fmt, dask=reader == "dask")
    if reader == "polars":
        return _polars(fields)
    if reader == "pyarrow":
        return _pyarrow(fields, fmt)
    duck = {name: DUCKDB_TYPES[kind] for name, kind in fields.items()}
    if fmt == "csv":
        return {"header": True, "dtype": duck}
    return {"format": "array", "columns": duck}


def pandas_dtypes(fields: dict[str, str]) -> dict[str, Any]:
    """pandas dtypes of the published types: nullable, dates as `date32[pyarrow]`."""
    from .extras import require

    pd = require("pandas", "pandas options", "pandas")
    pa = require("pyarrow", "pandas options", "pandas")
    types = {
        "string": pd.StringDtype(),
        "integer": pd.Int64Dtype(),
        "boolean": pd.BooleanDtype(),
        "date": pd.ArrowDtype(pa.date32()),
    }
    return {name: types[kind] for name, kind in fields.items()}


def _pandas(fields: dict[str, str], fmt: str, *, dask: bool) -> dict[str, Any]:
    dtype = pandas_dtypes(fields)
    if fmt == "csv":
        # only an empty cell is null: "NA", "None" or "null" are text like any other
        return {"dtype": dtype, "keep_default_na": False, "na_values": [""]}
    options: dict[str, Any] = {"orient": "records", "dtype": dtype}
    if dask:  # one JSON array: one partition, read whole
        options |= {"lines": False, "blocksize": None}
    return options


def _polars(fields: dict[str, str]) -> dict[str, Any]:
    from .extras import require

    pl = require("polars", "polars options", "polars")
    types = {"string": pl.String, "integer": pl.Int64, "boolean": pl.Boolean, "date": pl.Date}
    return {"schema": {name: types[kind] for name, kind in fields.items()}}


def _pyarrow(fields: dict[str, str], fmt: str) -> dict[str, Any]:
    if fmt == "json":
        raise ValueError(
            "pyarrow.json reads JSON Lines only, and the JSON files are one array: read the "
            "CSV with read_options(table, 'pyarrow'), or the Parquet file as it is"
        )
    from .extras import require

    pa = require("pyarrow", "pyarrow options", "arrow")
    pacsv = require("pyarrow.csv", "pyarrow options", "arrow")
    types = {
        "string": pa.string(),
        "integer": pa.int64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
    }
    convert = pacsv.ConvertOptions(
        column_types={name: types[kind] for name, kind in fields.items()},
        strings_can_be_null=True,
        null_values=[""],  # not pyarrow's default list, which makes "NA" or "null" null
    )
    return {"convert_options": convert}
