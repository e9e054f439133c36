"""The `sinopak` command line: a thin layer over the library."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from .errors import SinopakError


class Group(click.Group):
    """Turns SinopakError into `Error: …` and exit 1, unless --debug asks for the traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SinopakError as exc:
            if ctx.params.get("debug"):
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)


@click.group(cls=Group)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of short errors.")
@click.version_option(package_name="sinopak")
def main(debug: bool) -> None:
    """sinopak: build, validate and inspect the China–Pakistan defence cooperation dataset."""


root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Project folder (default: the nearest folder above the current one with seeds/).",
)


frictionless_option = click.option(
    "--frictionless",
    "scope",
    type=click.Choice(["all", "csv", "none"]),
    default="all",
    show_default=True,
    help="Resources frictionless validates; with csv, sinopak's own checks prove that JSON and "
    "Parquet hold the same typed rows (fast for large corpora).",
)


@main.command()
@root_option
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Exit 1 if dist/ or schema/ differ from what the seeds build; change nothing.",
)
@frictionless_option
def build(root: Path | None, check_only: bool, scope: str) -> None:
    """Rebuild and validate dist/ (and schema/) from seeds/."""
    from .pipeline.build import STEPS
    from .pipeline.build import build as run_build
    from .pipeline.project import find_project

    project = find_project(root)
    kwargs: dict[str, Any] = {"check_only": check_only, "frictionless": scope}
    if sys.stderr.isatty() and not os.environ.get("CI"):  # a bar on a terminal, quiet in CI
        with click.progressbar(
            length=len(STEPS), label="Building", file=sys.stderr, item_show_func=lambda s: s
        ) as bar:
            changed = run_build(project, progress=lambda s: bar.update(1, s), **kwargs)
    else:
        changed = run_build(project, **kwargs)
    if check_only:
        click.echo("dist/ and schema/ are up to date.")
    elif changed:
        click.echo(f"Built {project.dist}: {len(changed)} file(s) changed.")
    else:
        click.echo(f"Built {project.dist}: no changes.")


@main.command()
@click.argument("path", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@frictionless_option
def validate(path: str | None, fmt: str, scope: str) -> None:
    """Validate a data package: a folder, datapackage.json, release zip, or an http(s) URL of
    either (default: the data installed with sinopak).

    Exit status: 0 valid, 1 invalid, 2 usage error.
    """
    from .validation import validate as run_validate

    remote = path is not None and path.startswith(("http://", "https://"))
    if path is not None and not remote and not Path(path).exists():
        raise click.BadParameter(f"{path} does not exist", param_hint="PATH")
    report = run_validate(path, frictionless=scope)  # type: ignore[arg-type]
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    elif fmt == "github":
        for p in report.problems:
            file = p.file or "datapackage.json"
            line = f",line={p.row}" if p.row else ""
            click.echo(f"::error file={file}{line},title={p.type}::{p.render()}")
        if report.valid:
            click.echo(f"valid: {report.target}")
    else:
        for p in report.problems:
            click.echo(p.render())
        rows = sum(report.tables.values())
        status = "valid" if report.valid else f"INVALID ({len(report.problems)} problem(s))"
        click.echo(f"{status}: {report.target} ({len(report.tables)} tables, {rows} rows)")
    sys.exit(0 if report.valid else 1)


@main.command()
@click.argument("record_id")
def show(record_id: str) -> None:
    """Show a record and the sentences and quotes that support it."""
    from . import _access

    for res in _access.datapackage()["resources"]:
        key = res.get("schema", {}).get("primaryKey", [])
        if res.get("format") != "csv" or len(key) != 1 or res["name"] in ("evidence", "coverage"):
            continue
        match = [r for r in _access.load(res["name"]) if r[key[0]] == record_id]
        if match:
            name, row = res["name"], match[0]
            click.echo(f"{record_id}  ({name})")
            for k, v in row.items():
                if v is not None:
                    click.echo(f"  {k}: {v}")
            click.echo("evidence:")
            for ev in _access.evidence(record_id):
                click.echo(
                    f"  [{ev['role']}] {ev['sentence_id']} [{ev['start']}, {ev['end']}): "
                    f"{ev['quote']!r}"
                )
                click.echo(f"      in: {ev['sentence']}")
            return
    raise SinopakError(f"no record {record_id!r}; ids look like ent.china, evt.…, stm.…")


@main.command()
@root_option
def coverage(root: Path | None) -> None:
    """Print, per sentence, the records that cite it; exit 1 if any is unaccounted for."""
    from .pipeline.checks import check
    from .pipeline.corpus import citations, exclusion_reasons, load_corpus, units
    from .pipeline.project import find_project

    project = find_project(root)
    corpus = load_corpus(project.seeds)
    errors, _ = check(corpus)
    citing = citations(units(corpus))
    excluded = exclusion_reasons(corpus)
    total = covered = 0
    for doc in corpus.documents:
        for s in doc.sentences:
            total += 1
            ids = citing.get(s.sentence_id, [])
            if ids:
                covered += 1
                status = f"{len(ids)} record(s): " + ", ".join(ids)
            elif s.sentence_id in excluded:
                covered += 1
                status = f"excluded: {excluded[s.sentence_id]}"
            else:
                status = "UNACCOUNTED FOR"
            click.echo(f"{s.sentence_id} [{s.kind}] {s.text[:70]!r}\n    {status}")
    pct = 100 * covered / total if total else 100.0
    click.echo(f"coverage: {covered}/{total} sentences ({pct:.1f}%)")
    for err in errors:
        click.echo(err.render(), err=True)
    sys.exit(0 if covered == total and not errors else 1)


@main.command()
@root_option
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def anchor(root: Path | None, files: tuple[Path, ...]) -> None:
    """Fill start/end offsets of evidence spans written as `{sentence_id: …, quote: …}`."""
    from .pipeline.anchor import anchor_file
    from .pipeline.corpus import load_corpus_texts
    from .pipeline.project import find_project

    project = find_project(root)
    corpus = load_corpus_texts(project.seeds)
    for path in files:
        n = anchor_file(path, corpus, str(path))
        click.echo(f"{path}: anchored {n} span(s)")


@main.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--source",
    default=None,
    help="URL of a datapackage.json or release zip "
    "(default: $SINOPAK_SOURCE, else the latest GitHub release).",
)
@click.option(
    "--offline",
    is_flag=True,
    default=None,
    help="Use only the cache ($SINOPAK_CACHE); also set by SINOPAK_OFFLINE=1.",
)
@click.option(
    "--timeout",
    type=float,
    default=30.0,
    show_default=True,
    help="Seconds to wait for the server on each request.",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=3,
    show_default=True,
    help="Attempts after a failed or interrupted request.",
)
def download(
    dest: Path, source: str | None, offline: bool | None, timeout: float, retries: int
) -> None:
    """Download a published data package into DEST, verifying every file's sha256."""
    from .downloader import download as fetch

    path = fetch(dest, source, offline=offline or None, timeout=timeout, retries=retries)
    click.echo(f"Downloaded and verified: {path}")
