"""One resource validated by frictionless, in a worker process (see `frictionless_runner`).

frictionless checks every cell against the resource's schema, the primary key and the foreign
keys, exactly as `frictionless validate` does; what changes is what it reads:

- JSON and Parquet rows come from `json` and pyarrow (column-wise), given to frictionless as
  inline data: its own JSON path parses with ijson, its Parquet path converts to pandas and
  iterates row by row. The bytes and sha256 of those files are checked by sinopak itself
  (`files`), as before. A file these readers cannot read goes to frictionless's own reader,
  which then reports the error as it always did.
- A foreign key is resolved against a copy of the referenced resource that holds only the
  referenced columns (frictionless still reads and types them): frictionless copies and reads
  the whole referenced table once per foreign key, which was most of its run time.
- CSV files are read by frictionless itself (encoding, dialect, header, bytes and hash).

A worker keeps the referenced columns it has read, and the sets of key values frictionless
made of them (its foreign-key lookup, `SharedLookup`), for every later resource of the same
package that refers to the same table (those of another package are dropped); the rows of the
resource itself are not kept. A worker lives for one validation run (its pool's), in which no
file of the package changes.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from ..memory import give_back

Problem = dict[str, Any]


class SharedRows(list[Any]):
    """Inline rows that frictionless's metadata copies share instead of deep-copying: it copies
    a resource's descriptor, data included, each time it opens, validates or looks it up (half
    of its time on a large table). Nothing writes to the rows."""

    def __deepcopy__(self, memo: dict[int, Any]) -> SharedRows:
        return self


_descriptors: dict[str, dict[str, Any]] = {}
_references: dict[tuple[str, str, tuple[str, ...]], dict[str, Any]] = {}
# (descriptor path, referenced resource) -> {key fields: the set of their values}
_lookups: dict[tuple[str, str], dict[tuple[str, ...], set[Any]]] = {}
# (descriptor path, resource) being validated: what `SharedLookup` may share, and under
_validating: tuple[str, str] | None = None


def _share_lookups() -> None:
    """Let frictionless's foreign-key lookups be shared between the resources a worker
    validates: frictionless reads every row of a referenced table (typing each cell) into a
    set of its key values for each resource that refers to it; at 10,000 articles the
    sentences table was read 14 times, a quarter of frictionless's time on the CSV tables.
    Each set is still made by frictionless, from the same rows, once per worker."""
    import importlib

    table: Any = importlib.import_module("frictionless.resources.table")  # patched below
    if getattr(table, "SHARED", False):
        return
    resource = getattr(table, "TableResource", None)
    if not hasattr(table, "Lookup") or not hasattr(resource, "_TableResource__open_lookup"):
        return  # a frictionless without them (not 5.x): its own lookups, one per resource

    class SharedLookup(table.Lookup):  # type: ignore[misc]
        """frictionless's lookup (resource name -> key fields -> values), starting with the
        sets a finished lookup of this package made before; frictionless skips those."""

        def setdefault(self, source: str, default: Any = None) -> Any:
            if source not in self:
                key = _shared(source)
                self[source] = dict(_lookups.get(key, {}) if key else {})
            return self[source]

    opened = table.TableResource._TableResource__open_lookup

    def open_lookup(resource: Any) -> None:
        opened(resource)  # a set half made (frictionless raised) is never kept
        for source, sets in resource.lookup.items():
            if key := _shared(source):
                _lookups.setdefault(key, {}).update(sets)

    table.Lookup = SharedLookup  # what TableResource makes its lookup with
    table.SHARED = True
    table.TableResource._TableResource__open_lookup = open_lookup


def _keep_only(descriptor_path: str) -> None:
    """Forget what was read for another package: a worker of a build validates the CSV tables
    from one descriptor, then (scope "all") the others from the package's, and never goes back."""
    for path in [k for k in _descriptors if k != descriptor_path]:
        del _descriptors[path]
    for reference in [k for k in _references if k[0] != descriptor_path]:
        del _references[reference]
    for lookup in [k for k in _lookups if k[0] != descriptor_path]:
        del _lookups[lookup]


def _shared(source: str) -> tuple[str, str] | None:
    """Where the lookup sets of `source` are kept, if it is another resource of the package
    being validated (a self-reference, by name or by "", reads the resource itself: never
    shared)."""
    if _validating is None or source in ("", _validating[1]):
        return None
    return (_validating[0], source)


# Niceness the workers add to their own: at 10,000 articles, with the workers at the build's
# priority, the build's process (which the build's time follows) got half a core while it
# wrote the tables beside them (32 s, 17 s of it on a CPU), and 18.8 s with them lowered.
NICER = 10


def lower_priority() -> None:
    """Run this worker after the process that started it (the pool's initializer)."""
    import contextlib
    import os

    if hasattr(os, "nice"):  # not on Windows
        with contextlib.suppress(OSError):  # a sandbox refusing it: they run as they are
            os.nice(NICER)


def validate_resource(descriptor_path: str, name: str) -> list[Problem]:
    """frictionless's problems with one resource of the package, as dicts for the report."""
    problems = _problems(descriptor_path, name)
    give_back()  # the worker waits for its next resource: what this one read goes back
    return problems


def _problems(descriptor_path: str, name: str) -> list[Problem]:
    global _validating
    import frictionless

    _share_lookups()
    _keep_only(descriptor_path)
    descriptor = _descriptor(descriptor_path)
    base = str(Path(descriptor_path).parent)
    by_name = {r["name"]: r for r in descriptor["resources"] if isinstance(r, dict)}
    res = by_name[name]
    if not isinstance(res.get("schema"), dict):
        report = frictionless.Resource(res, basepath=base).validate()
    else:
        main = _fed(descriptor_path, res)
        refs = [
            _cached_reference(descriptor_path, by_name[other], fields)
            for other, fields in _referenced(res).items()
            if other in by_name and other != name
        ]
        package = frictionless.Package({"resources": [main, *refs]}, basepath=base)
        _validating = (descriptor_path, name)
        try:
            report = package.get_resource(name).validate()
        finally:
            _validating = None
    problems = [
        {
            "type": err.type,
            "message": err.message,
            "row": getattr(err, "row_number", None),
            "field": getattr(err, "field_name", None),
        }
        for task in report.tasks
        for err in task.errors
    ]
    problems += [{"type": e.type, "message": e.message} for e in report.errors]
    return problems


def _descriptor(path: str) -> dict[str, Any]:
    if path not in _descriptors:
        _descriptors[path] = json.loads(Path(path).read_bytes())
    return _descriptors[path]


def _referenced(res: dict[str, Any]) -> dict[str, list[str]]:
    """Other resources this one's foreign keys point at, with the columns they use."""
    out: dict[str, list[str]] = {}
    for fk in res["schema"].get("foreignKeys") or []:
        ref = fk.get("reference") if isinstance(fk, dict) else None
        other = ref.get("resource") if isinstance(ref, dict) else None
        fields = ref.get("fields") if isinstance(ref, dict) else None
        if isinstance(other, str) and other:
            names = [fields] if isinstance(fields, str) else list(fields or [])
            out.setdefault(other, [])
            out[other] += [f for f in names if isinstance(f, str) and f not in out[other]]
    return out


def raw_rows(descriptor_path: str, res: dict[str, Any]) -> list[Any] | None:
    """The rows of a table resource as its file holds them (JSON: objects; Parquet and CSV:
    a header list, then value lists), or None when they cannot be read that way."""
    return _read(Path(descriptor_path).parent / res["path"], res.get("format"))


def _read(path: Path, fmt: Any) -> list[Any] | None:
    try:
        data = path.read_bytes()
        if fmt == "json":
            rows = json.loads(data)
            ok = isinstance(rows, list) and all(isinstance(r, dict) for r in rows)
            return rows if ok else None
        if fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pq.ParquetFile(pa.BufferReader(data)).read()
            columns = [column.to_pylist() for column in table.columns]
            return [table.schema.names, *(list(row) for row in zip(*columns, strict=True))]
        if fmt == "csv":
            return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    except Exception:  # any file these readers cannot read is left to frictionless
        return None
    return None


def _fed(descriptor_path: str, res: dict[str, Any]) -> dict[str, Any]:
    """The resource as frictionless validates it: JSON and Parquet with inline rows."""
    if res.get("format") not in ("json", "parquet"):
        return res
    rows = raw_rows(descriptor_path, res)
    if rows is None:
        return res  # frictionless's own reader reports what is wrong
    schema = res.get("schema")
    if not rows and isinstance(schema, dict):  # an empty table: the header alone
        rows = [[f.get("name") for f in schema.get("fields", []) if isinstance(f, dict)]]
    fed = {k: v for k, v in res.items() if k not in ("path", "encoding", "mediatype", "hash")}
    fed.update(data=SharedRows(rows), format="inline")
    return fed


def _cached_reference(
    descriptor_path: str, res: dict[str, Any], fields: list[str]
) -> dict[str, Any]:
    key = (descriptor_path, res["name"], tuple(fields))
    if key not in _references:
        _references[key] = _reference(descriptor_path, res, fields)
    return _references[key]


def _reference(descriptor_path: str, res: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """A referenced resource with only the referenced columns (declared types kept)."""
    schema = res.get("schema")
    rows = (
        raw_rows(descriptor_path, res) if res.get("format") in ("json", "parquet", "csv") else None
    )
    if not isinstance(schema, dict) or not rows:
        return res
    declared = {f.get("name"): f for f in schema.get("fields", []) if isinstance(f, dict)}
    if any(f not in declared for f in fields):
        return res
    kept = [{k: v for k, v in declared[f].items() if k != "constraints"} for f in fields]
    if isinstance(rows[0], dict):  # JSON objects
        values = [[row.get(f) for f in fields] for row in rows]
    else:
        header = rows[0]
        if any(f not in header for f in fields):
            return res
        index = [header.index(f) for f in fields]
        values = [[row[i] if i < len(row) else None for i in index] for row in rows[1:]]
    reduced: dict[str, Any] = {"fields": kept}
    if "missingValues" in schema:
        reduced["missingValues"] = schema["missingValues"]
    return {
        "name": res["name"],
        "type": "table",
        "format": "inline",
        "data": SharedRows([fields, *values]),
        "schema": reduced,
    }
