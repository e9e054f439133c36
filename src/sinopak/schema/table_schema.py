"""How each table is typed in the published files: its Frictionless Table Schema (CSV, JSON)
and its Arrow schema (Parquet), both generated from the table definitions."""

from __future__ import annotations

from typing import Any

from ..layout import resource_name
from .columns import Column, TableDef
from .table_defs import TABLES

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
TABLE_SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
MEDIATYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "parquet": "application/vnd.apache.parquet",
}


def field_descriptor(col: Column) -> dict[str, Any]:
    field: dict[str, Any] = {"name": col.name, "type": col.kind, "description": col.description}
    if col.kind == "date":
        field["format"] = "default"
    constraints: dict[str, Any] = {}
    if col.required:
        constraints["required"] = True
    if col.enum:
        constraints["enum"] = list(col.enum)
    if col.pattern:
        constraints["pattern"] = col.pattern.removeprefix("^").removesuffix("$")
    if col.minimum is not None:
        constraints["minimum"] = col.minimum
    if col.min_length is not None:
        constraints["minLength"] = col.min_length
    if constraints:
        field["constraints"] = constraints
    if col.enum:  # Data Package v2: each value with what it means
        field["categories"] = [
            {"value": v, "label": meaning}
            for v, meaning in zip(col.enum, col.meanings, strict=True)
        ]
    return field


def table_schema(table: TableDef, fmt: str = "csv") -> dict[str, Any]:
    """The Table Schema of one table in format `fmt`; foreign keys point at the resources of
    the same format."""
    schema: dict[str, Any] = {
        "$schema": TABLE_SCHEMA_PROFILE,
        "fields": [field_descriptor(c) for c in table.columns],
        "missingValues": [""],
        "primaryKey": list(table.primary_key),
    }
    if table.unique_keys:
        schema["uniqueKeys"] = [list(k) for k in table.unique_keys]
    fks = []
    for col in table.columns:
        if col.ref is None or col.ref.table == "*":
            continue
        target = TABLES[col.ref.table]
        reference: dict[str, Any] = {"fields": [target.primary_key[0]]}
        if target.name != table.name:  # self-references omit the resource
            reference = {"resource": resource_name(target.name, fmt), **reference}
        fks.append({"fields": [col.name], "reference": reference})
    if fks:
        schema["foreignKeys"] = fks
    return schema


def all_schemas() -> dict[str, dict[str, Any]]:
    """schema/<table>.json contents, keyed by table name."""
    return {name: table_schema(t) for name, t in TABLES.items()}


def arrow_schema(table: TableDef) -> Any:
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "integer": pa.int64(),
        "date": pa.date32(),
        "boolean": pa.bool_(),
    }
    return pa.schema(
        [
            pa.field(
                c.name,
                types[c.kind],
                nullable=not c.required,
                metadata={"description": c.description},
            )
            for c in table.columns
        ],
        metadata={"sinopak.table": table.name, "description": table.description},
    )
