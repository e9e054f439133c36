"""Replace a folder atomically: used by the build (dist/, schema/) and by downloads.

Standard library only.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step (Linux renameat2 with RENAME_EXCHANGE).

    Returns False where the system call is unavailable (other kernels, other libcs); the
    caller then falls back to two renames.
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


def replace_folder(new: Path, target: Path, hold: Path) -> None:
    """Put folder `new` at `target`, replacing what is there: one atomic exchange where the
    system allows it, otherwise two renames through a folder `old-*` made inside `hold` (on
    the same file system; a crash between the renames leaves the old folder there, for the
    caller to recover). The old contents are removed afterwards."""
    if target.exists() and exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the previous contents
        return
    hold = Path(tempfile.mkdtemp(prefix="old-", dir=hold))
    if target.exists():
        os.rename(target, hold / target.name)
    os.rename(new, target)
    shutil.rmtree(hold, ignore_errors=True)
