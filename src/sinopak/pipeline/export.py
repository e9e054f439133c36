"""Write the published data package: CSV, JSON and Parquet per table, sources, descriptor."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path
from typing import Any, TextIO

from ..codec import FORMULA_TRIGGERS, escape_formula
from ..errors import BuildError
from ..json_table import table_chunks
from ..layout import resource_name, resource_path, size_key
from ..schema.columns import TableDef
from ..schema.models import PackageSeed
from ..schema.table_schema import MEDIATYPES, PROFILE, arrow_schema, table_schema
from ..schema.tables import TABLES
from .corpus import Corpus, Document
from .dating import document_date
from .jsontext import json_text
from .sources import sha256_bytes

FORMULA_NOTE = (
    "CSV injection guard (OWASP): a text cell beginning with = + - @ TAB or CR, after any "
    "leading single quotes, is written with one extra leading single quote; remove it when "
    "reading. JSON and Parquet hold the exact values."
)
# a text starting with one of these may need the formula escape (its full test: codec.py)
FORMULA_FIRST = frozenset("'" + "".join(FORMULA_TRIGGERS))
CSV_DIALECT = {"header": True, "delimiter": ",", "lineTerminator": "\n", "quoteChar": '"'}


def csv_bytes(table: TableDef, rows: list[dict[str, Any]]) -> bytes:
    """`write_csv` to bytes."""
    buf = io.StringIO(newline="")
    write_csv(buf, table, rows)
    return buf.getvalue().encode("utf-8")


def write_csv(out: TextIO, table: TableDef, rows: list[dict[str, Any]]) -> None:
    """CSV text of a table: null is the empty string, dates are ISO 8601, booleans true or
    false, and text that a spreadsheet would run as a formula is prefixed with a single quote
    (see codec.py). Column by column kind, not a function call per cell (millions of them);
    written as it is made (a table's text is hundreds of megabytes at 10,000 articles)."""
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(table.column_names)
    kinds = [c.kind for c in table.columns]
    texts = [i for i, k in enumerate(kinds) if k == "string"]
    dates = [i for i, k in enumerate(kinds) if k == "date"]
    flags = [i for i, k in enumerate(kinds) if k == "boolean"]
    for row in rows:
        values = list(row.values())  # None is written as the empty string
        for i in texts:
            v = values[i]
            if v and v[0] in FORMULA_FIRST:  # rare: the full test only then
                values[i] = escape_formula(v)
        for i in dates:
            if values[i] is not None:
                values[i] = values[i].isoformat()
        for i in flags:
            if values[i] is not None:
                values[i] = "true" if values[i] else "false"
        writer.writerow(values)


def write_parquet(path: Path, table: TableDef, rows: list[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(table)
    # the row dicts converted by Arrow itself (a struct array, then its columns): three times
    # as fast as a list per column made in Python (3.3 s of rows at 10,000 articles)
    struct = pa.array(rows, type=pa.struct(list(schema)))
    pq.write_table(
        pa.Table.from_arrays(struct.flatten(), schema=schema),
        path,
        compression="zstd",
        write_statistics=True,
    )


def file_facts(path: Path) -> tuple[int, str]:
    with path.open("rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    return path.stat().st_size, "sha256:" + digest


def finish_package(
    out: Path,
    rows: dict[str, list[dict[str, Any]]],
    corpus: Corpus,
    version: str,
    resources: list[dict[str, Any]],
) -> dict[str, Any]:
    """After the tables (`resources`, format by format): the sources and the descriptor."""
    sources = write_sources(out, corpus)
    resources = resources + [res for res, _ in sources]
    listed = [src for _, src in sources]
    descriptor = package_descriptor(corpus.package, version, listed, rows, resources)
    (out / "datapackage.json").write_text(json_text(descriptor), encoding="utf-8")
    return descriptor


def write_format(
    out: Path,
    rows: dict[str, list[dict[str, Any]]],
    fmt: str,
    written: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Each table in one format, in the folder `out`/`fmt`; return their resources, in
    the order of TABLES. `written` holds the resources of tables `write_tables` wrote
    before: they are kept as they are."""
    done = dict(written or {})
    done.update(write_tables(out, {n: r for n, r in rows.items() if n not in done}, fmt))
    return [done[name] for name in TABLES]


def write_tables(
    out: Path, rows: dict[str, list[dict[str, Any]]], fmt: str
) -> dict[str, dict[str, Any]]:
    """The tables of `rows` in one format, in the folder `out`/`fmt`; their resources."""
    resources: dict[str, dict[str, Any]] = {}
    (out / fmt).mkdir(exist_ok=True)
    for name, table in TABLES.items():
        if name not in rows:
            continue
        path = out / resource_path(name, fmt)
        if fmt == "csv":
            with path.open("w", encoding="utf-8", newline="") as fh:
                write_csv(fh, table, rows[name])
        elif fmt == "json":  # one object per line, compact: `json_table`, a batch at a time
            with path.open("wb") as binary:
                binary.writelines(table_chunks(rows[name]))
        else:
            write_parquet(path, table, rows[name])
        resources[name] = table_resource(table, fmt, path)
    return resources


def table_resource(table: TableDef, fmt: str, path: Path) -> dict[str, Any]:
    size, digest = file_facts(path)
    res: dict[str, Any] = {
        "name": resource_name(table.name, fmt),
        "type": "table",
        "title": table.title,
        "description": table.description,
        "path": resource_path(table.name, fmt),
        "format": fmt,
        "mediatype": MEDIATYPES[fmt],
    }
    if fmt != "parquet":
        res["encoding"] = "utf-8"
    # frictionless counts bytes only for formats it streams (CSV): a `bytes` on JSON or
    # Parquet resources fails its validation ("actual is None"). Those carry the size
    # in `sinopak:bytes`; `sinopak validate` checks size and sha256 of every file.
    res.update({size_key(fmt): size, "hash": digest})
    if fmt == "csv":
        res["dialect"] = dict(CSV_DIALECT)
        res["sinopak:formulaEscape"] = FORMULA_NOTE
    res["schema"] = table_schema(table, fmt)
    return res


def _dated(doc: Document) -> str:
    """A document's date as known: exact, or the upper bound of its range."""
    date = document_date(doc)
    if date.exact and date.latest is not None:
        return f"dated {date.latest.isoformat()}"
    if date.latest is not None:
        return f"published on or before {date.latest.isoformat()}"
    return "date unknown"


def write_sources(out: Path, corpus: Corpus) -> list[tuple[dict[str, Any], dict[str, str]]]:
    """Each source article, the bytes read and verified against its seed's sha256 (its text:
    UTF-8 decodes and encodes back exactly), not the file as it may be now; return its
    resource and its entry in `sources`. (Copying the files took four times as long: at
    10,000 articles 1.8 s, and their hashes were read back.)"""
    (out / "sources").mkdir()
    found = []
    for doc in corpus.documents:
        data = doc.source.text.encode("utf-8")
        if sha256_bytes(data) != doc.source.sha256:  # cannot happen: decoding was strict
            raise BuildError(f"{doc.seed.file}: source text no longer matches its sha256")
        (out / "sources" / doc.seed.file).write_bytes(data)
        size, digest = len(data), "sha256:" + doc.source.sha256
        title = (
            f"News report {doc.seed.document_id}, {_dated(doc)}; publisher "
            f"{doc.seed.publisher or 'not stated in the source'}"
        )
        resource = {
            "name": f"source-{doc.seed.document_id}",
            "title": title,
            "description": "Exact text of the source article; every offset in this package "
            "counts Unicode code points into it.",
            "path": f"sources/{doc.seed.file}",
            "format": "txt",
            "mediatype": "text/plain",
            "encoding": "utf-8",
            "bytes": size,
            "hash": digest,
            "licenses": [corpus.package.source_license.model_dump(exclude_none=True)],
        }
        found.append((resource, {"title": title, "path": f"sources/{doc.seed.file}"}))
    return found


def package_descriptor(
    package: PackageSeed,
    version: str,
    sources: list[dict[str, str]],
    rows: dict[str, list[dict[str, Any]]],
    resources: list[dict[str, Any]],
) -> dict[str, Any]:
    """The descriptor: curated metadata (seeds/package.yaml), version, sources, coverage and
    every resource."""
    covered = sum(1 for r in rows["coverage"] if r["status"] == "covered")
    total = len(rows["coverage"])
    return {
        "$schema": PROFILE,
        "name": package.name,
        "title": package.title,
        "description": package.description,
        "version": version,
        "licenses": [lic.model_dump(exclude_none=True) for lic in package.licenses],
        "sources": sources,
        "keywords": list(package.keywords),
        "contributors": [c.model_dump() for c in package.contributors],
        "sinopak:coverage": {"sentences": total, "covered": covered, "excluded": total - covered},
        "resources": resources,
    }
