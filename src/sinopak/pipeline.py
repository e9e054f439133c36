"""The build: seeds -> models -> checks -> rows -> files in a staging folder -> validate -> swap.

dist/ is replaced only after the staged package validates, by renaming folders, so a failed or
interrupted build leaves the previous dist/ exactly as it was.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .checks import check
from .corpus import Corpus, load_corpus
from .docgen import columns_module
from .errors import SeedErrors, SinopakError, StaleError
from .export import write_package
from .release import write_release
from .rows import build_rows
from .schema import all_schemas
from .validate import Scope


class BuildError(SinopakError):
    """The staged package failed validation."""


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    @property
    def schema(self) -> Path:
        return self.root / "schema"

    @property
    def scratch(self) -> Path:
        return self.root / "build"

    def version(self) -> str:
        with (self.root / "pyproject.toml").open("rb") as fh:
            return str(tomllib.load(fh)["project"]["version"])


def find_project(start: Path | None = None) -> Project:
    """The nearest folder at or above `start` holding seeds/documents.yaml and pyproject.toml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "seeds" / "documents.yaml").is_file() and (
            folder / "pyproject.toml"
        ).is_file():
            return Project(folder)
    raise SinopakError(
        f"no sinopak project (seeds/documents.yaml) at or above {here}; "
        "run from a clone of the repository or pass --root"
    )


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
        from .validate import validate

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


def differences(a: Path, b: Path) -> list[str]:
    """Relative paths that differ between two folder trees (missing on either side included)."""
    out: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        out.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        out.extend(prefix + n for n in mismatch + errors)
        for name, sub in sorted(cmp.subdirs.items()):
            walk(sub, f"{prefix}{name}/")

    if not b.exists():
        return ["(missing)"]
    walk(filecmp.dircmp(a, b), "")
    return sorted(out)


def recover(project: Project) -> None:
    """Finish a swap that was interrupted between its two renames."""
    for target in (project.dist, project.schema):
        if target.exists():
            continue
        for old in sorted(project.scratch.glob(f"old-*/{target.name}")):
            os.rename(old, target)
            break


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step (Linux renameat2 with RENAME_EXCHANGE).

    Returns False where the system call is unavailable (other kernels, other libcs); the
    caller then falls back to two renames, which `recover` completes after a crash.
    """
    import ctypes
    import errno

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(new: Path, target: Path, scratch: Path) -> None:
    """Replace folder `target` by `new`: one atomic exchange where the system allows it,
    otherwise two renames. The old folder is removed afterwards."""
    if target.exists() and exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the previous contents
        return
    hold = Path(tempfile.mkdtemp(prefix="old-", dir=scratch))
    if target.exists():
        os.rename(target, hold / target.name)
    os.rename(new, target)
    shutil.rmtree(hold, ignore_errors=True)


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
