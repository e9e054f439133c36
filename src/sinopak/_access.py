"""The accessor: read the published data package with the standard library only.

Nothing here imports pyarrow, pandas, polars, pydantic, frictionless or click at module level;
the backends import their library inside the call that needs it.
"""

from __future__ import annotations

import os

from ._tables import TABLE_NAMES
from .errors import SinopakError, UnknownRecordError
from .layout import declared_bytes, resource_name, resource_path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (2-3 ms)

# Start-up time matters here: `import sinopak; sinopak.load(...)` is benchmarked against
# `python -c pass`. So: os.path rather than pathlib, a dict rather than functools caches,
# json / hashlib / csv imported only by the calls that use them, and `typing` (2-3 ms) kept
# out of the import: its names exist for the type checker, and at run time through
# `__getattr__` below.
BACKENDS = ("python", "arrow", "pandas", "polars")

if TYPE_CHECKING:
    from typing import Any, Literal, overload

    import pandas
    import polars
    import pyarrow

    from ._tables import TableName

    Backend = Literal["python", "arrow", "pandas", "polars"]
else:

    def overload(func):  # typing.overload only matters to the type checker
        return func


def __getattr__(name: str) -> object:
    """TableName and Backend as real typing.Literal objects, built on first use."""
    if name in ("TableName", "Backend"):
        from typing import Literal

        value = Literal[TABLE_NAMES if name == "TableName" else BACKENDS]  # type: ignore[valid-type]
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_cache: dict[str, Any] = {}


class IntegrityError(SinopakError, ValueError):
    """A bundled file does not match the bytes or sha256 recorded in datapackage.json."""


def data_dir() -> str:
    """Folder of the published data package: bundled in the wheel, or dist/ in a checkout.

    DuckDB and polars can read its Parquet files directly, e.g.
    ``os.path.join(sinopak.data_dir(), "parquet", "events.parquet")``."""
    here = os.path.dirname(os.path.abspath(__file__))
    for folder in (os.path.join(here, "data"), os.path.join(here, os.pardir, os.pardir, "dist")):
        if os.path.isfile(os.path.join(folder, "datapackage.json")):
            return os.path.normpath(folder)
    raise SinopakError(
        f"no data package in {os.path.join(here, 'data')}: install sinopak from a wheel or "
        "sdist, or run `make build` in a checkout"
    )


def _base() -> str:
    if "base" not in _cache:
        _cache["base"] = data_dir()
    return str(_cache["base"])


def _read(rel: str) -> bytes:
    with open(os.path.join(_base(), rel), "rb") as fh:
        return fh.read()


def clear_cache() -> None:
    """Forget the cached folder and descriptor (after the files changed on disk)."""
    _cache.clear()


def _descriptor_text() -> str:
    if "descriptor" not in _cache:
        _cache["descriptor"] = _read("datapackage.json").decode("utf-8")
    return str(_cache["descriptor"])


def datapackage() -> dict[str, Any]:
    """The Frictionless descriptor (datapackage.json) as a fresh dict."""
    import json  # json pulls in re and enum: load it only when a call needs it

    result: dict[str, Any] = json.loads(_descriptor_text())
    return result


def _resources() -> dict[str, dict[str, Any]]:
    if "resources" not in _cache:
        _cache["resources"] = {r["name"]: r for r in datapackage()["resources"]}
    found: dict[str, dict[str, Any]] = _cache["resources"]
    return found


def tables() -> list[str]:
    """Names of the published tables, in package order."""
    return [r["name"] for r in datapackage()["resources"] if r.get("format") == "csv"]


def _resource(name: str, fmt: str) -> dict[str, Any]:
    res = _resources().get(resource_name(name, fmt)) if isinstance(name, str) else None
    if res is None or res.get("type") != "table":
        valid = ", ".join(tables())
        raise ValueError(f"unknown table {name!r}; valid names: {valid}")
    return res


def _need(module: str, extra: str) -> Any:
    from .extras import require

    return require(module, f"backend={extra!r}", extra)


@overload
def load(name: TableName, backend: Literal["python"] = "python") -> list[dict[str, Any]]: ...
@overload
def load(name: TableName, backend: Literal["arrow"]) -> pyarrow.Table: ...
@overload
def load(name: TableName, backend: Literal["pandas"]) -> pandas.DataFrame: ...
@overload
def load(name: TableName, backend: Literal["polars"]) -> polars.DataFrame: ...


def load(name: TableName, backend: Backend = "python") -> Any:
    """Load one published table.

    backend="python" (default) returns a list of dicts with Python values (str, int,
    datetime.date, None) using only the standard library; "arrow" a pyarrow.Table with the
    published schema; "pandas" a DataFrame with nullable dtypes (string, Int64, and dates as
    date32[pyarrow]); "polars" a polars DataFrame.
    The columns of every table are listed in the data dictionary (dist/README.md) and in
    ``sinopak.datapackage()``.
    """
    if backend == "python":
        from .codec import parse_json

        res = _resource(name, "json")
        fields = [(f["name"], f["type"]) for f in res["schema"]["fields"]]
        return parse_json(_read(res["path"]), fields)
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; valid: {', '.join(BACKENDS)}")
    if name not in TABLE_NAMES:  # the arrow path needs no descriptor (no json import)
        raise ValueError(f"unknown table {name!r}; valid names: {', '.join(TABLE_NAMES)}")
    path = os.path.join(_base(), resource_path(name, "parquet"))
    if backend == "polars":
        pl = _need("polars", "polars")
        return pl.read_parquet(path)
    pq = _need("pyarrow.parquet", backend)  # the pandas extra brings pyarrow too
    table = pq.ParquetFile(path).read()  # not pq.read_table: that imports pandas
    if backend == "arrow":
        return table
    pd = _need("pandas", "pandas")
    import pyarrow as pa

    mapping = {  # the dtypes read_options(table, "pandas") gives pd.read_csv
        pa.int64(): pd.Int64Dtype(),
        pa.string(): pd.StringDtype(),
        pa.bool_(): pd.BooleanDtype(),
        pa.date32(): pd.ArrowDtype(pa.date32()),  # dates stay dates, as in arrow and polars
    }
    frame = table.to_pandas(types_mapper=mapping.get)
    return frame


def records(name: TableName) -> list[Any]:
    """Rows of a table as Pydantic model instances (validated against the schema)."""
    from .extras import require

    require("pydantic", "sinopak.records()")
    from .schema.tables import row_model

    model = row_model(name)
    return [model(**row) for row in load(name)]


def evidence(record_id: str) -> list[dict[str, Any]]:
    """The evidence behind a record: each span with its sentence, quote and offsets."""
    spans = [e for e in load("evidence") if e["record_id"] == record_id]
    if not spans:
        raise UnknownRecordError(f"no record {record_id!r} in the evidence table")
    sentences = {s["sentence_id"]: s["text"] for s in load("sentences")}
    return [{**e, "sentence": sentences[e["sentence_id"]]} for e in spans]


def record(record_id: str) -> dict[str, Any]:
    """One record by id: `{"record_id", "table", "row", "evidence"}`, where `row` is its row
    (Python values) and `evidence` what `evidence(record_id)` returns."""
    for name in tables():
        schema = _resource(name, "json")["schema"]
        if not any(f["name"] == "evidence_count" for f in schema["fields"]):
            continue  # not a table of records (documents, sentences, evidence, coverage...)
        key = schema["primaryKey"][0]
        for row in load(name):  # type: ignore[call-overload]
            if row[key] == record_id:
                found = {"record_id": record_id, "table": name, "row": row}
                return {**found, "evidence": evidence(record_id)}
    raise UnknownRecordError(f"no record {record_id!r}; ids look like ent.china, evt.…, stm.…")


def verify() -> None:
    """Check every bundled file's size and sha256 against datapackage.json.

    Raises IntegrityError naming each resource that does not match.
    """
    import hashlib

    bad = []
    for res in datapackage()["resources"]:
        try:
            data = _read(res["path"])
        except OSError:
            bad.append(f"{res['name']} ({res['path']}): missing")
            continue
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        size = declared_bytes(res)
        if len(data) != size or digest != res.get("hash"):
            bad.append(
                f"{res['name']} ({res['path']}): expected {size} bytes "
                f"{res.get('hash')}, found {len(data)} bytes {digest}"
            )
    if bad:
        raise IntegrityError("bundled data does not match datapackage.json:\n" + "\n".join(bad))
