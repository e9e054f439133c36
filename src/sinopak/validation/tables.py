"""Table checks: each table's schema, its rows in CSV, JSON and Parquet, and the three compared."""

from __future__ import annotations

import csv
import json
from typing import Any

from ..codec import CellError, parse_csv, parse_json
from ..schema.table_schema import arrow_schema, resource_name, table_schema
from ..schema.tables import TABLES
from .integrity import check_constraints, check_integrity
from .report import Report


def _fields(res: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f["name"], f.get("type", "string")) for f in res.get("schema", {}).get("fields", [])]


def check_tables(descriptor: dict[str, Any], files: dict[str, bytes], report: Report) -> None:
    resources = {r["name"]: r for r in descriptor["resources"]}
    typed: dict[str, list[dict[str, Any]]] = {}
    for name, table in TABLES.items():
        per_format: dict[str, list[dict[str, Any]]] = {}
        for fmt in ("csv", "json", "parquet"):
            rname = resource_name(name, fmt)
            res = resources.get(rname)
            if res is None:
                report.add(
                    "missing-resource", f"resource {rname} is not in the descriptor", resource=rname
                )
                continue
            expected = table_schema(table, "" if fmt == "csv" else f"-{fmt}")
            if res.get("schema") != expected:
                report.add(
                    "schema-mismatch",
                    f"the declared schema differs from sinopak's schema for table {name}",
                    resource=rname,
                    file=res.get("path"),
                )
                continue
            fields = _fields(res)
            data = files.get(rname)
            if data is None:
                continue  # missing, unsafe or too large: reported above
            rows: list[dict[str, Any]] | None
            try:
                if fmt == "csv":
                    _check_text(data, rname, res["path"], report)
                    rows = parse_csv(data, fields)
                elif fmt == "json":
                    rows = parse_json(data, fields)
                else:
                    rows = _read_parquet(data, table, rname, res["path"], report)
            except CellError as exc:
                report.add(
                    "cell-error",
                    str(exc),
                    resource=rname,
                    file=res["path"],
                    row=exc.row,
                    field=exc.field or None,
                )
                continue
            except (UnicodeDecodeError, json.JSONDecodeError, ValueError, csv.Error) as exc:
                report.add(
                    "format-error", f"cannot read {fmt}: {exc}", resource=rname, file=res["path"]
                )
                continue
            if rows is not None:
                per_format[fmt] = rows
        if len(per_format) == 3:
            _compare_formats(name, per_format, resources, report)
        if "csv" in per_format:
            typed[name] = per_format["csv"]
            report.tables[name] = len(per_format["csv"])
    if len(typed) == len(TABLES):
        check_constraints(typed, resources, report)
        check_integrity(typed, files, resources, report)


def _check_text(data: bytes, resource: str, file: str, report: Report) -> None:
    if data.startswith(b"\xef\xbb\xbf"):
        report.add(
            "encoding-error", "file starts with a byte-order mark", resource=resource, file=file
        )
    if b"\r" in data:
        line = data[: data.index(b"\r")].count(b"\n") + 1
        report.add(
            "encoding-error",
            "carriage return found: line ends must be LF",
            resource=resource,
            file=file,
            row=line,
        )


def _read_parquet(
    data: bytes, table: Any, rname: str, file: str, report: Report
) -> list[dict[str, Any]] | None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        arrow = pq.ParquetFile(pa.BufferReader(data)).read()
    except (pa.ArrowException, OSError) as exc:
        report.add("format-error", f"cannot read Parquet: {exc}", resource=rname, file=file)
        return None
    expected = arrow_schema(table)
    found = {f.name: f for f in arrow.schema}
    if arrow.schema.names != expected.names:
        report.add(
            "schema-mismatch",
            f"columns {arrow.schema.names} differ from {expected.names}",
            resource=rname,
            file=file,
        )
        return None
    wrong = [f for f in expected if not found[f.name].type.equals(f.type)]
    for f in wrong:
        report.add(
            "type-error",
            f"Parquet column type {found[f.name].type} where the schema needs {f.type}",
            resource=rname,
            file=file,
            field=f.name,
        )
    if wrong:
        return None  # values of the wrong type would only repeat the error row by row
    rows: list[dict[str, Any]] = arrow.to_pylist()
    return rows


def _compare_formats(
    name: str, rows: dict[str, list[dict[str, Any]]], resources: dict[str, Any], report: Report
) -> None:
    base = rows["csv"]
    for fmt in ("json", "parquet"):
        other = rows[fmt]
        rname = f"{name}-{fmt}"
        if len(other) != len(base):
            report.add(
                "format-mismatch",
                f"{len(other)} rows where CSV has {len(base)}",
                resource=rname,
                file=resources[rname]["path"],
            )
            continue
        for i, (a, b) in enumerate(zip(base, other, strict=True), start=1):
            if a != b:
                col = next(k for k in a if a[k] != b.get(k))
                report.add(
                    "format-mismatch",
                    f"{fmt} has {b.get(col)!r} where CSV has {a[col]!r}",
                    resource=rname,
                    file=resources[rname]["path"],
                    row=i,
                    field=col,
                )
                break
