"""The build: seeds -> models -> checks -> rows -> files in a staging folder -> validate -> swap.

dist/ is replaced only after the staged package validates, by renaming folders, so a failed or
interrupted build leaves the previous dist/ exactly as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import SeedErrors, SinopakError, StaleError
from ..schema.table_schema import all_schemas
from ..schema.tables import columns_module
from ..validation import Scope
from .checks import check
from .corpus import Corpus, load_corpus
from .export import write_package
from .project import Project
from .release import write_release
from .rows import build_rows
from .swap import differences, recover, swap_in


class BuildError(SinopakError):
    """The staged package failed validation."""


STEPS = (
    "read seeds",
    "check records",
    "make rows",
    "write tables",
    "write card, explorer, SQLite",
    "write release",
    "validate",
    "compare",
)
Progress = Callable[[str], None]


def _quiet(step: str) -> None:
    pass


def stage(project: Project, *, frictionless: Scope = "all", progress: Progress = _quiet) -> Path:
    """Build and validate the whole package into a fresh folder under build/; return it.

    `progress` is called with the name of each step in STEPS as it finishes.
    """
    corpus = load_corpus(project.seeds)
    progress(STEPS[0])
    errors, resolved = check(corpus)
    if errors:
        raise SeedErrors(errors)
    progress(STEPS[1])
    rows = build_rows(corpus, resolved)
    progress(STEPS[2])
    project.scratch.mkdir(exist_ok=True)
    out = Path(tempfile.mkdtemp(prefix="stage-", dir=project.scratch))
    try:
        pkg = out / "dist"
        pkg.mkdir()
        version = project.version()
        descriptor = write_package(pkg, rows, corpus, version)
        progress(STEPS[3])
        write_extras(pkg, rows, corpus, descriptor)
        progress(STEPS[4])
        write_release(pkg, version)
        progress(STEPS[5])
        schemas = out / "schema"
        schemas.mkdir()
        for name, schema in all_schemas().items():
            (schemas / f"{name}.json").write_text(
                json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
        (out / "_columns.py").write_text(columns_module(), encoding="utf-8")
        from ..validation import validate

        report = validate(pkg, frictionless=frictionless)
        progress(STEPS[6])
        if not report.valid:
            lines = [p.render() for p in report.problems[:20]]
            raise BuildError("the built package does not validate:\n" + "\n".join(lines))
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    return out


def write_extras(
    pkg: Path, rows: dict[str, list[dict[str, Any]]], corpus: Corpus, descriptor: dict[str, Any]
) -> None:
    """The dataset card, the provenance explorer and the SQLite database for Datasette."""
    from .card import card_text
    from .explorer import explorer_html
    from .sqlite import write_datasette

    write_datasette(pkg, rows, descriptor)
    (pkg / "README.md").write_text(card_text(descriptor, rows), encoding="utf-8")
    texts = {d.seed.document_id: d.source.text for d in corpus.documents}
    (pkg / "explorer.html").write_text(explorer_html(descriptor, rows, texts), encoding="utf-8")


def build(
    project: Project,
    *,
    check_only: bool = False,
    frictionless: Scope = "all",
    progress: Progress = _quiet,
) -> list[str]:
    """Rebuild dist/ and schema/; with check_only, return what is stale and change nothing."""
    recover(project)
    for leftover in project.scratch.glob("stage-*"):  # from a build that was killed
        shutil.rmtree(leftover, ignore_errors=True)
    out = stage(project, frictionless=frictionless, progress=progress)
    try:
        stale = [f"dist/{p}" for p in differences(out / "dist", project.dist)]
        stale += [f"schema/{p}" for p in differences(out / "schema", project.schema)]
        columns = project.root / "src" / "sinopak" / "_columns.py"
        # Only a source checkout has src/; an sdist copy or a test fixture may not.
        if columns.parent.is_dir() and (
            not columns.is_file() or columns.read_bytes() != (out / "_columns.py").read_bytes()
        ):
            stale.append("src/sinopak/_columns.py")
        progress(STEPS[7])
        if check_only:
            if stale:
                raise StaleError(
                    "generated files are stale; run `sinopak build`. Differs: "
                    + ", ".join(stale[:20])
                )
            return []
        if stale:
            if columns.parent.is_dir():
                os.replace(out / "_columns.py", columns)
            swap_in(out / "schema", project.schema, project.scratch)
            swap_in(out / "dist", project.dist, project.scratch)
        return stale
    finally:
        shutil.rmtree(out, ignore_errors=True)
