"""dist/sinopak.xlsx: typed cells read back with openpyxl and with LibreOffice, equal to the
Parquet values; frozen, filtered headers; deterministic bytes."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow.parquet as pq
import pytest
from conftest import ROOT
from openpyxl.utils import get_column_letter

import sinopak
from sinopak.errors import BuildError
from sinopak.pipeline import spreadsheet
from sinopak.pipeline.background import Background
from sinopak.pipeline.export import write_parquet
from sinopak.pipeline.spreadsheet import (
    ABOUT_SHEET,
    XLSX_NAME,
    ParquetRows,
    workbook_job,
    write_workbook,
)
from sinopak.schema.tables import TABLES

XLSX = ROOT / "dist" / XLSX_NAME


def fields(table: str) -> list[dict[str, Any]]:
    res = next(r for r in sinopak.datapackage()["resources"] if r["name"] == table)
    return list(res["schema"]["fields"])


def parquet_rows(table: str) -> list[dict[str, Any]]:
    return pq.ParquetFile(ROOT / "dist" / "parquet" / f"{table}.parquet").read().to_pylist()


def staged(folder: Path, rows: dict[str, list[dict[str, Any]]]) -> Path:
    """`rows` as the Parquet files of a package in `folder`, with the published descriptor
    (what `workbook_job` reads)."""
    (folder / "parquet").mkdir(parents=True)
    (folder / "datapackage.json").write_text(json.dumps(sinopak.datapackage()), encoding="utf-8")
    for name, table in TABLES.items():
        write_parquet(folder / "parquet" / f"{name}.parquet", table, rows[name])
    return folder


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    return openpyxl.load_workbook(XLSX)


def test_one_sheet_per_table_after_the_about_sheet(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == [ABOUT_SHEET, *sinopak.tables()]
    about = [c for row in book[ABOUT_SHEET].iter_rows(values_only=True) for c in row if c]
    assert about[0] == sinopak.datapackage()["title"]
    for table in sinopak.tables():  # each table listed with its row count
        listed = (r for r in book[ABOUT_SHEET].iter_rows(values_only=True) if r[0] == table)
        assert list(next(listed)[:2]) == [table, len(parquet_rows(table))]
    assert any("remain their publishers'" in str(c) for c in about)


@pytest.mark.parametrize("table", sinopak.tables())
def test_cells_are_typed_and_equal_the_parquet_values(book: openpyxl.Workbook, table: str) -> None:
    sheet = book[table]
    cols = fields(table)
    expected = parquet_rows(table)
    header, *body = list(sheet.iter_rows())
    assert [c.value for c in header] == [f["name"] for f in cols]
    assert all(c.font.b for c in header)
    assert len(body) == len(expected)
    for cells, row in zip(body, expected, strict=True):
        for cell, f in zip(cells, cols, strict=True):
            value = row[f["name"]]
            if value is None:
                assert cell.value is None, (table, f["name"], cell.value)
            elif f["type"] == "string":
                assert (cell.data_type, cell.number_format, cell.value) == ("s", "@", value)
            elif f["type"] == "date":
                assert cell.is_date and cell.number_format == "yyyy-mm-dd"
                assert cell.value == dt.datetime.combine(value, dt.time())
            else:
                assert f["type"] == "integer"
                assert (cell.data_type, cell.value) == ("n", value) and type(cell.value) is int
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(cols))}{len(expected) + 1}"


def test_codes_stay_text(book: openpyxl.Workbook) -> None:
    sheet = book["events"]
    col = [c.value for c in sheet[1]].index("cameo_code")
    codes = {row[col].value for row in sheet.iter_rows(min_row=2)}
    assert "057" in codes


def test_bytes_are_deterministic_and_come_from_the_published_rows(tmp_path: Path) -> None:
    rows = {t: sinopak.load(t) for t in sinopak.tables()}  # type: ignore[call-overload]
    for name in ("a.xlsx", "b.xlsx"):
        write_workbook(tmp_path / name, rows, sinopak.datapackage())
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert (tmp_path / "a.xlsx").read_bytes() == XLSX.read_bytes()
    with zipfile.ZipFile(XLSX) as zf:
        core = zf.read("docProps/core.xml").decode()
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert core.count("1980-01-01T00:00:00Z") == 2  # created and modified


def test_a_formula_like_text_stays_text(tmp_path: Path) -> None:
    rows = {t: sinopak.load(t) for t in sinopak.tables()}  # type: ignore[call-overload]
    rows["events"][0]["label"] = '=HYPERLINK("http://example.invalid")'
    write_workbook(tmp_path / "x.xlsx", rows, sinopak.datapackage())
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx")["events"]
    col = [c.value for c in sheet[1]].index("label") + 1
    cell = sheet.cell(row=2, column=col)
    assert (cell.data_type, cell.value) == ("s", '=HYPERLINK("http://example.invalid")')


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (.ci/run installs it)")
def test_libreoffice_reads_every_sheet_with_the_published_values(tmp_path: Path) -> None:
    """LibreOffice headless converts each sheet to CSV: text stays text ("057"), dates are
    shown as yyyy-mm-dd, integers as integers."""
    assert SOFFICE is not None
    # CSV filter options: comma, double quote, UTF-8, from row 1, ..., sheet -1 = every sheet
    options = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    profile = tmp_path / "profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            options,
            "--outdir",
            str(tmp_path),
            str(XLSX),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for table in sinopak.tables():
        out = tmp_path / f"{XLSX.stem}-{table}.csv"
        with out.open(encoding="utf-8", newline="") as fh:
            header, *body = list(csv.reader(fh))
        names = [f["name"] for f in fields(table)]
        assert header == names
        expected = [
            [
                "" if v is None else v.isoformat() if isinstance(v, dt.date) else str(v)
                for v in r.values()
            ]
            for r in parquet_rows(table)
        ]
        assert body == expected, table


def test_a_text_longer_than_a_cell_stops_the_build_naming_where(tmp_path: Path) -> None:
    rows = {t: sinopak.load(t) for t in sinopak.tables()}  # type: ignore[call-overload]
    rows["events"][1]["label"] = "x" * 40_000
    job = Background([workbook_job(tmp_path / "x.xlsx", staged(tmp_path / "pkg", rows))])
    with pytest.raises(
        BuildError, match=r"events, sheet row 3, column label: a text of 40000 UTF-16 units"
    ):
        job.wait()


def test_a_killed_workbook_process_is_a_build_error(tmp_path: Path) -> None:
    # every table a named pipe nobody writes to: the process blocks reading the first one
    staged(tmp_path, {t: [] for t in sinopak.tables()})
    for table in sinopak.tables():
        (tmp_path / "parquet" / f"{table}.parquet").unlink()
        os.mkfifo(tmp_path / "parquet" / f"{table}.parquet")
    job = Background([workbook_job(tmp_path / "x.xlsx", tmp_path)])
    os.kill(job.process.pid, signal.SIGKILL)
    with pytest.raises(BuildError, match=r"the process writing it stopped \(exit code -9\)"):
        job.wait()
    assert not (tmp_path / "x.xlsx").exists()


def test_the_background_workbook_is_the_one_written_in_process(tmp_path: Path) -> None:
    # the process reads the published Parquet files; in process, the build's rows
    job = Background([workbook_job(tmp_path / "a.xlsx", ROOT / "dist")])
    args = list(job.process.args)
    job.wait()
    assert (tmp_path / "a.xlsx").read_bytes() == XLSX.read_bytes()
    # a fresh interpreter: neither a fork of the build (it would share, then copy, the
    # build's memory) nor a fork server's child (it would run the caller's script again)
    assert args[:2] == [sys.executable, "-c"]
    assert "from sinopak.pipeline.background import run_jobs" in args[2]
    assert json.loads(args[3]) == sys.path  # it imports what the build imports
    assert json.loads(args[4]) == [
        [
            "sinopak.xlsx",
            "sinopak.pipeline.spreadsheet",
            [str(tmp_path / "a.xlsx"), str(ROOT / "dist"), "", ""],
        ]
    ]


def test_a_script_without_a_main_guard_writes_the_workbook_once(tmp_path: Path) -> None:
    script = tmp_path / "unguarded.py"
    script.write_text(
        "from pathlib import Path\n"
        "from sinopak.pipeline.background import Background\n"
        "from sinopak.pipeline.spreadsheet import workbook_job\n"
        f"job = workbook_job(Path({str(tmp_path / 'a.xlsx')!r}), Path({str(ROOT / 'dist')!r}))\n"
        "Background([job]).wait()\n"
        "print('written')\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert (done.returncode, done.stdout) == (0, "written\n"), done.stderr
    assert (tmp_path / "a.xlsx").read_bytes() == XLSX.read_bytes()


def test_a_workbook_process_that_cannot_start_is_a_build_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))
    with pytest.raises(BuildError, match=r"sinopak\.xlsx: cannot start the process writing it"):
        Background([workbook_job(tmp_path / "a.xlsx", ROOT / "dist")])


def test_parquet_rows_are_the_published_rows_read_in_batches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(spreadsheet.ParquetTable, "BATCH", 7)  # several batches per table
    rows = ParquetRows(ROOT / "dist")
    assert list(rows) == sorted(sinopak.tables())

    def read(table: str) -> list[dict[str, Any]]:
        return [row for batch in rows[table].batches() for row in batch.to_pylist()]

    for table in sinopak.tables():
        assert len(rows[table]) == len(parquet_rows(table)) > 0
        assert read(table) == read(table) == parquet_rows(table)
    first = read("events")[0]
    assert first == sinopak.load("events")[0] and isinstance(first["date_end"], dt.date)


def test_astral_text_is_measured_in_utf16_units(tmp_path: Path) -> None:
    rows = {t: sinopak.load(t) for t in sinopak.tables()}  # type: ignore[call-overload]
    rows["events"][0]["label"] = "\U00020000" * 20_000  # 20,000 characters, 40,000 units
    with pytest.raises(BuildError, match=r"row 2, column label: a text of 40000 UTF-16 units"):
        write_workbook(tmp_path / "x.xlsx", rows, sinopak.datapackage())


@pytest.mark.parametrize(
    "text",
    [
        "<r>&</r>",
        '<r></r></is></c><c r="B2"><f>1+1</f></c><c><is><r></r>',
        "<r><t>bold?</t></r>",
    ],
)
def test_text_shaped_like_rich_text_xml_is_written_as_plain_text(tmp_path: Path, text: str) -> None:
    rows = {t: sinopak.load(t) for t in sinopak.tables()}  # type: ignore[call-overload]
    rows["events"][0]["label"] = text
    write_workbook(tmp_path / "x.xlsx", rows, sinopak.datapackage())
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx")["events"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header.index("label") + 1).value == text
    assert [c.value for c in sheet[2]][: header.index("label")] == [
        c.value for c in openpyxl.load_workbook(XLSX)["events"][2]
    ][: header.index("label")]
    assert sheet.max_column == len(header)  # no cell of its own added
