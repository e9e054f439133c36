"""Run frictionless itself on the package and collect its errors into the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .report import Report, Scope


def run_frictionless(
    descriptor_path: Path, descriptor: dict[str, Any], scope: Scope, report: Report
) -> None:
    """Run frictionless on the package (every format, or the CSV tables) and collect errors."""
    import frictionless

    try:
        empty = _empty_json(descriptor_path.parent, descriptor)
        if scope == "all" and not empty:
            result = frictionless.validate(str(descriptor_path))
        else:
            subset = dict(descriptor)
            subset["resources"] = [
                r
                for r in descriptor["resources"]
                if (scope == "all" or r.get("format") == "csv") and r.get("name") not in empty
            ]
            package = frictionless.Package(subset, basepath=str(descriptor_path.parent))
            result = package.validate()
    except Exception as exc:  # frictionless may raise on inputs it cannot open at all
        report.add(
            "frictionless-error",
            f"frictionless could not validate: {exc}",
            file=descriptor_path.name,
        )
        return
    for task in result.tasks:
        for err in task.errors:
            report.add_frictionless(
                err.type,
                err.message,
                resource=task.name,
                file=getattr(task, "place", None),
                row=getattr(err, "row_number", None),
                field=getattr(err, "field_name", None),
            )
    for err in result.errors:
        report.add_frictionless(err.type, err.message, file=descriptor_path.name)


def _empty_json(folder: Path, descriptor: dict[str, Any]) -> set[str]:
    """JSON table resources holding `[]`: frictionless cannot read a table from an empty JSON
    array, so these are left to sinopak's own checks (row count equal in every format, keys)."""
    names = set()
    for res in descriptor.get("resources", []):
        path = res.get("path")
        if res.get("format") != "json" or not isinstance(path, str):
            continue
        target = folder / path
        try:
            if target.is_file() and target.stat().st_size <= 16:
                if target.read_text(encoding="utf-8").strip() == "[]":
                    names.add(str(res.get("name")))
        except (OSError, UnicodeDecodeError):
            continue  # unreadable files are reported by the file checks
    return names
