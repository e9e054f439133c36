"""schema.org `Dataset` JSON-LD for dataset search, generated from the descriptor and the rows.

The same facts open `croissant.json` (Croissant is schema.org with ML vocabulary on top) and are
embedded as a `<script type="application/ld+json">` block in the explorer and the card.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from .release import zip_name

# Where the project lives; `[project.urls] Source` in pyproject.toml (a test checks they agree).
HOMEPAGE = "https://github.com/sinopak/sinopak"
SCHEMA_ORG = "https://schema.org/"


def table_resources(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """One resource per table: the CSV resources, which carry the bare table names."""
    return [r for r in descriptor["resources"] if r.get("type") == "table" and r["format"] == "csv"]


def file_resources(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """Every file the descriptor lists (tables in all formats, and the sources)."""
    return list(descriptor["resources"])


def size_of(resource: dict[str, Any]) -> int:
    return int(resource.get("bytes", resource.get("sinopak:bytes", 0)))


def sha256_of(resource: dict[str, Any]) -> str:
    return str(resource["hash"]).removeprefix("sha256:")


def license_url(descriptor: dict[str, Any]) -> str:
    return str(descriptor["licenses"][0]["path"])


def creators(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"@type": "Organization", "name": c["title"]}
        for c in descriptor.get("contributors", [])
        if "creator" in c.get("roles", [])
    ]


def temporal_coverage(
    descriptor: dict[str, Any], rows: dict[str, list[dict[str, Any]]]
) -> str | None:
    """ISO 8601 interval from the earliest to the latest date any record holds (any date
    column of any table), or None when no row has a date."""
    dates: list[dt.date] = []  # the earliest and latest of each column (a column at a time)
    for res in table_resources(descriptor):
        table = rows.get(res["name"], [])
        for c in (f["name"] for f in res["schema"]["fields"] if f["type"] == "date"):
            if column := [d for row in table if (d := row.get(c)) is not None]:
                dates += (min(column), max(column))
    if not dates:
        return None
    return f"{min(dates).isoformat()}/{max(dates).isoformat()}"


def spatial_coverage(rows: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The countries the records name, with their ISO 3166-1 alpha-2 codes where derived."""
    places = []
    for e in rows.get("entities", []):
        if e.get("entity_type") != "country":
            continue
        place: dict[str, Any] = {"@type": "Country", "name": e["name"]}
        if e.get("iso3166_alpha2"):
            place["identifier"] = e["iso3166_alpha2"]
        places.append(place)
    return sorted(places, key=lambda p: p["name"])


def cite_as(descriptor: dict[str, Any]) -> str:
    """A BibTeX entry for the version being built."""
    authors = " and ".join(f"{{{c['name']}}}" for c in creators(descriptor))
    return (
        f"@misc{{{descriptor['name']}_{descriptor['version'].replace('.', '_')},\n"
        f"  title = {{{descriptor['title']}}},\n"
        f"  author = {{{authors}}},\n"
        f"  version = {{{descriptor['version']}}},\n"
        f"  howpublished = {{\\url{{{HOMEPAGE}}}}},\n"
        f"  note = {{Data package with sentence-level provenance}}\n"
        "}"
    )


def downloads(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """Where to get the data: the release zip, and the two descriptors that list every file
    with its sha256 (Data Package and Croissant). URLs are relative to the package folder."""
    return [
        {
            "@type": "DataDownload",
            "name": zip_name(descriptor["version"]),
            "description": "The whole package: every table as CSV, JSON and Parquet, the "
            "source texts, the descriptors, the card, the explorer and SQLite.",
            "contentUrl": zip_name(descriptor["version"]),
            "encodingFormat": "application/zip",
        },
        {
            "@type": "DataDownload",
            "name": "datapackage.json",
            "description": "Frictionless Data Package (v2) descriptor: tables, schemas, "
            "licences, and the size and sha256 of every file.",
            "contentUrl": "datapackage.json",
            "encodingFormat": "application/json",
        },
        {
            "@type": "DataDownload",
            "name": "croissant.json",
            "description": "Croissant 1.1 metadata (MLCommons), for ML dataset tools.",
            "contentUrl": "croissant.json",
            "encodingFormat": "application/ld+json",
        },
    ]


def dataset(descriptor: dict[str, Any], rows: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The schema.org `Dataset` of this package; distribution URLs are relative to dist/."""
    doc: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "Dataset",
        "name": descriptor["title"],
        "alternateName": descriptor["name"],
        "description": descriptor["description"],
        "url": HOMEPAGE,
        "version": descriptor["version"],
        "license": license_url(descriptor),
        "isAccessibleForFree": True,
        "creator": creators(descriptor),
        "keywords": list(descriptor.get("keywords", [])),
    }
    temporal = temporal_coverage(descriptor, rows)
    if temporal:
        doc["temporalCoverage"] = temporal
    spatial = spatial_coverage(rows)
    if spatial:
        doc["spatialCoverage"] = spatial
    doc["distribution"] = downloads(descriptor)
    return doc


def script_block(doc: dict[str, Any]) -> str:
    """`doc` as an HTML script element. `<`, `>` and `&` are written as JSON escapes, so no
    value can close the element or open a comment, and the text needs no HTML escaping."""
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return f'<script type="application/ld+json">\n{text}\n</script>'
