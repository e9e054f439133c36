"""The build: seeds -> models -> checks -> rows -> files in a staging folder -> validate -> swap.

dist/ is replaced only after the staged package validates, by renaming folders, so a failed or
interrupted build leaves the previous dist/ exactly as it was.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import BuildError, SeedErrors, StaleError
from ..folders import replace_folder
from ..layout import FORMATS
from ..memory import give_back, paused_gc
from ..validation import Report, Scope, validate
from ..validation.files import check_sums, resource_paths
from ..validation.frictionless_runner import Pending, selected
from ..validation.frictionless_runner import start as start_frictionless
from ..validation.frictionless_runner import warm as warm_frictionless
from . import manifest
from .background import Background
from .checks import RecordChecks, check, check_records
from .corpus import Corpus, add_sentences, read_corpus, segmenting
from .export import finish_package, package_descriptor, write_format, write_tables
from .generated import (
    TABLE_DEFS_MODULE,
    schema_files,
    source_files,
    table_defs_module,
    write_sources,
)
from .lock import build_lock
from .project import Project
from .release import read_sums, write_sums, zip_job, zipped_digests
from .rows import Row, build_rows, record_rows, sentence_rows
from .swap import differences, recover

STEPS = (
    "read seeds",
    "check records",
    "make rows",
    "write tables",
    "write card, explorer, SQLite, spreadsheet, Croissant, annotations",
    "validate (the release zip written beside it)",
    "collect frictionless's findings",
    "compare",
)
Progress = Callable[[str], None]


def _quiet(step: str) -> None:
    pass


def stage(
    project: Project, *, frictionless: Scope = "all", progress: Progress = _quiet
) -> tuple[Path, dict[str, str]]:
    """Build and validate the whole package into a fresh folder under build/; return it, and
    the sha256 of each seed file as read (`Corpus.read`: the manifest records them).

    `progress` is called with the name of each step in STEPS as it finishes.
    """
    if frictionless != "none":  # its fork server imports frictionless while the seeds are read
        warm_frictionless()
    corpus = read_corpus(project.seeds)
    read = corpus.read
    project.scratch.mkdir(exist_ok=True)
    out = Path(tempfile.mkdtemp(prefix="stage-", dir=project.scratch))
    pending: Pending | None = None
    zipping: Background | None = None  # the process writing the release zip
    try:
        (out / "dist").mkdir()
        rows, ahead, pending = _checked_rows(corpus, out / "dist", frictionless, progress, project)
        corpus.release_records()
        give_back()
        progress(STEPS[2])
        version = project.version()
        pending, descriptor = write_dist(
            out / "dist", rows, corpus, version, progress, frictionless, ahead, pending
        )
        paths = resource_paths(descriptor)  # for SHA256SUMS, below
        # written: the validation reads the files, and needs the memory
        del rows, corpus, descriptor
        give_back()
        (out / "schema").mkdir()
        for name, text in schema_files().items():
            (out / "schema" / name).write_text(text, encoding="utf-8")
        # the release zip is written by another process while the package validates;
        # SHA256SUMS, which lists the zip too, after both
        zipping = Background([zip_job(out / "dist", version)])
        report = validate(out / "dist", frictionless="none")  # frictionless: already running
        zipping.wait()
        release_sums(out / "dist", zipped_digests(out / "dist"), report, paths)
        progress(STEPS[5])
        running, pending = pending, None
        if running is not None:
            running.collect(report)
        progress(STEPS[6])
        if not report.valid:
            problems = [p.render() for p in report.problems]
            raise BuildError(listing("the built package does not validate", problems, lines=True))
    except BaseException:
        if zipping is not None:
            zipping.cancel()  # it writes into the folder removed below: killed first
        if pending is not None:
            pending.cancel()
        shutil.rmtree(out, ignore_errors=True)
        raise
    return out, read


def _checked_rows(
    corpus: Corpus, pkg: Path, frictionless: Scope, progress: Progress, project: Project
) -> tuple[dict[str, list[Row]], dict[str, dict[str, Any]], Pending | None]:
    """The rows of every table once every check has passed, the resources of the CSV tables
    written into `pkg` on the way, and frictionless's work on them if it has started: while
    workers segment the sources, the checks that need no sentence run and the records' rows
    and CSV tables are made (`_rows_ahead`); then the other three tables' rows and CSV, and
    frictionless starts on every CSV table while the evidence is checked (`_csv_ahead`)."""
    with contextlib.closing(segmenting(corpus)) as sentences:
        early = check_records(corpus)
        made = _rows_ahead(corpus, early)
        ahead = {} if made is None else write_tables(pkg, made, "csv")
        add_sentences(corpus, sentences)
    progress(STEPS[0])
    pending = None if made is None else _csv_ahead(corpus, pkg, made, ahead, frictionless, project)
    try:
        errors, dating = check(corpus, early)
        if errors:
            raise SeedErrors(errors)
        progress(STEPS[1])
        return build_rows(corpus, dating, made), ahead, pending
    except BaseException:
        if pending is not None:
            pending.cancel()
        raise


def _rows_ahead(corpus: Corpus, early: RecordChecks) -> dict[str, list[Row]] | None:
    """The rows of the records' tables, made while the sources are segmented, before the
    checks of the evidence; None if the checks so far found a problem, or if making them
    failed (a record those checks would refuse can break them). `build_rows` then makes
    them after every check has passed, as it does for the other tables, and raises what
    they raise: a build fails as it would if they were made after the checks."""
    if early.ids or early.references or early.reports or early.dates:
        return None
    try:
        return record_rows(corpus, early.dating)
    except Exception:  # made again, and raised, after the checks
        return None


def _csv_ahead(
    corpus: Corpus,
    pkg: Path,
    made: dict[str, list[Row]],
    ahead: dict[str, dict[str, Any]],
    frictionless: Scope,
    project: Project,
) -> Pending | None:
    """Before the evidence is checked: the rows and CSV tables `FROM_SENTENCES` added to
    `made` and `ahead`, then (unless `frictionless` is "none") frictionless started on every
    CSV table, from the early descriptor `write_dist` would write. Nothing is added if making
    the rows fails, and frictionless is not started if the version cannot be read: the build
    then does both after the checks, and fails as it would have."""
    from ..schema.tables import TABLES

    try:
        more = sentence_rows(corpus)
    except Exception:  # made again, and raised, after the checks
        return None
    made.update(more)
    ahead.update(write_tables(pkg, more, "csv"))
    if frictionless == "none":
        return None
    try:
        version = project.version()
    except Exception:  # raised where the build reads it after the checks
        return None
    return _start_on_csv(pkg, corpus, version, made, [ahead[name] for name in TABLES], frictionless)


def _start_on_csv(
    pkg: Path,
    corpus: Corpus,
    version: str,
    rows: dict[str, list[Row]],
    csv_resources: list[dict[str, Any]],
    frictionless: Scope,
) -> Pending | None:
    """The early descriptor written beside `pkg`, and frictionless started on its CSV
    tables (unless `frictionless` is "none")."""
    early = pkg.parent / EARLY_DESCRIPTOR
    write_early_descriptor(early, pkg, corpus, version, rows, csv_resources)
    if frictionless == "none":
        return None
    return start_frictionless(early, {"resources": csv_resources}, "csv")


def release_sums(pkg: Path, digests: dict[str, str], report: Report, paths: frozenset[str]) -> None:
    """SHA256SUMS written (from the digests the zip's process made of the files it zipped, and
    the zip's own) and checked against the files as they are on disk."""
    write_sums(pkg, digests)
    check_sums(pkg, report, paths)


def write_dist(
    pkg: Path,
    rows: dict[str, list[dict[str, Any]]],
    corpus: Corpus,
    version: str,
    progress: Progress,
    frictionless: Scope = "none",
    ahead: dict[str, dict[str, Any]] | None = None,
    pending: Pending | None = None,
) -> tuple[Pending | None, dict[str, Any]]:
    """Every file of the published package, in the folder `pkg` (made, empty but for the CSV
    tables of `ahead`: their resources); its descriptor, and frictionless's pending work
    (`pending`, if it started on every CSV table of `ahead` already).

    The CSV tables are written first: frictionless starts on them in worker processes (unless
    `frictionless` is "none") from a descriptor of the CSV tables alone, then the Parquet
    tables, from which a separate process writes the workbook and the SQLite database, while
    this one writes the JSON tables, the descriptor (with the same CSV resources: the same
    dicts) and the other files.
    With `frictionless` "all", the JSON and Parquet tables are given to the workers once the
    descriptor exists. Nothing changes a file once written; the caller collects the problems."""
    from .spreadsheet import XLSX_NAME, workbook_job
    from .sqlite import database_job

    writing: Background | None = None  # the process writing files from Parquet
    try:
        tables = {"csv": write_format(pkg, rows, "csv", ahead)}
        early = pkg.parent / EARLY_DESCRIPTOR
        if pending is None:
            pending = _start_on_csv(pkg, corpus, version, rows, tables["csv"], frictionless)
        tables["parquet"] = write_format(pkg, rows, "parquet")
        give_back()  # the Arrow tables of the Parquet files
        # from the staged files; its temporary files stay in the stage folder
        workbook = workbook_job(pkg / XLSX_NAME, pkg, scratch=pkg.parent, descriptor=early)
        writing = Background([workbook, database_job(pkg)])
        tables["json"] = write_format(pkg, rows, "json")
        resources = [res for fmt in FORMATS for res in tables[fmt]]
        descriptor = finish_package(pkg, rows, corpus, version, resources)
        progress(STEPS[3])
        if pending is not None and frictionless == "all":
            later = [r for r in selected(descriptor, "all") if r.get("format") != "csv"]
            pending.submit(pkg / "datapackage.json", later)
        write_extras(pkg, rows, corpus, descriptor)
        give_back()  # what the explorer and annotations were made of
        writing.wait()
        progress(STEPS[4])
    except BaseException:
        if writing is not None:
            writing.cancel()
        if pending is not None:
            pending.cancel()
        raise
    return pending, descriptor


# The descriptor of the staged CSV tables alone, beside the staged dist/ (never in it), that
# frictionless and the workbook start from before the package's descriptor exists.
EARLY_DESCRIPTOR = "early-datapackage.json"


def write_early_descriptor(
    path: Path,
    pkg: Path,
    corpus: Corpus,
    version: str,
    rows: dict[str, list[dict[str, Any]]],
    csv_resources: list[dict[str, Any]],
) -> None:
    """The package's metadata and its CSV resources, their paths relative to `path`'s folder
    (the staged dist/ is in it)."""
    import json

    inside = pkg.relative_to(path.parent).as_posix()
    moved = [{**res, "path": f"{inside}/{res['path']}"} for res in csv_resources]
    descriptor = package_descriptor(corpus.package, version, [], rows, moved)
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


MAX_LISTED = 20


def listing(head: str, items: list[str], *, lines: bool = False) -> str:
    """`head`, then the first MAX_LISTED items (one per line, or comma-separated), saying
    when there are more than that."""
    shown = items[:MAX_LISTED]
    if len(items) > MAX_LISTED:
        shown.append(f"… and {len(items) - MAX_LISTED} more (only the first {MAX_LISTED} shown)")
    return head + (":\n" + "\n".join(shown) if lines else ": " + ", ".join(shown))


def write_extras(
    pkg: Path, rows: dict[str, list[dict[str, Any]]], corpus: Corpus, descriptor: dict[str, Any]
) -> None:
    """The dataset card, the provenance explorer, Datasette's metadata, and the Croissant and
    Web Annotation files (the spreadsheet and the database are written beside them:
    `write_dist`)."""
    from .card import card_text
    from .explorer import write_explorer
    from .linked_data import write_linked_data
    from .sqlite import write_datasette_metadata

    write_datasette_metadata(pkg, descriptor, corpus.package.license_summary)
    citation = corpus.package.cite(descriptor["version"])
    (pkg / "README.md").write_text(card_text(descriptor, rows, citation), encoding="utf-8")
    texts = {d.seed.document_id: d.source.text for d in corpus.documents}
    with (pkg / "explorer.html").open("w", encoding="utf-8", newline="") as page:
        write_explorer(page, descriptor, rows, texts)
    write_linked_data(pkg, descriptor, rows, texts)


def build(
    project: Project,
    *,
    check_only: bool = False,
    frictionless: Scope = "all",
    progress: Progress = _quiet,
) -> list[str]:
    """Rebuild dist/, schema/ and the generated sources; with check_only, raise StaleError
    naming what is stale and change nothing. Returns the paths that changed.

    Both record build/manifest.json when they succeed; check_only first consults it and
    stops early when it proves nothing changed (see `manifest`). Builds of one project run one
    at a time (`lock`): a second one waits."""
    with build_lock(project), paused_gc():
        return _build(project, check_only=check_only, frictionless=frictionless, progress=progress)


def _build(
    project: Project, *, check_only: bool, frictionless: Scope, progress: Progress
) -> list[str]:
    recover(project)
    if check_only and manifest.up_to_date(project, frictionless):
        return []  # the manifest proves nothing changed since the last verified build
    _check_definitions(project, check_only=check_only)
    for leftover in project.scratch.glob("stage-*"):  # from a build that was killed
        shutil.rmtree(leftover, ignore_errors=True)
    out, read = stage(project, frictionless=frictionless, progress=progress)
    try:
        known = read_sums(out / "dist")  # checked against the files by `stage`
        sources = source_files(project.root)
        stale_sources = [rel for rel, text in sources.items() if _differs(project.root / rel, text)]
        stale = [f"dist/{p}" for p in differences(out / "dist", project.dist)]
        stale += [f"schema/{p}" for p in differences(out / "schema", project.schema)]
        stale += stale_sources
        progress(STEPS[7])
        if check_only:
            if stale:
                raise StaleError(listing("generated files are stale; run `sinopak build`", stale))
            manifest.record(project, frictionless, list(sources), known, read)
            return []
        write_sources(project.root, {rel: sources[rel] for rel in stale_sources})
        if any(p.startswith("schema/") for p in stale):
            replace_folder(out / "schema", project.schema, hold=project.scratch)
        if any(p.startswith("dist/") for p in stale):
            replace_folder(out / "dist", project.dist, hold=project.scratch)
        manifest.record(project, frictionless, list(sources), known, read)
        return stale
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _check_definitions(project: Project, *, check_only: bool) -> None:
    """Validation reads the tables from the generated `schema.table_defs` (no Pydantic), already
    imported in this process. After a change to the models that module is stale, and this
    build would check its package against the old tables: regenerate it and stop."""
    from ..schema import table_defs
    from ..schema.tables import TABLES

    if list(table_defs.TABLES.items()) == list(TABLES.items()):  # the order counts too
        return
    if check_only:
        raise StaleError(
            listing("generated files are stale; run `sinopak build`", [TABLE_DEFS_MODULE])
        )
    if not (project.root / TABLE_DEFS_MODULE).is_file():
        raise BuildError(
            "the installed sinopak's table definitions (schema/table_defs.py) differ from its "
            "models: reinstall sinopak"
        )
    write_sources(project.root, {TABLE_DEFS_MODULE: table_defs_module()})
    raise BuildError(
        f"{TABLE_DEFS_MODULE} was out of date with the models and has been regenerated; run "
        "`sinopak build` again (this process still holds the old table definitions)"
    )


def _differs(path: Path, text: str) -> bool:
    return not path.is_file() or path.read_bytes() != text.encode("utf-8")
