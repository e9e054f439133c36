"""The bytes of a JSON table as the build writes it: an array of compact objects, one row per
line, dates as ISO 8601. The build writes its JSON tables with it, and validation compares a
JSON table with the CSV table's rows written this way (`validation.tables`). Imports nothing
heavy: orjson only when a table is written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .codec import to_json_value

BATCH = 4096  # rows encoded, then written, at a time


def table_chunks(rows: list[dict[str, Any]]) -> Iterator[bytes]:
    """The JSON table of `rows`, a batch of rows at a time: `[`, the rows as objects joined by
    `,` and a newline, each on its own line, then `]` and a newline (`[]` for none)."""
    if not rows:
        yield b"[]\n"
        return
    yield b"[\n"
    for start in range(0, len(rows), BATCH):
        yield (b",\n" if start else b"") + _lines(rows[start : start + BATCH])
    yield b"\n]\n"


def table_bytes(rows: list[dict[str, Any]]) -> bytes:
    """`table_chunks` joined."""
    return b"".join(table_chunks(rows))


def _default(value: Any) -> Any:
    """What orjson does not write itself (nothing a table holds: it writes dates as
    `isoformat` does)."""
    converted = to_json_value(value)
    if converted is value:
        raise TypeError(f"{type(value).__name__} is not JSON serializable")
    return converted


def _lines(rows: list[dict[str, Any]]) -> bytes:
    """The rows as JSON objects, one per line, joined by ",\\n".

    orjson writes the whole batch as one array (ten times as fast as json's encoder called
    for each row, which took 4 s at 10,000 articles), then a newline goes between the
    objects, at each `},{"<first key>":`. When every row starts with that key, each of the
    len - 1 boundaries holds that sequence; when the array holds it exactly that often, those
    are all (else, a row holding it too, the rows are written one at a time)."""
    import orjson

    def one(value: Any) -> bytes:
        return orjson.dumps(value, default=_default)

    key = next(iter(rows[0]), None)
    text = one(rows)[1:-1]
    if isinstance(key, str) and all(next(iter(r), None) == key for r in rows):
        start = b"{" + orjson.dumps(key) + b":"  # how every row's object begins
        boundary = b"}," + start
        if text.count(boundary) == len(rows) - 1:
            return text.replace(boundary, b"},\n" + start)
    return b",\n".join(map(one, rows))
