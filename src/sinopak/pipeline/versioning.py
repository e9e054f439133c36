"""Version the data like code: the bump in pyproject.toml must cover what changed in dist/.

`check_release` compares the previous release's package with the project's dist/ (see
`validation.diff`) and the two versions: removed or retyped tables, fields or categories, and
removed records need a major bump; added ones a minor bump; corrected values a patch.
`changelog_section` writes the CHANGELOG's data section for the release from the same diff.

The previous release defaults to dist/ at the newest git tag `vX.Y.Z` below the version in
pyproject.toml; `previous` may instead name a folder, datapackage.json, release zip or URL.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import SinopakError, StaleError
from ..validation.diff import BUMPS, Bump, PackageDiff, diff, render_markdown
from .project import Project

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
TAG = re.compile(r"^v(\d+\.\d+\.\d+)$")


class ReleaseError(SinopakError):
    """A release cannot be checked: bad versions, no previous release."""


def parse_version(text: str) -> tuple[int, int, int]:
    match = SEMVER.match(text)
    if not match:
        raise ReleaseError(f"version {text!r} is not MAJOR.MINOR.PATCH (e.g. 0.2.0)")
    major, minor, patch = (int(g) for g in match.groups())
    return major, minor, patch


def bump_between(old: str, new: str) -> Bump:
    """Which part of the version goes up from `old` to `new` ("none" when equal)."""
    a, b = parse_version(old), parse_version(new)
    if b < a:
        raise ReleaseError(f"the version goes backwards: {old} → {new}")
    if b[0] > a[0]:
        return "major"
    if b[1] > a[1]:
        return "minor"
    return "patch" if b[2] > a[2] else "none"


@dataclass(frozen=True)
class ReleaseCheck:
    diff: PackageDiff
    previous_version: str
    version: str
    bump: Bump
    required: Bump
    reasons: list[str]

    @property
    def ok(self) -> bool:
        return BUMPS.index(self.bump) >= BUMPS.index(self.required)

    def render(self) -> str:
        bump = "no version bump" if self.bump == "none" else f"a {self.bump} bump"
        if self.required == "none":
            needs = "no bump (the data did not change)"
        else:
            needs = f"a {self.required} bump ({'; '.join(self.reasons)})"
        head = f"{self.previous_version} → {self.version}: {bump}"
        if self.ok:
            return f"{head}; the data change needs {needs}. OK"
        return (
            f"{head}, but the data change needs {needs}. Raise the version in pyproject.toml "
            f"to at least {next_version(self.previous_version, self.required)} and run "
            "`sinopak build`."
        )


def next_version(version: str, bump: Bump) -> str:
    major, minor, patch = parse_version(version)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}" if bump == "patch" else version


def release_tags(root: Path) -> list[tuple[tuple[int, int, int], str]]:
    """(version, tag) of every `vX.Y.Z` tag of the repository at `root`, oldest first."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "tag", "--list", "v*"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    found = [(m.group(1), tag) for tag in out.split() if (m := TAG.match(tag))]
    return sorted((parse_version(v), tag) for v, tag in found)


@contextlib.contextmanager
def previous_release(project: Project, previous: str | None) -> Iterator[str]:
    """The previous release's package: `previous`, or dist/ at the newest tag below the
    project's version (extracted from git into a temporary folder)."""
    if previous is not None:
        yield previous
        return
    version = parse_version(project.version())
    tags = [tag for v, tag in release_tags(project.root) if v < version]
    if not tags:
        raise ReleaseError(
            f"no previous release: no git tag vX.Y.Z below {project.version()} in "
            f"{project.root}; pass --previous with the last published package (folder, zip or "
            "URL)"
        )
    from ..validation.safezip import safe_extract

    with tempfile.TemporaryDirectory(prefix="sinopak-release-") as tmp:
        archive = Path(tmp) / "previous.zip"
        command = ["git", "-C", str(project.root), "archive", "--format=zip"]
        subprocess.run([*command, "-o", str(archive), tags[-1], "dist"], check=True)
        safe_extract(archive, Path(tmp) / "tree")
        yield str(Path(tmp) / "tree" / "dist")


def _built_version(project: Project) -> str:
    descriptor = json.loads((project.dist / "datapackage.json").read_text(encoding="utf-8"))
    built, declared = str(descriptor.get("version")), project.version()
    if built != declared:
        raise StaleError(
            f"dist/ holds version {built} but pyproject.toml says {declared}; run `sinopak build`"
        )
    return declared


def check_release(project: Project, previous: str | None = None) -> ReleaseCheck:
    """Compare the previous release with dist/ and the version bump with the change."""
    version = _built_version(project)
    with previous_release(project, previous) as old:
        change = diff(old, project.dist)
    required, reasons = change.required_bump()
    bump = bump_between(change.old_version, version)
    return ReleaseCheck(change, change.old_version, version, bump, required, reasons)


def changelog_section(project: Project, previous: str | None = None) -> str:
    """The data section of this release's CHANGELOG entry, generated from the diff."""
    version = _built_version(project)
    with previous_release(project, previous) as old:
        change = diff(old, project.dist)
    heading = f"### Data ({change.old_version} → {version}, from `sinopak release --changelog`)"
    return render_markdown(change, heading)
