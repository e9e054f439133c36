"""CSV injection: formula-like text is neutralised in CSV only, reversibly (OWASP guidance)."""

from __future__ import annotations

import pytest

import sinopak
from sinopak.codec import FORMULA_TRIGGERS, escape_formula, parse_csv, unescape_formula
from sinopak.pipeline.export import FORMULA_NOTE, csv_bytes
from sinopak.schema.tables import TABLES


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-IX", "'-IX"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("'=already quoted", "''=already quoted"),
        ("plain text", "plain text"),
        ("'quoted but harmless", "'quoted but harmless"),
        ("JF-17", "JF-17"),
    ],
)
def test_escape_round_trips(value: str, escaped: str) -> None:
    assert escape_formula(value) == escaped
    assert unescape_formula(escaped) == value


def test_csv_export_escapes_and_reader_restores() -> None:
    table = TABLES["coverage"]
    rows = [
        {
            "sentence_id": "x.s001",
            "status": "excluded",
            "record_count": 0,
            "reason": "=cmd|' /C calc'!A0",
        }
    ]
    data = csv_bytes(table, rows)
    assert b"\n" + b"x.s001,excluded,0,'=cmd|' /C calc'!A0\n" in data
    fields = [(c.name, c.kind) for c in table.columns]
    assert parse_csv(data, fields) == rows


def test_published_package_declares_the_rule() -> None:
    names = {"=": "=", "+": "+", "-": "-", "@": "@", "\t": "TAB", "\r": "CR"}
    assert set(names) == set(FORMULA_TRIGGERS)
    declared = {}
    for res in sinopak.datapackage()["resources"]:
        if res.get("type") == "table":
            declared[res["name"]] = res.get("sinopak:formulaEscape")
    csv_names = set(sinopak.tables())
    assert {n for n, note in declared.items() if note is not None} == csv_names
    assert len(declared) == 3 * len(csv_names)  # JSON and Parquet hold exact values: no note
    note = declared["events"]
    assert note == FORMULA_NOTE
    assert "OWASP" in note and "one extra leading single quote" in note
    assert f"{' '.join(names[t] for t in FORMULA_TRIGGERS[:-2])} TAB or CR" in note
