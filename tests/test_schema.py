"""One source of truth: schema/ and datapackage.json are generated from the models."""

from __future__ import annotations

import json
import typing

import jsonschema
from conftest import ROOT

from sinopak._access import TABLE_NAMES, TableName
from sinopak.schema import models
from sinopak.schema import vocabularies as vocab
from sinopak.schema.table_schema import all_schemas
from sinopak.schema.tables import RECORD_TABLES, TABLES


def test_committed_schemas_match_the_models() -> None:
    generated = all_schemas()
    committed = {p.stem: json.loads(p.read_text()) for p in (ROOT / "schema").glob("*.json")}
    assert committed == generated


def test_descriptor_schemas_match_the_models() -> None:
    descriptor = json.loads((ROOT / "dist" / "datapackage.json").read_text())
    for res in descriptor["resources"]:
        if res.get("type") != "table":
            continue
        table = res["path"].split("/")[1].rsplit(".", 1)[0]
        suffix = "" if res["format"] == "csv" else "-" + res["format"]
        expected = all_schemas()[table]
        if suffix:
            for fk in expected.get("foreignKeys", []):
                if "resource" in fk["reference"]:
                    fk["reference"]["resource"] += suffix
        assert res["schema"] == expected, res["name"]


def test_descriptor_passes_the_official_data_package_2_profile() -> None:
    profile = json.loads((ROOT / "src/sinopak/validation/profiles/datapackage.json").read_text())
    descriptor = json.loads((ROOT / "dist" / "datapackage.json").read_text())
    errors = list(jsonschema.Draft7Validator(profile).iter_errors(descriptor))
    assert errors == []
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"


def test_vendored_profiles_equal_the_shared_specs() -> None:
    shared = ROOT.parent / "shared" / "specs" / "datapackage-2.0"
    for path in (ROOT / "src/sinopak/validation/profiles").glob("*.json"):
        if shared.exists():
            assert path.read_bytes() == (shared / path.name).read_bytes()
        assert json.loads(path.read_text())["$schema"].startswith("http://json-schema.org/")


def test_literal_types_equal_the_documented_vocabularies() -> None:
    pairs = {
        models.EntityType: vocab.ENTITY_TYPES,
        models.AliasType: vocab.ALIAS_TYPES,
        models.MentionType: vocab.MENTION_TYPES,
        models.EventType: vocab.EVENT_TYPES,
        models.EventStatus: vocab.EVENT_STATUS,
        models.ParticipantRole: vocab.PARTICIPANT_ROLES,
        models.PlacePrecision: vocab.PLACE_PRECISION,
        models.Basis: vocab.BASIS,
        models.DatePrecision: vocab.DATE_PRECISION,
        models.DateMethod: vocab.DATE_METHODS,
        models.AgreementType: vocab.AGREEMENT_TYPES,
        models.PartyRole: vocab.PARTY_ROLES,
        models.AttributionType: vocab.ATTRIBUTION_TYPES,
        models.SpeechType: vocab.SPEECH_TYPES,
        models.Modality: vocab.MODALITIES,
        models.RelationType: vocab.RELATION_TYPES,
        models.CurationStatus: vocab.CURATION_STATUS,
        models.Confidence: vocab.CONFIDENCE,
        models.EvidenceRole: vocab.EVIDENCE_ROLES,
        models.SentenceKind: vocab.SENTENCE_KINDS,
        models.CoverageStatus: vocab.COVERAGE_STATUS,
    }
    for literal, documented in pairs.items():
        assert list(typing.get_args(literal)) == list(documented)
    assert set(vocab.EVENT_CODES) == set(vocab.EVENT_TYPES)


def test_table_name_literal_lists_every_table() -> None:
    assert list(typing.get_args(TableName)) == list(TABLES) == list(TABLE_NAMES)
    assert RECORD_TABLES == (
        "entities",
        "aliases",
        "posts",
        "mentions",
        "events",
        "participants",
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


def test_curation_guide_documents_every_vocabulary_value() -> None:
    guide = (ROOT / "docs" / "CURATION.md").read_text()
    for key in (
        "entity_type",
        "event_type",
        "modality",
        "relation_type",
        "date_precision",
        "date_method",
        "attribution_type",
        "speech",
        "role",
        "confidence",
    ):
        for value in vocab.ALL[key]:
            assert f"| `{value}` |" in guide, f"{key} value {value} missing from CURATION.md"
    for rule in typing.get_args(models.DateRule):
        assert f"| `{rule}` |" in guide, f"date rule {rule} missing from CURATION.md"


def test_load_docstring_lists_every_column_of_every_table() -> None:
    import sinopak

    doc = sinopak.load.__doc__ or ""
    for table in TABLES.values():
        assert f"\n{table.name} -- {table.description}\n" in doc
        for col in table.columns:
            assert f"    {col.name} " in doc
