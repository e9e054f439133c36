"""The validation report: typed problems with a stable `type`, where they are, and a message."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Scope = Literal["all", "csv", "none"]
ReportFormat = Literal["text", "json", "github"]

# The stable `type` of every problem sinopak itself reports (frictionless's own are reported
# as `frictionless:<type>`). The README's list is generated from this Literal.
ProblemType = Literal[
    "hash-count",
    "byte-count",
    "cell-error",
    "type-error",
    "format-mismatch",
    "constraint-error",
    "primary-key",
    "unique-error",
    "foreign-key",
    "quote-mismatch",
    "offset-error",
    "source-hash",
    "provenance-error",
    "schema-mismatch",
    "unsafe-path",
    "missing-file",
    "missing-resource",
    "file-too-large",
    "encoding-error",
    "format-error",
    "checksum-error",
    "descriptor-error",
    "package-error",
    "frictionless-error",
]
FRICTIONLESS_PREFIX = "frictionless:"


@dataclass(frozen=True)
class Problem:
    type: str
    message: str
    resource: str | None = None
    file: str | None = None
    row: int | None = None  # CSV: counting the header as row 1; JSON, Parquet: the record's index
    field: str | None = None
    line: int | None = None  # the line of `file` itself where the problem is (CSV files only)

    def render(self) -> str:
        """One line for a terminal: control characters (which could move the cursor, recolour
        or hide text) and bidi controls are shown as escapes."""
        where = self.file or self.resource or "datapackage.json"
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field {self.field}"
        return printable(f"[{self.type}] {where}: {self.message}")

    def github(self) -> str:
        """A GitHub Actions annotation on the file the problem concerns, and on its line where
        the file has one (CSV; the row number is in the message), escaped as the
        workflow-command rules require (so no value can end the command or start another)."""
        where = f"file={_gh_property(self.file or 'datapackage.json')}" + (
            f",line={self.line}" if self.line else ""
        )
        return f"::error {where},title={_gh_property(self.type)}::{_gh_data(self.render())}"


# C0/C1 controls, DEL, bidi overrides and isolates, and lone surrogates (unprintable anyway).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with every terminal control, bidi control and lone surrogate as an escape."""
    return _UNPRINTABLE.sub(
        lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text
    )


def _gh_data(text: str) -> str:
    """Escape a workflow command's message (actions/toolkit escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    """Escape a workflow command's property value (actions/toolkit escapeProperty)."""
    return _gh_data(printable(text)).replace(":", "%3A").replace(",", "%2C")


def _encodable(value: Any) -> Any:
    """A string with lone surrogates (from a hostile path or name) as escapes, so that every
    report can be written as UTF-8; other values unchanged."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def _problem(type_: str, message: str, where: dict[str, Any]) -> Problem:
    return Problem(type_, _encodable(message), **{k: _encodable(v) for k, v in where.items()})


@dataclass
class Report:
    target: str
    problems: list[Problem] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problems

    def add(self, type_: ProblemType, message: str, **where: Any) -> None:
        self.problems.append(_problem(type_, message, where))

    def add_frictionless(self, type_: str, message: str, **where: Any) -> None:
        """A problem frictionless found, typed `frictionless:<its type>`."""
        self.problems.append(_problem(FRICTIONLESS_PREFIX + type_, message, where))

    def summary(self) -> str:
        rows = sum(self.tables.values())
        status = "valid" if self.valid else f"INVALID ({len(self.problems)} problem(s))"
        return printable(f"{status}: {self.target} ({len(self.tables)} tables, {rows} rows)")

    def format(self, fmt: ReportFormat = "text") -> str:
        """The report as text (a line per problem, then a summary), JSON (`to_dict`) or
        GitHub Actions annotations."""
        if fmt == "json":
            return (
                json.dumps(self.to_dict(), indent=2, ensure_ascii=False)
                .encode("utf-8", "backslashreplace")
                .decode("utf-8")
            )
        if fmt == "github":
            lines = [p.github() for p in self.problems]
            return "\n".join(
                lines if self.problems else [_gh_data(f"valid: {printable(self.target)}")]
            )
        return "\n".join([*(p.render() for p in self.problems), self.summary()])

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "target": self.target,
            "tables": self.tables,
            "errors": [asdict(p) for p in self.problems],
        }
