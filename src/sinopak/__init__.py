"""sinopak: China–Pakistan defence cooperation records with sentence-level provenance.

The accessor needs only the standard library::

    import sinopak
    sinopak.tables()                          # names of the published tables
    sinopak.load("events")                    # list of dicts with Python values
    sinopak.load("events", backend="arrow")   # pyarrow.Table
    sinopak.load("events", backend="pandas")  # pandas.DataFrame
    sinopak.load("events", backend="polars")  # polars.DataFrame
    sinopak.evidence("evt.wei-bajwa-talks")   # the quotes behind a record
    sinopak.datapackage()                     # the descriptor as a dict

Heavy libraries (pyarrow, pandas, polars, pydantic, frictionless, click) are imported only by
the calls that need them.
"""

from __future__ import annotations

import os

from ._access import (
    IntegrityError,
    datapackage,
    evidence,
    load,
    records,
    tables,
    verify,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (2-3 ms)

__all__ = [
    "Backend",
    "IntegrityError",
    "TableName",
    "__version__",
    "datapackage",
    "download",
    "evidence",
    "load",
    "records",
    "tables",
    "verify",
]


def download(
    dest: str | os.PathLike[str], source: str | None = None, *, offline: bool | None = None
) -> os.PathLike[str]:
    """Fetch a published data package (datapackage.json URL or release zip) into `dest`.

    Every file is verified against its sha256 before the folder is moved into place. The cache
    folder is SINOPAK_CACHE (default ~/.cache/sinopak); SINOPAK_OFFLINE=1 uses it only.
    """
    from .downloader import download as fetch

    return fetch(dest, source, offline=offline)


def _add_column_docs() -> None:
    from ._tables import COLUMNS

    if load.__doc__ is not None:  # None under python -OO
        load.__doc__ += "\n" + COLUMNS


_add_column_docs()


if TYPE_CHECKING:
    from ._access import Backend
    from ._tables import TableName


def __getattr__(name: str) -> object:
    if name in ("TableName", "Backend"):  # typing.Literal objects, built on first use
        from . import _access

        return getattr(_access, name)
    if name == "__version__":
        from importlib.metadata import version

        return version("sinopak")
    raise AttributeError(f"module 'sinopak' has no attribute {name!r}")
