"""Checks across tables of a published package: keys, references and provenance."""

from __future__ import annotations

import hashlib
from typing import Any

from ..schema.tables import TABLES
from .report import Report

Rows = dict[str, list[dict[str, Any]]]


def check_constraints(typed: Rows, resources: dict[str, Any], report: Report) -> None:
    """required, enum, pattern, minimum and minLength of every cell (typed CSV rows)."""
    import re

    for name, table in TABLES.items():
        file = resources[name]["path"]
        for col in table.columns:
            pattern = re.compile(col.pattern) if col.pattern else None
            for i, row in enumerate(typed.get(name, []), start=2):
                value = row[col.name]
                problem = None
                if value is None:
                    if col.required:
                        problem = "a value is required"
                elif col.enum and value not in col.enum:
                    problem = f"{value!r} is not one of {', '.join(col.enum)}"
                elif pattern is not None and not pattern.fullmatch(value):
                    problem = f"{value!r} does not match the pattern {col.pattern}"
                elif col.minimum is not None and value < col.minimum:
                    problem = f"{value} is below the minimum {col.minimum}"
                elif col.min_length is not None and len(value) < col.min_length:
                    problem = f"{value!r} is shorter than {col.min_length}"
                if problem:
                    report.add(
                        "constraint-error", problem, resource=name, file=file, row=i, field=col.name
                    )


def check_integrity(
    typed: Rows, files: dict[str, bytes], resources: dict[str, Any], report: Report
) -> None:
    """Primary keys, uniqueKeys, foreign keys, and every quote against the source text."""
    problems_before = len(report.problems)
    keys: dict[str, set[Any]] = {}
    for name, table in TABLES.items():
        rows = typed.get(name, [])
        file = resources[name]["path"]
        for cols in (table.primary_key, *table.unique_keys):
            seen: dict[tuple[Any, ...], int] = {}
            for i, row in enumerate(rows, start=2):
                value = tuple(row[c] for c in cols)
                if value in seen:
                    report.add(
                        "unique-error" if cols != table.primary_key else "primary-key",
                        f"{', '.join(cols)} = {value} repeats row {seen[value]}",
                        resource=name,
                        file=file,
                        row=i,
                        field=cols[0],
                    )
                else:
                    seen[value] = i
        keys[name] = {row[table.primary_key[0]] for row in rows}
    all_ids = set().union(
        *(keys[t] for t in TABLES if t not in ("documents", "sentences", "evidence", "coverage"))
    )
    for name, table in TABLES.items():
        file = resources[name]["path"]
        for col in table.columns:
            if col.ref is None:
                continue
            targets = all_ids if col.ref.table == "*" else keys[col.ref.table]
            for i, row in enumerate(typed.get(name, []), start=2):
                value = row[col.name]
                if value is not None and value not in targets:
                    report.add(
                        "foreign-key",
                        f"{value!r} is not a key of "
                        f"{col.ref.table if col.ref.table != '*' else 'any record table'}",
                        resource=name,
                        file=file,
                        row=i,
                        field=col.name,
                    )
    for i, row in enumerate(typed.get("evidence", []), start=2):
        if row["record_id"] not in all_ids:
            report.add(
                "foreign-key",
                f"record {row['record_id']!r} does not exist",
                resource="evidence",
                file=resources["evidence"]["path"],
                row=i,
                field="record_id",
            )
    if len(report.problems) == problems_before:  # offsets mean nothing if keys are broken
        _check_provenance(typed, files, resources, report)


def _check_provenance(
    typed: Rows, files: dict[str, bytes], resources: dict[str, Any], report: Report
) -> None:
    texts: dict[str, str] = {}
    for i, doc in enumerate(typed["documents"], start=2):
        rname = f"source-{doc['document_id']}"
        data = files.get(rname)
        if data is None:
            report.add(
                "missing-resource",
                f"source text {rname} is not in the package",
                resource="documents",
                row=i,
                field="document_id",
            )
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != doc["sha256"]:
            report.add(
                "source-hash",
                f"source sha256 is {digest}, documents says {doc['sha256']}",
                resource="documents",
                file=resources[rname]["path"],
                row=i,
                field="sha256",
            )
        texts[doc["document_id"]] = data.decode("utf-8")
    sentences: dict[str, tuple[str, int, int]] = {}
    for i, s in enumerate(typed["sentences"], start=2):
        text = texts.get(s["document_id"])
        if text is None:
            continue
        sentences[s["sentence_id"]] = (text, s["start"], s["end"])
        if text[s["start"] : s["end"]] != s["text"]:
            report.add(
                "quote-mismatch",
                f"text differs from the source at [{s['start']}, {s['end']})",
                resource="sentences",
                file=resources["sentences"]["path"],
                row=i,
                field="text",
            )
    spans = [("evidence", "start", "end", "quote")] + [
        (name, "quote_start", "quote_end", "quote")
        for name, t in TABLES.items()
        if "quote_start" in t.column_names
    ]
    for name, start_col, end_col, quote_col in spans:
        file = resources[name]["path"]
        for i, row in enumerate(typed.get(name, []), start=2):
            found = sentences.get(row["sentence_id"])
            if found is None:
                continue  # reported as a foreign key
            text, s_start, s_end = found
            start, end = row[start_col], row[end_col]
            if not 0 <= start < end <= len(text):
                report.add(
                    "offset-error",
                    f"offsets [{start}, {end}) out of range",
                    resource=name,
                    file=file,
                    row=i,
                    field=start_col,
                )
            elif text[start:end] != row[quote_col]:
                report.add(
                    "quote-mismatch",
                    f"quote {row[quote_col]!r} differs from the source "
                    f"at [{start}, {end}): {text[start:end]!r}",
                    resource=name,
                    file=file,
                    row=i,
                    field=quote_col,
                )
            elif not (s_start <= start and end <= s_end):
                report.add(
                    "offset-error",
                    f"quote at [{start}, {end}) lies outside sentence "
                    f"{row['sentence_id']} [{s_start}, {s_end})",
                    resource=name,
                    file=file,
                    row=i,
                    field=start_col,
                )
