"""Read the hand-written seeds: documents and records, validated by the Pydantic models."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..errors import SeedError, SeedErrors
from ..schema.models import KINDS, DocumentSeed, PackageSeed, Report
from .parallel import imap_in_order
from .safe_yaml import Located, Path_, load_yaml


@dataclass(frozen=True)
class Loaded:
    """An authored record with where it came from."""

    kind: str
    model: BaseModel
    file: str
    located: Located
    path: Path_  # path of the record inside its file

    def line_of(self, *field: str | int) -> int | None:
        return self.located.line((*self.path, *field))

    def error(self, message: str, *field: str | int) -> SeedError:
        return SeedError(
            message,
            file=self.file,
            line=self.line_of(*field),
            record=record_id(self.model),
            field=".".join(str(f) for f in field) or None,
        )


def record_id(model: BaseModel) -> str | None:
    if isinstance(model, Report):
        return model.report_id
    for name in type(model).model_fields:
        if name.endswith("_id"):
            value = getattr(model, name)
            return value if isinstance(value, str) else None
    return None


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _validation_errors(
    exc: ValidationError,
    model: type[BaseModel],
    raw: Any,
    located: Located,
    path: Path_,
    file: str,
) -> Iterator[SeedError]:
    rid = None
    if isinstance(raw, dict):
        rid = next((v for k, v in raw.items() if k.endswith("_id") and isinstance(v, str)), None)
    for err in exc.errors():
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or None
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            allowed = ", ".join(n for n in _fields_at(model, loc[:-1]) if n)
            msg = f"unknown field; expected one of: {allowed}"
        elif err["type"] == "missing":
            msg = "required field is missing"
        elif "input" in err and err["type"] != "value_error":
            msg = f"{msg}; found {_describe(err['input'])}"
        yield SeedError(msg, file=file, line=located.line((*path, *loc)), record=rid, field=field)


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the (nested) model at `loc`, for 'expected one of' messages."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if field is None:
            return []
        current = _inner_model(field.annotation)
    return list(current.model_fields) if hasattr(current, "model_fields") else []


def _inner_model(annotation: Any) -> Any:
    import typing

    for arg in typing.get_args(annotation) or (annotation,):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def load_documents(seeds: Path) -> list[DocumentSeed]:
    """Read seeds/documents.yaml."""
    return [seed for seed, _ in load_documents_located(seeds)]


def load_documents_located(
    seeds: Path, read: dict[str, str] | None = None
) -> list[tuple[DocumentSeed, Loaded]]:
    """Read seeds/documents.yaml; each document with where it is (for error lines). `read`
    gets the file's sha256 (see `load_records`)."""
    display = "seeds/documents.yaml"
    located = load_yaml(seeds / "documents.yaml", display)
    if read is not None:
        read["documents.yaml"] = located.sha256
    data = located.value
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise SeedError("expected a mapping with a 'documents' list", file=display, line=1)
    out: list[tuple[DocumentSeed, Loaded]] = []
    errors: list[SeedError] = []
    for i, raw in enumerate(data["documents"]):
        try:
            seed = DocumentSeed.model_validate(raw)
            out.append((seed, Loaded("documents", seed, display, located, ("documents", i))))
        except ValidationError as exc:
            errors.extend(
                _validation_errors(exc, DocumentSeed, raw, located, ("documents", i), display)
            )
    if errors:
        raise SeedErrors(errors)
    return out


def load_package(seeds: Path, read: dict[str, str] | None = None) -> PackageSeed:
    """Read seeds/package.yaml, the curated metadata of the data package. `read` gets the
    file's sha256 (see `load_records`)."""
    display = "seeds/package.yaml"
    located = load_yaml(seeds / "package.yaml", display)
    if read is not None:
        read["package.yaml"] = located.sha256
    try:
        return PackageSeed.model_validate(located.value)
    except ValidationError as exc:
        errors = _validation_errors(exc, PackageSeed, located.value, located, (), display)
        raise SeedErrors(list(errors)) from None


def load_records(seeds: Path, read: dict[str, str] | None = None) -> list[Loaded]:
    """Read every YAML file under seeds/records/, in sorted path order; `read` gets the
    sha256 of each file's bytes as read, by its path inside `seeds`."""
    with contextlib.closing(reading_records(seeds)) as reading:
        return collect_records(reading, read)


@dataclass
class Reading:
    """The record files, being parsed (`reading_records`); `collect_records` takes them."""

    seeds: Path
    files: list[Path]
    displays: list[str]
    parsed: Generator[Located | SeedError, None, None]

    def close(self) -> None:
        """Stop the workers if the files are not all collected."""
        self.parsed.close()


def reading_records(seeds: Path) -> Reading:
    """Start parsing every YAML file under seeds/records/ (on a large corpus, worker
    processes start on them at once: the caller reads the sources meanwhile)."""
    files = sorted((seeds / "records").rglob("*.yaml"))
    displays = [path.relative_to(seeds.parent).as_posix() for path in files]
    jobs = list(zip(files, displays, strict=True))
    return Reading(seeds, files, displays, imap_in_order(_parse, jobs, what="reading seeds"))


def collect_records(reading: Reading, read: dict[str, str] | None = None) -> list[Loaded]:
    """The records of the files `reading` parses, validated as each file comes (the workers
    parse the files after it); `read` gets the sha256 of each file's bytes as read."""
    if not reading.files:
        root = reading.seeds / "records"
        raise SeedError("no record files found (expected seeds/records/*.yaml)", file=str(root))
    out: list[Loaded] = []
    errors: list[SeedError] = []
    for path, display, located in zip(reading.files, reading.displays, reading.parsed, strict=True):
        if isinstance(located, SeedError):
            errors.append(located)
            continue
        if read is not None:
            read[path.relative_to(reading.seeds).as_posix()] = located.sha256
        if located.value is None:
            continue
        if not isinstance(located.value, dict):
            errors.append(
                SeedError("expected a mapping of record kinds to lists", file=display, line=1)
            )
            continue
        for kind, items in located.value.items():
            out.extend(_records_of_kind(kind, items, located, display, errors))
        located.value = None  # the models hold the records now: keep only the lines
    if errors:
        raise SeedErrors(errors)
    return out


def _parse(job: tuple[Path, str]) -> Located | SeedError:
    """One record file's YAML, or the problem that stops it being read (run in a worker)."""
    try:
        return load_yaml(*job, lines=False)  # found again for an error: see Located
    except SeedError as exc:
        return exc


def _records_of_kind(
    kind: str, items: Any, located: Located, display: str, errors: list[SeedError]
) -> Iterator[Loaded]:
    """The records listed under one kind in one file; problems go to `errors`."""
    problem = None
    if kind not in KINDS:
        problem = f"unknown record kind {kind!r}; expected one of: {', '.join(KINDS)}"
    elif not isinstance(items, list):
        problem = f"expected a list of {kind}, found {_describe(items)}"
    if problem is not None:
        errors.append(SeedError(problem, file=display, line=located.line((kind,))))
        return
    try:  # the whole list in one call; a list with an error is gone through record by record
        models = _list_adapter(KINDS[kind]).validate_python(items)
    except ValidationError:
        models = None
    for i, raw in enumerate(items):
        if models is not None:
            yield Loaded(kind, models[i], display, located, (kind, i))
            continue
        try:
            model = KINDS[kind].model_validate(raw)
        except ValidationError as exc:
            errors.extend(_validation_errors(exc, KINDS[kind], raw, located, (kind, i), display))
            continue
        yield Loaded(kind, model, display, located, (kind, i))


@functools.cache
def _list_adapter(model: type[BaseModel]) -> TypeAdapter[list[BaseModel]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]
