"""Croissant 1.1 metadata (dist/croissant.json), generated from the package descriptor.

The descriptor is itself generated from the models, so this file follows every table, column,
key and foreign key without a list of its own:

* `distribution`: one `cr:FileObject` per file of the package, with its sha256 and size; the
  source texts carry their own licence (the publisher's copyright), the tables CC-BY-4.0;
* `recordSet`: one `cr:RecordSet` per table, its fields typed from the Table Schema, its
  primary key as `key`, and every foreign key as `references` to the referenced key field.

Fields are read from the Parquet copy of each table: it carries real types (a CSV reader would
guess, and turn a code like "057" into the number 57). CSV and JSON hold the same rows.
"""

from __future__ import annotations

from typing import Any

from ..errors import BuildError
from .schemaorg import (
    HOMEPAGE,
    cite_as,
    file_resources,
    license_url,
    sha256_of,
    size_of,
    spatial_coverage,
    table_resources,
    temporal_coverage,
)
from .web_annotations import require_evidence

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
FILE_NAME = "croissant.json"

# The standard @context of Croissant 1.1 (as in the specification's examples).
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "description": {"@container": "@language"},
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "name": {"@container": "@language"},
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

# Table Schema type -> Croissant dataType.
DATA_TYPES = {
    "string": "sc:Text",
    "integer": "sc:Integer",
    "date": "sc:Date",
    "boolean": "sc:Boolean",
    "number": "sc:Float",
}

# mlcroissant reads Parquet only under the media type it registered; the IANA type comes first.
ENCODING_FORMATS = {
    "application/vnd.apache.parquet": ["application/vnd.apache.parquet", "application/x-parquet"]
}


class CroissantError(BuildError):
    """The package cannot be described in Croissant (a type or key it cannot express)."""


def _file_object(res: dict[str, Any]) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "@type": "cr:FileObject",
        "@id": res["path"],
        "name": res["path"],
        "description": res.get("description", res.get("title", "")),
        "contentUrl": res["path"],
        "encodingFormat": ENCODING_FORMATS.get(res["mediatype"], res["mediatype"]),
        "contentSize": f"{size_of(res)} B",
        "sha256": sha256_of(res),
    }
    licenses = res.get("licenses")
    if licenses:  # a part under other terms than the package (the source texts)
        obj["license"] = [
            {"@type": "sc:CreativeWork", "name": lic.get("title", lic["name"])}
            | ({"url": lic["path"]} if "path" in lic else {})
            for lic in licenses
        ]
    return obj


def _ref(node_id: str) -> dict[str, str]:
    return {"@id": node_id}


def typed_path(table: str) -> str:
    """The Parquet file of a table, which the record sets read."""
    return f"parquet/{table}.parquet"


def _record_set(res: dict[str, Any], typed_file: str) -> dict[str, Any]:
    table = res["name"]
    schema = res["schema"]
    references: dict[str, tuple[str, str]] = {}
    for fk in schema.get("foreignKeys", []):
        if len(fk["fields"]) != 1:
            raise CroissantError(f"{table}: composite foreign key {fk['fields']} not supported")
        target = fk["reference"].get("resource") or table  # no resource: a self-reference
        references[fk["fields"][0]] = (target, fk["reference"]["fields"][0])
    fields = []
    for f in schema["fields"]:
        if f["type"] not in DATA_TYPES:
            raise CroissantError(f"{table}.{f['name']}: no Croissant dataType for {f['type']!r}")
        field: dict[str, Any] = {
            "@type": "cr:Field",
            "@id": f"{table}/{f['name']}",
            "name": f["name"],
            "description": f.get("description", ""),
            "dataType": DATA_TYPES[f["type"]],
            "source": {"fileObject": _ref(typed_file), "extract": {"column": f["name"]}},
        }
        if f["name"] in references:
            target, column = references[f["name"]]
            field["references"] = {
                "fileObject": _ref(typed_path(target)),
                "extract": {"column": column},
            }
        fields.append(field)
    key = [_ref(f"{table}/{k}") for k in schema["primaryKey"]]
    return {
        "@type": "cr:RecordSet",
        "@id": table,
        "name": table,
        "description": res.get("description", res.get("title", "")),
        "key": key[0] if len(key) == 1 else key,
        "field": fields,
    }


def croissant(descriptor: dict[str, Any], rows: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The Croissant 1.1 JSON-LD of the package described by `descriptor`."""
    require_evidence(descriptor, rows)
    files = file_resources(descriptor)
    typed = {r["path"] for r in files if r["format"] == "parquet"}
    record_sets = []
    for res in table_resources(descriptor):
        typed_file = typed_path(res["name"])
        if typed_file not in typed:
            raise CroissantError(f"table {res['name']}: no Parquet file {typed_file}")
        record_sets.append(_record_set(res, typed_file))
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": descriptor["name"],
        "alternateName": descriptor["title"],
        "description": descriptor["description"],
        "url": HOMEPAGE,
        "version": descriptor["version"],
        "license": license_url(descriptor),
        "creator": [
            {"@type": "sc:Organization", "name": c["title"]}
            for c in descriptor.get("contributors", [])
            if "creator" in c.get("roles", [])
        ],
        "keywords": list(descriptor.get("keywords", [])),
        "citeAs": cite_as(descriptor),
        "isLiveDataset": False,
    }
    temporal = temporal_coverage(descriptor, rows)
    if temporal:
        doc["temporalCoverage"] = temporal
    spatial = spatial_coverage(rows)
    if spatial:
        doc["spatialCoverage"] = [{**p, "@type": "sc:Country"} for p in spatial]
    doc["distribution"] = [_file_object(r) for r in files]
    doc["recordSet"] = record_sets
    return doc
