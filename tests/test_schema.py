"""One source of truth: schema/ and datapackage.json are generated from the models."""

from __future__ import annotations

import hashlib
import importlib
import json
import typing
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT

from sinopak._access import TableName
from sinopak._tables import TABLE_NAMES
from sinopak.errors import SinopakError
from sinopak.layout import resource_name
from sinopak.pipeline.dates import RULE_METHODS
from sinopak.pipeline.generated import replace_block, source_files
from sinopak.schema import models
from sinopak.schema import vocabularies as vocab
from sinopak.schema.table_schema import all_schemas, table_schema
from sinopak.schema.tables import RECORD_TABLES, TABLES

SHARED_SPECS = ROOT.parent / "shared" / "specs" / "datapackage-2.0"


def test_committed_schemas_match_the_models() -> None:
    generated = all_schemas()
    committed = {p.stem: json.loads(p.read_text()) for p in (ROOT / "schema").glob("*.json")}
    assert committed == generated


def test_descriptor_schemas_match_the_models() -> None:
    descriptor = json.loads((ROOT / "dist" / "datapackage.json").read_text())
    checked = 0
    for res in descriptor["resources"]:
        if res.get("type") != "table":
            continue
        table = TABLES[res["path"].split("/")[1].rsplit(".", 1)[0]]
        assert res["name"] == resource_name(table.name, res["format"])
        assert res["schema"] == table_schema(table, res["format"]), res["name"]
        checked += 1
    assert checked == 3 * len(TABLES)
    events_json = next(r for r in descriptor["resources"] if r["name"] == "events-json")
    fks = {fk["fields"][0]: fk["reference"] for fk in events_json["schema"]["foreignKeys"]}
    assert fks["place_id"] == {"resource": "entities-json", "fields": ["entity_id"]}


def test_descriptor_passes_the_official_data_package_2_profile() -> None:
    profile = json.loads((PROFILES / "datapackage.json").read_text())
    descriptor = json.loads((ROOT / "dist" / "datapackage.json").read_text())
    errors = list(jsonschema.Draft7Validator(profile).iter_errors(descriptor))
    assert errors == []
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"


# sha256 of the official Data Package 2.0 profiles (frictionlessdata/datapackage,
# public/profiles/2.0/), as vendored; the same files are in ../shared/specs/datapackage-2.0/.
PROFILE_SHA256 = {
    "datapackage.json": "a9ef0fc168b3402ae7aa7d22bbcb798e0db6b639e7ee15ff4aa177463cea7112",
    "dataresource.json": "067d769b44b22178615620d37ac4e9f732cf0459c5540255cbba2480aa91c35a",
    "tabledialect.json": "54e884a84e499b9f63b2f04e8e8aa47f4f2257fdf94a71b9462f40ed19a1d3b3",
    "tableschema.json": "a67779642acc7f51031d2e881166d31ef8dd90cd8a92c9ff8821d7a8821d0490",
}
PROFILES = ROOT / "src/sinopak/validation/profiles"


def test_vendored_profiles_are_the_official_ones() -> None:
    vendored = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in PROFILES.glob("*.json")}
    assert vendored == PROFILE_SHA256
    for name in PROFILE_SHA256:
        assert json.loads((PROFILES / name).read_text())["$schema"].startswith(
            "http://json-schema.org/"
        )


@pytest.mark.skipif(not SHARED_SPECS.is_dir(), reason=f"{SHARED_SPECS} is not checked out")
def test_pinned_profile_hashes_are_the_shared_specs() -> None:
    shared = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SHARED_SPECS.glob("*.json")
    }
    assert shared == PROFILE_SHA256


def test_literal_types_are_the_vocabularies() -> None:
    generated = importlib.import_module("sinopak.schema.vocabulary_types")
    assert len(vocab.VOCABULARIES) == 26
    for v in vocab.VOCABULARIES:
        assert typing.get_args(getattr(models, v.type_name)) == tuple(v.values), v.type_name
        assert typing.get_args(getattr(generated, v.type_name)) == tuple(v.values), v.type_name
        assert all(meaning.strip() for meaning in v.values.values()), v.type_name
    assert len({tuple(v.values) for v in vocab.VOCABULARIES}) == len(vocab.VOCABULARIES)
    assert typing.get_args(models.Modality) == ("asserted", "attributed", "hedged", "editorial")
    assert set(vocab.EVENT_CODES) == set(vocab.EVENT_TYPES)
    assert set(RULE_METHODS) == set(vocab.DATE_RULES)


def test_published_fields_carry_each_value_with_its_meaning() -> None:
    descriptor = json.loads((ROOT / "dist" / "datapackage.json").read_text())
    events = next(r for r in descriptor["resources"] if r["name"] == "events")
    fields = {f["name"]: f for f in events["schema"]["fields"]}
    modality = fields["modality"]
    assert modality["constraints"]["enum"] == ["asserted", "attributed", "hedged", "editorial"]
    assert modality["categories"][2] == {
        "value": "hedged",
        "label": "Qualified: 'according to reports', 'appears to be', 'is said to'.",
    }
    assert fields["date_method"]["categories"][3] == {
        "value": "bounded",
        "label": "One claim that gives only a bound (e.g. 'have signed': on or before the "
        "document's date).",
    }
    claims = next(r for r in descriptor["resources"] if r["name"] == "date_claims")
    status = {f["name"]: f for f in claims["schema"]["fields"]}["status"]
    assert status["constraints"]["enum"] == ["used", "discounted"]
    for res in descriptor["resources"]:
        for f in res.get("schema", {}).get("fields", []):
            enum = f.get("constraints", {}).get("enum")
            assert [c["value"] for c in f.get("categories", [])] == (enum or []), f["name"]


def test_generated_sources_are_up_to_date() -> None:
    generated = source_files(ROOT)
    assert set(generated) == {
        "src/sinopak/_tables.py",
        "src/sinopak/schema/table_defs.py",
        "src/sinopak/schema/vocabulary_types.py",
        "docs/CURATION.md",
        "README.md",
    }
    for rel, text in generated.items():
        assert (ROOT / rel).read_text(encoding="utf-8") == text, f"{rel} is stale"
    guide = generated["docs/CURATION.md"]
    assert (
        "| `hedged` | Qualified: 'according to reports', 'appears to be', 'is said to'. |" in guide
    )
    assert (
        "| `visit` | An official travels to another country or place. "
        "| CONSULT (mode visit) | 042 |" in guide
    )
    assert '| `month_year` | "March 2011": the whole month. | stated |' in guide
    readme = generated["README.md"]
    assert "`missing-resource`" in readme and "`frictionless-error`" in readme


def test_a_missing_marker_is_named(tmp_path: Path) -> None:
    with pytest.raises(SinopakError, match=r"docs/CURATION.md: expected the lines .*vocabularies"):
        replace_block("# guide\n", "vocabularies", "x\n", "docs/CURATION.md")
    text = "a\n<!-- BEGIN v: generated -->\nold\n<!-- END v -->\nb\n"
    assert replace_block(text, "v", "new\n", "x") == text.replace("old", "new")


def test_table_name_literal_lists_every_table() -> None:
    assert list(typing.get_args(TableName)) == list(TABLES) == list(TABLE_NAMES)
    assert RECORD_TABLES == (
        "entities",
        "aliases",
        "posts",
        "mentions",
        "events",
        "participants",
        "reports",
        "date_claims",
        "agreements",
        "agreement_parties",
        "statements",
        "relations",
    )


def test_every_column_is_described_and_typed() -> None:
    for table in TABLES.values():
        assert table.column_names[0] == table.primary_key[0] or len(table.primary_key) > 1
        for col in table.columns:
            assert col.description, f"{table.name}.{col.name} has no description"
            assert col.kind in ("string", "integer", "date", "boolean")


def test_foreign_keys_in_events_schema() -> None:
    fks = {fk["fields"][0]: fk["reference"] for fk in all_schemas()["events"]["foreignKeys"]}
    assert fks["place_id"] == {"resource": "entities", "fields": ["entity_id"]}
    assert fks["parent_event_id"] == {"fields": ["event_id"]}  # self-reference
    assert fks["sentence_id"] == {"resource": "sentences", "fields": ["sentence_id"]}


def test_load_docstring_lists_every_column_of_every_table() -> None:
    import sinopak

    doc = sinopak.load.__doc__ or ""
    for table in TABLES.values():
        assert f"\n{table.name} -- {table.description}\n" in doc
        for col in table.columns:
            assert f"    {col.name} " in doc
