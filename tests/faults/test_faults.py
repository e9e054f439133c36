"""The fault corpus: each corruption of the published package is caught and located.

Every case copies dist/, breaks it one way, runs `sinopak validate --format json`, and expects
exit 1 with an error of the stated type that names the resource or file, and the row and field
where that applies. Most content faults are applied consistently (all three formats rewritten,
hashes recomputed), so that the check that catches them is the content check, not the hash.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, run
from corrupt import (
    csv_row,
    descriptor,
    edit_bytes,
    edit_csv_row,
    rehash,
    rewrite_table,
    rows,
    write_descriptor,
)

import sinopak

# The events row corrupted by csv-wrong-type, found in the published data, not by position.
TALKS = next(r for r in rows(ROOT / "dist", "events") if r["event_id"] == "evt.wei-bajwa-talks")
TALKS_ROW = csv_row(ROOT / "dist", "events", "event_id", TALKS["event_id"])
TALKS_SPAN = f",{TALKS['quote_start']},{TALKS['quote_end']},"
TALKS_SPAN_1X6 = f",1x{TALKS['quote_start']},{TALKS['quote_end']},"
POSTS = len(rows(ROOT / "dist", "posts"))


def talks_quote_start_1x6(dist: Path) -> None:
    edit_csv_row(dist, "events", TALKS["event_id"], TALKS_SPAN.encode(), TALKS_SPAN_1X6.encode())


Expect = dict[str, Any]


def set_cell(
    table: str,
    key: str,
    column: str,
    value: Any,
    formats: tuple[str, ...] = ("csv", "json", "parquet"),
) -> Callable[[Path], None]:
    def apply(dist: Path) -> None:
        pk = json.loads((ROOT / "schema" / f"{table}.json").read_text())["primaryKey"][0]

        def change(rs: list[dict[str, Any]]) -> list[dict[str, Any]]:
            for r in rs:
                if r[pk] == key:
                    r[column] = value
            return rs

        rewrite_table(dist, table, change, formats)

    return apply


def csv_text(rel: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda dist: edit_bytes(dist, rel, old.encode(), new.encode())


def json_edit(table: str, change: Callable[[list[dict[str, Any]]], None]) -> Callable[[Path], None]:
    def apply(dist: Path) -> None:
        path = dist / "json" / f"{table}.json"
        data = json.loads(path.read_text())
        change(data)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        rehash(dist)

    return apply


def parquet_retype(table: str, column: str, to: pa.DataType) -> Callable[[Path], None]:
    def apply(dist: Path) -> None:
        path = dist / "parquet" / f"{table}.parquet"
        t = pq.ParquetFile(path).read()
        i = t.schema.get_field_index(column)
        t = t.set_column(i, pa.field(column, to), t.column(i).cast(to))
        pq.write_table(t, path)
        rehash(dist)

    return apply


def descriptor_edit(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def apply(dist: Path) -> None:
        data = descriptor(dist)
        change(data)
        write_descriptor(dist, data)

    return apply


def resource(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in data["resources"] if r["name"] == name)


def drop_column(dist: Path) -> None:
    """Remove the `topic` column from events in all three formats."""
    import csv
    import io

    table = pq.ParquetFile(dist / "parquet" / "events.parquet").read()
    pq.write_table(table.drop_columns(["topic"]), dist / "parquet" / "events.parquet")
    path = dist / "json" / "events.json"
    data = json.loads(path.read_text())
    for r in data:
        del r["topic"]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    path = dist / "csv" / "events.csv"
    lines = list(csv.reader(io.StringIO(path.read_text(), newline="")))
    col = lines[0].index("topic")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([c[:col] + c[col + 1 :] for c in lines])
    path.write_text(out.getvalue())
    rehash(dist)


def reorder(data: list[dict[str, Any]]) -> None:
    first = data[0]
    data[0] = dict(reversed(list(first.items())))


def move_to_other_sentence(dist: Path) -> None:
    # Point an evidence row at a quote that exists in the text but in another sentence.
    text = (dist / "sources" / "000_d3da3a035377400c.txt").read_text()
    start = text.index("Rawalpindi")

    def change(rs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for r in rs:
            if r["evidence_id"] == "ent.china#1":
                r.update(start=start, end=start + 10, quote="Rawalpindi")
        return rs

    rewrite_table(dist, "evidence", change)


def truncate_parquet(dist: Path) -> None:
    path = dist / "parquet" / "events.parquet"
    path.write_bytes(path.read_bytes()[:500])
    rehash(dist)


def empty_file(dist: Path) -> None:
    (dist / "csv" / "posts.csv").write_bytes(b"")
    rehash(dist)


def not_json(dist: Path) -> None:
    (dist / "datapackage.json").write_text('{"resources": [')


def remove_file(dist: Path) -> None:
    (dist / "json" / "relations.json").unlink()


def tamper_source(dist: Path) -> None:
    edit_bytes(dist, "sources/000_d3da3a035377400c.txt", b"miserably", b"reportedly")


def duplicate_alias(rs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    copy = dict(rs[0])
    copy["alias_id"] = copy["alias_id"] + "x"
    return [*rs, copy]


FAULTS: dict[str, tuple[Callable[[Path], None], Expect]] = {
    "csv-wrong-type": (
        talks_quote_start_1x6,
        {"type": "cell-error", "resource": "events", "row": TALKS_ROW, "field": "quote_start"},
    ),
    "json-wrong-type": (
        json_edit("posts", lambda d: d[0].update(evidence_count="1")),
        {"type": "cell-error", "resource": "posts-json", "row": 1, "field": "evidence_count"},
    ),
    "parquet-string-for-integer": (
        parquet_retype("events", "quote_start", pa.string()),
        {"type": "type-error", "resource": "events-parquet", "field": "quote_start"},
    ),
    "parquet-timestamp-for-date": (
        parquet_retype("events", "date_end", pa.timestamp("ms")),
        {"type": "type-error", "resource": "events-parquet", "field": "date_end"},
    ),
    "parquet-int32-for-int64": (
        parquet_retype("sentences", "start", pa.int32()),
        {"type": "type-error", "resource": "sentences-parquet", "field": "start"},
    ),
    "missing-column": (
        drop_column,
        {"type": "cell-error", "resource": "events", "row": 1, "field": "topic"},
    ),
    "extra-column": (
        csv_text("csv/documents.csv", "sentence_count\n", "sentence_count,extra\n"),
        {"type": "cell-error", "resource": "documents", "row": 1, "field": "extra"},
    ),
    "duplicate-primary-key": (
        lambda dist: rewrite_table(dist, "posts", lambda rs: [*rs, rs[0]]),
        # the appended copy: after the header and every published post
        {"type": "primary-key", "resource": "posts", "row": POSTS + 2, "field": "post_id"},
    ),
    "unique-key": (
        lambda dist: rewrite_table(dist, "aliases", duplicate_alias),
        {"type": "unique-error", "resource": "aliases", "field": "entity_id"},
    ),
    "dangling-foreign-key": (
        set_cell("participants", "evt.wei-bajwa-talks/wei-fenghe", "entity_id", "ent.nobody"),
        {"type": "foreign-key", "resource": "participants", "field": "entity_id"},
    ),
    "tampered-quote": (
        set_cell(
            "evidence",
            "rel.china-pakistan-jf-17-co-production#1",
            "quote",
            "China forces Pakistan to jointly produce JF-17 fighter jets and other armaments",
        ),
        {"type": "quote-mismatch", "resource": "evidence", "field": "quote"},
    ),
    "offsets-out-of-range": (
        set_cell("evidence", "ent.china#1", "end", 99999),
        {"type": "offset-error", "resource": "evidence", "field": "start"},
    ),
    "offsets-in-another-sentence": (
        move_to_other_sentence,
        {"type": "offset-error", "resource": "evidence", "field": "start"},
    ),
    "provenance-column-tampered": (
        set_cell("events", "evt.shaheen-ix", "quote", "participate in a joint exercise"),
        {"type": "quote-mismatch", "resource": "events", "field": "quote"},
    ),
    "enum-violation": (
        set_cell("events", "evt.shaheen-ix", "status", "imagined"),
        {"type": "constraint-error", "resource": "events", "field": "status"},
    ),
    "required-value-missing": (
        set_cell("events", "evt.shaheen-ix", "modality", None, formats=("csv", "json")),
        {"type": "constraint-error", "resource": "events", "field": "modality"},
    ),
    "pattern-violation": (
        set_cell("relations", "rel.karachi-in-pakistan", "subject_id", "Karachi"),
        {"type": "constraint-error", "resource": "relations", "field": "subject_id"},
    ),
    "formats-disagree": (
        json_edit("events", lambda d: d[0].update(label="Something else")),
        {"type": "format-mismatch", "resource": "events-json", "row": 1, "field": "label"},
    ),
    "hash-mismatch": (
        descriptor_edit(lambda d: resource(d, "events-parquet").update(hash="sha256:" + "0" * 64)),
        {"type": "hash-count", "resource": "events-parquet", "file": "parquet/events.parquet"},
    ),
    "byte-count-mismatch": (
        descriptor_edit(lambda d: resource(d, "posts").update(bytes=1)),
        {"type": "byte-count", "resource": "posts", "file": "csv/posts.csv"},
    ),
    "unhashed-edit": (
        lambda dist: edit_bytes(dist, "csv/events.csv", b"Shaheen", b"Shahin", keep_hash=True),
        {"type": "hash-count", "resource": "events", "file": "csv/events.csv"},
    ),
    "truncated-parquet": (
        truncate_parquet,
        {"type": "format-error", "resource": "events-parquet", "file": "parquet/events.parquet"},
    ),
    "json-reordered-keys": (
        json_edit("events", reorder),
        {"type": "cell-error", "resource": "events-json", "row": 1},
    ),
    "json-missing-key": (
        json_edit("posts", lambda d: d[2].pop("rank")),
        {"type": "cell-error", "resource": "posts-json", "row": 3, "field": "rank"},
    ),
    "json-extra-key": (
        json_edit("posts", lambda d: d[1].update(salary=1)),
        {"type": "cell-error", "resource": "posts-json", "row": 2, "field": "salary"},
    ),
    "broken-csv-quoting": (
        csv_text("csv/events.csv", '"Another China', '"Another "China'),
        {"type": "format-error", "resource": "events", "file": "csv/events.csv"},
    ),
    "byte-order-mark": (
        lambda dist: edit_bytes(dist, "csv/posts.csv", b"post_id,", b"\xef\xbb\xbfpost_id,"),
        {"type": "encoding-error", "resource": "posts", "file": "csv/posts.csv"},
    ),
    "non-utf8": (
        lambda dist: edit_bytes(
            dist,
            "csv/posts.csv",
            b"Defence Minister",
            "Defence Minister".encode("utf-16-le")[:15] + b"\xff",
        ),
        {"type": "format-error", "resource": "posts", "file": "csv/posts.csv"},
    ),
    "crlf-line-ends": (
        lambda dist: edit_bytes(dist, "csv/posts.csv", b"\n", b"\r\n"),
        {"type": "encoding-error", "resource": "posts", "file": "csv/posts.csv", "line": 1},
    ),
    "empty-file": (
        empty_file,
        {"type": "cell-error", "resource": "posts", "row": 1},
    ),
    "descriptor-not-json": (
        not_json,
        {"type": "package-error", "file": "datapackage.json"},
    ),
    "descriptor-profile-violation": (
        descriptor_edit(lambda d: d.update(licenses="CC-BY-4.0")),
        {"type": "descriptor-error", "file": "datapackage.json"},
    ),
    "path-escapes-package": (
        descriptor_edit(lambda d: resource(d, "posts").update(path="../../etc/passwd")),
        {"type": "unsafe-path", "resource": "posts"},
    ),
    "absolute-path": (
        descriptor_edit(lambda d: resource(d, "posts").update(path="/etc/passwd")),
        {"type": "unsafe-path", "resource": "posts"},
    ),
    "url-as-path": (
        descriptor_edit(lambda d: resource(d, "posts").update(path="https://example.com/p.csv")),
        {"type": "unsafe-path", "resource": "posts"},
    ),
    "missing-file": (
        remove_file,
        {"type": "missing-file", "resource": "relations-json", "file": "json/relations.json"},
    ),
    "schema-weakened": (
        descriptor_edit(lambda d: resource(d, "events")["schema"]["fields"][1].pop("constraints")),
        {"type": "schema-mismatch", "resource": "events", "file": "csv/events.csv"},
    ),
    "source-text-tampered": (
        tamper_source,
        {"type": "source-hash", "resource": "documents", "field": "sha256"},
    ),
    "sentence-text-tampered": (
        set_cell("sentences", "d3da3a035377400c.s018", "text", "China and Pakistan are foes."),
        {"type": "quote-mismatch", "resource": "sentences", "field": "text"},
    ),
    "checksum-file-tampered": (
        lambda dist: (dist / "SHA256SUMS").write_text(
            (dist / "SHA256SUMS").read_text().replace("  csv/posts.csv", "  csv/events.csv")
        ),
        {"type": "checksum-error", "file": "csv/events.csv"},
    ),
}


def matches(error: dict[str, Any], expect: Expect) -> bool:
    return all(error.get(k) == v for k, v in expect.items())


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_is_caught_and_located(fault: str, dist: Path) -> None:
    corrupt, expect = FAULTS[fault]
    corrupt(dist)
    result = run("validate", str(dist), "--format", "json")
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["valid"] is False
    assert any(matches(e, expect) for e in report["errors"]), json.dumps(
        report["errors"][:8], indent=1
    )
    for err in report["errors"]:
        assert err["resource"] or err["file"], err  # every error says where


def test_corpus_has_at_least_thirty_distinct_faults() -> None:
    assert len(FAULTS) >= 30


def test_pristine_copy_is_valid(dist: Path) -> None:
    result = run("validate", str(dist), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["errors"] == []


def make_zip(path: Path, entries: dict[str, bytes], *, symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = 0o120777 << 16
            zf.writestr(info, "/etc/passwd")
    return path


@pytest.mark.parametrize(
    ("entries", "symlink", "message"),
    [
        ({"../evil.txt": b"x"}, None, "escapes the target folder"),
        ({"/tmp/evil-abs.txt": b"x"}, None, "escapes the target folder"),
        ({"a/../../evil.txt": b"x"}, None, "escapes the target folder"),
        ({"datapackage.json": b"{}"}, "link", "is a symbolic link"),
        ({"bomb.csv": b"\0" * 50_000_000}, None, "likely zip bomb"),
    ],
)
def test_hostile_zip_is_refused_and_writes_nothing_outside(
    tmp_path: Path, entries: dict[str, bytes], symlink: str | None, message: str
) -> None:
    archive = make_zip(tmp_path / "release.zip", entries, symlink=symlink)
    before = set(tmp_path.parent.iterdir())
    result = run("validate", str(archive), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["errors"][0]["type"] == "package-error"
    assert message in report["errors"][0]["message"]
    assert report["errors"][0]["file"] == "release.zip"
    assert set(tmp_path.parent.iterdir()) == before
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil-abs.txt").exists()


def test_release_zip_with_a_corrupt_member_is_caught(tmp_path: Path) -> None:
    name = f"sinopak-{sinopak.datapackage()['version']}.zip"
    good = ROOT / "dist" / name
    bad = tmp_path / name
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "csv/posts.csv":
                assert b"Defence Minister" in data
                data = data.replace(b"Defence Minister", b"Defense Minister")
            dst.writestr(info, data)
    result = run("validate", str(bad), "--format", "json")
    assert result.exit_code == 1
    errors = json.loads(result.output)["errors"]
    assert any(e["type"] == "hash-count" and e["resource"] == "posts" for e in errors)


def test_oversized_file_is_refused(dist: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sinopak.validation import files, validate

    monkeypatch.setattr(files, "MAX_FILE_BYTES", 10_000)  # resources
    monkeypatch.setattr(files, "MAX_HASHED_BYTES", 10_000)  # files only hashed
    report = validate(dist)
    big = [p for p in report.problems if p.type == "file-too-large"]
    assert big and all(p.file for p in big)
    from_sums = [p for p in big if p.message.startswith("SHA256SUMS line ")]
    assert all(p.resource for p in big if p not in from_sums)  # resources; the rest: SHA256SUMS
    assert "evidence" in {p.resource for p in big}
    assert "sinopak.sqlite" in {p.file for p in from_sums}
    assert all(p.row is None and p.line is None for p in from_sums)  # not lines of that file


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n",
            "anchors and aliases are not allowed",
        ),
        (
            "entities: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
            "unsupported YAML tag",
        ),
    ],
)
def test_hostile_seed_yaml_is_refused(tmp_path: Path, payload: str, message: str) -> None:
    project = tmp_path / "project"
    for name in ("seeds", "schema", "dist"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "pyproject.toml", project)
    (project / "seeds/records/zz.yaml").write_text(payload)
    result = run("build", "--root", str(project))
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not Path("/tmp/pwned").exists()


def test_parquet_content_is_compared_even_when_another_file_is_broken(dist: Path) -> None:
    """A hash error elsewhere must not switch off the row-by-row comparison of formats."""
    FAULTS["byte-count-mismatch"][0](dist)  # descriptor now disagrees about csv/posts.csv
    path = dist / "parquet" / "events.parquet"
    t = pq.ParquetFile(path).read()
    i = t.schema.get_field_index("label")
    labels = t.column(i).to_pylist()
    labels[0] = "Something else"
    t = t.set_column(i, t.schema.field(i), pa.array(labels, pa.string()))
    pq.write_table(t, path)
    errors = json.loads(run("validate", str(dist), "--format", "json").output)["errors"]
    assert {
        "type": "format-mismatch",
        "resource": "events-parquet",
        "row": 1,
        "field": "label",
    }.items() <= next(e for e in errors if e["type"] == "format-mismatch").items()
