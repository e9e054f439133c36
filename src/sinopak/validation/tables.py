"""Table checks: each table's schema, its rows in CSV, JSON and Parquet, and the three compared."""

from __future__ import annotations

import csv
import json
from typing import Any

from ..codec import CellError, parse_csv, parse_json
from ..layout import FORMATS, resource_name
from ..schema.columns import TableDef
from ..schema.table_defs import TABLES
from ..schema.table_schema import arrow_schema, table_schema
from .integrity import check_constraints, check_integrity
from .report import Report

Rows = list[dict[str, Any]]


def check_tables(descriptor: dict[str, Any], files: dict[str, bytes], report: Report) -> None:
    """Every table in every format: declared schema, readable typed rows, the formats equal;
    then, when every table was read, the constraints and the integrity across tables.

    The bytes of each table's files leave `files` once the table is read (at 10,000 articles
    they are 400 MB); the sources' stay, for the quotes."""
    resources: dict[str, Any] = {}
    for r in descriptor["resources"]:  # the first of a repeated name (reported elsewhere)
        if isinstance(r, dict) and isinstance(r.get("name"), str):
            resources.setdefault(r["name"], r)
    typed: dict[str, Rows] = {}
    for name, table in TABLES.items():
        # each other format is compared with CSV as soon as it is read, then dropped (one
        # table in three formats was 450 MB at 10,000 articles); the differences are reported
        # only when all three formats were read
        csv_rows: Rows | None = None
        read, differences = 0, []
        for fmt in FORMATS:
            if (
                fmt == "json"
                and csv_rows is not None
                and json_as_csv(table, resources, files, csv_rows)
            ):
                files.pop(resource_name(name, fmt), None)
                read += 1  # read, and equal to the CSV rows
                continue
            rows = read_table(table, fmt, resources, files, report)
            files.pop(resource_name(name, fmt), None)
            if rows is None:
                continue
            read += 1
            if fmt == "csv":
                csv_rows = rows
            elif csv_rows is not None:
                difference = format_difference(name, fmt, csv_rows, rows, resources)
                if difference is not None:
                    differences.append(difference)
            del rows
        if read == len(FORMATS):
            for difference in differences:
                report.add("format-mismatch", **difference)
        if csv_rows is not None:
            typed[name] = csv_rows
            report.tables[name] = len(csv_rows)
    if len(typed) == len(TABLES):
        check_constraints(typed, resources, report)
        check_integrity(typed, files, resources, report)


def json_as_csv(
    table: TableDef, resources: dict[str, Any], files: dict[str, bytes], csv_rows: Rows
) -> bool:
    """Whether a table's JSON file holds exactly the bytes of its CSV rows written as a JSON
    table (`json_table`: how the build writes it), under the schema sinopak declares. Then
    reading it gives those rows: the JSON reader types each value back to the CSV row's (a
    date from its ISO 8601 text), and the bytes hold no key twice, none out of order, no
    other type; nothing is left to report, and the reading and the comparison are skipped
    (5 s of a 10,000-article validation). Any other file is read and compared as before,
    which says what differs."""
    from ..codec import MAX_JSON_BYTES
    from ..json_table import table_chunks

    rname = resource_name(table.name, "json")
    res, data = resources.get(rname), files.get(rname)
    if res is None or data is None or len(data) > MAX_JSON_BYTES:
        return False
    if schema_difference(table_schema(table, "json"), res.get("schema")) is not None:
        return False
    view, at = memoryview(data), 0
    try:
        for chunk in table_chunks(csv_rows):
            if view[at : at + len(chunk)] != chunk:
                return False
            at += len(chunk)
    except Exception:  # no orjson, or a row it cannot write: the file is read instead
        return False
    return at == len(data)


def read_table(
    table: TableDef,
    fmt: str,
    resources: dict[str, Any],
    files: dict[str, bytes],
    report: Report,
) -> Rows | None:
    """The typed rows of one table in one format, or None after reporting why not."""
    rname = resource_name(table.name, fmt)
    res = resources.get(rname)
    if res is None:
        report.add(
            "missing-resource",
            f"expected resource {rname} in the descriptor, found none",
            resource=rname,
        )
        return None
    difference = schema_difference(table_schema(table, fmt), res.get("schema"))
    if difference:
        report.add("schema-mismatch", difference, resource=rname, file=res.get("path"))
        return None
    data = files.get(rname)
    if data is None:
        return None  # missing, unsafe or too large: reported by the file checks
    try:
        return _parse(data, table, fmt, res, report)
    except CellError as exc:
        where = {"resource": rname, "file": res["path"], "row": exc.row}
        report.add("cell-error", str(exc), field=exc.field or None, **where)
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError, csv.Error) as exc:
        report.add("format-error", f"cannot read {fmt}: {exc}", resource=rname, file=res["path"])
    return None


def _parse(
    data: bytes, table: TableDef, fmt: str, res: dict[str, Any], report: Report
) -> Rows | None:
    fields: list[tuple[str, str]] = [(c.name, c.kind) for c in table.columns]  # as declared
    if fmt == "csv":
        _check_text(data, res["name"], res["path"], report)
        return parse_csv(data, fields)
    if fmt == "json":
        return parse_json(data, fields)
    return _read_parquet(data, table, res["name"], res["path"], report)


def schema_difference(expected: dict[str, Any], found: Any) -> str | None:
    """What differs between sinopak's schema and the declared one, as `expected …, found …`;
    None when they are equal."""
    if found == expected:
        return None
    if not isinstance(found, dict):
        return f"expected a Table Schema object, found {_short(found)}"
    exp_fields, found_fields = expected["fields"], found.get("fields")
    if isinstance(found_fields, list) and found_fields != exp_fields:
        names = [f.get("name") if isinstance(f, dict) else f for f in found_fields]
        exp_names = [f["name"] for f in exp_fields]
        if names != exp_names:
            return f"expected fields {exp_names}, found {names}"
        i = next(i for i, (a, b) in enumerate(zip(exp_fields, found_fields, strict=True)) if a != b)
        return f"field {exp_names[i]}: expected {exp_fields[i]}, found {_short(found_fields[i])}"
    key = next(k for k in [*expected, *found] if expected.get(k) != found.get(k))
    return f"{key}: expected {_short(expected.get(key))}, found {_short(found.get(key))}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


def _check_text(data: bytes, resource: str, file: str, report: Report) -> None:
    if data.startswith(b"\xef\xbb\xbf"):
        report.add(
            "encoding-error", "file starts with a byte-order mark", resource=resource, file=file
        )
    if b"\r" in data:
        line = data[: data.index(b"\r")].count(b"\n") + 1
        report.add(
            "encoding-error",
            f"carriage return found on line {line}: line ends must be LF",
            resource=resource,
            file=file,
            line=line if file.endswith(".csv") else None,
        )


def _read_parquet(
    data: bytes, table: TableDef, rname: str, file: str, report: Report
) -> Rows | None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(pa.BufferReader(data))
        problem = parquet_too_large(parquet.metadata)
        if problem is None:
            arrow = _read_bounded(parquet)
    except (pa.ArrowException, OSError) as exc:
        report.add("format-error", f"cannot read Parquet: {exc}", resource=rname, file=file)
        return None
    if problem is not None:
        report.add("file-too-large", problem, resource=rname, file=file)
        return None
    expected = arrow_schema(table)
    found = {f.name: f for f in arrow.schema}
    if arrow.schema.names != expected.names:
        report.add(
            "schema-mismatch",
            f"expected columns {expected.names}, found {arrow.schema.names}",
            resource=rname,
            file=file,
        )
        return None
    wrong = [f for f in expected if not found[f.name].type.equals(f.type)]
    for f in wrong:
        report.add(
            "type-error",
            f"expected Parquet column type {f.type}, found {found[f.name].type}",
            resource=rname,
            file=file,
            field=f.name,
        )
    if wrong:
        return None  # values of the wrong type would only repeat the error row by row
    rows: list[dict[str, Any]] = arrow.to_pylist()
    return rows


# What a Parquet table may expand to in memory, checked against the footer before any page is
# read (a small file can declare gigabytes: a decompression bomb), then again while reading.
MAX_PARQUET_CELLS = 20_000_000
MAX_PARQUET_BYTES = 500_000_000
PARQUET_BATCH_ROWS = 65_536


def parquet_too_large(meta: Any) -> str | None:
    """Why the footer's rows × columns or uncompressed size is over the limits, or None."""
    cells = meta.num_rows * meta.num_columns
    if cells > MAX_PARQUET_CELLS:
        return (
            f"expected at most {MAX_PARQUET_CELLS} cells, found {meta.num_rows} rows × "
            f"{meta.num_columns} columns in the footer; not read"
        )
    size = sum(
        meta.row_group(i).column(j).total_uncompressed_size
        for i in range(meta.num_row_groups)
        for j in range(meta.num_columns)
    )
    if size > MAX_PARQUET_BYTES:
        return (
            f"expected at most {MAX_PARQUET_BYTES} bytes uncompressed, found {size} in the "
            "footer; not read"
        )
    return None


def json_bounded(descriptor: dict[str, Any], files: dict[str, bytes]) -> bool:
    """Whether every JSON table parses within the nesting and size limits (a table nested
    200,000 deep would crash another reader, frictionless, after a long time)."""
    from ..codec import MAX_JSON_BYTES, JSONLimitError, loads_strict

    for res in descriptor["resources"]:
        data = files.get(str(res.get("name"))) if isinstance(res, dict) else None
        if data is None or res.get("format") != "json":
            continue
        if len(data) > MAX_JSON_BYTES:
            return False
        try:
            loads_strict(data, max_depth=2)
        except JSONLimitError:
            return False
        except ValueError:
            continue  # not JSON at all: frictionless reports it too
    return True


def parquet_bounded(descriptor: dict[str, Any], files: dict[str, bytes]) -> bool:
    """Whether every Parquet file's footer is within the limits (or unreadable, which the table
    checks report): only then may another reader (frictionless) open them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for res in descriptor["resources"]:
        data = files.get(str(res.get("name"))) if isinstance(res, dict) else None
        if data is None or res.get("format") != "parquet":
            continue
        try:
            meta = pq.ParquetFile(pa.BufferReader(data)).metadata
        except (pa.ArrowException, OSError):
            continue
        if parquet_too_large(meta) is not None:
            return False
    return True


def _read_bounded(parquet: Any) -> Any:
    """The whole table, read in batches, stopping as soon as what was decoded passes
    MAX_PARQUET_BYTES (dictionary-encoded values expand only here, whatever the footer says)."""
    import pyarrow as pa

    batches = []
    total = 0
    for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS):
        total += batch.nbytes
        if total > MAX_PARQUET_BYTES:
            raise pa.ArrowInvalid(
                f"expands past {MAX_PARQUET_BYTES} bytes in memory although its footer "
                "declares less; not read further"
            )
        batches.append(batch)
    return pa.Table.from_batches(batches, schema=parquet.schema_arrow)


def format_difference(
    name: str, fmt: str, base: Rows, other: Rows, resources: dict[str, Any]
) -> dict[str, Any] | None:
    """How a table's rows in `fmt` (JSON or Parquet) differ from its CSV rows, `base`: the
    row count, or the first row that differs (as keyword arguments of `Report.add`)."""
    rname = resource_name(name, fmt)
    where = {"resource": rname, "file": resources[rname]["path"]}
    if len(other) != len(base):
        return {"message": f"expected {len(base)} rows (as in CSV), found {len(other)}", **where}
    if other == base:  # the lists compared in C: a third faster than the loop below
        return None
    for i, (a, b) in enumerate(zip(base, other, strict=True), start=1):
        if a != b:
            col = next(k for k in a if a[k] != b.get(k))
            message = f"expected {a[col]!r} (as in CSV), found {b.get(col)!r}"
            return {"message": message, "row": i, "field": col, **where}
    return None
