"""Compare two published versions of a data package row by row, by primary key.

`diff(old, new)` opens each package (a folder, a datapackage.json, a release zip or an http(s)
URL of either), reads every table from its CSV resource with the declared types, and reports:

* schema changes: tables added or removed; fields added, removed or retyped; values added to or
  removed from a field's categories (its `categories`, else its `enum` constraint);
* record changes: rows added or removed (by primary key), and rows whose values changed, with
  each changed field as old -> new.

`PackageDiff.required_bump()` says which part of a semantic version the change calls for.
Nothing here knows a table or a column by name: everything comes from the two descriptors.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..codec import CellError, parse_csv
from ..errors import PackageError, SinopakError

Bump = Literal["none", "patch", "minor", "major"]
BUMPS: tuple[Bump, ...] = ("none", "patch", "minor", "major")
Key = tuple[Any, ...]


class DiffError(SinopakError):
    """Two packages cannot be compared (different primary keys, unreadable tables)."""


@dataclass(frozen=True)
class Package:
    """A data package opened for comparison: its descriptor and typed rows per table."""

    target: str
    version: str
    tables: dict[str, dict[str, Any]]  # table -> Table Schema
    rows: dict[str, list[dict[str, Any]]]


# --------------------------------------------------------------------------- opening


@contextlib.contextmanager
def _folder(target: str) -> Iterator[Path]:
    """The folder holding datapackage.json for a folder, descriptor, zip or URL."""
    if target.startswith(("http://", "https://")) or target.endswith(".zip"):
        from ..downloader import download
        from .safezip import safe_extract

        with tempfile.TemporaryDirectory(prefix="sinopak-diff-") as tmp:
            folder = Path(tmp) / "package"
            if target.startswith(("http://", "https://")):
                download(folder, target, offline=False, use_cache=False, retries=1)
            else:
                if not Path(target).is_file():
                    raise PackageError(f"{target}: no such file")
                folder.mkdir()
                safe_extract(Path(target), folder)
            yield folder
        return
    path = Path(target)
    if path.is_file() and path.name.endswith(".json"):
        path = path.parent
    if not (path / "datapackage.json").is_file():
        raise PackageError(
            f"{target} is not a data package: no datapackage.json "
            "(give a package folder, its datapackage.json, a release zip or a URL)"
        )
    yield path


def _table_resources(descriptor: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Table name -> its CSV resource (the one without a format suffix in its name)."""
    return {
        r["name"]: r
        for r in descriptor.get("resources", [])
        if r.get("format") == "csv" and isinstance(r.get("schema"), dict)
    }


def open_package(target: str | os.PathLike[str]) -> Package:
    """Read a package's descriptor and every table's rows, typed by its schema."""
    text = os.fspath(target)
    with _folder(text) as folder:
        try:
            descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise PackageError(f"{text}: cannot read datapackage.json ({exc})") from None
        if not isinstance(descriptor, dict) or "resources" not in descriptor:
            raise PackageError(f"{text}: datapackage.json has no resources")
        tables, rows = {}, {}
        for name, res in _table_resources(descriptor).items():
            schema = res["schema"]
            fields = [(f["name"], f.get("type", "string")) for f in schema["fields"]]
            try:
                data = (folder / res["path"]).read_bytes()
                rows[name] = parse_csv(data, fields)
            except OSError as exc:
                raise PackageError(f"{text}: cannot read {res['path']} ({exc})") from None
            except CellError as exc:
                raise PackageError(f"{text}: {res['path']} row {exc.row}: {exc}") from None
            tables[name] = schema
    return Package(text, str(descriptor.get("version", "")), tables, rows)


# --------------------------------------------------------------------------- comparing


@dataclass
class TableDiff:
    name: str
    added_fields: list[tuple[str, str]] = field(default_factory=list)  # (name, type)
    removed_fields: list[tuple[str, str]] = field(default_factory=list)
    retyped_fields: list[tuple[str, str, str]] = field(default_factory=list)  # name, old, new
    # field -> (values added, values removed)
    categories: dict[str, tuple[list[Any], list[Any]]] = field(default_factory=dict)
    added: list[Key] = field(default_factory=list)
    removed: list[Key] = field(default_factory=list)
    changed: list[tuple[Key, dict[str, tuple[Any, Any]]]] = field(default_factory=list)

    @property
    def schema_changed(self) -> bool:
        return bool(self.added_fields or self.removed_fields or self.retyped_fields) or bool(
            self.categories
        )

    @property
    def records_changed(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class PackageDiff:
    old: str
    new: str
    old_version: str
    new_version: str
    added_tables: list[str] = field(default_factory=list)
    removed_tables: list[str] = field(default_factory=list)
    tables: list[TableDiff] = field(default_factory=list)  # tables in both, with changes

    @property
    def empty(self) -> bool:
        return not (self.added_tables or self.removed_tables or self.tables)

    def required_bump(self) -> tuple[Bump, list[str]]:
        """The smallest version bump this change needs, and why.

        major: a table or field removed or retyped, a category value removed, a record removed
        (ids are stable: users join on them); minor: a table, field, category value or record
        added; patch: values corrected only."""
        major = [f"removed table {t}" for t in self.removed_tables]
        minor = [f"added table {t}" for t in self.added_tables]
        patch: list[str] = []
        for t in self.tables:
            major += [f"removed field {t.name}.{n}" for n, _ in t.removed_fields]
            major += [f"retyped field {t.name}.{n} ({a} → {b})" for n, a, b in t.retyped_fields]
            minor += [f"added field {t.name}.{n}" for n, _ in t.added_fields]
            for name, (plus, minus) in t.categories.items():
                if minus:
                    major.append(f"removed categories of {t.name}.{name}")
                if plus:
                    minor.append(f"added categories of {t.name}.{name}")
            if t.removed:
                major.append(f"removed {len(t.removed)} record(s) from {t.name}")
            if t.added:
                minor.append(f"added {len(t.added)} record(s) to {t.name}")
            if t.changed:
                patch.append(f"corrected {len(t.changed)} record(s) in {t.name}")
        if major:
            return "major", major
        if minor:
            return "minor", minor
        if patch:
            return "patch", patch
        return "none", []

    def to_dict(self) -> dict[str, Any]:
        bump, reasons = self.required_bump()
        return {
            "old": {"target": self.old, "version": self.old_version},
            "new": {"target": self.new, "version": self.new_version},
            "added_tables": self.added_tables,
            "removed_tables": self.removed_tables,
            "tables": [_table_dict(t) for t in self.tables],
            "required_bump": bump,
            "reasons": reasons,
        }


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _key_text(key: Key) -> str:
    return " / ".join(str(k) for k in key)


def _table_dict(t: TableDiff) -> dict[str, Any]:
    return {
        "name": t.name,
        "added_fields": [{"name": n, "type": k} for n, k in t.added_fields],
        "removed_fields": [{"name": n, "type": k} for n, k in t.removed_fields],
        "retyped_fields": [{"name": n, "old": a, "new": b} for n, a, b in t.retyped_fields],
        "categories": {
            n: {"added": [_jsonable(v) for v in plus], "removed": [_jsonable(v) for v in minus]}
            for n, (plus, minus) in t.categories.items()
        },
        "added": [_key_text(k) for k in t.added],
        "removed": [_key_text(k) for k in t.removed],
        "changed": [
            {
                "key": _key_text(k),
                "fields": {
                    f: {"old": _jsonable(a), "new": _jsonable(b)} for f, (a, b) in ch.items()
                },
            }
            for k, ch in t.changed
        ],
    }


def categories(field_descriptor: dict[str, Any]) -> list[Any] | None:
    """A field's allowed values: Data Package v2 `categories` (plain or {value, label}), else
    its `enum` constraint; None when it has neither."""
    cats = field_descriptor.get("categories")
    if isinstance(cats, list):
        return [c["value"] if isinstance(c, dict) else c for c in cats]
    enum = field_descriptor.get("constraints", {}).get("enum")
    return list(enum) if isinstance(enum, list) else None


def _compare_fields(t: TableDiff, old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    """Fill the schema part of `t`; return the fields whose values can be compared."""
    a = {f["name"]: f for f in old["fields"]}
    b = {f["name"]: f for f in new["fields"]}
    t.removed_fields = [(n, f.get("type", "string")) for n, f in a.items() if n not in b]
    t.added_fields = [(n, f.get("type", "string")) for n, f in b.items() if n not in a]
    comparable = set()
    for name in (n for n in b if n in a):
        ta, tb = a[name].get("type", "string"), b[name].get("type", "string")
        if ta != tb:
            t.retyped_fields.append((name, ta, tb))
            continue
        comparable.add(name)
        ca, cb = categories(a[name]), categories(b[name])
        if ca is not None or cb is not None:
            plus = [v for v in cb or [] if v not in (ca or [])]
            minus = [v for v in ca or [] if v not in (cb or [])]
            if plus or minus:
                t.categories[name] = (plus, minus)
    return comparable


def _index(pkg: Package, table: str, key: list[str]) -> dict[Key, dict[str, Any]]:
    out: dict[Key, dict[str, Any]] = {}
    for row in pkg.rows[table]:
        k = tuple(row[c] for c in key)
        if k in out:
            raise DiffError(
                f"{pkg.target}: table {table} has two rows with primary key {_key_text(k)}; "
                "validate the package first (sinopak validate)"
            )
        out[k] = row
    return out


def _sort_key(key: Key) -> tuple[tuple[bool, str], ...]:
    return tuple((k is None, str(k)) for k in key)


def compare_table(name: str, old: Package, new: Package) -> TableDiff:
    t = TableDiff(name)
    key_a, key_b = old.tables[name]["primaryKey"], new.tables[name]["primaryKey"]
    if key_a != key_b:
        raise DiffError(
            f"table {name}: the primary key changed from {key_a} to {key_b}; rows cannot be "
            "matched between the two versions"
        )
    comparable = _compare_fields(t, old.tables[name], new.tables[name])
    rows_a, rows_b = _index(old, name, key_a), _index(new, name, key_b)
    t.added = sorted((k for k in rows_b if k not in rows_a), key=_sort_key)
    t.removed = sorted((k for k in rows_a if k not in rows_b), key=_sort_key)
    order = [f["name"] for f in new.tables[name]["fields"] if f["name"] in comparable]
    for k in sorted((k for k in rows_b if k in rows_a), key=_sort_key):
        a, b = rows_a[k], rows_b[k]
        changes = {f: (a[f], b[f]) for f in order if a[f] != b[f]}
        if changes:
            t.changed.append((k, changes))
    return t


def compare(old: Package, new: Package) -> PackageDiff:
    out = PackageDiff(old.target, new.target, old.version, new.version)
    out.added_tables = [n for n in new.tables if n not in old.tables]
    out.removed_tables = [n for n in old.tables if n not in new.tables]
    for name in (n for n in new.tables if n in old.tables):
        t = compare_table(name, old, new)
        if t.schema_changed or t.records_changed:
            out.tables.append(t)
    return out


def diff(old: str | os.PathLike[str], new: str | os.PathLike[str]) -> PackageDiff:
    """Compare two versions of a data package (folders, datapackage.json, zips or URLs)."""
    return compare(open_package(old), open_package(new))


# --------------------------------------------------------------------------- rendering

Format = Literal["text", "json", "markdown"]


def _value(v: Any) -> str:
    return "null" if v is None else repr(_jsonable(v)) if isinstance(v, str) else str(_jsonable(v))


def _schema_lines(d: PackageDiff) -> list[str]:
    lines = [f"added table {n}" for n in d.added_tables]
    lines += [f"removed table {n}" for n in d.removed_tables]
    for t in d.tables:
        lines += [f"added field {t.name}.{n} ({k})" for n, k in t.added_fields]
        lines += [f"removed field {t.name}.{n} ({k})" for n, k in t.removed_fields]
        lines += [f"retyped field {t.name}.{n}: {a} → {b}" for n, a, b in t.retyped_fields]
        for n, (plus, minus) in t.categories.items():
            parts = [f"added {', '.join(map(_value, plus))}"] if plus else []
            parts += [f"removed {', '.join(map(_value, minus))}"] if minus else []
            lines.append(f"categories of {t.name}.{n}: " + "; ".join(parts))
    return lines


def render_text(d: PackageDiff) -> str:
    out = [f"{d.old} ({d.old_version or '?'}) → {d.new} ({d.new_version or '?'})"]
    if d.empty:
        return "\n".join([*out, "no differences"]) + "\n"
    schema = _schema_lines(d)
    if schema:
        out.append("schema:")
        out += [f"  {line}" for line in schema]
    for t in (t for t in d.tables if t.records_changed):
        counts = f"{len(t.added)} added, {len(t.removed)} removed, {len(t.changed)} changed"
        out.append(f"{t.name}: {counts}")
        out += [f"  + {_key_text(k)}" for k in t.added]
        out += [f"  - {_key_text(k)}" for k in t.removed]
        for k, changes in t.changed:
            out.append(f"  ~ {_key_text(k)}")
            out += [f"      {f}: {_value(a)} → {_value(b)}" for f, (a, b) in changes.items()]
    bump, reasons = d.required_bump()
    out.append(f"required version bump: {bump} ({'; '.join(reasons)})")
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(d: PackageDiff, heading: str | None = None) -> str:
    """The data section of a CHANGELOG entry: schema changes, then records per table."""
    out = [heading or "### Data", ""]
    if d.empty:
        return "\n".join([*out, "- No changes to the data.", ""])
    out += [f"- Schema: {_md(line)}." for line in _schema_lines(d)]
    for t in (t for t in d.tables if t.records_changed):
        if t.added:
            ids = ", ".join(f"`{_key_text(k)}`" for k in t.added)
            out.append(f"- `{t.name}`: {len(t.added)} record(s) added: {ids}.")
        if t.removed:
            ids = ", ".join(f"`{_key_text(k)}`" for k in t.removed)
            out.append(f"- `{t.name}`: {len(t.removed)} record(s) removed: {ids}.")
        for k, changes in t.changed:
            fields = "; ".join(
                f"`{f}` {_md(_value(a))} → {_md(_value(b))}" for f, (a, b) in changes.items()
            )
            out.append(f"- `{t.name}`: `{_key_text(k)}` corrected: {fields}.")
    bump, _ = d.required_bump()
    out += ["", f"Version bump required by these changes: **{bump}**.", ""]
    return "\n".join(out)


def render(d: PackageDiff, fmt: Format = "text") -> str:
    if fmt == "json":
        return json.dumps(d.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        return render_markdown(d)
    return render_text(d)
