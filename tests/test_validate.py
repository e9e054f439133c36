"""The validation library: `sinopak.validate` returns a report; it never raises for bad data."""

from __future__ import annotations

import json
import typing
from pathlib import Path

from conftest import ROOT

import sinopak
from sinopak import validation
from sinopak.validation import Problem, Report
from sinopak.validation.report import ProblemType
from sinopak.validation.tables import schema_difference


def edit_descriptor(dist: Path, change: typing.Callable[[dict[str, typing.Any]], None]) -> None:
    path = dist / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def test_the_bundled_data_is_valid_and_counted() -> None:
    report = sinopak.validate(frictionless="none")
    assert isinstance(report, Report)
    assert report.valid, report.format()
    assert report.problems == []
    assert list(report.tables) == sinopak.tables()
    assert report.tables == {name: len(sinopak.load(name)) for name in sinopak.tables()}  # type: ignore[arg-type]
    assert report.tables["events"] == 24


def test_top_level_validate_is_the_library_call() -> None:
    a = sinopak.validate(ROOT / "dist", frictionless="none").to_dict()
    b = validation.validate(str(ROOT / "dist" / "datapackage.json"), frictionless="none").to_dict()
    assert a["valid"] and b["valid"]
    assert a["tables"] == b["tables"]


def test_the_release_zip_validates_with_frictionless() -> None:
    name = f"sinopak-{sinopak.datapackage()['version']}.zip"
    report = sinopak.validate(ROOT / "dist" / name, frictionless="csv")
    assert report.valid, report.format()
    assert report.target.endswith(name)


def test_bad_data_is_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "datapackage.json").write_text("{not json", encoding="utf-8")
    report = sinopak.validate(tmp_path)
    assert not report.valid
    assert [(p.type, p.file) for p in report.problems] == [("package-error", "datapackage.json")]
    assert report.problems[0].message.startswith("descriptor is not valid JSON")
    empty = sinopak.validate(tmp_path / "nowhere")
    assert [p.type for p in empty.problems] == ["package-error"]


def test_schema_mismatch_says_what_was_expected_and_found(dist: Path) -> None:
    def drop_enum(descriptor: dict[str, typing.Any]) -> None:
        events = next(r for r in descriptor["resources"] if r["name"] == "events")
        field = next(f for f in events["schema"]["fields"] if f["name"] == "modality")
        del field["categories"]

    edit_descriptor(dist, drop_enum)
    report = sinopak.validate(dist, frictionless="none")
    mismatch = [p for p in report.problems if p.type == "schema-mismatch"]
    assert [(p.resource, p.file) for p in mismatch] == [("events", "csv/events.csv")]
    message = mismatch[0].message
    assert message.startswith("field modality: expected {'name': 'modality'")
    assert "'categories': [{'value': 'asserted'" in message
    assert message.count("found {'name': 'modality'") == 1


def test_schema_difference_names_the_first_difference() -> None:
    expected = {"fields": [{"name": "a", "type": "string"}], "primaryKey": ["a"]}
    assert schema_difference(expected, expected) is None
    assert schema_difference(expected, None) == "expected a Table Schema object, found None"
    renamed = {"fields": [{"name": "b", "type": "string"}], "primaryKey": ["a"]}
    assert schema_difference(expected, renamed) == "expected fields ['a'], found ['b']"
    keyless = {"fields": [{"name": "a", "type": "string"}], "primaryKey": ["b"]}
    assert schema_difference(expected, keyless) == "primaryKey: expected ['a'], found ['b']"


def test_a_changed_sentence_says_what_the_source_has(dist: Path) -> None:
    path = dist / "csv" / "sentences.csv"
    path.write_bytes(
        path.read_bytes().replace(b"Gen. Wei also discussed", b"Gen. Wei also debated")
    )
    report = sinopak.validate(dist, frictionless="none")
    found = [p for p in report.problems if p.type == "quote-mismatch"]
    row = 2 + next(  # CSV rows count the header as row 1
        i
        for i, s in enumerate(sinopak.load("sentences"))
        if s["text"].startswith("Gen. Wei also discussed")
    )
    assert row == 57  # rows sorted by sentence_id: the seed's s009 is the 56th record
    assert [(p.resource, p.row, p.field) for p in found] == [("sentences", row, "text")]
    assert found[0].message.startswith("expected the source text at [")
    assert "'Gen. Wei also discussed" in found[0].message
    assert "found 'Gen. Wei also debated" in found[0].message


def test_sha256sums_mismatch_says_both_hashes(dist: Path) -> None:
    sums = dist / "SHA256SUMS"
    lines = sums.read_text(encoding="utf-8").splitlines()
    first_digest, _, first_file = lines[0].partition("  ")
    lines[0] = "0" * 64 + "  " + first_file
    sums.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = sinopak.validate(dist, frictionless="none")
    found = [(p.type, p.file, p.row, p.line) for p in report.problems]
    assert found == [("checksum-error", first_file, None, None)]  # the line is SHA256SUMS's
    assert report.problems[0].message == (
        f"expected sha256 {'0' * 64} (SHA256SUMS line 1), found {first_digest}"
    )


def test_report_formats() -> None:
    report = Report("pkg")
    report.add("byte-count", "expected 10 bytes, found 11", resource="events", file="csv/e.csv")
    report.add("foreign-key", "expected a key of table entities, found 'x'", row=3, field="f")
    report.add_frictionless("type-error", "bad cell", resource="events", row=2)
    report.tables = {"events": 14}
    assert report.format("text").splitlines() == [
        "[byte-count] csv/e.csv: expected 10 bytes, found 11",
        "[foreign-key] datapackage.json, row 3, field f: expected a key of table entities, "
        "found 'x'",
        "[frictionless:type-error] events, row 2: bad cell",
        "INVALID (3 problem(s)): pkg (1 tables, 14 rows)",
    ]
    assert report.format("github").splitlines()[1] == (  # a row, but no line of a CSV file
        "::error file=datapackage.json,title=foreign-key::"
        "[foreign-key] datapackage.json, row 3, field f: expected a key of table entities, "
        "found 'x'"
    )
    located = Report("pkg")
    located.add("cell-error", "bad", resource="events", file="csv/events.csv", row=3, line=4)
    assert located.format("github") == (
        "::error file=csv/events.csv,line=4,title=cell-error::[cell-error] csv/events.csv, "
        "row 3: bad"
    )
    as_dict = json.loads(report.format("json"))
    assert as_dict == report.to_dict()
    assert as_dict["errors"][2] == {
        "type": "frictionless:type-error",
        "message": "bad cell",
        "resource": "events",
        "file": None,
        "row": 2,
        "field": None,
        "line": None,
    }
    assert Report("ok").format("github") == "valid: ok"


def test_problem_types_are_one_literal_listed_in_the_readme() -> None:
    types = typing.get_args(ProblemType)
    assert len(types) == len(set(types)) == 24
    assert {"missing-resource", "frictionless-error", "schema-mismatch"} <= set(types)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = readme[readme.index("<!-- BEGIN problem-types") : readme.index("<!-- END problem")]
    assert [t.strip("`") for t in listed.split("\n", 1)[1].split(", ")[:-1]] == list(types)
    assert Problem("x", "m").render() == "[x] datapackage.json: m"
