"""Validate a published data package: frictionless, plus every check frictionless skips.

Frictionless checks CSV cells against the schema; it ignores bytes and hashes of JSON and
Parquet files, Parquet column types, JSON key sets and uniqueKeys. The steps here add those
(`files`, `tables`), compare the three formats row for row, resolve keys and check every quote
against the source text (`integrity`), then run frictionless itself (`frictionless_runner`).
`validate` returns a report; it never raises for bad data.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..memory import paused_gc
from .descriptor import check_profile, load_descriptor
from .files import check_files, check_sums, resource_paths
from .frictionless_runner import start as start_frictionless
from .lines import locate_lines
from .references import check_resources, validate_offline
from .report import Report, Scope

# What validation imports, all from the `validate` extra (checked before anything is read,
# without importing them: each step imports what it needs, frictionless in its workers).
VALIDATE_NEEDS = (
    "jsonschema",
    "fastjsonschema",
    "pyarrow.parquet",
    "frictionless",
    "pandas",
)


def validate(
    target: str | os.PathLike[str] | None = None,
    *,
    frictionless: Scope = "all",
    timeout: float = 30.0,
) -> Report:
    """Validate a data package: a folder, a datapackage.json, a release zip or an http(s) URL
    of either (default: the data bundled with this package).

    `frictionless` says which resources frictionless itself validates: "all" (default),
    "csv" (the CSV tables only: sinopak's own checks then prove JSON and Parquet hold the same
    typed rows, which is what makes large corpora fast), or "none". `timeout` bounds each
    file's whole transfer when `target` is a URL.

    Needs the `validate` extra (frictionless, jsonschema, fastjsonschema, pyarrow,
    pandas): without it, raises MissingDependencyError before reading anything."""
    from ..extras import require_installed

    require_installed(VALIDATE_NEEDS, "validation", "validate")
    if target is None:
        from .._access import data_dir

        target = data_dir()
    text = str(target)
    remote = text.startswith(("http://", "https://"))
    with paused_gc():  # millions of cells, no cycles: see memory
        if remote or (text.endswith(".zip") and not Path(text).is_dir()):
            return _validate_fetched(text, frictionless, timeout)
        return _validate_folder(Path(target), text, frictionless)


def _validate_fetched(target: str, scope: Scope, timeout: float) -> Report:
    """Download or unzip into a temporary folder (safely), then validate that."""
    import tempfile

    from ..downloader import download
    from ..errors import PackageError
    from ..transfer import redact
    from .safezip import safe_extract

    with tempfile.TemporaryDirectory(prefix="sinopak-validate-") as tmp:
        folder = Path(tmp) / "package"
        try:
            if target.startswith(("http://", "https://")):
                download(folder, target, offline=False, use_cache=False, retries=1, timeout=timeout)
            else:
                _refuse_non_regular(Path(target))
                folder.mkdir()
                safe_extract(Path(target), folder)
        except PackageError as exc:
            report = Report(redact(target))
            report.add("package-error", str(exc), file=_file_name(target))
            return report
        return _validate_folder(folder, redact(target), scope)


def _refuse_non_regular(path: Path) -> None:
    from ..errors import PackageError
    from .files import regular_size

    size, kind = regular_size(path)
    if size is None:
        raise PackageError(f"{path.name}: expected a zip file, found {kind}")


def _file_name(target: str) -> str:
    """The last part of a path or URL, without credentials or query."""
    import urllib.parse

    if target.startswith(("http://", "https://")):
        return urllib.parse.urlsplit(target).path.rpartition("/")[2] or "datapackage.json"
    return Path(target).name


def _validate_folder(path: Path, target: str, scope: Scope) -> Report:
    # imported here: the table checks need pyarrow (the validate extra), while `sinopak diff`
    # and `download`, which import this package, run on the base install
    from .tables import check_tables, json_bounded, parquet_bounded

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
    contained = check_resources(descriptor, base, report)
    files = check_files(descriptor, base, report)
    check_sums(base, report, resource_paths(descriptor))
    # frictionless opens the files itself: only when every one was safe, present and read,
    # nothing outside the package is referenced and no Parquet or JSON file is a bomb; even
    # then without network access. It runs in worker processes while the checks below run here.
    pending = None
    if (
        scope != "none"
        and contained
        and len(files) == len(descriptor["resources"])
        and parquet_bounded(descriptor, files)
        and json_bounded(descriptor, files)
    ):
        pending = start_frictionless(descriptor_path, descriptor, scope, task=validate_offline)
    # Content is checked even when a hash is wrong: the report then says what changed, by row
    # and field. Only files at safe paths inside the package were read.
    try:
        check_tables(descriptor, files, report)
    finally:
        if pending is not None:
            pending.collect(report)
    locate_lines(report, base)  # CSV rows → lines of the file, for --format github
    return report
