"""The build manifest (build/manifest.json): what the last verified build read and wrote.

A build that succeeds (and a `--check` that finds nothing stale) records the sha256 of its
inputs (every file under seeds/, pyproject.toml, every file of the sinopak code that ran, and
the installed distributions with their versions) and of its outputs (every file under dist/
and schema/, and the generated sources). `sinopak build --check` first hashes the same files:
when every hash matches, and every resource's file still matches the hash the descriptor
gives, nothing can have changed and the check stops there. Anything else (a changed, added or
removed file, a manifest that is missing, unreadable or of another shape, a weaker frictionless
scope) falls back to the full rebuild and comparison.

Standard library only: the fast path must not import the build.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .project import Project

FORMAT = 1
NAME = "manifest.json"
# A manifest recorded with a scope covers the checks of that scope and the narrower ones.
SCOPE_RANK = {"none": 0, "csv": 1, "all": 2}
CODE_DIR = Path(__file__).resolve().parents[1]  # the sinopak package that runs


def manifest_path(project: Project) -> Path:
    return project.scratch / NAME


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(
    folder: Path, prefix: str, *, skip_caches: bool = False, known: Mapping[str, str] | None = None
) -> dict[str, str]:
    """sha256 of every file under `folder`, by `prefix` + relative path (sorted); a digest in
    `known` (by relative path) is taken as it is, not computed again."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        if skip_caches:
            dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        rel = Path(dirpath).relative_to(folder).as_posix()
        for name in sorted(filenames):
            if skip_caches and name.endswith((".pyc", ".pyo")):
                continue
            key = name if rel == "." else f"{rel}/{name}"
            given = (known or {}).get(key)
            out[prefix + key] = given if given is not None else digest(Path(dirpath) / name)
    return out


def installed() -> list[str]:
    """The installed distributions and their versions (`name-version.dist-info` folders on
    sys.path): any install, upgrade or removal changes this list."""
    found: set[str] = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found.update(n for n in names if n.endswith((".dist-info", ".egg-info")))
    return sorted(found)


# Recorded for a record file the build did not read (added while it ran): no file hashes to it.
UNREAD = "unread"


def inputs(
    project: Project, code: Path | None = None, read: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Everything a build reads. `read`: the digests of the seed files a build read (by path
    inside seeds/), of the bytes it read; they are recorded as they are, a file read and gone
    since included, and a record file it did not read (added since) as UNREAD, so that a seed
    changed while a build ran never passes for built."""
    files = tree(project.seeds, "seeds/", known=read)
    if read is not None:
        files.update({f"seeds/{rel}": sha for rel, sha in read.items()})
        for key in files:
            if _is_record_file(key) and key.removeprefix("seeds/") not in read:
                files[key] = UNREAD
    files["pyproject.toml"] = digest(project.root / "pyproject.toml")
    return {
        "files": files,
        "code": tree(code or CODE_DIR, "", skip_caches=True),
        "python": sys.version,
        "installed": installed(),
    }


def _is_record_file(key: str) -> bool:
    """A file the build reads whenever it is there (`seeds.load_records`: records/**/*.yaml)."""
    return key.startswith("seeds/records/") and key.endswith(".yaml")


def outputs(
    project: Project, generated: list[str], known: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Everything a build writes: dist/, schema/ and the generated sources (relative paths);
    `known`: digests of dist/'s files (by path inside it) already computed."""
    files = tree(project.dist, "dist/", known=known)
    files.update(tree(project.schema, "schema/"))
    for rel in generated:
        path = project.root / rel
        files[rel] = digest(path) if path.is_file() else "missing"
    return files


def record(
    project: Project,
    scope: str,
    generated: list[str],
    known: Mapping[str, str] | None = None,
    read: Mapping[str, str] | None = None,
) -> None:
    """Write the manifest of the build that just finished (atomically). `known`: digests of
    dist/'s files by path inside it, from the staged package's SHA256SUMS (checked against the
    staged files, which dist/ now holds, or equals byte for byte): at 10,000 articles hashing
    dist/ again took 3.5 s. `read`: digests of the seed files as the build read them (by path
    inside seeds/): a seed edited while the build ran is then recorded as the build saw it,
    and the next `--check` rebuilds; hashing the 20,000 seed files of 10,000 articles again
    took 2.6 s."""
    data = {
        "format": FORMAT,
        "scope": scope,
        "inputs": inputs(project, read=read),
        "generated": sorted(generated),
        "outputs": outputs(project, generated, known),
    }
    path = manifest_path(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".manifest-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
    os.replace(tmp, path)


def load(project: Project) -> dict[str, Any] | None:
    """The recorded manifest, or None when it is absent, unreadable or not of this shape."""
    try:
        data = json.loads(manifest_path(project).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    shape = {"format": int, "scope": str, "inputs": dict, "generated": list, "outputs": dict}
    if not isinstance(data, dict) or any(not isinstance(data.get(k), t) for k, t in shape.items()):
        return None
    if data["format"] != FORMAT or not all(isinstance(g, str) for g in data["generated"]):
        return None
    return data


def up_to_date(project: Project, scope: str, code: Path | None = None) -> bool:
    """True when the manifest proves that dist/, schema/ and the generated sources are what
    the current inputs build (and were validated with at least `scope`)."""
    recorded = load(project)
    if recorded is None or SCOPE_RANK.get(recorded["scope"], -1) < SCOPE_RANK[scope]:
        return False
    try:
        if inputs(project, code) != recorded["inputs"]:
            return False
        found = outputs(project, recorded["generated"])
    except OSError:
        return False
    return found == recorded["outputs"] and descriptor_agrees(project, found)


def descriptor_agrees(project: Project, hashes: dict[str, str]) -> bool:
    """Every resource the descriptor lists is a file of dist/ with the sha256 it declares."""
    try:
        descriptor = json.loads((project.dist / "datapackage.json").read_text(encoding="utf-8"))
        resources = descriptor["resources"]
        return all(
            hashes.get(f"dist/{res['path']}") == str(res["hash"]).removeprefix("sha256:")
            for res in resources
        )
    except (OSError, ValueError, KeyError, TypeError):
        return False
