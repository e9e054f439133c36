"""SQLite: same tables and rows, keys enforced, full-text search, served by Datasette."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

import sinopak

DB = ROOT / "dist" / "sinopak.sqlite"


@pytest.fixture
def con() -> Iterator[sqlite3.Connection]:
    c = sqlite3.connect(f"file:{DB}?mode=ro", uri=True)
    yield c
    c.close()


def test_foreign_key_check_is_clean_and_counts_match(con: sqlite3.Connection) -> None:
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    for name in sinopak.tables():
        (count,) = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
        assert count == len(sinopak.load(name)), name  # type: ignore[call-overload]


def test_values_equal_the_published_rows(con: sqlite3.Connection) -> None:
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("SELECT * FROM events ORDER BY event_id")]
    expected = [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
        for r in sinopak.load("events")
    ]
    assert rows == expected


def test_keys_are_enforced(con: sqlite3.Connection, tmp_path: Path) -> None:
    copy = tmp_path / "db.sqlite"
    copy.write_bytes(DB.read_bytes())
    c = sqlite3.connect(copy)
    c.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"), c:
        c.execute(
            "UPDATE participants SET entity_id = 'ent.nobody' "
            "WHERE participant_id = 'evt.mou-signing/china'"
        )
    with pytest.raises(sqlite3.IntegrityError, match=r"UNIQUE|PRIMARY"), c:
        c.execute("INSERT INTO documents SELECT * FROM documents")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"), c:
        c.execute("UPDATE events SET status = 'imagined' WHERE event_id = 'evt.shaheen-ix'")
    c.close()


def test_a_broken_reference_is_named_not_a_traceback(tmp_path: Path) -> None:
    from sinopak.errors import BuildError
    from sinopak.pipeline.sqlite import dict_values, write_sqlite

    rows = {name: sinopak.load(name) for name in sinopak.tables()}  # type: ignore[call-overload]
    event = next(r for r in rows["events"] if r["event_id"] == "evt.mou-signing")
    event["agreement_id"] = "agr.nope"
    row = rows["events"].index(event) + 1
    with pytest.raises(BuildError) as caught:
        write_sqlite(tmp_path / "db.sqlite", dict_values(rows))
    assert str(caught.value) == (
        "SQLite foreign key check failed:\n"
        f"events.agreement_id (row {row}): expected a key of agreements, found 'agr.nope'"
    )


def test_full_text_search_on_sentences(con: sqlite3.Connection) -> None:
    hits = con.execute(
        "SELECT s.sentence_id FROM sentences_fts f JOIN sentences s ON s.rowid = f.rowid "
        "WHERE sentences_fts MATCH 'Gujarat OR Ladakh' ORDER BY s.sentence_id"
    ).fetchall()
    assert hits == [("d3da3a035377400c.s015",), ("d3da3a035377400c.s020",)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_datasette_serves_tables_with_metadata() -> None:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "datasette",
            "serve",
            "--immutable",
            str(DB),
            "--metadata",
            str(ROOT / "dist" / "sinopak.metadata.json"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        url = base + "/sinopak/events.json?_shape=array&event_id=evt.wei-bajwa-talks"
        data = json.loads(urllib.request.urlopen(url, timeout=5).read())
        assert [(r["event_id"], r["date_start"]) for r in data] == [
            ("evt.wei-bajwa-talks", "2020-11-30")
        ]
        meta = json.loads(urllib.request.urlopen(base + "/-/metadata.json", timeout=5).read())
        assert meta["license"].startswith("CC-BY-4.0")
        table = meta["databases"]["sinopak"]["tables"]["events"]
        assert table["title"] == "Events" and "date_start" in table["columns"]
        search = json.loads(
            urllib.request.urlopen(
                base + "/sinopak/sentences.json?_search=Bholari&_shape=array", timeout=5
            ).read()
        )
        expected = [s["sentence_id"] for s in sinopak.load("sentences") if "Bholari" in s["text"]]
        assert len(expected) == 2  # the seed's s014 and China Military Online's s007
        assert sorted(r["sentence_id"] for r in search) == sorted(expected)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def staged_parquet(folder: Path, rows: dict[str, list[dict[str, Any]]]) -> Path:
    """`rows` as the Parquet files of a staged package in `folder` (what `database_job` reads)."""
    from sinopak.pipeline.export import write_parquet
    from sinopak.schema.tables import TABLES

    (folder / "parquet").mkdir(parents=True)
    for name, table in TABLES.items():
        write_parquet(folder / "parquet" / f"{name}.parquet", table, rows[name])
    return folder


def test_the_database_written_from_parquet_by_a_process_is_the_published_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sinopak.pipeline import background
    from sinopak.pipeline.sqlite import DB_NAME, database_job, dict_values, write_sqlite

    shutil.copytree(ROOT / "dist" / "parquet", tmp_path / "parquet")
    job = background.Background([database_job(tmp_path)])
    args = list(job.process.args)
    job.wait()
    assert (tmp_path / DB_NAME).read_bytes() == DB.read_bytes()
    assert args[:2] == [sys.executable, "-c"]
    assert json.loads(args[4]) == [["sinopak.sqlite", "sinopak.pipeline.sqlite", [str(tmp_path)]]]
    # in process, from the rows as dicts and from Parquet read a few rows at a time: the same
    rows = {name: sinopak.load(name) for name in sinopak.tables()}  # type: ignore[call-overload]
    write_sqlite(tmp_path / "dicts.sqlite", dict_values(rows))
    assert (tmp_path / "dicts.sqlite").read_bytes() == DB.read_bytes()
    monkeypatch.setattr(background.ParquetTable, "BATCH", 7)
    from sinopak.pipeline.sqlite import parquet_values

    write_sqlite(tmp_path / "batches.sqlite", parquet_values(tmp_path))
    assert (tmp_path / "batches.sqlite").read_bytes() == DB.read_bytes()


def test_a_broken_reference_in_the_staged_tables_stops_the_database_process(
    tmp_path: Path,
) -> None:
    from sinopak.errors import BuildError
    from sinopak.pipeline.background import Background
    from sinopak.pipeline.sqlite import database_job

    rows = {name: sinopak.load(name) for name in sinopak.tables()}  # type: ignore[call-overload]
    event = next(r for r in rows["events"] if r["event_id"] == "evt.mou-signing")
    event["agreement_id"] = "agr.nope"
    row = rows["events"].index(event) + 1
    job = Background([database_job(staged_parquet(tmp_path, rows))])
    with pytest.raises(BuildError) as caught:
        job.wait()
    assert str(caught.value) == (
        "SQLite foreign key check failed:\n"
        f"events.agreement_id (row {row}): expected a key of agreements, found 'agr.nope'"
    )


def test_a_database_process_that_cannot_read_a_table_is_a_build_error(tmp_path: Path) -> None:
    from sinopak.errors import BuildError
    from sinopak.pipeline.background import Background
    from sinopak.pipeline.sqlite import database_job

    shutil.copytree(ROOT / "dist" / "parquet", tmp_path / "parquet")
    (tmp_path / "parquet" / "events.parquet").write_bytes(b"not parquet")
    with pytest.raises(BuildError, match=r"^sinopak\.sqlite: ArrowInvalid: .*Parquet"):
        Background([database_job(tmp_path)]).wait()
