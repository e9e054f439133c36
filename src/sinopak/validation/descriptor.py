"""The descriptor: datapackage.json read, and checked against the official Data Package 2.0
profile."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .report import Report


def load_descriptor(path: Path, report: Report) -> dict[str, Any] | None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        report.add("package-error", f"cannot read descriptor: {exc.strerror}", file=path.name)
        return None
    try:
        descriptor = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
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
