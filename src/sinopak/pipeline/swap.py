"""Compare a staged folder with the committed one, and finish a replacement of dist/ or
schema/ that a crash interrupted (the replacement itself is `folders.replace_folder`)."""

from __future__ import annotations

import filecmp
import os
from pathlib import Path

from .project import Project


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
