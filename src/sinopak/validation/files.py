"""File checks: every resource at a safe path, its bytes and sha256, and SHA256SUMS.

Nothing is opened before it is known to be a regular file inside the package (no symbolic
link on the way) and small enough: a FIFO, a device or an 8 GB sparse file is refused by
its metadata, never read.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Any, NamedTuple

from ..layout import declared_bytes, relative_path
from .report import ProblemType, Report

MAX_FILE_BYTES = 200_000_000  # a resource: read into memory to be parsed
# A file that is only hashed (listed in SHA256SUMS, not a resource: the explorer, the Web
# Annotations of a large corpus run to hundreds of MB) streams through sha256: a bound on time.
MAX_HASHED_BYTES = 2_000_000_000
# SHA256SUMS lists each file of the package once: a line is a sha256, two spaces, a relative
# path and a newline. Its size limit scales with the files the folder holds (a fixed 1 MB
# refused the package's own file at about 10,000 sources).
MAX_SUMS_PATH = 1024  # characters of one listed path
SUMS_LINE_BYTES = 64 + 2 + MAX_SUMS_PATH * 4 + 1  # UTF-8: at most 4 bytes a character
CHUNK = 1 << 20
# threads hashing the files SHA256SUMS lists: a release of 10,000 articles lists 1.4 GB
HASHERS = min(4, os.cpu_count() or 1)
UNSAFE = (
    "expected a relative path inside the package (no URL, no absolute path, no '..', no "
    "symbolic link, no control character)"
)


def safe_path(base: Path, rel: Any) -> Path | None:
    """The file `rel` names inside `base`, or None if `rel` is not a plain relative path or a
    symbolic link lies on the way (links are refused, even ones that stay inside)."""
    pure = relative_path(rel)
    if pure is None:
        return None
    path = base
    for part in pure.parts:
        path = path / part
        if path.is_symlink():
            return None
    return path


def kind_of(mode: int) -> str:
    """What a non-regular file is, for messages."""
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def regular_size(path: Path) -> tuple[int | None, str]:
    """(size, "") of a regular file, or (None, what it is instead) without opening it."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None, "none"
    if not stat.S_ISREG(info.st_mode):
        return None, kind_of(info.st_mode)
    return info.st_size, ""


def read_bounded(path: Path, size: int) -> bytes:
    """The file's bytes, never more than `size` + 1 (a file that grows is caught)."""
    with path.open("rb") as f:
        return f.read(size + 1)


def check_files(descriptor: dict[str, Any], base: Path, report: Report) -> dict[str, bytes]:
    """Bytes and sha256 of every resource; refuse unsafe paths. Returns the bytes of every
    file read, by resource name."""
    files: dict[str, bytes] = {}
    for i, res in enumerate(descriptor["resources"]):
        if not isinstance(res, dict):
            report.add("descriptor-error", "expected a resource object", resource=f"#{i}")
            continue
        name = res.get("name")
        if not isinstance(name, str):
            continue  # reported by the descriptor checks
        data = read_resource(res, name, base, report)
        if data is None:
            continue
        where = {"resource": name, "file": res.get("path")}
        declared = declared_bytes(res)
        if isinstance(declared, bool) or not isinstance(declared, int):
            report.add(
                "byte-count",
                f"expected a whole number of bytes, found {declared!r} "
                f"({type(declared).__name__}); the file has {len(data)}",
                **where,
            )
        elif declared != len(data):
            report.add("byte-count", f"expected {declared} bytes, found {len(data)}", **where)
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        if res.get("hash") != digest:
            report.add("hash-count", f"expected hash {res.get('hash')}, found {digest}", **where)
        files.setdefault(name, data)
    return files


def read_resource(res: dict[str, Any], name: str, base: Path, report: Report) -> bytes | None:
    """The bytes of a resource's file: at a safe path, a regular file, and not too large."""
    rel = res.get("path")
    path = safe_path(base, rel)
    if path is None:
        report.add("unsafe-path", f"{UNSAFE}, found {rel!r}", resource=name)
        return None
    size, kind = regular_size(path)
    if size is None:
        report.add("missing-file", f"expected file {rel}, found {kind}", resource=name, file=rel)
        return None
    if size > MAX_FILE_BYTES:
        report.add(
            "file-too-large",
            f"expected at most {MAX_FILE_BYTES} bytes, found {size}",
            resource=name,
            file=rel,
        )
        return None
    return read_bounded(path, size)


def _hash_file(path: Path) -> str:
    # not hashlib.file_digest (as export and release use): its 256 KiB reads made the threads
    # of `check_sums` about 10% slower than 1 MiB reads (1.6 against 1.45 s, 10,000 articles)
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def resource_paths(descriptor: dict[str, Any]) -> frozenset[str]:
    """The paths the descriptor's resources declare (as `check_sums` takes them)."""
    return frozenset(str(r.get("path")) for r in descriptor["resources"] if isinstance(r, dict))


def check_sums(base: Path, report: Report, resource_paths: frozenset[str] = frozenset()) -> None:
    """If the folder has a SHA256SUMS file (a release), every line must hold (a file listed
    again is compared with its first hash, not hashed again). A file larger than
    MAX_HASHED_BYTES (a resource: MAX_FILE_BYTES) is refused by its size, never hashed (and
    not reported twice when it is a resource)."""
    sums = base / "SHA256SUMS"
    if not os.path.lexists(sums):
        return
    size, kind = (None, "a symbolic link") if sums.is_symlink() else regular_size(sums)
    limit = sums_limit(base)
    if size is None or size > limit:
        found = kind if size is None else f"{size} bytes"
        report.add(
            "checksum-error",
            f"expected a regular file of at most {limit} bytes (one line for each of the "
            f"package's files), found {found}",
            file="SHA256SUMS",
        )
        return
    try:
        text = read_bounded(sums, size).decode("utf-8")
    except UnicodeDecodeError as exc:
        report.add("checksum-error", f"expected UTF-8 text, found {exc.reason}", file="SHA256SUMS")
        return
    # the lines read in order, every file they list hashed at once (reads and sha256 release
    # the GIL: on several cores), then each line checked in order
    planned: dict[str, Path] = {}  # a file listed again is compared, not hashed again
    checks = [
        _plan_sum_line(base, n, line, resource_paths, planned)
        for n, line in enumerate(text.splitlines(), start=1)
    ]
    hashed = _hash_files(planned)
    for check in checks:
        if isinstance(check, _Listed):
            digest = hashed[check.key]
            if isinstance(digest, OSError):  # removed or unreadable since it was listed
                report.add(
                    "checksum-error",
                    f"SHA256SUMS line {check.n}: cannot read {check.rel!r}: "
                    f"{digest.strerror or digest}",
                    file=check.rel,
                )
            elif digest != check.digest:
                _mismatch(report, check.n, check.rel, check.digest, digest)
        elif check is not None:
            report.add(check[0], check[1], **check[2])


def sums_limit(base: Path) -> int:
    """Most bytes a SHA256SUMS of this folder can need: one longest line per file in it (its
    directory tree is walked without following symbolic links; nothing is opened)."""
    files = sum(len(names) for _, _, names in os.walk(base))
    return SUMS_LINE_BYTES * max(1, files)


class _Listed(NamedTuple):
    """A SHA256SUMS line to compare with the hash of its file."""

    n: int
    rel: str
    digest: str
    key: str  # its file's path, however the line spells it


Problem = tuple[ProblemType, str, dict[str, Any]]  # the arguments of `Report.add`


def _plan_sum_line(
    base: Path, n: int, line: str, known: frozenset[str], planned: dict[str, Path]
) -> _Listed | Problem | None:
    """What checking line `n` takes: its file hashed (added to `planned`, unless it is there
    already) and compared, a problem, or nothing (a resource too large: `check_files`)."""
    digest, _, rel = line.partition("  ")
    pure = relative_path(rel)
    key = pure.as_posix() if pure is not None else rel  # "./a", "a/" and "a" are one file
    if key in planned:
        return _Listed(n, rel, digest, key)
    path = safe_path(base, rel)
    size, kind = regular_size(path) if path is not None else (None, "unsafe")
    if path is None or size is None:
        return (
            "checksum-error",
            f"SHA256SUMS line {n}: expected a regular file inside the package, found {rel!r} "
            f"({kind if path is not None else 'an unsafe path'})",
            {"file": "SHA256SUMS"},
        )
    if rel in known and size > MAX_FILE_BYTES:
        return None  # a resource too large to read: reported by check_files
    if size > MAX_HASHED_BYTES:
        return (
            "file-too-large",
            f"SHA256SUMS line {n}: expected at most {MAX_HASHED_BYTES} bytes, found {size}",
            {"file": rel},
        )
    planned[key] = path
    return _Listed(n, rel, digest, key)


def _hash_files(paths: dict[str, Path]) -> dict[str, str | OSError]:
    """The sha256 of each file (or why it could not be read), by key, hashed by HASHERS
    threads."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(HASHERS) as pool:
        return dict(zip(paths, pool.map(_hash_or_error, paths.values()), strict=True))


def _hash_or_error(path: Path) -> str | OSError:
    try:
        return _hash_file(path)
    except OSError as exc:
        return exc


def _mismatch(report: Report, n: int, rel: str, digest: str, found: str) -> None:
    report.add(
        "checksum-error", f"expected sha256 {digest} (SHA256SUMS line {n}), found {found}", file=rel
    )
