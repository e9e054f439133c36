"""Where a CSV row starts in its file: the line a GitHub annotation points at.

A row of a CSV table is not always one line (a quoted cell may hold line breaks), so the row
number (the header counting as row 1) is mapped to the line where that row starts by reading
the file with the csv module. JSON and Parquet files get no line.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

from .files import MAX_FILE_BYTES, read_bounded, regular_size, safe_path
from .report import Report


def row_starts(data: bytes) -> list[int]:
    """The line on which each row starts: element i is the line of row i + 1."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    starts: list[int] = []
    while True:
        start = reader.line_num + 1
        try:
            next(reader)
        except (StopIteration, csv.Error):
            return starts
        starts.append(start)


def _starts(base: Path, file: str) -> list[int]:
    """Row starts of a CSV file inside the package: a bounded regular file, or nothing."""
    path = safe_path(base, file)
    size = regular_size(path)[0] if path is not None else None
    if path is None or size is None or size > MAX_FILE_BYTES:
        return []
    try:
        return row_starts(read_bounded(path, size))
    except (OSError, UnicodeDecodeError):
        return []


def locate_lines(report: Report, base: Path) -> None:
    """Give every problem in a CSV file with a row number the line where that row starts."""
    found: dict[str, list[int]] = {}
    for i, p in enumerate(report.problems):
        file = p.file or ""
        if p.line is not None or p.row is None or not file.endswith(".csv"):
            continue
        if file not in found:
            found[file] = _starts(base, file)
        starts = found[file]
        if 1 <= p.row <= len(starts):
            report.problems[i] = dataclasses.replace(p, line=starts[p.row - 1])
