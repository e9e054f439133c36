"""How a published package is laid out: formats, resource names, paths and declared sizes.

Standard library only: the accessor, the build and the validator all use these rules.
"""

from __future__ import annotations

import functools

FORMATS = ("csv", "json", "parquet")

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    import re
    from pathlib import PurePosixPath
    from typing import Any


def resource_name(table: str, fmt: str) -> str:
    """CSV resources carry the bare table name; JSON and Parquet copies get a suffix
    (`events`, `events-json`, `events-parquet`)."""
    return table if fmt == "csv" else f"{table}-{fmt}"


def resource_path(table: str, fmt: str) -> str:
    """Path of a table's file inside the package, e.g. `parquet/events.parquet`."""
    return f"{fmt}/{table}.{fmt}"


def declared_bytes(resource: dict[str, Any]) -> Any:
    """The size a resource declares: `bytes`, or `sinopak:bytes` where frictionless would
    refuse `bytes` (JSON and Parquet, which it does not stream)."""
    return resource.get("bytes", resource.get("sinopak:bytes"))


def size_key(fmt: str) -> str:
    """The descriptor key that holds a resource's size in format `fmt` (see declared_bytes)."""
    return "bytes" if fmt in ("csv", "txt") else "sinopak:bytes"


def relative_path(rel: object) -> PurePosixPath | None:
    """`rel` as a plain relative path inside a package, or None for anything else: a URL, an
    absolute or home-relative path, backslashes, a '..' part, control characters or lone
    surrogates."""
    from pathlib import PurePosixPath

    if not isinstance(rel, str) or not rel or "://" in rel or "\\" in rel or rel[0] in "/~":
        return None
    if _unportable().search(rel):
        return None  # control characters and lone surrogates name no portable file
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts:
        return None
    return pure


@functools.cache
def _unportable() -> re.Pattern[str]:
    """A control character (C0, DEL, C1) or a lone surrogate (compiled when first needed:
    `import sinopak` does not import `re`)."""
    import re

    return re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
