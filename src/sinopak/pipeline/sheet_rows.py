"""The `<row>` elements of a workbook sheet, made column by column with Arrow compute.

Byte for byte what XlsxWriter's constant-memory mode writes for the same cells (inline
strings, its escapes, its date serial numbers), which the tests check against XlsxWriter
itself, with one intended difference: a text shaped like rich-text XML ("<r>…</r>"), which
XlsxWriter would write unescaped as markup, is escaped like any other text. XlsxWriter's
per-cell Python (about 7 µs a cell) was a third of the CPU time of a build of 10,000 articles;
no well-kept compiled xlsx writer exists on PyPI, so XlsxWriter still writes everything else of
the workbook and these rows are spliced into its sheets.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import BuildError

KINDS = ("string", "date", "integer", "boolean")  # the column types a cell is made for
MAX_CELL_TEXT = 32_767  # Excel's limit, in UTF-16 code units
# Python's `\s` (what XlsxWriter tests for leading or trailing whitespace), for RE2
WHITESPACE = (
    "[\\t\\n\\x0b\\x0c\\r\\x1c-\\x20\\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}"
    "\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}]"
)
ESCAPE_LIKE = "_x[0-9a-fA-F]{4}_"  # a literal "_x0041_" gets its underscore escaped
CONTROLS = [*range(0x00, 0x09), *range(0x0B, 0x20), 0xFFFE, 0xFFFF]  # written as _xHHHH_
CONTROL_CLASS = "[\\x00-\\x08\\x0b-\\x1f\\x{fffe}\\x{ffff}]"
SAFE_INTEGER = 2**53  # strictly within ±this, "%.16G" of an integer is its decimal digits
EXCEL_EPOCH_DAYS = 25_568  # 1899-12-31 (XlsxWriter's epoch) to 1970-01-01 (Arrow's)


@dataclass(frozen=True)
class Styles:
    """XlsxWriter's cell-format indexes of the text and the date cells."""

    text: int
    date: int


@dataclass
class Measured:
    """What writing a table's rows needs to know first: the longest `str(value or "")` of each
    column (its name included), how many rows there are up to the last that is not empty
    (XlsxWriter writes no empty row), and where the first text and the first date cell are
    (row, column), which decides the order XlsxWriter numbers their formats in."""

    widths: list[int]
    rows: int = 0
    first_text: tuple[int, int] | None = None
    first_date: tuple[int, int] | None = None


def measure(batches: Iterator[Any], fields: Sequence[dict[str, Any]], table: str) -> Measured:
    """Measure a table's rows, refusing before anything is written a column type no cell is
    made for and a text longer than a cell holds (the first in sheet order)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for field in fields:
        if field["type"] not in KINDS:
            raise BuildError(
                f"sinopak.xlsx: {table}, column {field['name']}: no cell for {field['type']}"
            )
    found = Measured([len(f["name"]) for f in fields])
    seen = 0
    for batch in batches:
        written = None
        firsts: dict[str, list[tuple[int, int]]] = {"string": [], "date": []}
        too_long: list[tuple[int, int]] = []
        for c, field in enumerate(fields):
            col = batch.column(field["name"])
            valid = pc.is_valid(col)
            written = valid if written is None else pc.or_(written, valid)
            kind = field["type"]
            if kind in firsts:
                where = pc.indices_nonzero(valid)
                if len(where):
                    firsts[kind].append((seen + where[0].as_py(), c))
            if kind == "date":
                text = pc.if_else(valid, 10, 0)  # YYYY-MM-DD
            elif kind == "boolean":  # "True"; False counts as empty, as None does
                text = pc.if_else(col, 4, 0)
            else:
                if kind == "integer":  # 0 counts as empty, as None does
                    col = pc.if_else(pc.equal(col, 0), pa.scalar(None, col.type), col)
                    col = pc.cast(col, pa.string())
                else:
                    too_long += _too_long(col, seen, c)
                text = pc.utf8_length(col)
            most = pc.max(text).as_py()
            if most is not None and most > found.widths[c]:
                found.widths[c] = most
        if too_long:
            row, c = min(too_long)
            value = batch.column(fields[c]["name"])[row - seen].as_py()
            raise BuildError(
                f"sinopak.xlsx: {table}, sheet row {row + 2}, column {fields[c]['name']}: a text "
                f"of {utf16_units(value)} UTF-16 units; a cell holds at most {MAX_CELL_TEXT}"
            )
        if found.first_text is None and firsts["string"]:
            found.first_text = min(firsts["string"])
        if found.first_date is None and firsts["date"]:
            found.first_date = min(firsts["date"])
        if written is not None:
            where = pc.indices_nonzero(written)
            if len(where):
                found.rows = seen + where[-1].as_py() + 1
        seen += batch.num_rows
    return found


def _too_long(col: Any, seen: int, c: int) -> list[tuple[int, int]]:
    """(row, column) of the texts longer than a cell holds (UTF-16 units never exceed UTF-8
    bytes, so only texts of more bytes than that are measured)."""
    import pyarrow.compute as pc

    long = pc.fill_null(pc.greater(pc.binary_length(col), MAX_CELL_TEXT), False)
    return [
        (seen + i, c)
        for i in pc.indices_nonzero(long).to_pylist()
        if utf16_units(col[i].as_py()) > MAX_CELL_TEXT
    ]


def utf16_units(text: str) -> int:
    """A text's length as Excel counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def rows_xml(
    batch: Any, fields: Sequence[dict[str, Any]], styles: Styles, first: int
) -> memoryview:
    """The `<row>` elements of `batch` as one UTF-8 text, its first row at sheet row `first`
    (1-based); an empty row, as in XlsxWriter, is not written. The rows were `measure`d."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from xlsxwriter.utility import xl_col_to_name

    n = batch.num_rows
    if n == 0 or not fields:
        return memoryview(b"")
    numbers = pc.cast(pa.array(range(first, first + n), pa.int64()), pa.string())
    cells = []
    written = None
    for c, field in enumerate(fields):
        col = batch.column(field["name"])
        ref = f'<c r="{xl_col_to_name(c)}'
        kind = field["type"]
        if kind == "string":
            text = _escaped(col)
            opening = pc.if_else(
                pc.match_substring_regex(text, f"^{WHITESPACE}|{WHITESPACE}$"),
                '<t xml:space="preserve">',
                "<t>",
            )
            text = _escape_markup(text)
            parts = [ref, numbers, f'" s="{styles.text}" t="inlineStr"><is>', opening, text]
            cell = pc.binary_join_element_wise(*parts, "</t></is></c>", "")
        elif kind == "date":
            serial = pc.add(pc.cast(pc.cast(col, pa.int32()), pa.int64()), EXCEL_EPOCH_DAYS)
            serial = pc.if_else(pc.equal(serial, 1), 0, serial)  # 1900-01-01, as XlsxWriter
            serial = pc.if_else(pc.greater(serial, 59), pc.add(serial, 1), serial)  # 1900-02-29
            value = pc.cast(serial, pa.string())
            cell = pc.binary_join_element_wise(
                ref, numbers, f'" s="{styles.date}"><v>', value, "</v></c>", ""
            )
        elif kind == "boolean":
            value = pc.if_else(col, "1", "0")
            cell = pc.binary_join_element_wise(ref, numbers, '" t="b"><v>', value, "</v></c>", "")
        else:  # integer (`measure` refused any other kind)
            value = _integers(col)
            cell = pc.binary_join_element_wise(ref, numbers, '"><v>', value, "</v></c>", "")
        valid = pc.is_valid(col)
        written = valid if written is None else pc.or_(written, valid)
        cells.append(pc.fill_null(cell, ""))
    row = pc.binary_join_element_wise('<row r="', numbers, '">', *cells, "</row>", "")
    return _joined(pc.if_else(written, row, ""))


def _joined(arr: Any) -> memoryview:
    """The texts of a string array end to end, without copying them."""
    _, offsets_buffer, data = arr.buffers()
    offsets = memoryview(offsets_buffer).cast("i")  # int32: a string array, not a large one
    start, end = offsets[arr.offset], offsets[arr.offset + len(arr)]
    return memoryview(data)[start:end] if data is not None else memoryview(b"")


def _escaped(col: Any) -> Any:
    """XlsxWriter's `_escape_control_characters`: a literal "_xHHHH_" gets "_x005F" before it,
    then each control character (and U+FFFE, U+FFFF) becomes "_xHHHH_"."""
    import pyarrow.compute as pc

    if pc.any(pc.match_substring_regex(col, ESCAPE_LIKE)).as_py():
        col = pc.replace_substring_regex(col, f"({ESCAPE_LIKE})", "_x005F\\1")
    if pc.any(pc.match_substring_regex(col, CONTROL_CLASS)).as_py():
        for code in CONTROLS:
            col = pc.replace_substring(col, chr(code), f"_x{code:04X}_")
    return col


def _escape_markup(col: Any) -> Any:
    """XlsxWriter's `_escape_data`: & < > (not quotes, in element text)."""
    import pyarrow.compute as pc

    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        col = pc.replace_substring(col, char, entity)
    return col


def _integers(col: Any) -> Any:
    """Integers as XlsxWriter writes numbers ("%.16G"): their digits strictly within ±2**53."""
    import pyarrow as pa
    import pyarrow.compute as pc

    low, high = (v.as_py() for v in pc.min_max(col).values())
    if low is None or (low > -SAFE_INTEGER and high < SAFE_INTEGER):
        return pc.cast(col, pa.string())
    return pa.array([None if v is None else f"{v:.16G}" for v in col.to_pylist()], pa.string())
