"""Hostile packages (issue 14): each class of attack, at least two variants, is refused with
exit 1, a located message, no traceback, within seconds, and nothing read outside the
package or fetched from the network."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import os
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import run
from corrupt import (
    descriptor,
    edit_bytes,
    edit_csv_row,
    rehash,
    rewrite_table,
    rows,
    write_descriptor,
)

Change = Callable[[Path], Any]


def validate_json(*args: str) -> dict[str, Any]:
    result = run("validate", *args, "--format", "json")
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    report: dict[str, Any] = json.loads(result.output)
    assert report["valid"] is False
    for err in report["errors"]:
        assert err["resource"] or err["file"], err
    return report


def has(report: dict[str, Any], **expect: Any) -> bool:
    def ok(e: dict[str, Any]) -> bool:
        return all(
            (v in e.get(k[:-3], "")) if k.endswith("_in") else e.get(k) == v
            for k, v in expect.items()
        )

    return any(ok(e) for e in report["errors"])


def resource(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in data["resources"] if r["name"] == name)


def edit_descriptor(dist: Path, change: Callable[[dict[str, Any]], Any]) -> None:
    data = descriptor(dist)
    change(data)
    write_descriptor(dist, data)


# --------------------------------------------------------------------------- targets


def test_fifo_or_device_as_target_is_refused_unopened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target in (str(fifo), "/dev/zero"):
        report = validate_json(target)
        assert has(report, type="package-error", message_in="expected a regular file"), report
    zip_fifo = tmp_path / "release.zip"
    os.mkfifo(zip_fifo)
    report = validate_json(str(zip_fifo))
    assert has(report, type="package-error", message_in="found a FIFO")


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_non_regular_resource_file_is_refused_unopened(dist: Path, kind: str) -> None:
    path = dist / "csv" / "posts.csv"
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    report = validate_json(str(dist))
    expected = "unsafe-path" if kind == "device" else "missing-file"
    assert has(report, type=expected, resource="posts"), report["errors"][:3]


def test_a_folder_named_like_a_zip_is_validated_as_a_folder(dist: Path) -> None:
    folder = dist.parent / "x.zip"
    dist.rename(folder)
    result = run("validate", str(folder), "--format", "json")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("listed", ["extra", "resource"])
def test_a_huge_sparse_file_is_refused_by_its_size_not_hashed(dist: Path, listed: str) -> None:
    rel = "huge.bin" if listed == "extra" else "csv/posts.csv"
    with (dist / rel).open("wb") as f:
        f.truncate(8 * 1024**3)  # 8 GB, no blocks on disk
    sums = dist / "SHA256SUMS"
    if listed == "extra":
        sums.write_text(sums.read_text() + f"{'0' * 64}  huge.bin\n")
    report = validate_json(str(dist))
    assert has(report, type="file-too-large", file=rel, message_in="found 8589934592")


def test_a_file_listed_again_in_sha256sums_is_hashed_once(
    dist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sinopak.validation import files

    sums = dist / "SHA256SUMS"
    first = sums.read_text().splitlines()[0]
    rel = first.partition("  ")[2]
    sums.write_text(sums.read_text() + "".join(first + "\n" for _ in range(50)))
    digest = first.partition("  ")[0]
    for spelling in ("./{}", "{}/", ".//{}", "./././{}"):  # one file, however it is written
        sums.write_text(
            sums.read_text() + f"{digest}  {spelling.format(first.partition('  ')[2])}\n"
        )
    sums.write_text(sums.read_text() + f"{'0' * 64}  {rel}\n")  # and once with a wrong hash
    hashed: list[Path] = []
    real = files._hash_file
    monkeypatch.setattr(files, "_hash_file", lambda p: hashed.append(p) or real(p))
    report = validate_json(str(dist), "--frictionless", "none")
    assert [p.name for p in hashed].count(Path(rel).name) == 1
    wrong = [e for e in report["errors"] if e["type"] == "checksum-error"]
    assert (
        len(wrong) == 1 and wrong[0]["file"] == rel and "expected sha256 000" in wrong[0]["message"]
    )


def test_sha256sums_problems_come_in_the_order_of_its_lines(
    dist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files are hashed by several threads at once; the problems still follow the lines,
    and a file that cannot be read (removed, or unreadable, since it was listed) is one of
    them, not a traceback."""
    from sinopak.validation import files

    sums = dist / "SHA256SUMS"
    lines = sums.read_text().splitlines(keepends=True)
    assert len(lines) > 20
    wrong = {3, 11, len(lines)}  # 1-based line numbers given a wrong hash
    for n in wrong:
        lines[n - 1] = "0" * 64 + lines[n - 1][64:]
    unreadable = lines[6].partition("  ")[2].strip()  # line 7
    sums.write_text("".join(lines))
    real = files._hash_file

    def hashing(path: Path) -> str:
        if path == dist / unreadable:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(files, "_hash_file", hashing)
    report = validate_json(str(dist), "--frictionless", "none")
    found = [e["message"] for e in report["errors"] if e["type"] == "checksum-error"]
    assert [m.split("SHA256SUMS line ")[1].split(")")[0].split(":")[0] for m in found] == [
        "3",
        "7",
        "11",
        str(len(lines)),
    ]
    assert found[1] == f"SHA256SUMS line 7: cannot read {unreadable!r}: Permission denied"


def test_an_extra_file_over_the_resource_limit_is_hashed(dist: Path) -> None:
    """Only resources are read into memory; a large listed extra (an explorer of a big
    corpus) is hashed, and a wrong hash is still caught."""
    from sinopak.validation.files import MAX_FILE_BYTES

    with (dist / "big.bin").open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse
    sums = dist / "SHA256SUMS"
    sums.write_text(sums.read_text() + f"{'0' * 64}  big.bin\n")
    report = validate_json(str(dist), "--frictionless", "none")
    assert has(report, type="checksum-error", file="big.bin", message_in="expected sha256 000")
    assert not has(report, type="file-too-large")


def test_sha256sums_limit_scales_with_the_files_of_the_package(dist: Path) -> None:
    """A release of many sources needs a SHA256SUMS over 1 MB; it validates. A file larger
    than one longest line per file is refused by its size, not read."""
    from sinopak.validation.files import SUMS_LINE_BYTES, sums_limit

    extra = dist / "extra"
    extra.mkdir()
    lines = []
    for i in range(12_000):
        name = f"extra/{i:05d}-{'x' * 60}.txt"
        (dist / name).write_bytes(b"")
        lines.append(
            f"{'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'}  {name}\n"
        )
    sums = dist / "SHA256SUMS"
    sums.write_text(sums.read_text() + "".join(lines))
    assert sums.stat().st_size > 1_000_000
    result = run("validate", str(dist), "--frictionless", "none")
    assert result.exit_code == 0, result.output[:2000]
    files = sum(len(names) for _, _, names in os.walk(dist))
    assert sums_limit(dist) == files * SUMS_LINE_BYTES
    with sums.open("r+b") as f:
        f.truncate(sums_limit(dist) + 1)  # sparse: nothing written, nothing read
    report = validate_json(str(dist), "--frictionless", "none")
    assert has(
        report,
        type="checksum-error",
        file="SHA256SUMS",
        message_in=f"at most {sums_limit(dist)} bytes",
    )


# --------------------------------------------------------------------------- JSON limits


@pytest.mark.parametrize("where", ["descriptor", "table"])
def test_deeply_nested_json_is_refused(dist: Path, where: str) -> None:
    bomb = "[" * 200_000 + "]" * 200_000
    if where == "descriptor":
        (dist / "datapackage.json").write_text(bomb)
        report = validate_json(str(dist))
        assert has(report, type="package-error", message_in="nested more than 64 levels")
    else:
        (dist / "json" / "posts.json").write_text(bomb)
        rehash(dist)
        start = time.monotonic()
        report = validate_json(str(dist))  # frictionless is not given the bomb
        assert has(report, type="cell-error", resource="posts-json", message_in="nested more")
        assert not has(report, type="frictionless-error")
        assert time.monotonic() - start < 30


@pytest.mark.parametrize("where", ["descriptor", "table"])
def test_duplicate_json_keys_are_refused(dist: Path, where: str) -> None:
    if where == "descriptor":
        raw = (dist / "datapackage.json").read_text()
        (dist / "datapackage.json").write_text(raw.replace('{\n  "', '{\n  "name": "x",\n  "', 1))
        report = validate_json(str(dist))
        assert has(report, type="package-error", message_in="key 'name' appears twice")
    else:
        edit_bytes(dist, "json/posts.json", b'{"post_id":', b'{"rank":"x","post_id":')
        report = validate_json(str(dist), "--frictionless", "csv")
        assert has(report, type="cell-error", resource="posts-json", message_in="'rank' appears")


# --------------------------------------------------------------------------- descriptor


@pytest.mark.parametrize("other", ["posts-json", "source-d3da3a035377400c"])
def test_duplicate_resource_names_are_refused(dist: Path, other: str) -> None:
    edit_descriptor(dist, lambda d: resource(d, other).update(name="posts"))
    report = validate_json(str(dist))
    assert has(
        report, type="descriptor-error", resource="posts", message_in="unique resource names"
    )


@pytest.mark.parametrize("name", [None, 7])
def test_resource_without_a_string_name_is_located(dist: Path, name: Any) -> None:
    def change(d: dict[str, Any]) -> None:
        if name is None:
            d["resources"][3].pop("name")
        else:
            d["resources"][3]["name"] = name

    edit_descriptor(dist, change)
    report = validate_json(str(dist))
    assert has(report, type="descriptor-error", resource="#3", message_in="resource name")


@pytest.mark.parametrize(
    "path", ["csv/\ud800.csv", "csv/posts.csv\n::warning file=x::forged", "csv/\x1b[2Jx.csv"]
)
def test_unprintable_paths_are_unsafe_and_reported_escaped(dist: Path, path: str) -> None:
    data = descriptor(dist)
    resource(data, "posts")["path"] = path
    (dist / "datapackage.json").write_text(json.dumps(data, indent=2))  # \ud800 as an escape
    report = validate_json(str(dist))
    assert has(report, type="unsafe-path", resource="posts")
    github = run("validate", str(dist), "--format", "github").output
    assert all(line.startswith("::error ") for line in github.splitlines()), github
    text = run("validate", str(dist)).output
    assert "\x1b" not in text and "\n::warning" not in text


def test_byte_count_as_a_string_says_so(dist: Path) -> None:
    edit_descriptor(
        dist, lambda d: resource(d, "posts").update(bytes=str(resource(d, "posts")["bytes"]))
    )
    report = validate_json(str(dist), "--frictionless", "none")
    assert has(report, type="byte-count", resource="posts", message_in="expected a whole number")


# --------------------------------------------------------------------------- outside the package


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A server on 127.0.0.1 that records every request (none may arrive)."""
    hits: list[str] = []

    class Record(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            hits.append(self.path)
            body = json.dumps({"fields": [{"name": "x", "type": "string"}]}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Record)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", hits
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("key", ["schema", "dialect"])
def test_a_local_package_makes_no_request(
    dist: Path, listener: tuple[str, list[str]], key: str
) -> None:
    url, hits = listener
    edit_descriptor(dist, lambda d: resource(d, "source-d3da3a035377400c").update({key: url + key}))
    report = validate_json(str(dist))
    assert has(report, type="unsafe-path", resource="source-d3da3a035377400c", field=key)
    assert hits == []


def test_a_profile_url_is_not_fetched(dist: Path, listener: tuple[str, list[str]]) -> None:
    url, hits = listener
    edit_descriptor(dist, lambda d: d.update({"$schema": url + "profile.json"}))
    result = run("validate", str(dist), "--format", "json")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert hits == []


@pytest.mark.parametrize("key", ["schema", "path"])
def test_symlinks_out_of_the_package_are_refused(dist: Path, tmp_path: Path, key: str) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"fields": [{"name": "TOP-SECRET", "type": "string"}]}')
    (dist / "link.json").symlink_to(secret)
    if key == "schema":
        edit_descriptor(dist, lambda d: resource(d, "posts").update(schema="link.json"))
    else:
        edit_descriptor(dist, lambda d: resource(d, "posts").update(path="link.json"))
    result = run("validate", str(dist), "--format", "json")
    assert result.exit_code == 1 and "TOP-SECRET" not in result.output
    report = json.loads(result.output)
    assert has(report, type="unsafe-path", resource="posts")


@pytest.mark.parametrize("target", ["outside", "inside"])
def test_sha256sums_is_never_read_through_a_link(dist: Path, tmp_path: Path, target: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET  csv/posts.csv\n")
    (dist / "SHA256SUMS").unlink()
    source = secret if target == "outside" else dist / "csv" / "posts.csv"
    (dist / "SHA256SUMS").symlink_to(source)
    report = validate_json(str(dist))
    assert has(report, type="checksum-error", file="SHA256SUMS", message_in="a symbolic link")
    assert "TOP-SECRET" not in json.dumps(report)


def test_non_utf8_sha256sums_is_located(dist: Path) -> None:
    (dist / "SHA256SUMS").write_bytes(b"\xff\xfe" + (dist / "SHA256SUMS").read_bytes())
    report = validate_json(str(dist))
    assert has(report, type="checksum-error", file="SHA256SUMS", message_in="expected UTF-8")


# --------------------------------------------------------------------------- zips


def _zip(path: Path, entries: list[tuple[str, bytes]], **kw: Any) -> Path:
    with zipfile.ZipFile(path, "w", **kw) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return path


def _patch(path: Path, change: Callable[[bytearray], None]) -> Path:
    data = bytearray(path.read_bytes())
    change(data)
    path.write_bytes(bytes(data))
    return path


def _bad_crc(tmp: Path) -> Path:
    path = _zip(tmp / "r.zip", [("a.txt", b"hello world")])
    return _patch(path, lambda d: d.__setitem__(d.index(b"hello"), ord("j")))


def _encrypted(tmp: Path) -> Path:
    path = _zip(tmp / "r.zip", [("a.txt", b"hello")])
    # set the "encrypted" flag bit in the local and central headers
    return _patch(path, lambda d: [d.__setitem__(i + o, d[i + o] | 1) for i, o in _flag_offsets(d)])


def _flag_offsets(d: bytearray) -> list[tuple[int, int]]:
    out = []
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = d.find(sig)
        out.append((i, offset))
    return out


def _deflate64(tmp: Path) -> Path:
    path = _zip(tmp / "r.zip", [("a.txt", b"hello")], compression=zipfile.ZIP_DEFLATED)

    def change(d: bytearray) -> None:
        for sig, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
            i = d.find(sig)
            d[i + offset] = 9  # method 9: deflate64

    return _patch(path, change)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda t: _zip(t / "r.zip", [("a.txt", b"1"), ("a.txt", b"2")]), "appears twice"),
        (lambda t: _zip(t / "r.zip", [("a", b"1"), ("a/b.txt", b"2")]), "names clash"),
        (_bad_crc, "corrupt zip entry"),
        (_encrypted, "encrypted"),
        (_deflate64, "compression method 9"),
    ],
    ids=["same-name", "file-and-folder", "bad-crc", "encrypted", "deflate64"],
)
def test_broken_zips_are_located_errors(
    tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name it writes
        archive = make(tmp_path)
    report = validate_json(str(archive))
    assert has(report, type="package-error", file="r.zip", message_in=message), report


# --------------------------------------------------------------------------- canonical values


@pytest.mark.parametrize("text", [" 156", "+156", "1_56", "١٥٦", "156 "])
def test_csv_integers_are_canonical(dist: Path, text: str) -> None:
    talks = next(r for r in rows(dist, "events") if r["event_id"] == "evt.wei-bajwa-talks")
    assert talks["quote_start"] == 156, talks  # the spelling of 156 is what `text` varies
    span = f",{talks['quote_start']},{talks['quote_end']},"
    new = f",{text},{talks['quote_end']},"
    row = edit_csv_row(dist, "events", talks["event_id"], span.encode(), new.encode())
    report = validate_json(str(dist), "--frictionless", "none")
    assert has(report, type="cell-error", resource="events", row=row, field="quote_start")


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("date", ["2020-W50-1", "20201207", "2020-12-07T00:00"])
def test_dates_are_yyyy_mm_dd_in_every_format(dist: Path, fmt: str, date: str) -> None:
    # the event dated Monday 2020-12-07 (the deployment), whichever row it is in
    event = next(r for r in rows(dist, "events") if r["date_start"] == dt.date(2020, 12, 7))
    start, end = event["date_start"].isoformat(), event["date_end"].isoformat()
    if fmt == "json":
        edit_bytes(
            dist,
            "json/events.json",
            f'"date_start":"{start}"'.encode(),
            f'"date_start":"{date}"'.encode(),
        )
        row = None  # JSON errors are located by record, not by a CSV row number
    else:
        old, new = f",{start},{end},".encode(), f",{date},{end},".encode()
        row = edit_csv_row(dist, "events", event["event_id"], old, new)
    report = validate_json(str(dist), "--frictionless", "csv")
    assert has(
        report,
        type="cell-error",
        resource="events" if fmt == "csv" else "events-json",
        field="date_start",
        **({"row": row} if row is not None else {}),
    )


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\u202e", "\x85"])
def test_curated_text_has_no_control_or_bidi_characters(dist: Path, char: str) -> None:
    def change(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for r in rows:
            if r["event_id"] == "evt.shaheen-ix":
                r["label"] = f"Shaheen{char}IX"
        return rows

    rewrite_table(dist, "events", change)  # every format, hashes consistent
    report = validate_json(str(dist), "--frictionless", "none")
    assert has(
        report,
        type="constraint-error",
        resource="events",
        field="label",
        message_in=f"U+{ord(char):04X}",
    )


@pytest.mark.parametrize("char", ["\x1b", "\u202e"])
def test_source_text_has_no_control_or_bidi_characters(dist: Path, char: str) -> None:
    from corrupt import rows

    # insert at the end (after every quoted span), keeping offsets, and update the hash everywhere
    path = dist / "sources" / "000_d3da3a035377400c.txt"
    text = path.read_text() + char
    path.write_text(text)
    import hashlib

    digest = hashlib.sha256(text.encode()).hexdigest()
    rewrite_table(
        dist, "documents", lambda rs: [dict(r, sha256=digest, char_count=len(text)) for r in rs]
    )
    assert rows(dist, "documents")[0]["sha256"] == digest
    report = validate_json(str(dist), "--frictionless", "none")
    assert has(
        report,
        type="encoding-error",
        resource="source-d3da3a035377400c",
        message_in=f"U+{ord(char):04X}",
    )


def test_csv_field_size_is_bounded(dist: Path) -> None:
    edit_bytes(dist, "csv/posts.csv", b"Defence Minister", b"D" * 200_000)
    report = validate_json(str(dist), "--frictionless", "none")
    assert has(report, type="format-error", resource="posts", message_in="field limit")


# --------------------------------------------------------------------------- Parquet bombs


def _bomb(dist: Path, rows: int, *, dictionary: bool = True) -> None:
    """events.parquet replaced by `rows` copies of one row (small once compressed)."""
    t = pq.ParquetFile(dist / "parquet" / "events.parquet").read()
    pq.write_table(
        t.take(pa.array([0] * rows)),
        dist / "parquet" / "events.parquet",
        compression="zstd",
        use_dictionary=dictionary,
    )
    rehash(dist)


@pytest.mark.parametrize(
    ("limit", "value", "message"),
    [("MAX_PARQUET_CELLS", 100_000, "cells"), ("MAX_PARQUET_BYTES", 1_000_000, "uncompressed")],
)
def test_parquet_footer_is_checked_before_reading(
    dist: Path, monkeypatch: pytest.MonkeyPatch, limit: str, value: int, message: str
) -> None:
    from sinopak.validation import tables, validate

    _bomb(dist, 20_000, dictionary=False)
    assert (dist / "parquet" / "events.parquet").stat().st_size < 200_000
    monkeypatch.setattr(tables, limit, value)
    read: list[int] = []
    original = tables._read_bounded

    def spy(parquet: Any) -> Any:
        read.append(parquet.metadata.num_rows)
        return original(parquet)

    monkeypatch.setattr(tables, "_read_bounded", spy)
    report = validate(dist, frictionless="none")
    found = [p for p in report.problems if p.type == "file-too-large"]
    assert found and found[0].resource == "events-parquet" and message in found[0].message
    assert read and 20_000 not in read  # the other tables were read, the bomb never


def test_parquet_that_expands_past_its_footer_is_stopped(
    dist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sinopak.validation import tables, validate

    _bomb(dist, 20_000)  # dictionary-encoded: the footer's uncompressed size stays small
    monkeypatch.setattr(tables, "MAX_PARQUET_BYTES", 1_000_000)
    monkeypatch.setattr(tables, "PARQUET_BATCH_ROWS", 1_000)
    meta = pq.ParquetFile(dist / "parquet" / "events.parquet").metadata
    assert tables.parquet_too_large(meta) is None
    report = validate(dist, frictionless="none")
    assert any(
        p.type == "format-error" and p.resource == "events-parquet" and "expands past" in p.message
        for p in report.problems
    )


def test_frictionless_workers_run_without_network(
    dist: Path, listener: tuple[str, list[str]]
) -> None:
    """The backstop behind the descriptor checks: even a reference they let through cannot
    make frictionless (in its worker) send a request."""
    from sinopak.validation.frictionless_worker import validate_resource
    from sinopak.validation.references import validate_offline

    url, hits = listener
    edit_descriptor(dist, lambda d: resource(d, "posts").update(schema=url + "schema.json"))
    problems = validate_offline(str(dist / "datapackage.json"), "posts")
    assert hits == []
    assert any(p["type"] == "network-refused" and "127.0.0.1" in p["message"] for p in problems)
    validate_resource(str(dist / "datapackage.json"), "posts")  # unguarded, it would fetch
    assert hits == ["/schema.json"]


def test_github_annotations_escape_properties_and_data() -> None:
    from sinopak.validation.report import Problem

    forged = "x.csv\n::warning file=evil.py::forged"
    p = Problem("unsafe-path", "100% bad\r\n::error::more", resource="r", file=forged, row=3)
    line = p.github()
    assert "\n" not in line and "\r" not in line
    assert line.startswith("::error file=x.csv\\n%3A%3Awarning file=evil.py%3A%3Aforged,")
    assert "100%25 bad" in line and "title=unsafe-path::" in line
    assert Problem("t", "m", file="a,b:c%").github().startswith("::error file=a%2Cb%3Ac%25,")
    assert "\x1b" not in Problem("t", "\x1b[2J\u202egone", file="f").render()
