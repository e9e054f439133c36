"""Adding a document needs only data files: a new article with its own event, and a new report
of an event already recorded, build cleanly and change the published dates as they should."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from conftest import point_accessor_at, run

import sinopak

TEXT = " date 2021-01-05 Pakistan and China held talks on Monday.\n\nThe talks were cordial."
# A report of the seed's talks, dated in its own text (a dateline).
REPORT = "RAWALPINDI, Nov 30: Gen Wei Fenghe called on Gen Bajwa today.\n\nThey discussed security."


def register(project: Path, doc: str, text: str, extra: str) -> Path:
    file = f"0{len(list((project / 'seeds').glob('*.txt'))):02d}_{doc}.txt"
    (project / "seeds" / file).write_text(text, encoding="utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    with (project / "seeds" / "documents.yaml").open("a") as fh:
        fh.write(
            f"  - document_id: {doc}\n    file: {file}\n    sha256: {sha}\n"
            f"    language: en\n    text_scope: full\n{extra}"
        )
    records = project / "seeds" / "records" / doc
    records.mkdir()
    return records


def add_article(project: Path) -> None:
    records = register(project, "abc123", TEXT, "    date_basis: metadata\n")
    (records / "events.yaml").write_text(
        "events:\n"
        "  - event_id: evt.abc-talks\n"
        "    event_type: talks\n"
        "    label: Pakistan and China hold talks\n"
        "    status: occurred\n"
        "    modality: asserted\n"
        "    date_claims:\n"
        "      - text: on Monday\n"
        "        rule: weekday_on_or_before_publication\n"
        "        evidence:\n"
        '          - {sentence_id: abc123.s001, quote: "on Monday"}\n'
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
    assert "anchored 3 span(s)" in result.output


def test_second_article_builds_from_data_files_alone(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_accessor_at(monkeypatch, project / "dist")
    before = sinopak.datapackage()["sinopak:coverage"]["sentences"]
    add_article(project)
    result = run("build", "--root", str(project))
    assert result.exit_code == 0, result.output
    point_accessor_at(monkeypatch, project / "dist")
    events = {e["event_id"]: e for e in sinopak.load("events")}
    talks = events["evt.abc-talks"]
    # published on or before 2021-01-05 (no lower bound): every Monday up to 2021-01-04
    assert (talks["date_start"], talks["date_end"]) == (None, dt.date(2021, 1, 4))
    assert talks["date_method"] == "resolved"
    assert talks["date_confidence"] == "medium"
    assert talks["source_count"] == 1
    docs = {d["document_id"]: d for d in sinopak.load("documents")}
    assert docs["abc123"]["date_basis"] == "metadata"
    assert docs["abc123"]["date_latest"] == dt.date(2021, 1, 5)
    cov = {c["sentence_id"]: c for c in sinopak.load("coverage")}
    assert cov["abc123.s002"]["status"] == "excluded"
    assert cov["abc123.s002"]["reason"] == "An evaluation with no fact to record."
    assert sinopak.datapackage()["sinopak:coverage"]["sentences"] == before + 2
    assert run("validate", str(project / "dist")).exit_code == 0


def test_a_new_report_of_an_existing_event_needs_only_data_files(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_accessor_at(monkeypatch, project / "dist")
    old = {e["event_id"]: e for e in sinopak.load("events")}["evt.wei-bajwa-talks"]
    old_claims = [c for c in sinopak.load("date_claims") if c["event_id"] == old["event_id"]]
    records = register(
        project,
        "fff999",
        REPORT,
        '    date_basis: text\n    date_text: "RAWALPINDI, Nov 30"\n    date: 2020-11-30\n',
    )
    (records / "reports.yaml").write_text(
        "reports:\n"
        "  - event_id: evt.wei-bajwa-talks\n"
        "    evidence:\n"
        '      - {sentence_id: fff999.s001, quote: "Gen Wei Fenghe called on Gen Bajwa today"}\n'
        '      - {sentence_id: fff999.s002, quote: "They discussed security"}\n'
        "    date_claims:\n"
        "      - text: today\n"
        "        rule: day_of_publication\n"
        "        evidence:\n"
        '          - {sentence_id: fff999.s001, quote: "today"}\n'
    )
    assert run("anchor", "--root", str(project), str(records / "reports.yaml")).exit_code == 0
    result = run("build", "--root", str(project))
    assert result.exit_code == 0, result.output
    point_accessor_at(monkeypatch, project / "dist")
    talks = {e["event_id"]: e for e in sinopak.load("events")}["evt.wei-bajwa-talks"]
    assert talks["source_count"] == old["source_count"] + 1
    assert talks["date_claim_count"] == old["date_claim_count"] + 1
    assert (talks["date_start"], talks["date_end"]) == (dt.date(2020, 11, 30),) * 2
    report = {r["report_id"]: r for r in sinopak.load("reports")}["evt.wei-bajwa-talks/fff999"]
    assert (report["document_id"], report["evidence_count"]) == ("fff999", 2)
    claims = {c["claim_id"]: c for c in sinopak.load("date_claims")}
    new = claims["evt.wei-bajwa-talks/fff999.c1"]
    assert (new["rule"], new["range_start"], new["status"]) == (
        "day_of_publication",
        dt.date(2020, 11, 30),
        "used",
    )
    # the claims already published keep their ids and values
    for c in old_claims:
        assert claims[c["claim_id"]] == c
    assert run("validate", str(project / "dist")).exit_code == 0
