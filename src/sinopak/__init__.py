"""sinopak: China–Pakistan defence cooperation records with sentence-level provenance.

The accessor needs only the standard library::

    import sinopak
    sinopak.tables()                          # names of the published tables
    sinopak.load("events")                    # list of dicts with Python values
    sinopak.load("events", backend="arrow")   # pyarrow.Table
    sinopak.load("events", backend="pandas")  # pandas.DataFrame
    sinopak.load("events", backend="polars")  # polars.DataFrame
    sinopak.records("events")                 # Pydantic model instances
    sinopak.evidence("evt.wei-bajwa-talks")   # the quotes behind a record
    sinopak.record("evt.wei-bajwa-talks")     # a record's table, row and evidence
    sinopak.datapackage()                     # the descriptor as a dict
    sinopak.data_dir()                        # the folder of the installed data package
    sinopak.read_options("events", "pandas")  # pd.read_csv(path, **these): published types
    sinopak.verify()                          # bytes and sha256 of every bundled file
    sinopak.validate()                        # the full validation report (needs the extras)
    sinopak.download("data/sinopak", source)  # fetch a published package, verified

Heavy libraries (pyarrow, pandas, polars, pydantic, frictionless, click) are imported only by
the calls that need them.
"""

from __future__ import annotations

import os

from ._access import (
    IntegrityError,
    data_dir,
    datapackage,
    evidence,
    load,
    record,
    records,
    tables,
    verify,
)
from .errors import UnknownRecordError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (2-3 ms)

__all__ = [
    "Backend",
    "IntegrityError",
    "TableName",
    "UnknownRecordError",
    "__version__",
    "data_dir",
    "datapackage",
    "download",
    "evidence",
    "load",
    "read_options",
    "record",
    "records",
    "tables",
    "validate",
    "verify",
]


def download(
    dest: str | os.PathLike[str], source: str | None = None, *, offline: bool | None = None
) -> os.PathLike[str]:
    """Fetch a published data package (datapackage.json URL or release zip) into `dest`.

    Every file is verified against its sha256 before it is installed. `dest` must be new,
    empty, or a previous download: there only the package's files are replaced and anything
    else is kept. The cache folder is SINOPAK_CACHE (default ~/.cache/sinopak);
    SINOPAK_OFFLINE=1 uses it only, hashing every cached file again.
    """
    from .downloader import download as fetch

    return fetch(dest, source, offline=offline)


def read_options(table: str, reader: str, fmt: str = "csv") -> dict[str, Any]:
    """Keyword arguments that make `reader` ("pandas", "polars", "pyarrow", "dask", "duckdb")
    read the published CSV or JSON file of `table` with the published types: codes as
    strings, dates as dates, empty cells as nulls. E.g.
    ``pd.read_csv(path, **sinopak.read_options("events", "pandas"))``."""
    from .readers import read_options as options

    return options(table, reader, fmt)


def validate(
    target: str | os.PathLike[str] | None = None,
    *,
    frictionless: Scope = "all",
    timeout: float = 30.0,
) -> Report:
    """Validate a data package (folder, datapackage.json, release zip or http(s) URL; default:
    the bundled data) with frictionless and every check it skips. Returns the report; its
    `valid`, `problems` and `to_dict()` say what was found. Never raises for bad data."""
    from .validation import validate as run

    return run(target, frictionless=frictionless, timeout=timeout)


def _add_column_docs() -> None:
    from ._tables import COLUMNS

    if load.__doc__ is not None:  # None under python -OO
        load.__doc__ += "\n" + COLUMNS


_add_column_docs()


if TYPE_CHECKING:
    from typing import Any

    from ._access import Backend
    from ._tables import TableName
    from .validation import Report, Scope


def __getattr__(name: str) -> object:
    if name in ("TableName", "Backend"):  # typing.Literal objects, built on first use
        from . import _access

        return getattr(_access, name)
    if name == "__version__":
        from importlib.metadata import version

        return version("sinopak")
    raise AttributeError(f"module 'sinopak' has no attribute {name!r}")
