"""File checks: every resource at a safe path, its bytes and sha256, and SHA256SUMS."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ..layout import declared_bytes, relative_path
from .report import Report

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


def check_files(descriptor: dict[str, Any], base: Path, report: Report) -> dict[str, bytes]:
    """Bytes and sha256 of every resource; refuse unsafe paths. Returns the bytes of every
    file read, by resource name."""
    files: dict[str, bytes] = {}
    for i, res in enumerate(descriptor["resources"]):
        if not isinstance(res, dict):
            report.add("descriptor-error", "expected a resource object", resource=f"#{i}")
            continue
        name = res.get("name", f"#{i}")
        data = read_resource(res, name, base, report)
        if data is None:
            continue
        where = {"resource": name, "file": res.get("path")}
        declared = declared_bytes(res)
        if declared != len(data):
            report.add("byte-count", f"expected {declared} bytes, found {len(data)}", **where)
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        if res.get("hash") != digest:
            report.add("hash-count", f"expected hash {res.get('hash')}, found {digest}", **where)
        files[name] = data
    return files


def read_resource(res: dict[str, Any], name: str, base: Path, report: Report) -> bytes | None:
    """The bytes of a resource's file: at a safe path, present, and not too large."""
    rel = res.get("path")
    path = safe_path(base, rel)
    if path is None:
        report.add(
            "unsafe-path",
            f"expected a relative path inside the package (no URL, no absolute path, no "
            f"'..'), found {rel!r}",
            resource=name,
        )
        return None
    if not path.is_file():
        report.add("missing-file", f"expected file {rel}, found none", resource=name, file=rel)
        return None
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        report.add(
            "file-too-large",
            f"expected at most {MAX_FILE_BYTES} bytes, found {size}",
            resource=name,
            file=rel,
        )
        return None
    return path.read_bytes()


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
                f"SHA256SUMS line {n}: expected a file inside the package, found {rel!r} "
                "missing or unsafe",
                file="SHA256SUMS",
            )
            continue
        found = hashlib.sha256(path.read_bytes()).hexdigest()
        if found != digest:
            report.add(
                "checksum-error",
                f"expected sha256 {digest} (SHA256SUMS line {n}), found {found}",
                file=rel,
            )
