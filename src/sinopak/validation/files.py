"""File checks: every resource at a safe path, its bytes and sha256, and SHA256SUMS."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from .report import Report
from .safezip import relative_path

MAX_FILE_BYTES = 200_000_000


def safe_path(base: Path, rel: Any) -> Path | None:
    """The resource file inside `base`, or None if `rel` is not a plain relative path (or a
    symbolic link leads it out of the package)."""
    pure = relative_path(rel)
    if pure is None:
        return None
    path = (base / pure).resolve()
    if not path.is_relative_to(base.resolve()):
        return None
    return path


def check_files(
    descriptor: dict[str, Any], base: Path, report: Report
) -> tuple[dict[str, bytes], bool]:
    """Bytes and sha256 of every resource; refuse unsafe paths.

    Returns the bytes of every file read, by resource name, and whether every resource was a
    safe, present, readable file (only then may frictionless open the package itself).
    """
    files: dict[str, bytes] = {}
    readable = True
    for i, res in enumerate(descriptor["resources"]):
        name = res.get("name", f"#{i}") if isinstance(res, dict) else f"#{i}"
        if not isinstance(res, dict):
            report.add("descriptor-error", "resource must be an object", resource=name)
            continue
        rel = res.get("path")
        path = safe_path(base, rel)
        if path is None:
            report.add(
                "unsafe-path",
                f"path {rel!r} must be a relative path inside the package "
                "(no URL, no absolute path, no '..')",
                resource=name,
            )
            continue
        if not path.is_file():
            report.add("missing-file", f"file {rel} does not exist", resource=name, file=rel)
            continue
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            report.add(
                "file-too-large",
                f"{size} bytes exceeds the limit {MAX_FILE_BYTES}",
                resource=name,
                file=rel,
            )
            continue
        data = path.read_bytes()
        declared = res.get("bytes", res.get("sinopak:bytes"))
        if declared != len(data):
            report.add(
                "byte-count",
                f"expected {declared} bytes, found {len(data)}",
                resource=name,
                file=rel,
            )
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        if res.get("hash") != digest:
            report.add(
                "hash-count",
                f"expected hash {res.get('hash')}, found {digest}",
                resource=name,
                file=rel,
            )
        files[name] = data
    readable = readable and len(files) == len(descriptor["resources"])
    return files, readable


def check_sums(base: Path, report: Report) -> None:
    """If the folder has a SHA256SUMS file (a release), every line must hold."""
    sums = base / "SHA256SUMS"
    if not sums.is_file():
        return
    for n, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), start=1):
        digest, _, rel = line.partition("  ")
        path = safe_path(base, rel)
        if path is None or not path.is_file():
            report.add(
                "checksum-error",
                f"SHA256SUMS line {n}: {rel!r} is missing or unsafe",
                file="SHA256SUMS",
                row=n,
            )
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            report.add("checksum-error", f"{rel} does not match SHA256SUMS", file=rel, row=n)
