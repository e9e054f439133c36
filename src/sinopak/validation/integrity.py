"""Checks across tables of a published package: keys, references and provenance."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from ..schema.columns import Column, Ref
from ..schema.table_defs import RECORD_TABLES, TABLES
from .provenance import check_provenance
from .report import ProblemType, Report

# evidence.record_id refers to a record of any table (not declared as a foreign key).
EVIDENCE_RECORD = Column("record_id", "string", True, "", ref=Ref("*"))

Rows = dict[str, list[dict[str, Any]]]

# Curated text holds no C0/C1 control character and no bidirectional override or isolate
# (which make text display as something else, "Trojan Source"); source texts may hold line
# feeds and tabs. Columns quoted from a source (QUOTED) must equal it instead.
UNSAFE_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
UNSAFE_SOURCE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
QUOTED = {("sentences", "text"), *((t, "quote") for t in (*RECORD_TABLES, "evidence"))}


def _char_name(char: str) -> str:
    import unicodedata

    kind = "a control character" if unicodedata.category(char) == "Cc" else "a bidi control"
    return f"{kind} (U+{ord(char):04X})"


def check_constraints(typed: Rows, resources: dict[str, Any], report: Report) -> None:
    """required, enum, pattern, minimum and minLength of every cell (typed CSV rows).

    Each column is first tested whole (`_column_holds`); only a column where some cell fails
    is read cell by cell, to report each problem where it is."""
    import re

    for name, table in TABLES.items():
        file = resources[name]["path"]
        rows = typed.get(name, [])
        for col in table.columns:
            pattern = re.compile(col.pattern) if col.pattern else None
            curated = col.kind == "string" and (name, col.name) not in QUOTED
            values = [row[col.name] for row in rows]
            if _column_holds(values, col, pattern, curated):
                continue
            for i, value in enumerate(values, start=2):
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
                elif curated and (bad := UNSAFE_TEXT.search(value)):
                    problem = f"expected text without {_char_name(bad.group())}, found {value!r}"
                if problem:
                    report.add(
                        "constraint-error", problem, resource=name, file=file, row=i, field=col.name
                    )


def _column_holds(
    values: list[Any], col: Column, pattern: re.Pattern[str] | None, curated: bool
) -> bool:
    """No cell of the column breaks a constraint `check_constraints` checks, found by tests of
    the whole column (a million cells at 10,000 articles were each read by Python)."""
    present = [v for v in values if v is not None]
    if col.required and len(present) != len(values):
        return False
    if not present:
        return True
    if col.enum and not set(present) <= set(col.enum):
        return False
    if pattern is not None and not all(map(pattern.fullmatch, present)):
        return False
    if col.minimum is not None and min(present) < col.minimum:
        return False
    if col.min_length is not None and min(map(len, present)) < col.min_length:
        return False
    # one search of the column's texts joined by a space (a character the class lacks)
    return not (curated and UNSAFE_TEXT.search(" ".join(present)))


def check_integrity(
    typed: Rows, files: dict[str, bytes], resources: dict[str, Any], report: Report
) -> None:
    """Primary keys, uniqueKeys, foreign keys, every quote against the source text, and the
    derived provenance columns recomputed (`provenance`)."""
    problems_before = len(report.problems)
    keys = check_keys(typed, resources, report)
    check_foreign_keys(typed, keys, resources, report)
    if len(report.problems) == problems_before:  # offsets mean nothing if keys are broken
        texts = source_texts(typed, files, resources, report)
        sentences = check_sentences(typed, texts, resources, report)
        check_quotes(typed, sentences, resources, report)
        check_provenance(typed, texts, resources, report)


def check_keys(typed: Rows, resources: dict[str, Any], report: Report) -> dict[str, set[Any]]:
    """Primary keys and uniqueKeys do not repeat; return each table's primary key values."""
    keys: dict[str, set[Any]] = {}
    for name, table in TABLES.items():
        rows = typed.get(name, [])
        for cols in (table.primary_key, *table.unique_keys):
            if _all_distinct(rows, cols):
                continue
            seen: dict[tuple[Any, ...], int] = {}
            for i, row in enumerate(rows, start=2):
                value = tuple(row[c] for c in cols)
                first = seen.setdefault(value, i)
                if first != i:
                    report.add(
                        "unique-error" if cols != table.primary_key else "primary-key",
                        f"expected unique {', '.join(cols)}, found {value} again (first in row "
                        f"{first})",
                        resource=name,
                        file=resources[name]["path"],
                        row=i,
                        field=cols[0],
                    )
        keys[name] = {row[table.primary_key[0]] for row in rows}
    return keys


def _all_distinct(rows: list[dict[str, Any]], cols: tuple[str, ...]) -> bool:
    """No two rows have the same values in `cols` (tested whole: then `check_keys` need not
    read row by row)."""
    values = list(zip(*([row[c] for row in rows] for c in cols), strict=True))
    return len(set(values)) == len(values)


def _all_keys(values: list[Any], targets: set[Any]) -> bool:
    """Every value is one of `targets` or null (tested whole: then `check_foreign_keys` need
    not read cell by cell)."""
    return targets.issuperset(values) or targets.issuperset(v for v in values if v is not None)


def check_foreign_keys(
    typed: Rows, keys: dict[str, set[Any]], resources: dict[str, Any], report: Report
) -> None:
    """Every reference is a key of its table (`*`: of any record table), and every evidence
    span belongs to a record."""
    all_ids: set[Any] = set().union(*(keys[t] for t in RECORD_TABLES))
    refs = [(name, col) for name, t in TABLES.items() for col in t.columns if col.ref is not None]
    refs += [("evidence", EVIDENCE_RECORD)]
    for name, col in refs:
        assert col.ref is not None
        star = col.ref.table == "*"
        targets = all_ids if star else keys[col.ref.table]
        where = "any record table" if star else f"table {col.ref.table}"
        values = [row[col.name] for row in typed.get(name, [])]
        if _all_keys(values, targets):
            continue
        for i, value in enumerate(values, start=2):
            if value is not None and value not in targets:
                report.add(
                    "foreign-key",
                    f"expected a key of {where}, found {value!r}",
                    resource=name,
                    file=resources[name]["path"],
                    row=i,
                    field=col.name,
                )


def source_texts(
    typed: Rows, files: dict[str, bytes], resources: dict[str, Any], report: Report
) -> dict[str, str]:
    """The text of each document's source file, whose sha256 must be the one it records."""
    texts: dict[str, str] = {}
    for i, doc in enumerate(typed["documents"], start=2):
        rname = f"source-{doc['document_id']}"
        data = files.get(rname)
        if data is None:
            report.add(
                "missing-resource",
                f"expected source text {rname} in the package, found none",
                resource="documents",
                row=i,
                field="document_id",
            )
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != doc["sha256"]:
            report.add(
                "source-hash",
                f"expected sha256 {doc['sha256']} (documents), found {digest}",
                resource="documents",
                file=resources[rname]["path"],
                row=i,
                field="sha256",
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            report.add(
                "encoding-error",
                f"expected UTF-8 text, found {exc.reason} at byte {exc.start}",
                resource=rname,
                file=resources[rname]["path"],
            )
            continue
        bad = UNSAFE_SOURCE.search(text)
        if bad is not None:
            report.add(
                "encoding-error",
                f"expected a source text without {_char_name(bad.group())}, found one at "
                f"character {bad.start()}",
                resource=rname,
                file=resources[rname]["path"],
            )
        texts[doc["document_id"]] = text
    return texts


Sentences = dict[str, tuple[str, int, int]]


def check_sentences(
    typed: Rows, texts: dict[str, str], resources: dict[str, Any], report: Report
) -> Sentences:
    """Each sentence's text is the source at its offsets; return (source, start, end) by id."""
    sentences: Sentences = {}
    for i, s in enumerate(typed["sentences"], start=2):
        text = texts.get(s["document_id"])
        if text is None:
            continue
        sentences[s["sentence_id"]] = (text, s["start"], s["end"])
        actual = text[s["start"] : s["end"]]
        if actual != s["text"]:
            report.add(
                "quote-mismatch",
                f"expected the source text at [{s['start']}, {s['end']}), "
                f"{_short(actual)}; found {_short(s['text'])}",
                resource="sentences",
                file=resources["sentences"]["path"],
                row=i,
                field="text",
            )
    return sentences


# Tables whose rows carry a quote: (table, start column, end column).
QUOTES = (
    ("evidence", "start", "end"),
    *((name, "quote_start", "quote_end") for name in RECORD_TABLES),
)


def check_quotes(
    typed: Rows, sentences: Sentences, resources: dict[str, Any], report: Report
) -> None:
    """Every quote is the source text at its offsets, inside its sentence."""
    for name, start_col, end_col in QUOTES:
        for i, row in enumerate(typed.get(name, []), start=2):
            found = sentences.get(row["sentence_id"])
            if found is None:
                continue  # reported as a foreign key
            problem = _quote_problem(row, row[start_col], row[end_col], found)
            if problem is not None:
                kind, message, is_quote = problem
                report.add(
                    kind,
                    message,
                    resource=name,
                    file=resources[name]["path"],
                    row=i,
                    field="quote" if is_quote else start_col,
                )


def _quote_problem(
    row: dict[str, Any], start: int, end: int, sentence: tuple[str, int, int]
) -> tuple[ProblemType, str, bool] | None:
    text, s_start, s_end = sentence
    if not 0 <= start < end <= len(text):
        return (
            "offset-error",
            f"expected offsets 0 <= start < end <= {len(text)}, found [{start}, {end})",
            False,
        )
    if text[start:end] != row["quote"]:
        return (
            "quote-mismatch",
            f"expected the source text at [{start}, {end}), {text[start:end]!r}; "
            f"found {row['quote']!r}",
            True,
        )
    if not (s_start <= start and end <= s_end):
        return (
            "offset-error",
            f"expected the quote inside sentence {row['sentence_id']} [{s_start}, {s_end}), "
            f"found [{start}, {end})",
            False,
        )
    return None


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")
