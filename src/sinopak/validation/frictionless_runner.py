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
        if scope == "all":
            result = frictionless.validate(str(descriptor_path))
        else:
            subset = dict(descriptor)
            subset["resources"] = [r for r in descriptor["resources"] if r.get("format") == "csv"]
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
