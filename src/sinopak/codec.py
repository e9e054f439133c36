"""Read published tables into Python values with the standard library only.

Shared by the accessor (which must stay light) and the validator.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any


# CSV injection (OWASP): a spreadsheet runs a cell that begins with one of these as a formula.
# The CSV export prefixes such a text cell with a single quote; readers of this package remove
# it again. Cells that already begin with quotes before a trigger get one more quote, so the
# escape is reversible for every value. JSON and Parquet keep the exact value.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def needs_formula_escape(value: str) -> bool:
    return value.lstrip("'").startswith(FORMULA_TRIGGERS)


def escape_formula(value: str) -> str:
    return "'" + value if needs_formula_escape(value) else value


def unescape_formula(value: str) -> str:
    return value[1:] if value.startswith("'") and needs_formula_escape(value) else value


def to_json_value(value: Any) -> Any:
    """A Python cell value as JSON (and SQLite) hold it: dates as ISO 8601, the rest as is."""
    return value.isoformat() if isinstance(value, dt.date) else value


MAX_CSV_FIELD = 131_072  # characters per CSV cell (csv's own default, stated and enforced)
MAX_JSON_BYTES = 100_000_000  # a JSON table larger than this is refused before parsing


class JSONLimitError(ValueError):
    """JSON that is too deep, too large, or repeats a key within an object."""


MAX_JSON_DEPTH = 64


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise JSONLimitError(f"key {dup!r} appears twice in one object")
    return obj


def _depth(value: Any, limit: int) -> int:
    """Nesting depth of a parsed JSON value, giving up (returning limit + 1) past `limit`."""
    if limit < 0:
        return 1
    if isinstance(value, dict):
        return 1 + max((_depth(v, limit - 1) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v, limit - 1) for v in value), default=0)
    return 0


def loads_strict(data: bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """UTF-8 JSON with no duplicate keys, nested at most `max_depth` deep. Raises
    JSONLimitError, json.JSONDecodeError or UnicodeDecodeError (all ValueError)."""
    try:
        value = json.loads(data.decode("utf-8"), object_pairs_hook=_unique_keys)
    except RecursionError:
        raise JSONLimitError(f"nested more than {max_depth} levels deep") from None
    if _depth(value, max_depth) > max_depth:
        raise JSONLimitError(f"nested more than {max_depth} levels deep")
    return value


class CellError(ValueError):
    """A cell that cannot be read as its declared type."""

    def __init__(self, row: int, field: str, message: str) -> None:
        self.row = row
        self.field = field
        super().__init__(message)


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_INTEGER = re.compile(r"-?[0-9]{1,19}", re.ASCII)
_FROM_TEXT = {"true": True, "false": False, "": None}  # a boolean cell of CSV


def _typed(kind: str, value: Any, row: int, field: str, *, from_text: bool) -> Any:
    if value is None or (from_text and value == ""):
        return None
    if from_text and kind == "string":
        return unescape_formula(value)
    try:
        if kind == "date":
            # only YYYY-MM-DD: fromisoformat alone also takes 20201207 and 2020-W50-1
            if not isinstance(value, str) or not _DATE.fullmatch(value):
                raise TypeError
            return dt.date.fromisoformat(value)
        if kind == "integer":
            if from_text:
                # only -?[0-9]+: int() alone also takes " 156", "+156", "1_56" and "١٥٦"
                if not _INTEGER.fullmatch(value):
                    raise TypeError
                return int(value)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError
            return value
        if kind == "boolean":
            if from_text:
                return _FROM_TEXT[value]  # "" was None above
            if not isinstance(value, bool):
                raise TypeError
            return value
        if not isinstance(value, str):
            raise TypeError
        return value
    except (TypeError, ValueError, KeyError):
        raise CellError(row, field, f"expected {kind}, found {value!r}") from None


def parse_json(data: bytes, fields: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Rows of a JSON table (array of objects with exactly the schema's keys, in order).

    Read column by column when every cell is as it should be (a published table); otherwise
    row by row, which says where the first problem is (`_json_rows`)."""
    rows = _json_columns(data, fields) if len(data) <= MAX_JSON_BYTES else None
    return rows if rows is not None else _json_rows(data, fields)


def _json_rows(data: bytes, fields: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """`parse_json`, row by row and cell by cell, raising at the first problem."""
    names = [n for n, _ in fields]
    if len(data) > MAX_JSON_BYTES:
        raise CellError(
            0, "", f"expected at most {MAX_JSON_BYTES} bytes of JSON, found {len(data)}"
        )
    try:
        items = loads_strict(data, max_depth=2)
    except JSONLimitError as exc:
        raise CellError(0, "", str(exc)) from None
    if not isinstance(items, list):
        raise CellError(0, "", "expected a JSON array of objects")
    rows = []
    for i, obj in enumerate(items, start=1):
        if not isinstance(obj, dict):
            raise CellError(i, "", f"expected an object, found {type(obj).__name__}")
        if list(obj) != names:
            raise CellError(
                i,
                _key_diff(list(obj), names),
                f"keys {list(obj)} differ from the schema's fields {names}",
            )
        rows.append({n: _typed(k, obj[n], i, n, from_text=False) for n, k in fields})
    return rows


def _key_diff(found: list[str], expected: list[str]) -> str:
    extra = [k for k in found if k not in expected]
    missing = [k for k in expected if k not in found]
    return (extra or missing or [""])[0]


def parse_csv(data: bytes, fields: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Rows of a CSV table with a header equal to the schema's field names.

    Typed column by column when every cell is as it should be (a published table); otherwise
    row by row, which says where the first problem is (`_csv_rows`)."""
    import csv

    text = data.decode("utf-8")
    try:
        cells = list(_csv_reader(text, fields))
    except (csv.Error, CellError):  # the row reader raises the first of them again
        cells = None
    rows = _csv_columns(cells, fields) if cells is not None else None
    return rows if rows is not None else _csv_rows(text, fields)


def _csv_reader(text: str, fields: list[tuple[str, str]]) -> Any:
    """csv's reader of `text`, past a header equal to the schema's field names."""
    import csv
    import io

    names = [n for n, _ in fields]
    csv.field_size_limit(MAX_CSV_FIELD)  # process-wide; the standard library's default
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = next(reader, None)
    if header != names:
        raise CellError(
            1,
            _key_diff(header or [], names),
            f"header {header} differs from the schema's fields {names}",
        )
    return reader


def _csv_rows(text: str, fields: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """`parse_csv`, row by row and cell by cell, raising at the first problem."""
    names = [n for n, _ in fields]
    rows = []
    for i, cells in enumerate(_csv_reader(text, fields), start=2):
        if len(cells) != len(names):
            raise CellError(i, "", f"expected {len(names)} cells, found {len(cells)}")
        rows.append(
            {n: _typed(k, c, i, n, from_text=True) for (n, k), c in zip(fields, cells, strict=True)}
        )
    return rows


# CSV column by column: the same rows as `_csv_rows` for a table without a problem, or None.
# A column is tested whole, by one regular expression over its cells joined by newlines (a
# cell holding a newline makes the count of lines differ: `_lines_match`); a Python call per
# cell (millions of them) was most of the time reading a table. JSON's dates are tested so too.
_DATE_LINES = re.compile(r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2})?(?:\n(?:[0-9]{4}-[0-9]{2}-[0-9]{2})?)*")


@functools.cache  # compiled when first needed: the accessor imports this module too
def _integer_lines() -> re.Pattern[str]:
    return re.compile(r"(?:-?[0-9]{1,19})?(?:\n(?:-?[0-9]{1,19})?)*", re.ASCII)


def _csv_columns(
    cells: list[list[str]], fields: list[tuple[str, str]]
) -> list[dict[str, Any]] | None:
    if not fields:  # rows of no columns: the row reader's (each line an empty row)
        return None
    if not cells:
        return []
    if set(map(len, cells)) != {len(fields)}:
        return None
    columns = []
    for (_, kind), texts in zip(fields, zip(*cells, strict=True), strict=True):
        column = _csv_column(kind, texts)
        if column is None:
            return None
        columns.append(column)
    names = [n for n, _ in fields]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _lines_match(pattern: re.Pattern[str], texts: Sequence[str]) -> bool:
    """Every text is one line matching `pattern`'s line (or empty)."""
    if not texts:
        return True
    joined = "\n".join(texts)
    return joined.count("\n") == len(texts) - 1 and pattern.fullmatch(joined) is not None


INTEGER_BOUND = 10**19  # -?[0-9]{1,19}: fewer than 20 digits


def _canonical_integers(texts: Sequence[str]) -> list[int] | None:
    """The integers of a column whose every cell is an integer as Python writes it (no sign
    but "-", no leading zero, no "-0", fewer than 20 digits): `str` of each, joined, gives
    the cells back. None otherwise (leading zeros too: the regular expression then decides)."""
    try:
        numbers = list(map(int, texts))
    except ValueError:
        return None
    if "\n".join(map(str, numbers)) != "\n".join(texts):
        return None
    if numbers and not -INTEGER_BOUND < min(numbers) <= max(numbers) < INTEGER_BOUND:
        return None
    return numbers


def _csv_column(kind: str, texts: tuple[str, ...]) -> Sequence[Any] | None:
    """A column's cells as `_typed(kind, cell, from_text=True)` types them, or None when one
    of them is not of its kind. Each kind's function is mapped over the column when no cell
    is empty (null), the common case."""
    full = "" not in texts
    if kind == "integer":
        if full and (numbers := _canonical_integers(texts)) is not None:
            return numbers
        if not _lines_match(_integer_lines(), texts):
            return None
        return [int(t) if t else None for t in texts]
    if kind == "date":
        if not _lines_match(_DATE_LINES, texts):
            return None
        try:
            if full:
                return list(map(dt.date.fromisoformat, texts))
            return [dt.date.fromisoformat(t) if t else None for t in texts]
        except ValueError:  # a day that does not exist
            return None
    if kind == "boolean":
        return list(map(_FROM_TEXT.__getitem__, texts)) if set(texts) <= _FROM_TEXT.keys() else None
    if kind == "string" and "\n'" in "\n" + "\n".join(texts):  # may hold the escape: rare
        return [unescape_formula(t) if t else None for t in texts]
    return texts if full else [t or None for t in texts]


# JSON column by column: the same rows as `_json_rows` for a table without a problem, or None
# (the caller then reads it row by row, which finds and names the first problem). A column of
# dates is checked as CSV's are (`_lines_match`).


def _json_columns(data: bytes, fields: list[tuple[str, str]]) -> list[dict[str, Any]] | None:
    names = [n for n, _ in fields]
    try:
        rows = json.loads(data.decode("utf-8"), object_pairs_hook=_unique_keys)
    except (ValueError, RecursionError):  # JSONLimitError (a repeated key) is a ValueError
        return None
    # every row an object with exactly the schema's keys, every value a scalar of its column's
    # type (checked below): nested two deep, no more, without walking the values again
    if type(rows) is not list or any(type(r) is not dict or list(r) != names for r in rows):
        return None
    for name, kind in fields:
        column = [row[name] for row in rows]
        present = [v for v in column if v is not None]
        if kind == "date":
            if {type(v) for v in present} - {str} or not _lines_match(_DATE_LINES, present):
                return None
            try:
                dates = [None if v is None else dt.date.fromisoformat(v) for v in column]
            except ValueError:
                return None
            for row, value in zip(rows, dates, strict=True):
                row[name] = value
        elif {type(v) for v in present} - {_JSON_TYPES.get(kind, str)}:
            return None  # a bool is not an integer here: types are compared exactly
    return rows


_JSON_TYPES: dict[str, type] = {"integer": int, "boolean": bool, "string": str}
