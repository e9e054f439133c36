"""Replace dist/ and schema/ atomically, and finish a replacement a crash interrupted."""

from __future__ import annotations

import filecmp
import os
import shutil
import tempfile
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
