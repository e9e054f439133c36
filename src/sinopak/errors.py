"""Error types. Library code raises these; the CLI prints them without a traceback."""

from __future__ import annotations


class SinopakError(Exception):
    """Base class for every error sinopak reports to a user."""


class SeedError(SinopakError):
    """One problem in the hand-written seeds, located to file, line, record and field."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        record: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.record = record
        self.field = field
        super().__init__(self.render())

    def __reduce__(self) -> tuple[object, ...]:  # keyword-only fields survive pickling
        return (_seed_error, (self.message, self.file, self.line, self.record, self.field))

    def render(self) -> str:
        where = self.file or "<seeds>"
        if self.line is not None:
            where += f":{self.line}"
        parts = [where]
        if self.record:
            parts.append(f"record {self.record}")
        if self.field:
            parts.append(f"field {self.field}")
        return ": ".join(parts) + ": " + self.message


def _seed_error(
    message: str, file: str | None, line: int | None, record: str | None, field: str | None
) -> SeedError:
    return SeedError(message, file=file, line=line, record=record, field=field)


class SeedErrors(SinopakError):
    """Several seed problems found in one pass."""

    def __init__(self, errors: list[SeedError]) -> None:
        self.errors = errors
        lines = [e.render() for e in errors]
        head = f"{len(errors)} problem(s) in the seeds:" if len(errors) > 1 else ""
        super().__init__("\n".join([head, *lines]) if head else lines[0])

    def __reduce__(self) -> tuple[object, ...]:
        return (SeedErrors, (self.errors,))


class SourceError(SinopakError):
    """The source article is missing, changed, or malformed."""


class BuildError(SinopakError):
    """The build produced something invalid (the staged package, the SQLite database)."""


class StaleError(SinopakError):
    """dist/ does not match what the seeds build."""


class PackageError(SinopakError):
    """A published data package cannot be read (missing, not JSON, unsafe path...)."""


class UnknownRecordError(SinopakError, KeyError):
    """No published record has this id."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class MissingDependencyError(SinopakError, ImportError):
    """An optional dependency needed by this call is not installed."""
