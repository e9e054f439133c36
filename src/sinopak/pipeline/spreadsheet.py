"""dist/sinopak.xlsx: one sheet per table with typed cells, and a sheet about the package.

Codes and other text are text cells (with the text number format, so "057" stays "057"), dates
are date cells, integers numbers; the header row is frozen and has a filter. XlsxWriter writes
the workbook (in constant memory: about three times as fast as openpyxl, which took 18 s for a
corpus of 1,000 articles) with each sheet's header row, and the data rows, made column by
column by `sheet_rows` (four times as fast again), are spliced in. Its bytes are deterministic
because the document timestamps are fixed and the zip is re-packed with fixed entry times and
modes, as the release zip is.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import BuildError
from . import background
from .background import ParquetRows, ParquetTable
from .release import FIXED_TIME, fixed_entry
from .sheet_rows import MAX_CELL_TEXT, Measured, Styles, measure, rows_xml, utf16_units

XLSX_NAME = "sinopak.xlsx"
ABOUT_SHEET = "about"
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
MAX_ROWS = 1_048_576  # rows of a sheet, the header included: XlsxWriter would drop the rest
# The document's created/modified timestamps: fixed, like the zip entries (no build time).
FIXED_STAMP = dt.datetime(*FIXED_TIME)
CHUNK = 1 << 20


Rows = Mapping[str, Any]  # table -> its rows: a list of dicts by column, or a ParquetTable


def write_workbook(
    path: Path,
    rows: Rows,
    descriptor: dict[str, Any],
    scratch: Path | None = None,
) -> None:
    """Write the workbook of every table in `descriptor` (CSV resources) to `path`; XlsxWriter's
    temporary files go to a folder in `scratch` (default: the system's). `rows` are the
    build's rows or `ParquetRows` of the staged package; each table is gone through twice.

    XlsxWriter writes the workbook with each sheet's header row; the data rows are made by
    `sheet_rows` and spliced into the sheets when the zip is re-packed (`_deterministic`)."""
    import xlsxwriter

    tables = [r for r in descriptor["resources"] if r.get("format") == "csv"]
    with tempfile.TemporaryDirectory(prefix="xlsx-", dir=scratch) as tmp:
        raw = Path(tmp) / XLSX_NAME
        book = xlsxwriter.Workbook(
            str(raw),
            {
                "constant_memory": True,  # rows are written out as they come
                "tmpdir": tmp,
                "strings_to_numbers": False,
                "strings_to_formulas": False,  # "=…" stays text
                "strings_to_urls": False,
            },
        )
        book.set_properties(
            {"title": descriptor.get("title"), "author": "sinopak build", "created": FIXED_STAMP}
        )
        formats = {
            "title": book.add_format({"bold": True, "font_size": 14}),
            "bold": book.add_format({"bold": True}),
            "string": book.add_format({"num_format": TEXT_FORMAT}),
            "date": book.add_format({"num_format": DATE_FORMAT}),
        }
        _about(book.add_worksheet(ABOUT_SHEET), formats, descriptor, tables, rows)
        data: dict[str, tuple[int, Iterator[memoryview]]] = {}
        sources, first_uses = [], []
        for number, res in enumerate(tables, start=2):  # sheet1.xml is the about sheet
            name, fields = res["name"], res["schema"]["fields"]
            source = _ArrowRows(rows[name], fields)
            found = _header(book.add_worksheet(name), formats, name, fields, source)
            sources.append((f"xl/worksheets/sheet{number}.xml", source, fields, found.rows))
            for kind, at in (("string", found.first_text), ("date", found.first_date)):
                if at is not None:  # the last row of a sheet is written out when it closes
                    first_uses.append(((at[0] == found.rows - 1, number, *at), kind))
        # The cells spliced in use the text and date formats. XlsxWriter numbers a format when
        # a cell first uses it, as its rows are written out: sheet by sheet, row by row, each
        # row once the next begins, the last row of every sheet when the workbook closes. It
        # lists only the formats used. So does this (`_get_xf_index` is private, but XlsxWriter
        # is pinned in constraints.txt and the tests compare with XlsxWriter writing each cell).
        index = {kind: formats[kind]._get_xf_index() for _, kind in sorted(first_uses)}
        styles = Styles(index.get("string", 0), index.get("date", 0))
        for member, source, fields, filled in sources:
            data[member] = (filled, _sheet_data(source, fields, styles))
        book.close()
        _deterministic(raw, path, data)


class _ArrowRows:
    """One table's rows as Arrow record batches: from its Parquet file, or from the build's
    rows (dicts) converted once."""

    def __init__(self, rows: Any, fields: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.fields = fields
        self.count = len(rows)
        self.converted: Any = None

    def batches(self) -> Iterator[Any]:
        if isinstance(self.rows, ParquetTable):
            yield from self.rows.batches()
            return
        if self.converted is None:
            import pyarrow as pa

            types = {"string": pa.string(), "date": pa.date32(), "integer": pa.int64()}
            types["boolean"] = pa.bool_()  # the kinds a cell is made for (`measure` checks)
            schema = pa.schema([(f["name"], types[f["type"]]) for f in self.fields])
            self.converted = pa.Table.from_pylist(list(self.rows), schema=schema)
        yield from self.converted.to_batches(max_chunksize=ParquetTable.BATCH)


def _header(
    sheet: Any, formats: dict[str, Any], table: str, fields: list[dict[str, Any]], rows: _ArrowRows
) -> Measured:
    """The sheet's column widths (the longest text of each column), frozen header row with a
    filter over the rows below it; return what `measure` found of the rows."""
    names = [f["name"] for f in fields]
    count = rows.count
    if count + 1 > MAX_ROWS:
        raise BuildError(
            f"{XLSX_NAME}: table {table} has {count} rows; a sheet holds at most "
            f"{MAX_ROWS - 1} under its header"
        )
    # column widths first: XlsxWriter's constant-memory mode writes them before the rows
    found = measure(rows.batches(), fields, table)
    for c, width in enumerate(found.widths):
        sheet.set_column(c, c, min(60, max(8, width + 2)))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, count, len(fields) - 1)
    sheet.write_row(0, 0, names, formats["bold"])
    return found


def _sheet_data(
    rows: _ArrowRows, fields: list[dict[str, Any]], styles: Styles
) -> Iterator[memoryview]:
    first = 2  # the row under the header
    for batch in rows.batches():
        yield rows_xml(batch, fields, styles, first)
        first += batch.num_rows


def workbook_job(
    path: Path, folder: Path, scratch: Path | None = None, descriptor: Path | None = None
) -> background.Job:
    """The workbook `path` of the staged package in `folder` (its Parquet tables, and its
    descriptor or the one at `descriptor`, which needs the package's metadata and CSV
    resources only: the build starts this before the package's descriptor exists), for a
    separate process (`background`); temporary files in `scratch`."""
    return (
        XLSX_NAME,
        __name__,
        [str(path), str(folder), str(scratch or ""), str(descriptor or "")],
    )


def write_staged(args: list[str]) -> None:
    """The job of `workbook_job`, in the separate process."""
    import json

    path, folder, scratch, described = args
    descriptor = json.loads(Path(described or Path(folder) / "datapackage.json").read_bytes())
    rows = ParquetRows(Path(folder))
    write_workbook(Path(path), rows, descriptor, Path(scratch) if scratch else None)


def _about(
    sheet: Any,
    formats: dict[str, Any],
    descriptor: dict[str, Any],
    tables: list[dict[str, Any]],
    rows: Rows,
) -> None:
    lines: list[list[Any]] = [
        [descriptor.get("title", descriptor["name"])],
        [f"Version {descriptor['version']}. {descriptor.get('description', '')}".strip()],
        [],
        ["How to read this workbook"],
        ["Each sheet after this one is one table of the data package (datapackage.json)."],
        ["Row 1 holds the column names; it is frozen and has a filter."],
        [
            'Codes and other text are text cells ("057" stays "057"); dates are date cells;'
            " integers are numbers; an empty cell is a null."
        ],
        [
            "Every record cites the sentence, quote and character offsets it rests on "
            "(sentence_id, quote_start, quote_end, quote; all spans in the evidence sheet)."
        ],
        [],
        ["Licences"],
        *[
            [f"{lic.get('title') or lic.get('name')}: {lic.get('path', '')}"]
            for lic in descriptor.get("licenses", [])
        ],
        ["The source texts remain their publishers'; they are quoted for provenance."],
        [],
        ["sheet", "rows", "title", "description"],
        *[
            [r["name"], len(rows[r["name"]]), r.get("title", ""), r.get("description", "")]
            for r in tables
        ],
    ]
    sheet.set_column(0, 0, 22)
    sheet.set_column(3, 3, 90)
    for r, line in enumerate(lines):
        style = None
        if r == 0:
            style = formats["title"]
        elif line and line[0] in ("How to read this workbook", "Licences", "sheet"):
            style = formats["bold"]
        for c, value in enumerate(line):
            if isinstance(value, int):
                sheet.write_number(r, c, value, style)
            else:
                write_text(sheet, r, c, value, style, ABOUT_SHEET, "about")


def write_text(sheet: Any, r: int, c: int, value: str, style: Any, table: str, column: str) -> None:
    """One text cell, refusing what a cell cannot hold and escaping what XlsxWriter would
    otherwise take for its own markup: a text that starts with "<r>" and ends with "</r>" is
    written as rich-text XML unescaped, so it goes in as a rich string of plain runs (XlsxWriter
    wants at least three), which it escapes."""
    units = utf16_units(value)
    if units > MAX_CELL_TEXT:
        raise _cell_error(
            table,
            r,
            column,
            f"a text of {units} UTF-16 units; a cell holds at most {MAX_CELL_TEXT}",
        )
    if value.startswith("<r>") and value.endswith("</r>"):
        status = sheet.write_rich_string(r, c, value[:1], value[1:2], value[2:], style)
    else:
        status = sheet.write_string(r, c, value, style)
    if status:
        raise _cell_error(table, r, column, f"XlsxWriter refused the cell ({status})")


def _cell_error(table: str, r: int, column: str, problem: str) -> BuildError:
    return BuildError(f"{XLSX_NAME}: {table}, sheet row {r + 1}, column {column}: {problem}")


def _deterministic(
    raw: Path, target: Path, data: dict[str, tuple[int, Iterator[memoryview]]]
) -> None:
    """Re-pack the workbook into `target` with fixed entry times and modes: XlsxWriter's
    constant-memory mode zips temporary files, whose modes (and times, through the local time
    zone) would otherwise reach the zip. Members are streamed in order, deflated again; the
    sheets named in `data` (rows under the header, and those rows' XML) get their data rows
    after the header row, and the dimension XlsxWriter wrote for the header alone."""
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(target, "w") as dst:
        for entry in src.infolist():
            if entry.filename not in data:
                with src.open(entry) as fin, dst.open(fixed_entry(entry.filename), "w") as fout:
                    shutil.copyfileobj(fin, fout, CHUNK)
                continue
            filled, rows = data[entry.filename]
            head, tail = _split(src.read(entry).decode("utf-8"), entry.filename)
            with dst.open(fixed_entry(entry.filename), "w") as fout:
                fout.write(_dimension(head, filled + 1).encode("utf-8"))
                for xml in rows:
                    fout.write(xml)
                fout.write(tail.encode("utf-8"))


HEADER_END = "</row></sheetData>"


def _split(sheet: str, name: str) -> tuple[str, str]:
    """A header-only sheet's XML, cut after its header row."""
    if sheet.count(HEADER_END) != 1:
        raise BuildError(f"{XLSX_NAME}: {name} is not the header-only sheet XlsxWriter writes")
    at = sheet.index(HEADER_END) + len("</row>")
    return sheet[:at], sheet[at:]


DIMENSION = re.compile(r'<dimension ref="A1(?::([A-Z]+)1)?"/>')


def _dimension(head: str, last: int) -> str:
    """`head` with the `<dimension ref="A1:X1"/>` XlsxWriter wrote for the header alone (just
    "A1" for a single column) ending at row `last` instead."""
    if last == 1:
        return head
    found = DIMENSION.search(head)
    if found is None:
        raise BuildError(f"{XLSX_NAME}: no header-only dimension in a sheet XlsxWriter wrote")
    letters = found.group(1) or "A"
    return head[: found.start()] + f'<dimension ref="A1:{letters}{last}"/>' + head[found.end() :]
