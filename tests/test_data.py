"""The published records read true against the article: real values, not shapes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import ROOT, SOURCE

import sinopak
from sinopak.schema.tables import RECORD_TABLES

D = dt.date


def rows(name: str) -> list[dict[str, Any]]:
    return sinopak.load(name)  # type: ignore[arg-type]


def by_key(name: str) -> dict[str, dict[str, Any]]:
    key = sinopak.datapackage()["resources"]
    pk = next(r for r in key if r["name"] == name)["schema"]["primaryKey"][0]
    return {r[pk]: r for r in rows(name)}


def test_document_row() -> None:
    doc = by_key("documents")["d3da3a035377400c"]
    assert doc["metadata_date"] == D(2020, 12, 11)
    assert (doc["date_basis"], doc["date_text"]) == ("metadata", None)
    assert (doc["date_earliest"], doc["date_latest"]) == (D(2020, 1, 1), D(2020, 12, 11))
    assert doc["text_scope"] == "full"
    assert doc["publisher"] is None and doc["url"] is None and doc["title"] is None
    assert doc["sha256"] == "f373c3ee4b22a06333590173080f3ad3081dc79378bea815207bdd78b03310c9"
    assert (doc["char_count"], doc["body_start"], doc["sentence_count"]) == (3387, 17, 20)


def texts() -> dict[str, str]:
    """Each document's source text, read from the published package, by document id."""
    folder = ROOT / "dist"
    return {
        d["document_id"]: (folder / d["source_path"]).read_text(encoding="utf-8")
        for d in rows("documents")
    }


def test_every_quote_is_exact_and_inside_its_sentence() -> None:
    text = texts()
    assert SOURCE.read_text(encoding="utf-8") == text["d3da3a035377400c"]
    sentences = by_key("sentences")
    evidence = rows("evidence")
    assert len(evidence) > 200
    for ev in evidence:
        s = sentences[ev["sentence_id"]]
        assert text[s["document_id"]][ev["start"] : ev["end"]] == ev["quote"]
        assert s["start"] <= ev["start"] < ev["end"] <= s["end"]


def test_full_coverage() -> None:
    coverage = rows("coverage")
    sentences = rows("sentences")
    assert len(coverage) == len(sentences) == 94
    seed = [r for r in coverage if r["sentence_id"].startswith("d3da3a035377400c.")]
    assert len(seed) == 20  # the seed article: every sentence cited
    assert all(r["status"] == "covered" and r["record_count"] > 0 for r in seed)
    for r in coverage:
        if r["status"] == "excluded":
            assert r["record_count"] == 0 and r["reason"]
        else:
            assert r["record_count"] > 0 and r["reason"] is None
    excluded = len([r for r in coverage if r["status"] == "excluded"])
    assert sinopak.datapackage()["sinopak:coverage"] == {
        "sentences": 94,
        "covered": 94 - excluded,
        "excluded": excluded,
    }


@pytest.mark.parametrize(
    ("event_id", "start", "end", "precision", "method"),
    [
        # Daily Pakistan (30 Nov, dated in its text): "called on" + the seed's "on Monday"
        ("evt.wei-bajwa-talks", D(2020, 11, 30), D(2020, 11, 30), "day", "reconciled"),
        # Hindustan Times (1 Dec): "on Tuesday" + the seed's "On Tuesday"
        ("evt.wei-alvi-khan-meeting", D(2020, 12, 1), D(2020, 12, 1), "day", "reconciled"),
        # China Military Online: "Dec. 7" + the seed's "on Monday"
        ("evt.chinese-air-force-deployment", D(2020, 12, 7), D(2020, 12, 7), "day", "reconciled"),
        # The Himalayan Times, "KATHMANDU, NOVEMBER 29": "today"
        ("evt.wei-trip-nepal", D(2020, 11, 29), D(2020, 11, 29), "day", "resolved"),
        ("evt.xu-qiliang-visit-rawalpindi", D(2019, 1, 1), D(2019, 12, 31), "year", "resolved"),
        ("evt.beca-signing", D(2020, 1, 1), D(2020, 12, 11), "year", "resolved"),
        ("evt.shaheen-2011", D(2011, 3, 1), D(2011, 3, 31), "month", "stated"),
        # UrduPoint "started on Wednesday" (9 Dec); Business Recorder "on Thursday" (24 Dec)
        ("evt.shaheen-ix", D(2020, 12, 9), D(2020, 12, 24), "day", "reconciled"),
        ("evt.mou-signing", None, D(2020, 11, 30), "unknown", "reconciled"),
    ],
)
def test_event_dates(event_id: str, start: Any, end: Any, precision: str, method: str) -> None:
    e = by_key("events")[event_id]
    assert (e["date_start"], e["date_end"], e["date_precision"], e["date_method"]) == (
        start,
        end,
        precision,
        method,
    )


def test_who_met_whom() -> None:
    parts = rows("participants")
    talks = {(p["entity_id"], p["role"]) for p in parts if p["event_id"] == "evt.wei-bajwa-talks"}
    assert talks == {("ent.wei-fenghe", "visitor"), ("ent.qamar-javed-bajwa", "host")}
    meeting = {p["entity_id"] for p in parts if p["event_id"] == "evt.wei-alvi-khan-meeting"}
    assert meeting == {"ent.wei-fenghe", "ent.arif-alvi", "ent.imran-khan"}
    signing = {p["entity_id"] for p in parts if p["event_id"] == "evt.mou-signing"}
    assert signing == {"ent.china", "ent.pakistan"}


def test_exercise() -> None:
    e = by_key("events")["evt.shaheen-ix"]
    assert e["event_type"] == "exercise" and e["status"] == "planned"
    assert e["place_id"] == "ent.bholari-airbase" and e["place_basis"] == "inferred"
    assert (e["plover_event"], e["cameo_code"]) == ("COOPERATE", "062")
    assert e["agreement_id"] == "agr.cooperation-plan-2020"
    claims = [c for c in rows("date_claims") if c["claim_id"].startswith("evt.shaheen-ix/d3da")]
    assert [(c["text"], c["part"], c["modality"]) for c in claims] == [
        ("late December", "end", "hedged")
    ]


def test_posts_as_given_at_the_time() -> None:
    posts = by_key("posts")
    wei = posts["post.wei-fenghe-defence-minister"]
    assert (wei["title"], wei["rank"], wei["as_of_date"]) == (
        "Defence Minister",
        "Gen",
        D(2020, 12, 11),
    )
    xu = posts["post.xu-qiliang-cmc-vice-chairman"]
    assert xu["as_of_date"] is None
    assert xu["as_of_event_id"] == "evt.xu-qiliang-visit-rawalpindi"
    assert posts["post.thapa-army-chief"]["rank"] == "Gen."


def test_country_codes_are_derived_and_described_as_such() -> None:
    ents = by_key("entities")
    codes = {
        k: (v["iso3166_alpha2"], v["iso3166_alpha3"])
        for k, v in ents.items()
        if v["entity_type"] == "country"
    }
    assert codes == {
        "ent.china": ("CN", "CHN"),
        "ent.pakistan": ("PK", "PAK"),
        "ent.india": ("IN", "IND"),
        "ent.united-states": ("US", "USA"),
        "ent.nepal": ("NP", "NPL"),
    }
    assert ents["ent.wei-fenghe"]["iso3166_alpha2"] is None
    fields = next(r for r in sinopak.datapackage()["resources"] if r["name"] == "entities")
    desc = {f["name"]: f["description"] for f in fields["schema"]["fields"]}
    assert desc["iso3166_alpha2"].startswith("Derived")


def test_hedged_and_editorial_material_is_labelled() -> None:
    st = by_key("statements")
    assert st["stm.s005-reports-mou-response"]["modality"] == "hedged"
    assert st["stm.s015-said-to-conclude"]["modality"] == "hedged"
    assert st["stm.s012-heading-provocation"]["modality"] == "editorial"
    assert st["stm.s012-heading-provocation"]["content"] == "China's provocation"
    failing = st["stm.s020-pakistan-failing"]
    assert failing["modality"] == "editorial" and failing["attribution_type"] == "article"
    assert "miserably failing" in failing["content"]
    # no event or relation publishes the editorial claim as fact
    for table in ("events", "relations"):
        assert not any(
            "miserably" in (r.get("description") or r.get("label") or "") for r in rows(table)
        )
    rel = by_key("relations")["rel.india-united-states-defence-partnership"]
    assert rel["modality"] == "hedged"


def test_statement_attribution() -> None:
    st = by_key("statements")
    call = st["stm.s008-wei-call"]
    assert (call["speaker_id"], call["source_id"], call["speech"]) == (
        "ent.wei-fenghe",
        "ent.chinese-state-media",
        "mixed",
    )
    assert call["content"].startswith("push the military-to-military relationship")
    assert st["stm.s016-ministry-on-exercise"]["speech"] == "direct"


def test_pronouns_resolve_with_antecedent_evidence() -> None:
    refs = {}
    for r in rows("mention_referents"):
        refs.setdefault(r["mention_id"], set()).add(r["referent_id"])
    assert refs["men.s003-both"] == {"ent.wei-fenghe", "ent.qamar-javed-bajwa"}
    assert refs["men.s014-the-troops"] == {"ent.chinese-air-force"}
    assert refs["men.s016-it-exercise"] == {"evt.shaheen-ix"}
    roles = {(e["record_id"], e["role"]) for e in rows("evidence")}
    for mention in refs:
        assert (mention, "mention") in roles and (mention, "antecedent") in roles


def test_place_containment() -> None:
    located = {
        (r["subject_id"], r["object_id"])
        for r in rows("relations")
        if r["relation_type"] == "located_in"
    }
    assert {
        ("ent.bholari-airbase", "ent.bholari"),
        ("ent.bholari", "ent.thatta-district"),
        ("ent.thatta-district", "ent.sindh"),
        ("ent.karachi", "ent.pakistan"),
    } <= located


def test_aliases_cover_surface_forms() -> None:
    aliases = {(a["entity_id"], a["alias"]) for a in rows("aliases")}
    assert ("ent.wei-fenghe", "Gen. Wei") in aliases
    assert ("ent.united-states", "America") in aliases
    assert ("ent.central-military-commission", "CMC") in aliases
    assert ("ent.china", "China's") in aliases and ("ent.china", "China’s") in aliases


def test_every_record_row_carries_its_first_quote() -> None:
    text = texts()
    for name in RECORD_TABLES:
        for r in rows(name):
            doc = r["sentence_id"].split(".")[0]
            assert text[doc][r["quote_start"] : r["quote_end"]] == r["quote"]
            assert r["evidence_count"] >= 1
