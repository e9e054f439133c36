"""dist/croissant.json: Croissant 1.1 that mlcroissant validates and loads, value for value."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import mlcroissant as mlc
import pandas as pd
import pytest
from conftest import ROOT, run

import sinopak
from sinopak.pipeline.croissant import CONFORMS_TO, croissant
from sinopak.pipeline.web_annotations import EvidenceError

DIST = ROOT / "dist"
PATH = DIST / "croissant.json"
DOC = json.loads(PATH.read_text(encoding="utf-8"))


def rows_of_package() -> dict[str, list[dict[str, Any]]]:
    return {name: sinopak.load(name) for name in sinopak.tables()}  # type: ignore[call-overload]


def plain(value: Any) -> Any:
    """An mlcroissant value as the JSON files write it (text arrives as bytes, dates as
    pandas Timestamps, nulls as NaN or None)."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


@pytest.fixture(scope="module")
def dataset() -> mlc.Dataset:
    return mlc.Dataset(jsonld=str(PATH))


def test_mlcroissant_finds_no_error_and_only_the_missing_release_date(
    dataset: mlc.Dataset,
) -> None:
    issues = dataset.metadata.ctx.issues
    assert issues.errors == set()
    # datePublished is a release's date, which the seeds do not know (see CITATION.cff).
    assert [str(w) for w in issues.warnings] == [
        '[Metadata(sinopak)] Property "https://schema.org/datePublished" is recommended, '
        "but does not exist."
    ]


def test_the_mlcroissant_command_validates_it() -> None:
    cli = Path(sys.executable).with_name("mlcroissant")
    result = subprocess.run(
        [str(cli), "validate", "--jsonld", str(PATH)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower().replace("0 error", "")
    assert "Done." in result.stderr


@pytest.mark.parametrize("name", sinopak.tables())
def test_records_of_every_table_equal_the_json_values(dataset: mlc.Dataset, name: str) -> None:
    got = [
        {key.split("/", 1)[1]: plain(v) for key, v in record.items()}
        for record in dataset.records(record_set=name)
    ]
    expected = json.loads((DIST / "json" / f"{name}.json").read_text(encoding="utf-8"))
    assert len(got) == len(expected)
    assert got == expected


def test_one_record_set_per_table_with_types_keys_and_references() -> None:
    descriptor = sinopak.datapackage()
    assert DOC["conformsTo"] == CONFORMS_TO == "http://mlcommons.org/croissant/1.1"
    sets = {rs["@id"]: rs for rs in DOC["recordSet"]}
    assert list(sets) == sinopak.tables()
    for res in descriptor["resources"]:
        if res["format"] != "csv" or res.get("type") != "table":
            continue
        rs, schema = sets[res["name"]], res["schema"]
        assert [f["name"] for f in rs["field"]] == [f["name"] for f in schema["fields"]]
        key = rs["key"] if isinstance(rs["key"], list) else [rs["key"]]
        assert [k["@id"] for k in key] == [f"{res['name']}/{k}" for k in schema["primaryKey"]]
        refs = {
            f["name"]: (f["references"]["fileObject"]["@id"], f["references"]["extract"]["column"])
            for f in rs["field"]
            if "references" in f
        }
        expected = {
            fk["fields"][0]: (
                f"parquet/{fk['reference'].get('resource', res['name'])}.parquet",
                fk["reference"]["fields"][0],
            )
            for fk in schema.get("foreignKeys", [])
        }
        assert refs == expected
    events = {f["name"]: f for f in sets["events"]["field"]}
    assert events["date_start"]["dataType"] == "sc:Date"
    assert events["evidence_count"]["dataType"] == "sc:Integer"
    assert events["label"]["dataType"] == "sc:Text"
    assert events["agreement_id"]["references"] == {
        "fileObject": {"@id": "parquet/agreements.parquet"},
        "extract": {"column": "agreement_id"},
    }
    assert sets["participants"]["key"] == {"@id": "participants/participant_id"}
    assert sets["mention_referents"]["key"] == [
        {"@id": "mention_referents/mention_id"},
        {"@id": "mention_referents/referent_id"},
    ]


def test_every_file_of_the_package_is_distributed_with_its_sha256() -> None:
    objects = {d["@id"]: d for d in DOC["distribution"]}
    paths = [r["path"] for r in sinopak.datapackage()["resources"]]
    assert list(objects) == paths
    for path, obj in objects.items():
        data = (DIST / path).read_bytes()
        assert obj["sha256"] == hashlib.sha256(data).hexdigest(), path
        assert obj["contentSize"] == f"{len(data)} B"
        assert obj["contentUrl"] == path
    assert objects["parquet/events.parquet"]["encodingFormat"] == [
        "application/vnd.apache.parquet",
        "application/x-parquet",
    ]
    assert objects["csv/events.csv"]["encodingFormat"] == "text/csv"


def test_licences_per_part() -> None:
    assert DOC["license"] == "https://creativecommons.org/licenses/by/4.0/"
    sources = [d for d in DOC["distribution"] if d["@id"].startswith("sources/")]
    tables = [d for d in DOC["distribution"] if not d["@id"].startswith("sources/")]
    assert sources and all("license" not in d for d in tables)
    for d in sources:
        assert [lic["name"] for lic in d["license"]] == [
            "Copyright of the original publisher; quoted verbatim for verification only"
        ]


def test_dataset_facts() -> None:
    assert DOC["name"] == "sinopak" and DOC["version"] == sinopak.datapackage()["version"]
    assert (
        DOC["temporalCoverage"] == "2011-03-01/2020-12-31"
    )  # March 2011 … a claim of late December
    assert {p["name"] for p in DOC["spatialCoverage"]} >= {"China", "Pakistan", "India"}
    assert DOC["citeAs"].startswith("@misc{sinopak_1_0_0,")


def test_the_file_is_checked_for_drift(project: Path) -> None:
    target = project / "dist" / "croissant.json"
    target.write_text(target.read_text().replace('"sc:Date"', '"sc:Text"', 1))
    result = run("build", "--check", "--root", str(project))
    assert result.exit_code == 1
    assert "dist/croissant.json" in result.output


def test_a_record_without_evidence_is_a_build_error_naming_it() -> None:
    rows = rows_of_package()
    rows["evidence"] = [e for e in rows["evidence"] if e["record_id"] != "evt.wei-bajwa-talks"]
    with pytest.raises(EvidenceError, match=r"evt\.wei-bajwa-talks \(events\)"):
        croissant(sinopak.datapackage(), rows)


def test_generation_is_deterministic() -> None:
    rows = rows_of_package()
    first = croissant(sinopak.datapackage(), rows)
    assert first == croissant(sinopak.datapackage(), rows) == DOC
    assert dt.date(2020, 12, 11) in {r["metadata_date"] for r in rows["documents"]}


def test_the_readme_snippet_loads_events(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (code,) = [c for c in readme.split("```python\n")[1:] if c.startswith("import mlcroissant")]
    monkeypatch.chdir(ROOT)
    namespace: dict[str, Any] = {}
    exec(code.split("```", 1)[0], namespace)
    assert [plain(r["events/event_id"]) for r in namespace["events"]] == [
        e["event_id"] for e in sinopak.load("events")
    ]
