"""The workbook's data rows, made with Arrow compute (`sheet_rows`), are byte for byte what
XlsxWriter writes when it is given every cell itself (the reference below is the workbook code
before `sheet_rows`), for awkward values of every cell type."""

from __future__ import annotations

import datetime as dt
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
import xlsxwriter

from sinopak.errors import BuildError
from sinopak.pipeline import sheet_rows
from sinopak.pipeline.spreadsheet import DATE_FORMAT, TEXT_FORMAT, write_workbook

TEXTS = [
    "plain",
    "",
    " leading space",
    "trailing space ",
    "\ttab first",
    "line\nbreak",
    "carriage return last\r",
    "\x00nul and unit separator\x1f",
    "\x1cfile separator first",
    "a literal _x0041_ escape",
    "_x00ff_x0041_ overlapping",
    "_x004g_ not an escape",
    "& < > \" ' entities",
    "non-characters \ufffe\uffff",
    "\u3000ideographic space",
    "no-break space\xa0",
    "next line\x85",
    "emoji \U0001f600 astral",
    "=HYPERLINK(1)",
    "é ü ß 中文",
]
DATES = [
    dt.date(1, 1, 1),
    dt.date(1899, 12, 30),
    dt.date(1899, 12, 31),
    dt.date(1900, 1, 1),
    dt.date(1900, 2, 28),
    dt.date(1900, 3, 1),
    dt.date(2020, 12, 11),
    dt.date(9999, 12, 31),
]
INTEGERS = [0, -1, 7, 2**53 - 1, 2**53, 2**53 + 1, -(10**17), 10**16]
NUMBERS = [0.0, -0.0, 0.5, 1 / 3, 1e20, -2.5e-7]
FIELDS = [
    {"name": "text", "type": "string"},
    {"name": "day", "type": "date"},
    {"name": "count", "type": "integer"},
    {"name": "flag", "type": "boolean"},
    {"name": "amount", "type": "number"},
    {"name": "note", "type": "string"},
]


def awkward_rows() -> list[dict[str, Any]]:
    rows = []
    for i in range(max(len(TEXTS), len(DATES), len(INTEGERS)) * 3):
        rows.append(
            {
                "text": TEXTS[i % len(TEXTS)],
                "day": DATES[i % len(DATES)] if i % 5 else None,
                "count": INTEGERS[i % len(INTEGERS)] if i % 4 else None,
                "flag": [True, False, None][i % 3],
                "amount": NUMBERS[i % len(NUMBERS)] if i % 2 else None,
                "note": TEXTS[(i * 7) % len(TEXTS)] if i % 3 else None,
            }
        )
    rows[10] = dict.fromkeys(rows[10])  # an empty row: not written
    rows.append(dict.fromkeys(rows[0]))  # and two at the end: the dimension stops before
    rows.append(dict.fromkeys(rows[0]))
    return rows


def descriptor(fields: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": "t",
        "title": "T",
        "version": "1",
        "resources": [{"name": "things", "format": "csv", "schema": {"fields": fields}}],
    }


def reference_sheet(path: Path, rows: list[dict[str, Any]], fields: list[dict[str, Any]]) -> bytes:
    """The table's sheet as XlsxWriter writes it given each cell (formats first used in the
    order the workbook uses them: title and bold on the about sheet, then text, then date)."""
    book = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    title = book.add_format({"bold": True, "font_size": 14})
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": TEXT_FORMAT})
    date = book.add_format({"num_format": DATE_FORMAT})
    about = book.add_worksheet("about")
    about.write_string(0, 0, "title", title)
    about.write_string(1, 0, "bold", bold)
    sheet = book.add_worksheet("things")
    names = [f["name"] for f in fields]
    longest = [len(n) for n in names]
    for row in rows:
        for c, name in enumerate(names):
            longest[c] = max(longest[c], len(str(row[name] or "")))
    for c, width in enumerate(longest):
        sheet.set_column(c, c, min(60, max(8, width + 2)))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(fields) - 1)
    sheet.write_row(0, 0, names, bold)
    for r, row in enumerate(rows, start=1):
        for c, f in enumerate(fields):
            value = row[f["name"]]
            if value is None:
                continue
            if f["type"] == "string":
                assert sheet.write_string(r, c, value, text) == 0
            elif f["type"] == "date":
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
            elif f["type"] == "boolean":
                sheet.write_boolean(r, c, value)
            else:
                sheet.write_number(r, c, value)
    book.close()
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/worksheets/sheet2.xml")


def fast_sheet(path: Path, rows: list[dict[str, Any]], fields: list[dict[str, Any]]) -> bytes:
    write_workbook(path, {"things": rows}, descriptor(fields))
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/worksheets/sheet2.xml")


@pytest.mark.parametrize("batch", [1 << 16, 7])  # one batch, and batches that split the rows
def test_rows_are_what_xlsxwriter_writes_cell_by_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    from sinopak.pipeline import spreadsheet

    monkeypatch.setattr(spreadsheet.ParquetTable, "BATCH", batch)
    rows = awkward_rows()
    expected = reference_sheet(tmp_path / "ref.xlsx", rows, FIELDS)
    got = fast_sheet(tmp_path / "fast.xlsx", rows, FIELDS)
    assert got == expected
    # the awkward cases are in it, escaped as Excel reads them back
    text = got.decode()
    assert '<c r="A9" s="3" t="inlineStr"><is><t>_x0000_nul' in text
    assert "_x005F_x0041_ escape" in text and "&amp; &lt; &gt; \" '" in text
    assert '<t xml:space="preserve"> leading space</t>' in text
    assert '<row r="12">' not in text and '<row r="13">' in text  # the empty row
    # rows under the header: sheet rows 2 to len + 1; the last two are empty
    assert f'<row r="{len(rows)}">' not in text and f'<row r="{len(rows) - 1}">' in text
    assert f'<dimension ref="A1:F{len(rows) - 1}"/>' in text


def test_a_table_without_rows_keeps_its_header(tmp_path: Path) -> None:
    assert fast_sheet(tmp_path / "fast.xlsx", [], FIELDS) == reference_sheet(
        tmp_path / "ref.xlsx", [], FIELDS
    )


def test_the_whitespace_class_is_pythons() -> None:
    """XlsxWriter preserves leading and trailing whitespace as Python's `\\s` sees it."""
    python = [chr(c) for c in range(sys.maxunicode + 1) if re.match(r"\s", chr(c))]
    texts = pa.array([c + "x" for c in python] + ["x" + c for c in python])
    import pyarrow.compute as pc

    pattern = f"^{sheet_rows.WHITESPACE}|{sheet_rows.WHITESPACE}$"
    assert pc.all(pc.match_substring_regex(texts, pattern)).as_py()
    others = [chr(c) for c in range(0x3100) if chr(c) not in python and not 0xD800 <= c < 0xE000]
    none = pc.match_substring_regex(pa.array([c + "x" for c in others]), pattern)
    assert not pc.any(none).as_py()


def test_a_number_a_cell_cannot_hold_names_where(tmp_path: Path) -> None:
    rows = [dict.fromkeys(f["name"] for f in FIELDS) for _ in range(3)]
    rows[2]["amount"] = float("nan")
    with pytest.raises(BuildError, match=r"things, sheet row 4, column amount: nan is not"):
        fast_sheet(tmp_path / "x.xlsx", rows, FIELDS)
