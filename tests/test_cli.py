"""The command line: help everywhere, exit codes, reports equal to the library's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, run

from sinopak.cli import main
from sinopak.validation import validate


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert main.commands[command].help, f"{command} has no help text"
    assert result.output.startswith("Usage: ")
    assert f" {command} " in result.output.splitlines()[0]


def test_validate_the_repository_dist() -> None:
    result = run("validate", str(ROOT / "dist"))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("valid: ")
    assert "(18 tables, " in result.output


def test_validate_without_path_checks_the_installed_data() -> None:
    result = run("validate")
    assert result.exit_code == 0, result.output


def test_validate_json_equals_the_library_report(project: Path) -> None:
    path = project / "dist" / "json" / "events.json"
    path.write_bytes(path.read_bytes().replace(b'"2020-12-07"', b'"2020-12-09"', 1))
    result = run("validate", str(project / "dist"), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output) == json.loads(json.dumps(validate(project / "dist").to_dict()))
    errors = json.loads(result.output)["errors"]
    assert [(e["type"], e["resource"], e["file"]) for e in errors] == [
        ("hash-count", "events-json", "json/events.json"),
        ("checksum-error", None, "json/events.json"),  # SHA256SUMS disagrees too
        ("format-mismatch", "events-json", "json/events.json"),  # and the row, located
    ]
    mismatch = errors[-1]
    assert (mismatch["field"], mismatch["row"]) == ("date_start", 3)


def test_validate_github_annotations(project: Path) -> None:
    path = project / "dist" / "csv" / "posts.csv"
    path.write_bytes(path.read_bytes() + b"\n")
    result = run("validate", str(project / "dist"), "--format", "github")
    assert result.exit_code == 1
    assert "::error file=csv/posts.csv,title=byte-count::" in result.output


def test_validate_usage_error_exits_2(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert run("validate", "--format", "xml").exit_code == 2


def test_show_a_record() -> None:
    result = run("show", "evt.wei-bajwa-talks")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "evt.wei-bajwa-talks  (events)"
    assert "  date_start: 2020-11-30" in lines
    assert any(line.startswith("  [support] d3da3a035377400c.s002 [156, 302):") for line in lines)


def test_show_an_event_tells_its_sources_and_date_claims() -> None:
    import sinopak

    event = "evt.wei-alvi-khan-meeting"
    row = sinopak.record(event)["row"]
    claims = [c for c in sinopak.load("date_claims") if c["event_id"] == event]
    result = run("show", event)
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"sources: {row['source_count']}\n  d3da3a035377400c (defines the event)\n" in out
    assert "date: 2020-12-01 – 2020-12-01 (reconciled, precision day, confidence high)" in out
    used = [c for c in claims if c["status"] == "used"]
    discounted = [c for c in claims if c["status"] == "discounted"]
    assert f"date claims used: {len(used)}" in out
    assert "evt.wei-alvi-khan-meeting/d3da3a035377400c.c1: 'On Tuesday' " in out
    assert discounted, "the Hindustan Times' 'a day after' is a recorded judgement"
    for c in discounted:
        assert f"{c['claim_id']}: " in out
        assert f"      discounted: {c['discount_reason']}" in out


def test_show_unknown_record() -> None:
    result = run("show", "evt.nope")
    assert result.exit_code == 1
    assert result.output.startswith("Error: no record 'evt.nope'")


def test_coverage_reports_every_sentence() -> None:
    result = run("coverage", "--root", str(ROOT))
    assert result.exit_code == 0, result.output
    total = len(sinopak_rows("sentences"))
    assert result.output.splitlines()[-1] == f"coverage: {total}/{total} sentences (100.0%)"
    assert 'd3da3a035377400c.s012 [heading] "China\'s provocation"' in result.output


def test_coverage_fails_on_an_unaccounted_sentence(project: Path) -> None:
    path = project / "seeds/records/d3da3a035377400c/events.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("  - event_id: evt.shaheen-2011")])
    result = run("coverage", "--root", str(project))
    assert result.exit_code == 1
    total = len(sinopak_rows("sentences"))
    assert f"coverage: {total - 1}/{total} sentences ({100 * (total - 1) / total:.1f}%)" in (
        result.output
    )
    assert "UNACCOUNTED FOR" in result.output


def sinopak_rows(table: str) -> list[dict[str, object]]:
    import sinopak

    return sinopak.load(table)


def test_github_lines_are_lines_of_the_csv_file_and_none_elsewhere(project: Path) -> None:
    """Row 2 of posts.csv spans two lines, so the bad value in row 3 is on line 4; JSON,
    Parquet and SHA256SUMS problems name the row in the message and carry no line."""
    path = project / "dist" / "csv" / "posts.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[1].startswith("post.arif-alvi-president,") and ",high,,,1," in lines[1]
    lines[1] = lines[1].replace(",high,,,1,", ',high,,"two\nlines",1,', 1)
    assert lines[2].startswith("post.bajwa-army-chief,")
    lines[2] = lines[2].replace(",reviewed,", ",approved,", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    result = run("validate", str(project / "dist"), "--format", "github")
    assert result.exit_code == 1
    annotations = result.output.splitlines()
    bad = [a for a in annotations if "'approved' is not one of" in a]
    assert bad and all(a.startswith("::error file=csv/posts.csv,line=4,") for a in bad), bad
    assert all(", row 3, field curation_status" in a for a in bad)
    others = [a for a in annotations if not a.startswith("::error file=csv/")]
    assert any(a.startswith("::error file=json/posts.json,title=format-mismatch::") for a in others)
    assert all(",line=" not in a for a in others), others
    sums = [a for a in annotations if "SHA256SUMS line" in a]
    assert sums and all(",line=" not in a for a in sums)


def test_row_starts_follow_quoted_line_breaks() -> None:
    from sinopak.validation.lines import row_starts

    data = b'a,b\n1,"x\ny\nz"\n2,w\n3,"q"\n'
    assert row_starts(data) == [1, 2, 5, 6]


def test_coverage_outside_a_checkout_reads_the_installed_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sinopak

    monkeypatch.chdir(tmp_path)  # no seeds/ here or above
    result = run("coverage")
    assert result.exit_code == 0, result.output
    sentences = sinopak.load("sentences")
    n = len(sentences)
    assert result.output.splitlines()[-1] == f"coverage: {n}/{n} sentences (100.0%)"
    seeds = run("coverage", "--root", str(ROOT)).output.splitlines()
    published = result.output.splitlines()
    heads = [line for line in published if not line.startswith("    ")]
    assert heads == [line for line in seeds if not line.startswith("    ")]  # same sentences
    counts = [line.split(" record(s)")[0] for line in published if line.startswith("    ")]
    assert counts == [line.split(" record(s)")[0] for line in seeds if line.startswith("    ")]


def test_checkout_commands_are_listed_in_a_checkout() -> None:
    from sinopak.cli import SOURCE_CHECKOUT

    assert SOURCE_CHECKOUT  # the tests run from a clone; the wheel test checks the other side
    listed = run("--help").output
    for command in ("build", "anchor", "release", "coverage", "validate", "download"):
        assert f"  {command} " in listed, command
