"""The dataset card (dist/README.md), generated from the descriptor, the rows and the schema."""

from __future__ import annotations

from typing import Any

from ..schema.tables import TABLES

SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"))


def _env() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("sinopak.pipeline", "templates"),
        autoescape=False,  # Markdown; values are escaped by the md filter where needed
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


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


def card_text(descriptor: dict[str, Any], rows: dict[str, list[dict[str, Any]]]) -> str:
    tables = []
    for res in descriptor["resources"]:
        if res.get("format") != "csv":
            continue
        name = res["name"]
        fields = []
        for f in res["schema"]["fields"]:
            example = next((r[f["name"]] for r in rows[name] if r[f["name"]] is not None), None)
            ex = _md(example)
            fields.append(
                {
                    "name": f["name"],
                    "type": f["type"],
                    "description": _md(f["description"]),
                    "constraints": _md(_constraints(f)),
                    "example": (ex[:60] + "…") if len(ex) > 61 else ex,
                }
            )
        tables.append(
            {
                "name": name,
                "title": res["title"],
                "description": res["description"],
                "rows": len(rows[name]),
                "fields": fields,
                "key": ", ".join(res["schema"]["primaryKey"]),
            }
        )
    total = sum(t["rows"] for t in tables)
    size = next((label for limit, label in SIZE_CATEGORIES if total < limit), "n>100K")
    modality: dict[str, int] = {}
    for name in ("events", "statements", "relations", "agreements"):
        for r in rows[name]:
            modality[r["modality"]] = modality.get(r["modality"], 0) + 1
    confidence: dict[str, int] = {}
    for name, table in TABLES.items():
        if "confidence" in table.column_names:
            for r in rows[name]:
                confidence[r["confidence"]] = confidence.get(r["confidence"], 0) + 1
    return str(
        _env()
        .get_template("card.md.j2")
        .render(
            dp=descriptor,
            tables=tables,
            size=size,
            documents=rows["documents"],
            coverage=descriptor["sinopak:coverage"],
            modality=sorted(modality.items()),
            confidence=sorted(confidence.items()),
            total=total,
            editorial=[r for r in rows["statements"] if r["modality"] in ("editorial", "hedged")],
        )
    )
