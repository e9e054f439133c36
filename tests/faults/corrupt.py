"""Helpers that corrupt a copy of the published package in one precise way."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sinopak.codec import parse_json
from sinopak.json_table import table_bytes
from sinopak.pipeline.export import csv_bytes, write_parquet
from sinopak.pipeline.release import SUMS, sums_text
from sinopak.schema.tables import TABLES

Rows = list[dict[str, Any]]


def descriptor(dist: Path) -> dict[str, Any]:
    return json.loads((dist / "datapackage.json").read_text())


def write_descriptor(dist: Path, data: dict[str, Any]) -> None:
    (dist / "datapackage.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def rehash(dist: Path) -> None:
    """Make bytes, hashes and SHA256SUMS agree with the files again (a consistent tamper)."""
    import hashlib

    data = descriptor(dist)
    for res in data["resources"]:
        path = dist / res["path"]
        if not path.is_file():
            continue
        raw = path.read_bytes()
        key = "bytes" if "bytes" in res else "sinopak:bytes"
        res[key] = len(raw)
        res["hash"] = "sha256:" + hashlib.sha256(raw).hexdigest()
    write_descriptor(dist, data)
    (dist / SUMS).write_text(sums_text(dist))


def rows(dist: Path, table: str) -> Rows:
    fields = [(c.name, c.kind) for c in TABLES[table].columns]
    return parse_json((dist / "json" / f"{table}.json").read_bytes(), fields)


def rewrite_table(
    dist: Path,
    table: str,
    change: Callable[[Rows], Rows],
    formats: tuple[str, ...] = ("csv", "json", "parquet"),
) -> None:
    """Change a table's rows identically in the given formats, then rehash."""
    new = change(rows(dist, table))
    t = TABLES[table]
    if "csv" in formats:
        (dist / "csv" / f"{table}.csv").write_bytes(csv_bytes(t, new))
    if "json" in formats:
        (dist / "json" / f"{table}.json").write_bytes(table_bytes(new))
    if "parquet" in formats:
        write_parquet(dist / "parquet" / f"{table}.parquet", t, new)
    rehash(dist)


def edit_bytes(dist: Path, rel: str, old: bytes, new: bytes, *, keep_hash: bool = False) -> None:
    path = dist / rel
    raw = path.read_bytes()
    assert old in raw, old
    path.write_bytes(raw.replace(old, new, 1))
    if not keep_hash:
        rehash(dist)


def csv_row(dist: Path, table: str, column: str, value: Any) -> int:
    """The row number (header = row 1) of the first record whose `column` equals `value`."""
    for i, r in enumerate(rows(dist, table), start=2):
        if r[column] == value:
            return i
    raise AssertionError(f"no {table} row with {column} = {value!r}")


def edit_csv_row(dist: Path, table: str, key: str, old: bytes, new: bytes) -> int:
    """Replace `old` (which must occur exactly once in that line) in the CSV line of the record
    whose primary key is `key`; rehash, and return the record's row number (header = row 1)."""
    path = dist / "csv" / f"{table}.csv"
    lines = path.read_bytes().split(b"\n")
    row = csv_row(dist, table, TABLES[table].columns[0].name, key)
    assert len(lines) == len(rows(dist, table)) + 2, "a quoted cell spans lines"
    line = lines[row - 1]
    assert line.startswith(key.encode() + b","), line
    assert line.count(old) == 1, (old, line)
    lines[row - 1] = line.replace(old, new)
    path.write_bytes(b"\n".join(lines))
    rehash(dist)
    return row
