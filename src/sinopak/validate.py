"""Validate a published data package: frictionless, plus every check frictionless skips.

Frictionless checks CSV cells against the schema; it ignores bytes and hashes of JSON and
Parquet files, Parquet column types, JSON key sets and uniqueKeys (see docs/REFERENCES). This
module adds those, compares the three formats row for row, resolves foreign keys, and checks
every quote against the source text. It returns a report; it never raises for bad data.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from .read import CellError, parse_csv, parse_json

MAX_FILE_BYTES = 200_000_000
Scope = Literal["all", "csv", "none"]


@dataclass(frozen=True)
class Problem:
    type: str
    message: str
    resource: str | None = None
    file: str | None = None
    row: int | None = None
    field: str | None = None

    def render(self) -> str:
        where = self.file or self.resource or "datapackage.json"
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field {self.field}"
        return f"[{self.type}] {where}: {self.message}"


@dataclass
class Report:
    target: str
    problems: list[Problem] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problems

    def add(self, type_: str, message: str, **where: Any) -> None:
        self.problems.append(Problem(type_, message, **where))

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "target": self.target,
            "tables": self.tables,
            "errors": [asdict(p) for p in self.problems],
        }


def _safe_path(base: Path, rel: Any) -> Path | None:
    """The resource file inside `base`, or None if `rel` is not a plain relative path (or a
    symbolic link leads it out of the package)."""
    from .safezip import relative_path

    pure = relative_path(rel)
    if pure is None:
        return None
    path = (base / pure).resolve()
    if not path.is_relative_to(base.resolve()):
        return None
    return path


def load_descriptor(path: Path, report: Report) -> dict[str, Any] | None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        report.add("package-error", f"cannot read descriptor: {exc.strerror}", file=path.name)
        return None
    try:
        descriptor = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.add("package-error", f"descriptor is not valid JSON: {exc}", file=path.name)
        return None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        report.add(
            "package-error", "descriptor must be an object with a resources list", file=path.name
        )
        return None
    return descriptor


def check_profile(descriptor: dict[str, Any], report: Report) -> None:
    """Check the descriptor against the official Data Package 2.0 JSON Schema."""
    import importlib.resources

    import jsonschema

    profile = json.loads(
        importlib.resources.files("sinopak").joinpath("profiles/datapackage.json").read_text()
    )
    for err in sorted(
        jsonschema.Draft7Validator(profile).iter_errors(descriptor),
        key=lambda e: list(e.absolute_path),
    )[:20]:
        where = "/".join(str(p) for p in err.absolute_path)
        report.add(
            "descriptor-error", f"{where or '<root>'}: {err.message[:200]}", file="datapackage.json"
        )


def validate(target: str | Path | None = None, *, frictionless: Scope = "all") -> Report:
    """Validate a data package: a folder, a datapackage.json, a release zip or an http(s) URL
    of either (default: the data bundled with this package).

    `frictionless` says which resources frictionless itself validates: "all" (default),
    "csv" (the CSV tables only: sinopak's own checks then prove JSON and Parquet hold the same
    typed rows, which is what makes large corpora fast), or "none"."""
    if target is None:
        from ._access import data_dir

        target = data_dir()
    text = str(target)
    if text.startswith(("http://", "https://")) or text.endswith(".zip"):
        return _validate_fetched(text, frictionless)
    return _validate_folder(Path(target), text, frictionless)


def _validate_fetched(target: str, scope: Scope) -> Report:
    """Download or unzip into a temporary folder (safely), then validate that."""
    import tempfile

    from .errors import PackageError
    from .fetch import download
    from .safezip import safe_extract

    with tempfile.TemporaryDirectory(prefix="sinopak-validate-") as tmp:
        folder = Path(tmp) / "package"
        try:
            if target.startswith(("http://", "https://")):
                download(folder, target, offline=False, use_cache=False, retries=1)
            else:
                folder.mkdir()
                safe_extract(Path(target), folder)
        except PackageError as exc:
            report = Report(target)
            report.add("package-error", str(exc), file=Path(target).name)
            return report
        return _validate_folder(folder, target, scope)


def _validate_folder(path: Path, target: str, scope: Scope) -> Report:
    descriptor_path = path / "datapackage.json" if path.is_dir() else path
    report = Report(target)
    if not descriptor_path.exists():
        report.add(
            "package-error", f"no datapackage.json at {descriptor_path}", file=descriptor_path.name
        )
        return report
    descriptor = load_descriptor(descriptor_path, report)
    if descriptor is None:
        return report
    base = descriptor_path.parent
    check_profile(descriptor, report)
    files, readable = _check_files(descriptor, base, report)
    _check_sums(base, report)
    # Content is checked even when a hash is wrong: the report then says what changed, by row
    # and field. Only files at safe paths inside the package were read.
    _check_tables(descriptor, files, report)
    if scope != "none" and readable:
        _frictionless(descriptor_path, descriptor, scope, report)
    return report


def _check_files(
    descriptor: dict[str, Any], base: Path, report: Report
) -> tuple[dict[str, bytes], bool]:
    """Bytes and sha256 of every resource; refuse unsafe paths.

    Returns the bytes of every file read, by resource name, and whether every resource was a
    safe, present, readable file (only then may frictionless open the package itself).
    """
    files: dict[str, bytes] = {}
    readable = True
    for i, res in enumerate(descriptor["resources"]):
        name = res.get("name", f"#{i}") if isinstance(res, dict) else f"#{i}"
        if not isinstance(res, dict):
            report.add("descriptor-error", "resource must be an object", resource=name)
            continue
        rel = res.get("path")
        path = _safe_path(base, rel)
        if path is None:
            report.add(
                "unsafe-path",
                f"path {rel!r} must be a relative path inside the package "
                "(no URL, no absolute path, no '..')",
                resource=name,
            )
            continue
        if not path.is_file():
            report.add("missing-file", f"file {rel} does not exist", resource=name, file=rel)
            continue
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            report.add(
                "file-too-large",
                f"{size} bytes exceeds the limit {MAX_FILE_BYTES}",
                resource=name,
                file=rel,
            )
            continue
        data = path.read_bytes()
        declared = res.get("bytes", res.get("sinopak:bytes"))
        if declared != len(data):
            report.add(
                "byte-count",
                f"expected {declared} bytes, found {len(data)}",
                resource=name,
                file=rel,
            )
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        if res.get("hash") != digest:
            report.add(
                "hash-count",
                f"expected hash {res.get('hash')}, found {digest}",
                resource=name,
                file=rel,
            )
        files[name] = data
    readable = readable and len(files) == len(descriptor["resources"])
    return files, readable


def _check_sums(base: Path, report: Report) -> None:
    """If the folder has a SHA256SUMS file (a release), every line must hold."""
    sums = base / "SHA256SUMS"
    if not sums.is_file():
        return
    for n, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), start=1):
        digest, _, rel = line.partition("  ")
        path = _safe_path(base, rel)
        if path is None or not path.is_file():
            report.add(
                "checksum-error",
                f"SHA256SUMS line {n}: {rel!r} is missing or unsafe",
                file="SHA256SUMS",
                row=n,
            )
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            report.add("checksum-error", f"{rel} does not match SHA256SUMS", file=rel, row=n)


def _fields(res: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f["name"], f.get("type", "string")) for f in res.get("schema", {}).get("fields", [])]


def _check_tables(descriptor: dict[str, Any], files: dict[str, bytes], report: Report) -> None:
    from .catalog import TABLES
    from .schema import resource_name, table_schema

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
        from .integrity import check_constraints, check_integrity

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

    from .export import arrow_schema

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


def _frictionless(
    descriptor_path: Path, descriptor: dict[str, Any], scope: Scope, report: Report
) -> None:
    """Run frictionless on the package (every format, or the CSV tables) and collect errors."""
    import frictionless

    try:
        if scope == "all":
            result = frictionless.validate(str(descriptor_path))
        else:
            subset = dict(descriptor)
            subset["resources"] = [r for r in descriptor["resources"] if r.get("format") == "csv"]
            package = frictionless.Package(subset, basepath=str(descriptor_path.parent))
            result = package.validate()
    except Exception as exc:  # frictionless may raise on inputs it cannot open at all
        report.add(
            "frictionless-error",
            f"frictionless could not validate: {exc}",
            file=descriptor_path.name,
        )
        return
    for task in result.tasks:
        for err in task.errors:
            report.add(
                f"frictionless:{err.type}",
                err.message,
                resource=task.name,
                file=getattr(task, "place", None),
                row=getattr(err, "row_number", None),
                field=getattr(err, "field_name", None),
            )
    for err in result.errors:
        report.add(f"frictionless:{err.type}", err.message, file=descriptor_path.name)
