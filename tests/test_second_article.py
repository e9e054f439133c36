"""Adding an article needs only data files: a second source and its records build cleanly."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from conftest import point_accessor_at, run

import sinopak

TEXT = " date 2021-01-05 Pakistan and China held talks on Monday.\n\nThe talks were cordial."


def add_article(project: Path) -> None:
    (project / "seeds" / "001_abc123.txt").write_text(TEXT, encoding="utf-8")
    sha = hashlib.sha256(TEXT.encode()).hexdigest()
    with (project / "seeds" / "documents.yaml").open("a") as fh:
        fh.write(
            f"  - document_id: abc123\n    file: 001_abc123.txt\n    sha256: {sha}\n"
            "    language: en\n"
        )
    records = project / "seeds" / "records" / "abc123"
    records.mkdir()
    (records / "events.yaml").write_text(
        "events:\n"
        "  - event_id: evt.abc-talks\n"
        "    event_type: talks\n"
        "    label: Pakistan and China hold talks\n"
        "    status: occurred\n"
        "    modality: asserted\n"
        "    date: {text: on Monday, rule: weekday_on_or_before_publication}\n"
        "    evidence:\n"
        '      - {sentence_id: abc123.s001, quote: "Pakistan and China held talks on Monday"}\n'
        "    participants:\n"
        "      - entity_id: ent.china\n"
        "        role: participant\n"
        "        evidence:\n"
        '          - {sentence_id: abc123.s001, quote: "China"}\n'
        "exclusions:\n"
        "  - sentence_id: abc123.s002\n"
        "    reason: An evaluation with no fact to record.\n"
    )
    result = run("anchor", "--root", str(project), str(records / "events.yaml"))
    assert result.exit_code == 0, result.output
    assert "anchored 2 span(s)" in result.output


def test_second_article_builds_from_data_files_alone(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_article(project)
    result = run("build", "--root", str(project))
    assert result.exit_code == 0, result.output
    point_accessor_at(monkeypatch, project / "dist")
    events = {e["event_id"]: e for e in sinopak.load("events")}
    assert events["evt.abc-talks"]["date_start"] == dt.date(2021, 1, 4)  # the Monday before
    docs = [d["document_id"] for d in sinopak.load("documents")]
    assert docs == ["abc123", "d3da3a035377400c"]
    cov = {c["sentence_id"]: c for c in sinopak.load("coverage")}
    assert cov["abc123.s002"]["status"] == "excluded"
    assert cov["abc123.s002"]["reason"] == "An evaluation with no fact to record."
    assert sinopak.datapackage()["sinopak:coverage"]["sentences"] == 22
    assert run("validate", str(project / "dist")).exit_code == 0
