"""The accessor: light import, typed values, every backend, clear errors, integrity."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, point_accessor_at

import sinopak

HEAVY = ["pandas", "pyarrow", "polars", "pydantic", "frictionless", "click", "yaml", "numpy"]


def test_import_is_light() -> None:
    code = (
        "import sys, sinopak; sinopak.load('events'); sinopak.tables(); "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_tables() -> None:
    assert sinopak.tables() == [
        "documents",
        "sentences",
        "entities",
        "aliases",
        "posts",
        "mentions",
        "mention_referents",
        "events",
        "participants",
        "reports",
        "date_claims",
        "agreements",
        "agreement_parties",
        "statements",
        "statement_subjects",
        "relations",
        "evidence",
        "coverage",
    ]


def test_python_backend_has_python_values() -> None:
    events = sinopak.load("events")
    talks = next(e for e in events if e["event_id"] == "evt.wei-bajwa-talks")
    assert talks["date_start"] == dt.date(2020, 11, 30)
    assert isinstance(talks["quote_start"], int) and talks["quote_start"] == 156
    assert talks["place_id"] == "ent.pakistan"
    assert talks["agreement_id"] is None
    assert list(talks)[:3] == ["event_id", "event_type", "label"]


def test_unknown_table_lists_valid_names() -> None:
    with pytest.raises(ValueError, match=r"unknown table 'event'; valid names: documents, "):
        sinopak.load("event")  # type: ignore[call-overload]


def test_unknown_backend() -> None:
    with pytest.raises(ValueError, match="unknown backend 'spark'"):
        sinopak.load("events", backend="spark")  # type: ignore[call-overload]


def test_arrow_backend_types() -> None:
    import pyarrow as pa

    table = sinopak.load("events", backend="arrow")
    assert table.schema.field("date_start").type == pa.date32()
    assert table.schema.field("quote_start").type == pa.int64()
    assert table.schema.field("event_id").metadata[b"description"].startswith(b"Stable id")
    assert table.num_rows == len(sinopak.load("events"))


def test_pandas_backend_dtypes() -> None:
    import pandas as pd

    frame = sinopak.load("events", backend="pandas")
    assert str(frame["quote_start"].dtype) == "Int64"
    assert str(frame["date_start"].dtype) == "date32[day][pyarrow]"
    assert str(frame["event_id"].dtype) in ("string", "str")
    mou = frame.set_index("event_id").loc["evt.mou-signing"]
    assert mou["date_start"] is pd.NA


def test_polars_backend() -> None:
    import polars as pl

    frame = sinopak.load("events", backend="polars")
    assert frame.schema["date_start"] == pl.Date
    assert frame.schema["quote_start"] == pl.Int64
    row = frame.filter(pl.col("event_id") == "evt.wei-alvi-khan-meeting").row(0, named=True)
    assert row["date_start"] == dt.date(2020, 12, 1)


def test_every_table_same_values_in_every_backend() -> None:
    for name in sinopak.tables():
        python = sinopak.load(name)  # type: ignore[call-overload]
        arrow = sinopak.load(name, backend="arrow").to_pylist()  # type: ignore[call-overload]
        polars = sinopak.load(name, backend="polars").to_dicts()  # type: ignore[call-overload]
        assert python == arrow == polars, name


def test_missing_optional_dependency_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "polars", None)
    with pytest.raises(ImportError, match=r"pip install 'sinopak\[polars\]'"):
        sinopak.load("events", backend="polars")


def test_records_are_pydantic_models() -> None:
    recs = sinopak.records("posts")
    wei = next(r for r in recs if r.post_id == "post.wei-fenghe-defence-minister")
    assert wei.title == "Defence Minister" and wei.as_of_date == dt.date(2020, 12, 11)
    with pytest.raises(Exception, match="frozen"):
        wei.title = "x"


def test_evidence_for_a_record() -> None:
    spans = sinopak.evidence("evt.wei-alvi-khan-meeting")
    assert [(s["sentence_id"], s["start"], s["end"]) for s in spans] == [
        ("d3da3a035377400c.s007", 1139, 1217)
    ]
    assert spans[0]["quote"].startswith("On Tuesday he met")
    assert spans[0]["sentence"].endswith("Prime Minister Imran Khan.")
    with pytest.raises(KeyError, match=r"no record 'evt\.nope'"):
        sinopak.evidence("evt.nope")


def test_record_by_id() -> None:
    found = sinopak.record("evt.wei-alvi-khan-meeting")
    assert (found["record_id"], found["table"]) == ("evt.wei-alvi-khan-meeting", "events")
    assert found["row"]["event_type"] == "meeting"
    assert found["row"]["date_start"] == dt.date(2020, 12, 1)
    assert found["evidence"] == sinopak.evidence("evt.wei-alvi-khan-meeting")
    child = sinopak.record("evt.mou-signing/china")
    assert (child["table"], child["row"]["role"]) == ("participants", "signatory")
    with pytest.raises(sinopak.UnknownRecordError, match=r"^no record 'evt\.nope'; ids look"):
        sinopak.record("evt.nope")
    with pytest.raises(KeyError):  # an unknown id is a KeyError too
        sinopak.record("d3da3a035377400c.s001")  # a sentence, not a record


def test_datapackage_is_a_fresh_copy() -> None:
    dp = sinopak.datapackage()
    dp["name"] = "changed"
    assert sinopak.datapackage()["name"] == "sinopak"


def test_version_matches_the_data_package() -> None:
    assert sinopak.__version__ == sinopak.datapackage()["version"]


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "dist", copy)
    point_accessor_at(monkeypatch, copy)
    return copy


def test_verify_passes_on_the_bundled_data() -> None:
    sinopak.verify()


def test_verify_names_a_tampered_file(data_copy: Path) -> None:
    path = data_copy / "parquet" / "events.parquet"
    path.write_bytes(path.read_bytes() + b"x")
    with pytest.raises(sinopak.IntegrityError, match=r"events-parquet \(parquet/events.parquet\)"):
        sinopak.verify()


def test_verify_names_a_missing_file(data_copy: Path) -> None:
    (data_copy / "json" / "posts.json").unlink()
    with pytest.raises(sinopak.IntegrityError, match=r"posts-json \(json/posts.json\): missing"):
        sinopak.verify()


def test_descriptor_read_from_copy(data_copy: Path) -> None:
    dp = json.loads((data_copy / "datapackage.json").read_text())
    assert sinopak.datapackage() == dp
