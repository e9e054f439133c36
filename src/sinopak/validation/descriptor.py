"""The descriptor: datapackage.json read, and checked against the official Data Package 2.0
profile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .report import Report

MAX_DESCRIPTOR_BYTES = 16_000_000


def load_descriptor(path: Path, report: Report) -> dict[str, Any] | None:
    """The descriptor, read strictly: a regular file of bounded size, UTF-8 JSON without
    duplicate keys or deep nesting (checked before anything is opened or parsed)."""
    from ..codec import loads_strict
    from .files import read_bounded, regular_size

    size, kind = regular_size(path)
    if size is None or size > MAX_DESCRIPTOR_BYTES:
        found = kind if size is None else f"{size} bytes"
        report.add(
            "package-error",
            f"expected a regular file of at most {MAX_DESCRIPTOR_BYTES} bytes, found {found}",
            file=path.name,
        )
        return None
    try:
        raw = read_bounded(path, size)
    except OSError as exc:
        report.add("package-error", f"cannot read descriptor: {exc.strerror}", file=path.name)
        return None
    try:
        descriptor = loads_strict(raw)
    except ValueError as exc:  # not UTF-8, not JSON, a repeated key, nested too deep
        report.add("package-error", f"descriptor is not valid JSON: {exc}", file=path.name)
        return None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        report.add(
            "package-error", "descriptor must be an object with a resources list", file=path.name
        )
        return None
    return descriptor


def check_profile(descriptor: dict[str, Any], report: Report) -> None:
    """Check the descriptor against the official Data Package 2.0 JSON Schema (compiled and
    cached: see `profile_check`)."""
    from .profile_check import check_profile as compiled

    compiled(descriptor, report)
