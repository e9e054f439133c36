"""dist/annotations.jsonld: every evidence span as a W3C Web Annotation that re-anchors.

The file is expanded by a JSON-LD processor (pyld), and every annotation is re-anchored in its
source with a plain implementation of both selectors written here, independent of the build.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlparse
from urllib.request import url2pathname

import pytest
from conftest import ROOT, published, run
from pyld import jsonld

import sinopak
from sinopak.pipeline.jsontext import json_bytes
from sinopak.pipeline.web_annotations import (
    EvidenceError,
    annotation_collection,
    write_annotations,
)

DIST = ROOT / "dist"
PATH = DIST / "annotations.jsonld"
DOC = json.loads(PATH.read_text(encoding="utf-8"))
ANNO_CONTEXT = json.loads((Path(__file__).parent / "data" / "anno.jsonld").read_text())

OA = "http://www.w3.org/ns/oa#"
AS = "http://www.w3.org/ns/activitystreams#"
VOCAB = "https://github.com/sinopak/sinopak#"
RFC7111 = "http://tools.ietf.org/rfc/rfc7111"


def offline_loader(url: str, options: dict[str, Any]) -> dict[str, Any]:
    """Serve the W3C context from a local copy; any other fetch is a test failure."""
    if url.rstrip("/") in ("http://www.w3.org/ns/anno.jsonld", "https://www.w3.org/ns/anno.jsonld"):
        return {"contextUrl": None, "documentUrl": url, "document": ANNO_CONTEXT}
    raise AssertionError(f"the JSON-LD processor tried to fetch {url}")


@pytest.fixture(scope="module")
def expanded() -> list[dict[str, Any]]:
    return jsonld.expand(  # type: ignore[no-any-return]
        DOC, {"base": PATH.as_uri(), "documentLoader": offline_loader}
    )


def one(node: dict[str, Any], prop: str) -> Any:
    values = node[prop]
    assert len(values) == 1, (prop, values)
    value = values[0]
    return value.get("@value", value.get("@id", value))


def annotation_nodes(expanded: list[dict[str, Any]]) -> list[dict[str, Any]]:
    (collection,) = expanded
    assert collection["@type"] == [AS + "OrderedCollection"]
    (page,) = collection[AS + "first"]
    assert page["@type"] == [AS + "OrderedCollectionPage"]
    (items,) = page[AS + "items"]
    return list(items["@list"])


def read_iri(iri: str) -> str:
    parsed = urlparse(iri)
    assert parsed.scheme == "file", iri
    return Path(url2pathname(parsed.path)).read_text(encoding="utf-8")


def anchor_quote(text: str, exact: str, prefix: str, suffix: str) -> list[int]:
    """TextQuoteSelector: every start where `exact` occurs between `prefix` and `suffix`."""
    hits = []
    i = text.find(exact)
    while i != -1:
        if text[:i].endswith(prefix) and text[i + len(exact) :].startswith(suffix):
            hits.append(i)
        i = text.find(exact, i + 1)
    return hits


def anchor_position(text: str, start: int, end: int) -> str:
    """TextPositionSelector: characters [start, end), counted in code points from 0."""
    return "".join(ch for n, ch in enumerate(text) if start <= n < end)


def selectors(target: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {}
    for sel in target[OA + "hasSelector"]:
        (kind,) = sel["@type"]
        out[kind.removeprefix(OA)] = sel
    return out


def test_every_evidence_span_is_one_annotation(expanded: list[dict[str, Any]]) -> None:
    evidence = sinopak.load("evidence")
    nodes = annotation_nodes(expanded)
    assert DOC["total"] == len(nodes) == len(evidence) > 0
    ids = [unquote(urldefrag(n["@id"]).fragment) for n in nodes]
    assert ids == [e["evidence_id"] for e in evidence]
    for n in nodes:
        assert n["@type"] == [OA + "Annotation"]
        assert one(n, OA + "motivatedBy") == OA + "identifying"


def test_every_annotation_reanchors_by_quote_and_by_position(
    expanded: list[dict[str, Any]],
) -> None:
    evidence = {e["evidence_id"]: e for e in sinopak.load("evidence")}
    documents = {d["source_path"]: d for d in sinopak.load("documents")}
    texts: dict[str, str] = {}
    for node in annotation_nodes(expanded):
        ev = evidence[unquote(urldefrag(node["@id"]).fragment)]
        (target,) = node[OA + "hasTarget"]
        (source,) = target[OA + "hasSource"]
        iri = source["@id"]
        assert iri.startswith((DIST / "sources").as_uri() + "/")
        text = texts.setdefault(iri, read_iri(iri))
        doc = documents[Path(urlparse(iri).path).relative_to(DIST).as_posix()]
        assert one(source, VOCAB + "sha256") == doc["sha256"]
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == doc["sha256"]
        sel = selectors(target)
        quote, position = sel["TextQuoteSelector"], sel["TextPositionSelector"]
        exact, prefix, suffix = (one(quote, OA + k) for k in ("exact", "prefix", "suffix"))
        start, end = one(position, OA + "start"), one(position, OA + "end")
        assert position[OA + "start"][0]["@type"].endswith("#nonNegativeInteger")
        # The quote finds exactly one place, and it is where the position points.
        assert anchor_quote(text, exact, prefix, suffix) == [start]
        assert anchor_position(text, start, end) == exact
        # Both agree with the evidence table.
        assert (start, end, exact) == (ev["start"], ev["end"], ev["quote"])
        assert prefix == text[max(0, start - 32) : start] and len(prefix) == min(32, start)
        assert suffix == text[end : end + 32] and len(suffix) == min(32, len(text) - end)


def test_the_body_is_the_record_it_supports(expanded: list[dict[str, Any]]) -> None:
    evidence = {e["evidence_id"]: e for e in sinopak.load("evidence")}
    keys = {
        r["name"]: r["schema"]["primaryKey"][0]
        for r in sinopak.datapackage()["resources"]
        if r["format"] == "csv" and r.get("type") == "table"
    }
    tables: dict[str, list[list[str]]] = {}
    for node in annotation_nodes(expanded):
        ev = evidence[unquote(urldefrag(node["@id"]).fragment)]
        (body,) = node[OA + "hasBody"]
        assert body["@type"] == [OA + "SpecificResource"]
        assert one(body, VOCAB + "recordId") == ev["record_id"]
        assert one(body, VOCAB + "recordTable") == ev["record_table"]
        assert one(body, VOCAB + "evidenceRole") == ev["role"]
        # The RFC 7111 fragment points at the record's row of the CSV table.
        source = one(body, OA + "hasSource")
        assert source == (DIST / "csv" / f"{ev['record_table']}.csv").as_uri()
        (selector,) = body[OA + "hasSelector"]
        assert one(selector, "http://purl.org/dc/terms/conformsTo") == RFC7111
        row_no = int(one(selector, "http://www.w3.org/1999/02/22-rdf-syntax-ns#value")[4:])
        table = ev["record_table"]
        if table not in tables:
            with (DIST / "csv" / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
                tables[table] = list(csv.reader(fh))
        header, row = tables[table][0], tables[table][row_no - 1]
        assert row[header.index(keys[table])] == ev["record_id"]


def test_offsets_count_code_points_not_bytes() -> None:
    """A span after curly apostrophes: UTF-8 byte offsets would disagree here."""
    item = next(a for a in DOC["first"]["items"] if a["id"] == "#agr.beca%231")
    position = item["target"]["selector"][1]
    text = (DIST / item["target"]["source"]["id"]).read_text(encoding="utf-8")
    assert "’" in text[: position["start"]]
    assert len(text[: position["start"]].encode("utf-8")) > position["start"]
    assert text[position["start"] : position["end"]] == item["target"]["selector"][0]["exact"]


def test_the_quote_survives_an_edit_before_it() -> None:
    """Positions go stale when the text changes; the quote with its context still anchors."""
    item = DOC["first"]["items"][0]
    quote, position = item["target"]["selector"]
    text = (DIST / item["target"]["source"]["id"]).read_text(encoding="utf-8")
    edited = "Correction appended by the publisher. " + text
    assert anchor_position(edited, position["start"], position["end"]) != quote["exact"]
    shift = len("Correction appended by the publisher. ")
    assert anchor_quote(edited, quote["exact"], quote["prefix"], quote["suffix"]) == [
        position["start"] + shift
    ]


def test_the_file_is_checked_for_drift(project: Path) -> None:
    target = project / "dist" / "annotations.jsonld"
    target.write_text(target.read_text().replace('"start": 983', '"start": 984', 1))
    result = run("build", "--check", "--root", str(project))
    assert result.exit_code == 1
    assert "dist/annotations.jsonld" in result.output


def _streamed(descriptor: dict[str, Any], rows: dict[str, Any], texts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    write_annotations(out, descriptor, rows, texts)
    return out.getvalue()


def test_the_streamed_file_is_the_collection_as_indented_json() -> None:
    rows, texts = published()
    streamed = _streamed(sinopak.datapackage(), rows, texts)
    assert streamed == json_bytes(annotation_collection(sinopak.datapackage(), rows, texts))
    assert streamed == PATH.read_bytes()
    assert len(json.loads(streamed)["first"]["items"]) == len(rows["evidence"]) > 400


def test_the_streamed_file_without_evidence_and_with_a_label_like_the_items_key() -> None:
    rows: dict[str, Any] = {"evidence": [], "documents": [], "sentences": []}
    descriptor = {"title": 'odd "items": [] title', "version": "1.0.0", "resources": []}
    streamed = _streamed(descriptor, rows, {})
    assert streamed == json_bytes(annotation_collection(descriptor, rows, {}))
    assert json.loads(streamed)["first"]["items"] == []
    rows, texts = published()
    descriptor = {**sinopak.datapackage(), "title": 'odd "items": [] title'}
    streamed = _streamed(descriptor, rows, texts)
    assert streamed == json_bytes(annotation_collection(descriptor, rows, texts))
    assert json.loads(streamed)["label"].startswith('odd "items": [] title')


def test_a_record_without_evidence_is_an_error_naming_it() -> None:
    rows, texts = published()
    rows["evidence"] = [e for e in rows["evidence"] if e["record_id"] != "ent.nepal"]
    with pytest.raises(EvidenceError, match=r"ent\.nepal \(entities\)"):
        annotation_collection(sinopak.datapackage(), rows, texts)
    with pytest.raises(EvidenceError, match=r"ent\.nepal \(entities\)"):
        _streamed(sinopak.datapackage(), rows, texts)
    rows["evidence"] = []  # no evidence at all: records are named, nothing is written
    with pytest.raises(EvidenceError, match=r"without evidence .*: ent\.aiwan-e-sadr \(entities\)"):
        _streamed(sinopak.datapackage(), rows, texts)


def test_fragment_ids_are_what_quote_makes_of_them() -> None:
    from urllib.parse import quote

    from sinopak.pipeline.web_annotations import _fragment

    ids = ["ev.a-1_b~c/d", "", "ev. space", "ev.é", "ev.%41", "ev.#x", "ev?a=b", "a\u2028b", "/"]
    ids += ["agr.mou-1#1", "agr.mou-1/bangladesh#12", "##", "#é", "# "]  # as the build makes
    rng = random.Random(13)
    alphabet = "az09_.-~/ %#?&é–\n"
    ids += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) for _ in range(2000)]
    assert [_fragment(i) for i in ids] == [quote(i, safe="/") for i in ids]
