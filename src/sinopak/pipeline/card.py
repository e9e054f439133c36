"""The dataset card (dist/README.md), generated from the descriptor, the rows and the schema."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from ..schema.tables import TABLES
from .render import render
from .schemaorg import HOMEPAGE, dataset, script_block

SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"))
# The Hugging Face config that `load_dataset(folder)` loads when no config is named: the
# events (else the first table, should a package have no events).
DEFAULT_CONFIG = "events"


def _md(value: Any) -> str:
    """A value safe inside a Markdown table cell."""
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _constraints(field: dict[str, Any]) -> str:
    c = field.get("constraints", {})
    parts = []
    if c.get("required"):
        parts.append("required")
    if "enum" in c:
        parts.append("one of " + ", ".join(f"`{v}`" for v in c["enum"]))
    if "pattern" in c:
        parts.append(f"pattern `{c['pattern']}`")
    if "minimum" in c:
        parts.append(f"≥ {c['minimum']}")
    return "; ".join(parts)


def card_text(
    descriptor: dict[str, Any], rows: dict[str, list[dict[str, Any]]], citation: str
) -> str:
    """The dataset card: what the data is and is not, its tables, dictionary and licences."""
    tables = [
        table_view(res, rows[res["name"]])
        for res in descriptor["resources"]
        if res.get("format") == "csv"
    ]
    total = sum(t["rows"] for t in tables)
    size = next((label for limit, label in SIZE_CATEGORIES if total < limit), "n>100K")
    modality = _count("modality", rows, ("events", "statements", "relations", "agreements"))
    with_confidence = [n for n, t in TABLES.items() if "confidence" in t.column_names]
    names = [t["name"] for t in tables]
    return render(
        "card.md.j2",
        dp=descriptor,
        tables=tables,
        default_config=DEFAULT_CONFIG if DEFAULT_CONFIG in names else names[0],
        homepage=HOMEPAGE,
        bibtex=bibtex(descriptor),
        size=size,
        documents=rows["documents"],
        coverage=descriptor["sinopak:coverage"],
        modality=modality,
        confidence=_count("confidence", rows, with_confidence),
        total=total,
        citation=citation.splitlines(),
        vocabularies=vocabularies(descriptor),
        editorial=[r for r in rows["statements"] if r["modality"] in ("editorial", "hedged")],
        event_dates=event_dates(rows),
        mention_confidence=_count("confidence", rows, ("mentions",)),
        jsonld=script_block(dataset(descriptor, rows)),
    )


def event_dates(rows: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Per event: its sources, reconciled date and the claims that fixed it (or were left out)."""
    claims: dict[str, list[dict[str, Any]]] = {}
    for c in rows["date_claims"]:
        claims.setdefault(c["event_id"], []).append(c)
    out = []
    for e in sorted(rows["events"], key=lambda r: (str(r["date_start"] or ""), r["event_id"])):
        out.append(
            {
                "event_id": e["event_id"],
                "sources": e["source_count"],
                "date": _range(e["date_start"], e["date_end"]),
                "method": e["date_method"],
                "confidence": e["date_confidence"],
                "used": [_claim(c) for c in claims.get(e["event_id"], []) if c["status"] == "used"],
                "discounted": [
                    f"{_claim(c)}: {_md(c['discount_reason'])}"
                    for c in claims.get(e["event_id"], [])
                    if c["status"] == "discounted"
                ],
            }
        )
    return out


def _range(start: Any, end: Any) -> str:
    if start is not None and start == end:
        return str(start)
    return f"{start or '…'} – {end or '…'}"


def _claim(c: dict[str, Any]) -> str:
    phrase = f"“{_md(c['text'])}”" if c["text"] else _md(c["rule"])
    days = _range(c["range_start"], c["range_end"])
    return f"{phrase} ({c['document_id'][:6]}, {c['part']}: {days})"


def bibtex(descriptor: dict[str, Any]) -> str:
    """A BibTeX @misc entry for this version of the package."""
    version = descriptor["version"]
    authors = " and ".join("{" + c["title"] + "}" for c in descriptor.get("contributors", []))
    fields = {
        "title": descriptor["title"],
        "author": authors,
        "version": version,
        "howpublished": f"\\url{{{HOMEPAGE}}}",
        "note": "Data package (CSV, JSON, Parquet) with sentence-level provenance",
    }
    key = f"{descriptor['name']}_{version.replace('.', '_')}"
    body = ",\n".join(f"  {k:<12} = {{{v}}}" for k, v in fields.items())
    return f"@misc{{{key},\n{body}\n}}"


def table_view(res: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One table of the data dictionary: its fields with constraints and an example value."""
    fields = []
    for f in res["schema"]["fields"]:
        example = _md(next((r[f["name"]] for r in rows if r[f["name"]] is not None), None))
        fields.append(
            {
                "name": f["name"],
                "type": f["type"],
                "description": _md(f["description"]),
                "constraints": _md(_constraints(f)),
                "example": (example[:60] + "…") if len(example) > 61 else example,
            }
        )
    return {
        "name": res["name"],
        "title": res["title"],
        "description": res["description"],
        "rows": len(rows),
        "fields": fields,
        "key": ", ".join(res["schema"]["primaryKey"]),
    }


def _count(
    column: str, rows: dict[str, list[dict[str, Any]]], tables: Iterable[str]
) -> list[tuple[str, int]]:
    """How many rows of `tables` hold each value of `column`, by value."""
    counts = Counter(r[column] for name in tables for r in rows[name])
    return sorted(counts.items())


def vocabularies(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """Each distinct vocabulary of the CSV tables' fields, with the columns that use it."""
    found: dict[str, dict[str, Any]] = {}
    for res in descriptor["resources"]:
        if res.get("format") != "csv":
            continue
        for f in res["schema"]["fields"]:
            if "categories" in f:
                key = json.dumps(f["categories"], sort_keys=True)
                entry = found.setdefault(key, {"columns": {}, "categories": f["categories"]})
                entry["columns"].setdefault(f["name"], []).append(res["name"])
    return [
        {
            "heading": "; ".join(f"`{name}` ({', '.join(t)})" for name, t in v["columns"].items()),
            "categories": [
                {"value": c["value"], "label": _md(c.get("label", ""))} for c in v["categories"]
            ],
        }
        for v in found.values()
    ]
