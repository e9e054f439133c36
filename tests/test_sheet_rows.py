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
import pyarrow.parquet as pq
import pytest
import xlsxwriter

from sinopak.errors import BuildError
from sinopak.pipeline import sheet_rows
from sinopak.pipeline.spreadsheet import (
    DATE_FORMAT,
    FIXED_STAMP,
    TEXT_FORMAT,
    ParquetTable,
    write_workbook,
)

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
INTEGERS = [0, -1, 7, 2**53 - 1, 2**53, 2**53 + 1, -(2**53) + 1, -(2**53), -(2**63), 2**63 - 1]
FIELDS = [
    {"name": "text", "type": "string"},
    {"name": "day", "type": "date"},
    {"name": "count", "type": "integer"},
    {"name": "flag", "type": "boolean"},
    {"name": "note", "type": "string"},
]
TYPES = {"string": pa.string(), "date": pa.date32(), "integer": pa.int64(), "boolean": pa.bool_()}


def awkward_rows() -> list[dict[str, Any]]:
    rows = []
    for i in range(max(len(TEXTS), len(DATES), len(INTEGERS)) * 3):
        rows.append(
            {
                "text": TEXTS[i % len(TEXTS)],
                "day": DATES[i % len(DATES)] if i % 5 else None,
                "count": INTEGERS[i % len(INTEGERS)] if i % 4 else None,
                "flag": [True, False, None][i % 3],
                "note": TEXTS[(i * 7) % len(TEXTS)] if i % 3 else None,
            }
        )
    rows[10] = dict.fromkeys(rows[10])  # an empty row: not written
    rows.append(dict.fromkeys(rows[0]))  # and two at the end: the dimension stops before
    rows.append(dict.fromkeys(rows[0]))
    return rows


def descriptor(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    resources = [
        {"name": name, "format": "csv", "schema": {"fields": fields}}
        for name, fields in tables.items()
    ]
    return {"name": "t", "title": "T", "version": "1", "resources": resources}


def reference(
    path: Path, tables: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]]
) -> dict[str, bytes]:
    """The workbook's members as XlsxWriter writes them given each cell (the workbook code
    before `sheet_rows`), but for the about sheet, which is not compared."""
    book = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    book.set_properties({"title": "T", "author": "sinopak build", "created": FIXED_STAMP})
    title = book.add_format({"bold": True, "font_size": 14})
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": TEXT_FORMAT})
    date = book.add_format({"num_format": DATE_FORMAT})
    about = book.add_worksheet("about")
    about.write_string(0, 0, "title", title)
    about.write_string(1, 0, "bold", bold)
    for name, (rows, fields) in tables.items():
        sheet = book.add_worksheet(name)
        names = [f["name"] for f in fields]
        longest = [len(n) for n in names]
        for row in rows:
            for c, column in enumerate(names):
                longest[c] = max(longest[c], len(str(row[column] or "")))
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
        return {n: zf.read(n) for n in zf.namelist() if n != "xl/worksheets/sheet1.xml"}


def fast(
    path: Path,
    tables: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]],
    parquet: bool = False,
) -> dict[str, bytes]:
    """The workbook `write_workbook` writes: from the rows, or from Parquet files of them."""
    rows: dict[str, Any] = {name: table[0] for name, table in tables.items()}
    if parquet:
        for name, (table, fields) in tables.items():
            schema = pa.schema([(f["name"], TYPES[f["type"]]) for f in fields])
            file = path.parent / f"{name}.parquet"
            pq.write_table(pa.Table.from_pylist(table, schema=schema), file)
            rows[name] = ParquetTable(file)
    write_workbook(path, rows, descriptor({n: t[1] for n, t in tables.items()}))
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n != "xl/worksheets/sheet1.xml"}


def one(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"things": (rows, FIELDS)}


@pytest.mark.parametrize("parquet", [False, True])
@pytest.mark.parametrize("batch", [1 << 14, 7])  # one batch, and batches that split the rows
def test_rows_are_what_xlsxwriter_writes_cell_by_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int, parquet: bool
) -> None:
    monkeypatch.setattr(ParquetTable, "BATCH", batch)
    rows = awkward_rows()
    expected = reference(tmp_path / "ref.xlsx", one(rows))
    got = fast(tmp_path / "fast.xlsx", one(rows), parquet)
    assert got == expected  # every member but the about sheet: styles, sheets, properties
    # the awkward cases are in it, escaped as Excel reads them back
    text = got["xl/worksheets/sheet2.xml"].decode()
    assert '<c r="A9" s="3" t="inlineStr"><is><t>_x0000_nul' in text
    assert "_x005F_x0041_ escape" in text and "&amp; &lt; &gt; \" '" in text
    assert '<t xml:space="preserve"> leading space</t>' in text
    assert "<v>-9.223372036854776E+18</v>" in text and "<v>9007199254740991</v>" in text
    assert '<row r="12">' not in text and '<row r="13">' in text  # the empty row
    # rows under the header: sheet rows 2 to len + 1; the last two are empty
    assert f'<row r="{len(rows)}">' not in text and f'<row r="{len(rows) - 1}">' in text
    assert f'<dimension ref="A1:E{len(rows) - 1}"/>' in text


NO_DATES = [{"text": "a", "day": None, "count": 1, "flag": None, "note": None}]
DATE_FIRST = [
    {"text": None, "day": dt.date(2020, 1, 1), "count": None, "flag": None, "note": None},
    {"text": "b", "day": None, "count": None, "flag": None, "note": None},
]
TEXT_LAST = [
    {"text": None, "day": None, "count": 1, "flag": None, "note": None},
    {"text": "last", "day": None, "count": None, "flag": None, "note": None},
]
DATE_EARLY = [
    {"text": None, "day": dt.date(2020, 1, 1), "count": 1, "flag": None, "note": None},
    {"text": None, "day": None, "count": 2, "flag": None, "note": None},
]


@pytest.mark.parametrize(
    "tables",
    [
        {"things": ([], FIELDS)},  # no rows: neither format is used
        {"things": (NO_DATES, FIELDS)},  # the date format is not used
        {"things": (DATE_FIRST, FIELDS)},  # a date before any text
        # the first text is in the last row of its sheet, which is written out when the
        # workbook closes: after a date in a later sheet
        {"a": (TEXT_LAST, FIELDS), "b": (DATE_EARLY, FIELDS)},
        {"one": ([{"id": "x"}, {"id": None}, {"id": "z"}], [{"name": "id", "type": "string"}])},
    ],
    ids=["no rows", "no dates", "date first", "text in a last row", "one column"],
)
@pytest.mark.parametrize("parquet", [False, True])
@pytest.mark.parametrize("batch", [1 << 14, 1])  # a sheet's first text or date in a later batch
def test_formats_are_numbered_and_listed_as_xlsxwriter_does(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tables: dict[str, Any],
    batch: int,
    parquet: bool,
) -> None:
    monkeypatch.setattr(ParquetTable, "BATCH", batch)
    expected = reference(tmp_path / "ref.xlsx", tables)
    assert fast(tmp_path / "fast.xlsx", tables, parquet) == expected


def test_text_shaped_like_rich_text_is_escaped_like_any_text(tmp_path: Path) -> None:
    # XlsxWriter would write it unescaped, as markup; the old code wrote it as three runs
    rows = [dict.fromkeys(f["name"] for f in FIELDS) | {"text": "<r>x</r>"}]
    sheet = fast(tmp_path / "fast.xlsx", one(rows))["xl/worksheets/sheet2.xml"].decode()
    assert '<c r="A2" s="3" t="inlineStr"><is><t>&lt;r&gt;x&lt;/r&gt;</t></is></c>' in sheet


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


def test_the_first_text_too_long_in_sheet_order_stops_it_before_writing(tmp_path: Path) -> None:
    rows = [dict.fromkeys(f["name"] for f in FIELDS) for _ in range(3)]
    rows[1]["note"] = "x" * 40_000  # sheet row 3, the last column
    rows[2]["text"] = "y" * 40_000  # sheet row 4, the first column
    with pytest.raises(BuildError, match=r"things, sheet row 3, column note: a text of 40000"):
        fast(tmp_path / "x.xlsx", one(rows))
    assert not (tmp_path / "x.xlsx").exists()


def test_a_column_type_without_a_cell_is_refused(tmp_path: Path) -> None:
    fields = [{"name": "amount", "type": "number"}]
    with pytest.raises(BuildError, match=r"things, column amount: no cell for number"):
        fast(tmp_path / "x.xlsx", {"things": ([{"amount": 1.5}], fields)})
