"""The `sinopak` command line: a thin layer over the library."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .errors import MissingDependencyError, SinopakError

if TYPE_CHECKING:
    from .pipeline.project import Project
    from .validation.diff import Format as DiffFormat
    from .validation.report import ReportFormat, Scope


# Exit status of every command (README, "Exit codes").
EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class Group(click.Group):
    """Exit 1 with `Error: …` for what sinopak reports (invalid data, unknown record...), 3
    for a missing extra or an internal error (one line; the traceback only under --debug).
    Usage errors stay click's (exit 2)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort, click.ClickException):
            raise  # click's own exits and usage errors (Exit and Abort are RuntimeErrors)
        except MissingDependencyError as exc:
            self._fail(ctx, f"Error: {exc}", EXIT_INTERNAL)
        except SinopakError as exc:
            self._fail(ctx, f"Error: {exc}", EXIT_INVALID)
        except Exception as exc:
            message = f"{type(exc).__name__}: {exc}".splitlines()[0]
            hint = "rerun with --debug for the traceback"
            self._fail(ctx, f"Internal error: {message} ({hint})", EXIT_INTERNAL)

    @staticmethod
    def _fail(ctx: click.Context, message: str, code: int) -> None:
        if ctx.params.get("debug"):
            raise  # the exception being handled, with its traceback
        from .validation.report import printable  # no terminal control from a hostile input

        click.echo(printable(message), err=True)
        ctx.exit(code)


# In a source checkout (an editable install) the commands that build from seeds/ are listed;
# an installed wheel hides them (they still run, and say they need a clone of the repository).
SOURCE_CHECKOUT = (Path(__file__).resolve().parents[2] / "seeds" / "documents.yaml").is_file()


@click.group(cls=Group)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of short errors.")
@click.version_option(package_name="sinopak")
def main(debug: bool) -> None:
    """sinopak: build, validate and inspect the China–Pakistan defence cooperation dataset.

    Exit status: 0 valid, 1 invalid (or another error sinopak reports), 2 usage error, 3
    missing extra or internal error (--debug shows the traceback).
    """


root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Project folder (default: the nearest folder above the current one with seeds/).",
)


def _checkout(root: Path | None, purpose: str) -> Project:
    """The source checkout a command works in, with the libraries that read its seeds."""
    from .pipeline.project import find_project

    project = find_project(root)
    _require_checkout_tools(purpose)
    return project


def _require_checkout_tools(purpose: str) -> None:
    from .extras import require_checkout_tools

    require_checkout_tools(purpose)


frictionless_option = click.option(
    "--frictionless",
    "scope",
    type=click.Choice(["all", "csv", "none"]),
    default="all",
    show_default=True,
    help="Resources frictionless validates; with csv, sinopak's own checks prove that JSON and "
    "Parquet hold the same typed rows (fast for large corpora).",
)


@main.command(hidden=not SOURCE_CHECKOUT)
@root_option
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Exit 1 if dist/ or schema/ differ from what the seeds build; change nothing.",
)
@frictionless_option
def build(root: Path | None, check_only: bool, scope: Scope) -> None:
    """Rebuild and validate dist/ (and schema/) from seeds/."""
    from .pipeline.manifest import up_to_date
    from .pipeline.project import find_project

    project = find_project(root)
    if check_only and up_to_date(project, scope):  # before importing the build at all
        click.echo("dist/ and schema/ are up to date.")
        return
    _require_checkout_tools("sinopak build")
    from .pipeline.build import STEPS
    from .pipeline.build import build as run_build

    with _progress(len(STEPS)) as progress:
        changed = run_build(project, check_only=check_only, frictionless=scope, progress=progress)
    if check_only:
        click.echo("dist/ and schema/ are up to date.")
    else:
        status = f"{len(changed)} file(s) changed" if changed else "no changes"
        click.echo(f"Built {project.dist}: {status}.")


@contextlib.contextmanager
def _progress(steps: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on a terminal; quiet elsewhere (CI, pipes)."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        yield lambda step: None
        return
    with click.progressbar(
        length=steps, label="Building", file=sys.stderr, item_show_func=lambda s: s
    ) as bar:
        yield lambda step: bar.update(1, step)


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
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds allowed for each file's whole transfer, for a URL.",
)
def validate(path: str | None, fmt: ReportFormat, scope: Scope, timeout: float) -> None:
    """Validate a data package: a folder, datapackage.json, release zip, or an http(s) URL of
    either (default: the data installed with sinopak).

    Exit status: 0 valid, 1 invalid, 2 usage error, 3 missing extra (pip install
    'sinopak[validate]') or internal error.
    """
    from . import validate as run_validate

    remote = path is not None and path.startswith(("http://", "https://"))
    if path is not None and not remote and not Path(path).exists():
        raise click.BadParameter(f"{path} does not exist", param_hint="PATH")
    report = run_validate(path, frictionless=scope, timeout=timeout)
    click.echo(report.format(fmt))
    sys.exit(0 if report.valid else 1)


@main.command()
@click.argument("record_id")
def show(record_id: str) -> None:
    """Show a record and the sentences and quotes that support it."""
    from . import record

    found = record(record_id)
    click.echo(f"{record_id}  ({found['table']})")
    for key, value in found["row"].items():
        if value is not None:
            click.echo(f"  {key}: {value}")
    click.echo("evidence:")
    for ev in found["evidence"]:
        span = f"[{ev['role']}] {ev['sentence_id']} [{ev['start']}, {ev['end']}): {ev['quote']!r}"
        click.echo(f"  {span}\n      in: {ev['sentence']}")


@main.command()
@root_option
def coverage(root: Path | None) -> None:
    """Print, per sentence, the records that cite it; exit 1 if any is unaccounted for.

    In a source checkout (or with --root) from the seeds; elsewhere from the installed data
    (its sentences, evidence and coverage tables)."""
    from .pipeline.project import find_project

    try:
        project = find_project(root)
    except SinopakError:
        if root is not None:
            raise
        from .coverage_view import published_coverage

        text, complete = published_coverage()
        click.echo(text)
        sys.exit(0 if complete else 1)
    _require_checkout_tools("sinopak coverage")
    from .pipeline.coverage import coverage as seed_coverage

    report = seed_coverage(project.seeds)
    click.echo(report.render())
    for err in report.errors:
        click.echo(err.render(), err=True)
    sys.exit(0 if report.complete else 1)


@main.command(hidden=not SOURCE_CHECKOUT)
@root_option
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def anchor(root: Path | None, files: tuple[Path, ...]) -> None:
    """Fill start/end offsets of evidence spans written as `{sentence_id: …, quote: …}`."""
    if not files:
        raise click.UsageError("give one or more seed files to anchor")
    project = _checkout(root, "sinopak anchor")
    from .pipeline.anchor import anchor_files

    for path, count in anchor_files(project.seeds, files):
        click.echo(f"{path}: anchored {count} span(s)")


@main.command()
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Output: text for people, json for programs, markdown for a changelog.",
)
def diff(old: str, new: str, fmt: DiffFormat) -> None:
    """Compare two versions of a data package (folders, datapackage.json, release zips or
    URLs) row by row, by primary key: records added, removed and changed (old → new), and
    schema changes, with the version bump they need."""
    from .validation.diff import diff as run_diff
    from .validation.diff import render

    click.echo(render(run_diff(old, new), fmt), nl=False)


@main.command(hidden=not SOURCE_CHECKOUT)
@root_option
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Exit 1 if the version bump in pyproject.toml is smaller than the data change needs.",
)
@click.option(
    "--changelog",
    is_flag=True,
    help="Print the CHANGELOG's data section for this release, generated from the diff.",
)
@click.option(
    "--previous",
    default=None,
    help="The previous release: folder, datapackage.json, zip or URL (default: dist/ at the "
    "newest git tag vX.Y.Z below the version in pyproject.toml).",
)
def release(root: Path | None, check_only: bool, changelog: bool, previous: str | None) -> None:
    """Check a release against the previous one: removed or retyped tables, fields or
    categories and removed records need a major bump, added ones a minor bump, corrected values
    a patch."""
    from .pipeline.project import find_project
    from .pipeline.versioning import changelog_section, check_release

    if not (check_only or changelog):
        raise click.UsageError("give --check, --changelog or both")
    project = find_project(root)
    if changelog:
        click.echo(changelog_section(project, previous), nl=False)
    if check_only:
        result = check_release(project, previous)
        click.echo(result.render())
        sys.exit(0 if result.ok else 1)


@main.command()
@click.argument("dest", type=click.Path(path_type=Path))
@click.option(
    "--source",
    default=None,
    help="URL (http, https or file://) or local path of a datapackage.json, package folder or "
    "release zip "
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
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds allowed for each file's whole transfer (connecting included).",
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
    """Download a published data package into DEST, verifying every file's sha256: the
    resources of datapackage.json and the files SHA256SUMS lists beside them (the card,
    spreadsheet, SQLite, explorer, Croissant, annotations); the release zip is not copied.

    DEST must be new, empty, or a previous download (marked by .sinopak-download.json); there
    only the package's files are replaced, each atomically, and anything else is kept."""
    from .downloader import download as fetch

    path = fetch(dest, source, offline=offline or None, timeout=timeout, retries=retries)
    click.echo(f"Downloaded and verified: {path}")
