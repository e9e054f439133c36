"""W3C Web Annotations (dist/annotations.jsonld): every evidence span as an Annotation.

* target: the source text in `sources/`, selected twice, as the Web Annotation Data Model
  recommends: a `TextQuoteSelector` (`exact`, with up to 32 code points of `prefix` and
  `suffix`) that survives small edits, and a `TextPositionSelector` (`start` inclusive, `end`
  exclusive, counted in Unicode code points from 0 over the whole file) that is exact;
* body: the record the span supports, as its row in the CSV table (an RFC 7111 fragment,
  `row=N` counting the header as row 1), with the record's id, table and the span's role.

IRIs are relative to the package folder, so they resolve against the files beside this one.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any, BinaryIO
from urllib.parse import quote

from ..errors import BuildError
from .jsontext import json_bytes
from .schemaorg import HOMEPAGE

FILE_NAME = "annotations.jsonld"
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_WIDTH = 32  # code points of prefix and suffix
RFC7111 = "http://tools.ietf.org/rfc/rfc7111"
VOCAB = HOMEPAGE + "#"  # terms of our own, described in the README
EXTRA_CONTEXT = {
    "sinopak": VOCAB,
    "recordId": "sinopak:recordId",
    "recordTable": "sinopak:recordTable",
    "evidenceRole": "sinopak:evidenceRole",
    "sha256": "sinopak:sha256",
}


class EvidenceError(BuildError):
    """A record that should cite its source has no evidence span."""


def _key_columns(descriptor: dict[str, Any]) -> dict[str, str]:
    """Tables whose rows are records with evidence (they carry `evidence_count`) -> key."""
    out = {}
    for res in descriptor["resources"]:
        if res.get("type") != "table" or res["format"] != "csv":
            continue
        schema = res["schema"]
        names = [f["name"] for f in schema["fields"]]
        if "evidence_count" in names and len(schema["primaryKey"]) == 1:
            out[res["name"]] = schema["primaryKey"][0]
    return out


def require_evidence(descriptor: dict[str, Any], rows: dict[str, list[dict[str, Any]]]) -> None:
    """Raise EvidenceError naming every record that no evidence span supports."""
    cited = {(e["record_table"], e["record_id"]) for e in rows["evidence"]}
    missing = [
        f"{row[key]} ({table})"
        for table, key in _key_columns(descriptor).items()
        for row in rows[table]
        if (table, row[key]) not in cited
    ]
    if missing:
        raise EvidenceError(
            "record(s) without evidence cannot be published as annotations or in Croissant: "
            + ", ".join(missing[:20])
            + ("…" if len(missing) > 20 else "")
        )


def _source_of(rows: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """sentence_id -> its document row."""
    documents = {d["document_id"]: d for d in rows["documents"]}
    return {s["sentence_id"]: documents[s["document_id"]] for s in rows["sentences"]}


def _csv_rows(descriptor: dict[str, Any], rows: dict[str, list[dict[str, Any]]]) -> dict[Any, int]:
    """(table, record id) -> RFC 7111 row number of the record in csv/<table>.csv."""
    out = {}
    for table, key in _key_columns(descriptor).items():
        for n, row in enumerate(rows[table], start=2):  # row 1 is the header
            out[(table, row[key])] = n
    return out


# What `quote(text, safe="/")` leaves as it is (ASCII letters, digits, "_.-~" and "/"), and
# "#", which it writes as "%23": the characters of every id the build makes (an evidence id
# is "<record id>#<n>").
_PLAIN_ID = re.compile(r"[A-Za-z0-9_.~/#-]*")


def _fragment(ident: str) -> str:
    """`quote(ident, safe="/")`, without its call for an id of _PLAIN_ID's characters."""
    return ident.replace("#", "%23") if _PLAIN_ID.fullmatch(ident) else quote(ident, safe="/")


def annotation(
    ev: dict[str, Any], document: dict[str, Any], text: str, csv_row: int
) -> dict[str, Any]:
    start, end = ev["start"], ev["end"]
    exact = text[start:end]
    if exact != ev["quote"]:  # the build checked this already; never publish a wrong anchor
        raise EvidenceError(f"evidence {ev['evidence_id']}: quote differs from the source text")
    return {
        "id": "#" + _fragment(ev["evidence_id"]),
        "type": "Annotation",
        "motivation": "identifying",
        "body": {
            "type": "SpecificResource",
            "source": f"csv/{ev['record_table']}.csv",
            "selector": {
                "type": "FragmentSelector",
                "conformsTo": RFC7111,
                "value": f"row={csv_row}",
            },
            "recordId": ev["record_id"],
            "recordTable": ev["record_table"],
            "evidenceRole": ev["role"],
        },
        "target": {
            "type": "SpecificResource",
            "source": {
                "id": document["source_path"],
                "type": "Text",
                "format": "text/plain",
                "language": document["language"],
                "sha256": document["sha256"],
            },
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": exact,
                    "prefix": text[max(0, start - CONTEXT_WIDTH) : start],
                    "suffix": text[end : end + CONTEXT_WIDTH],
                },
                {"type": "TextPositionSelector", "start": start, "end": end},
            ],
        },
    }


def annotation_items(
    descriptor: dict[str, Any], rows: dict[str, list[dict[str, Any]]], texts: dict[str, str]
) -> Iterator[dict[str, Any]]:
    """An Annotation per evidence row, in evidence order, made one at a time.

    `texts` maps document_id to the exact source text the offsets count into."""
    require_evidence(descriptor, rows)
    source_of = _source_of(rows)
    csv_rows = _csv_rows(descriptor, rows)
    for ev in rows["evidence"]:
        doc = source_of[ev["sentence_id"]]
        row = csv_rows.get((ev["record_table"], ev["record_id"]))
        if row is None:
            raise EvidenceError(
                f"evidence {ev['evidence_id']}: record {ev['record_id']} is not in table "
                f"{ev['record_table']}"
            )
        yield annotation(ev, doc, texts[doc["document_id"]], row)


def _collection(descriptor: dict[str, Any], items: list[dict[str, Any]], total: int) -> Any:
    return {
        "@context": [ANNO_CONTEXT, EXTRA_CONTEXT],
        "id": "#annotations",
        "type": "AnnotationCollection",
        "label": f"{descriptor['title']}: evidence spans, version {descriptor['version']}",
        "total": total,
        "first": {"id": "#page1", "type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def annotation_collection(
    descriptor: dict[str, Any], rows: dict[str, list[dict[str, Any]]], texts: dict[str, str]
) -> dict[str, Any]:
    """An AnnotationCollection with one page holding an Annotation per evidence row, in
    memory (the build streams the same document to its file: `write_annotations`)."""
    items = list(annotation_items(descriptor, rows, texts))
    return _collection(descriptor, items, len(items))  # type: ignore[no-any-return]


ITEM_INDENT = b"      "  # items sit three levels deep: collection > first > items


def write_annotations(
    out: BinaryIO,
    descriptor: dict[str, Any],
    rows: dict[str, list[dict[str, Any]]],
    texts: dict[str, str],
) -> None:
    """`annotation_collection` written to `out` as json_bytes would write it (the same bytes:
    tested), one Annotation at a time: at 10,000 articles the document is 400 MB, and holding
    it whole (as objects, then as bytes) cost gigabytes."""
    import orjson  # lazy: only the build writes this file

    total = len(rows["evidence"])  # one Annotation per evidence row, or an error
    items = annotation_items(descriptor, rows, texts)
    first = next(items, None)  # checks every record's evidence, also when there is none
    head = json_bytes(_collection(descriptor, [], total))
    if first is None:
        out.write(head)
        return
    empty = b'"items": []'
    cut = head.rindex(empty)  # the last key of the document
    out.write(head[:cut] + b'"items": [\n')
    for n, item in enumerate(itertools.chain([first], items)):
        text = orjson.dumps(item, option=orjson.OPT_INDENT_2)
        out.write((b",\n" if n else b"") + ITEM_INDENT + text.replace(b"\n", b"\n" + ITEM_INDENT))
    out.write(b"\n" + ITEM_INDENT[2:] + b"]" + head[cut + len(empty) :])  # at the key's depth
