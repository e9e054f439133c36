"""Provenance recomputed from the evidence table and the source texts, never trusted.

The derived columns repeat what the evidence table says: each record's `evidence_count` and
its inline first span (`sentence_id`, `quote_start`, `quote_end`, `quote` = evidence `#1`),
each sentence's `coverage` (`status`, `record_count`), each document's `char_count` and
`sentence_count`. A lie in any of them is caught even when every format and every checksum
agree (the quotes themselves are checked against the source by `integrity`). The rules are
those of `pipeline.rows`, recomputed here from the published rows alone.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..schema.table_defs import RECORD_TABLES, TABLES
from .report import Report

Rows = dict[str, list[dict[str, Any]]]
Evidence = list[tuple[int, dict[str, Any]]]  # (row number in evidence.csv, row)
# A record's inline first span, as (record column, evidence column).
FIRST_SPAN = (
    ("sentence_id", "sentence_id"),
    ("quote_start", "start"),
    ("quote_end", "end"),
    ("quote", "quote"),
)


def check_provenance(
    typed: Rows, texts: dict[str, str], resources: dict[str, Any], report: Report
) -> None:
    """Every derived provenance column equals what the evidence table and sources give."""
    by_record: dict[str, Evidence] = defaultdict(list)
    for i, ev in enumerate(typed["evidence"], start=2):
        by_record[ev["record_id"]].append((i, ev))
    for name in RECORD_TABLES:
        _check_records(name, typed[name], by_record, resources, report)
    _check_coverage(typed, resources, report)
    _check_documents(typed, texts, resources, report)


def _add(
    report: Report, resources: dict[str, Any], table: str, row: int, field: str, msg: str
) -> None:
    report.add(
        "provenance-error", msg, resource=table, file=resources[table]["path"], row=row, field=field
    )


def _check_records(
    name: str,
    rows: list[dict[str, Any]],
    by_record: dict[str, Evidence],
    resources: dict[str, Any],
    report: Report,
) -> None:
    key = TABLES[name].primary_key[0]
    for i, row in enumerate(rows, start=2):
        rid = row[key]
        spans = by_record.get(rid, [])
        if not spans:
            _add(
                report,
                resources,
                name,
                i,
                "evidence_count",
                f"expected evidence rows for {rid}, found none in the evidence table",
            )
            continue
        if row["evidence_count"] != len(spans):
            _add(
                report,
                resources,
                name,
                i,
                "evidence_count",
                f"expected {len(spans)} (evidence rows of {rid}), found {row['evidence_count']}",
            )
        for n, (j, ev) in enumerate(spans, start=1):
            if ev["evidence_id"] != f"{rid}#{n}" or ev["record_table"] != name:
                _add(
                    report,
                    resources,
                    "evidence",
                    j,
                    "evidence_id",
                    f"expected evidence {rid}#{n} of table {name}, found "
                    f"{ev['evidence_id']} of table {ev['record_table']}",
                )
        first = spans[0][1]
        for col, ev_col in FIRST_SPAN:
            if row[col] != first[ev_col]:
                _add(
                    report,
                    resources,
                    name,
                    i,
                    col,
                    f"expected {first[ev_col]!r} (the first span, evidence "
                    f"{first['evidence_id']}), found {row[col]!r}",
                )
                break


def _check_coverage(typed: Rows, resources: dict[str, Any], report: Report) -> None:
    citing: dict[str, set[str]] = defaultdict(set)
    for ev in typed["evidence"]:
        citing[ev["sentence_id"]].add(ev["record_id"])
    listed = {row["sentence_id"]: (i, row) for i, row in enumerate(typed["coverage"], start=2)}
    for sentence in typed["sentences"]:
        sid = sentence["sentence_id"]
        if sid not in listed:
            _add(
                report,
                resources,
                "coverage",
                len(typed["coverage"]) + 1,
                "sentence_id",
                f"expected a coverage row for sentence {sid}, found none",
            )
            continue
        i, row = listed[sid]
        n = len(citing.get(sid, ()))
        status = "covered" if n else "excluded"
        if row["record_count"] != n:
            _add(
                report,
                resources,
                "coverage",
                i,
                "record_count",
                f"expected {n} (records citing {sid} in the evidence table), found "
                f"{row['record_count']}",
            )
        if row["status"] != status:
            _add(
                report,
                resources,
                "coverage",
                i,
                "status",
                f"expected {status!r} ({n} records cite {sid}), found {row['status']!r}",
            )
        if status == "excluded" and not row["reason"]:
            _add(
                report,
                resources,
                "coverage",
                i,
                "reason",
                f"expected the reason no record cites {sid}, found none",
            )


def _check_documents(
    typed: Rows, texts: dict[str, str], resources: dict[str, Any], report: Report
) -> None:
    counts: dict[str, int] = defaultdict(int)
    for s in typed["sentences"]:
        counts[s["document_id"]] += 1
    for i, doc in enumerate(typed["documents"], start=2):
        did = doc["document_id"]
        if doc["sentence_count"] != counts[did]:
            _add(
                report,
                resources,
                "documents",
                i,
                "sentence_count",
                f"expected {counts[did]} (sentences of {did}), found {doc['sentence_count']}",
            )
        text = texts.get(did)
        if text is not None and doc["char_count"] != len(text):
            _add(
                report,
                resources,
                "documents",
                i,
                "char_count",
                f"expected {len(text)} (characters of the source), found {doc['char_count']}",
            )
