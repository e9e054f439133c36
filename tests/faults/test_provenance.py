"""Provenance columns that lie (issue 14): caught by recomputing them from the evidence table
and the source texts, although every format and every checksum agree (each fault rewrites all
three formats and rehashes)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, run
from corrupt import csv_row, rewrite_table, rows

# How many records cite a sentence, counted from the published evidence table, and the coverage
# row of that sentence: what the validator must recompute when the coverage table lies.
_CITING: dict[str, set[str]] = {}
for _ev in rows(ROOT / "dist", "evidence"):
    _CITING.setdefault(_ev["sentence_id"], set()).add(_ev["record_id"])


def citing(sentence_id: str) -> int:
    return len(_CITING[sentence_id])


def coverage_row(sentence_id: str) -> int:
    return csv_row(ROOT / "dist", "coverage", "sentence_id", sentence_id)


FIRST, THIRTEENTH = "d3da3a035377400c.s001", "d3da3a035377400c.s013"

Rows = list[dict[str, Any]]


def where(rows: Rows, column: str, value: str, **change: Any) -> Rows:
    for r in rows:
        if r[column] == value:
            r.update(change)
    return rows


def copy_span(rows: Rows, key: str, to: str, source: str) -> Rows:
    src = next(r for r in rows if r[key] == source)
    span = {c: src[c] for c in ("sentence_id", "quote_start", "quote_end", "quote")}
    return where(rows, key, to, **span)


def first_of_post(rows: Rows) -> Rows:
    return copy_span(rows, "post_id", "post.bajwa-army-chief", "post.arif-alvi-president")


FAULTS: dict[str, tuple[str, Callable[[Rows], Rows], dict[str, Any]]] = {
    "evidence-count-99": (
        "events",
        lambda rs: where(rs, "event_id", "evt.mou-signing", evidence_count=99),
        {"resource": "events", "field": "evidence_count", "message_in": "expected 1"},
    ),
    "evidence-count-one-short": (
        "events",
        lambda rs: where(rs, "event_id", "evt.shaheen-ix", evidence_count=2),
        {"resource": "events", "field": "evidence_count", "message_in": "expected 3"},
    ),
    "inline-span-of-another-event": (
        "events",
        lambda rs: copy_span(rs, "event_id", "evt.shaheen-ix", "evt.mou-signing"),
        {"resource": "events", "field": "sentence_id", "message_in": "evt.shaheen-ix#1"},
    ),
    "inline-span-of-another-post": (
        "posts",
        first_of_post,
        {"resource": "posts", "field": "sentence_id"},
    ),
    "inline-span-is-the-second-evidence": (
        "events",
        lambda rs: where(
            rs,
            "event_id",
            "evt.shaheen-ix",
            sentence_id="d3da3a035377400c.s014",
            quote_start=2427,
            quote_end=2482,
            quote='to participate in the drills named "Shaheen (Eagle)-IX"',
        ),
        {"resource": "events", "field": "sentence_id", "message_in": "the first span"},
    ),
    "cited-sentence-marked-excluded": (
        "coverage",
        lambda rs: where(rs, "sentence_id", THIRTEENTH, status="excluded", reason="boilerplate"),
        {
            "resource": "coverage",
            "field": "status",
            "row": coverage_row(THIRTEENTH),
            "message_in": f"({citing(THIRTEENTH)} records cite {THIRTEENTH})",
        },
    ),
    "cited-sentence-counted-zero": (
        "coverage",
        lambda rs: where(
            rs,
            "sentence_id",
            FIRST,
            status="excluded",
            record_count=0,
            reason="boilerplate",
        ),
        {
            "resource": "coverage",
            "field": "record_count",
            "row": coverage_row(FIRST),
            "message_in": f"expected {citing(FIRST)} (records citing {FIRST} ",
        },
    ),
    "record-count-off-by-one": (
        "coverage",
        lambda rs: where(rs, "sentence_id", FIRST, record_count=citing(FIRST) + 1),
        {
            "resource": "coverage",
            "field": "record_count",
            "row": coverage_row(FIRST),
            "message_in": f"expected {citing(FIRST)} (records citing {FIRST} ",
        },
    ),
    "all-evidence-of-an-event-deleted": (
        "evidence",
        lambda rs: [r for r in rs if r["record_id"] != "evt.shaheen-ix"],
        {"resource": "events", "field": "evidence_count", "message_in": "found none"},
    ),
    "one-evidence-row-deleted": (
        "evidence",
        lambda rs: [r for r in rs if r["evidence_id"] != "evt.shaheen-ix#3"],
        {"resource": "events", "field": "evidence_count", "message_in": "expected 2"},
    ),
    "evidence-renumbered": (
        "evidence",
        lambda rs: where(rs, "evidence_id", "evt.shaheen-ix#2", evidence_id="evt.shaheen-ix#7"),
        {"resource": "evidence", "field": "evidence_id", "message_in": "evt.shaheen-ix#2"},
    ),
    "sentence-count-lies": (
        "documents",
        lambda rs: [dict(r, sentence_count=r["sentence_count"] + 1) for r in rs],
        {"resource": "documents", "field": "sentence_count"},
    ),
    "char-count-lies": (
        "documents",
        lambda rs: [dict(r, char_count=r["char_count"] - 1) for r in rs],
        {"resource": "documents", "field": "char_count"},
    ),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_lying_provenance_is_recomputed_and_located(fault: str, dist: Path) -> None:
    table, change, expect = FAULTS[fault]
    rewrite_table(dist, table, change)
    result = run("validate", str(dist), "--format", "json", "--frictionless", "none")
    assert result.exit_code == 1, result.output
    errors = json.loads(result.output)["errors"]
    assert not [e for e in errors if e["type"] in ("hash-count", "byte-count", "checksum-error")]
    message = expect.pop("message_in", "")
    found = [
        e
        for e in errors
        if e["type"] == "provenance-error"
        and all(e.get(k) == v for k, v in expect.items())
        and message in e["message"]
    ]
    expect["message_in"] = message
    assert found and found[0]["row"], json.dumps(errors[:6], indent=1)
