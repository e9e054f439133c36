"""dist/sinopak.xlsx: one sheet per table with typed cells, and a sheet about the package.

Codes and other text are text cells (with the text number format, so "057" stays "057"), dates
are date cells, integers numbers; the header row is frozen and has a filter. openpyxl writes
the workbook; its bytes are deterministic because the document timestamps are fixed and the
zip is re-packed with fixed entry times, as the release zip is.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from .release import FIXED_TIME

XLSX_NAME = "sinopak.xlsx"
ABOUT_SHEET = "about"
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
# The document's created/modified timestamps: fixed, like the zip entries (no build time).
FIXED_STAMP = dt.datetime(*FIXED_TIME)


def write_workbook(
    path: Path, rows: dict[str, list[dict[str, Any]]], descriptor: dict[str, Any]
) -> None:
    """Write the workbook of every table in `descriptor` (CSV resources) to `path`."""
    from openpyxl import Workbook

    book = Workbook()
    about = book.active
    about.title = ABOUT_SHEET
    tables = [r for r in descriptor["resources"] if r.get("format") == "csv"]
    _about(about, descriptor, tables, rows)
    for res in tables:
        _table(book.create_sheet(res["name"]), res["schema"]["fields"], rows[res["name"]])
    book.properties.creator = "sinopak build"
    book.properties.title = descriptor.get("title")
    path.write_bytes(_deterministic(book))


def _about(
    sheet: Any,
    descriptor: dict[str, Any],
    tables: list[dict[str, Any]],
    rows: dict[str, list[dict[str, Any]]],
) -> None:
    from openpyxl.styles import Font

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
    for line in lines:
        sheet.append(line)
    bold = Font(bold=True)
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet["A"]:
        if cell.value in ("How to read this workbook", "Licences", "sheet"):
            for c in sheet[cell.row]:
                c.font = bold
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["D"].width = 90


def _table(sheet: Any, fields: list[dict[str, Any]], rows: list[dict[str, Any]]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.append([f["name"] for f in fields])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, f in enumerate(fields, start=1):
            value = row[f["name"]]
            cell = sheet.cell(row=r, column=c, value=value)
            if f["type"] == "string":
                cell.number_format = TEXT_FORMAT
                if value is not None:
                    cell.data_type = "s"  # openpyxl would take "=…" for a formula
            elif f["type"] == "date":
                cell.number_format = DATE_FORMAT
    last = get_column_letter(len(fields))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    for c, f in enumerate(fields, start=1):
        longest = max([len(f["name"]), *(len(str(row[f["name"]] or "")) for row in rows)])
        sheet.column_dimensions[get_column_letter(c)].width = min(60, max(8, longest + 2))


def _deterministic(book: Any) -> bytes:
    """The workbook's bytes with fixed timestamps: openpyxl's `save` would stamp the time of
    saving into docProps/core.xml, and zipfile the time of writing into every entry."""
    from openpyxl.writer.excel import ExcelWriter

    book.properties.created = FIXED_STAMP
    book.properties.modified = FIXED_STAMP
    raw = io.BytesIO()
    archive = zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(book, archive).save()  # closes the archive
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        for entry in src.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            dst.writestr(info, src.read(entry), compresslevel=9)
    return out.getvalue()
