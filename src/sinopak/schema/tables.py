"""The published tables: which model fields make up each one, in column order.

Each table is a sequence of column groups taken from the Pydantic models, so the models stay
the single source of truth for names, types and descriptions; enumerated columns take their
values and meanings from `vocabularies`. `TABLES` holds the result as plain data (`TableDef`),
written by `sinopak build` into `table_defs` for validation. The row models (`row_model`) of
the accessor's `sinopak.records` are derived from the same definitions.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, create_model
from pydantic.fields import FieldInfo

from . import models as m
from .columns import Column, ColumnType, Ref, TableDef, record_tables
from .vocabularies import meanings

__all__ = ["RECORD_TABLES", "TABLES", "Column", "ColumnType", "TableDef", "row_model"]

# Fields of authored records that are not columns: nested lists become tables of their own, an
# event's typed date is only checked against the computed date columns, evidence goes to the
# evidence table. A model may name more in its `NOT_COLUMNS` class variable.
NOT_COLUMNS = {
    "evidence",
    "aliases",
    "participants",
    "parties",
    "referents",
    "subjects",
    "date",
    "date_claims",
}
CURATION_FIELDS = tuple(m.Curation.model_fields)


@dataclass(frozen=True)
class Table:
    """Where a table's columns come from: groups of (model, field names or None for the
    model's own column fields), in column order."""

    name: str
    title: str
    description: str
    groups: tuple[tuple[type[BaseModel], tuple[str, ...] | None], ...]
    primary_key: tuple[str, ...]
    unique_keys: tuple[tuple[str, ...], ...] = field(default=())

    def definition(self) -> TableDef:
        """The table as plain data: its columns derived from the models."""
        columns: list[Column] = []
        for model, names in self.groups:
            fields = model.model_fields
            for name in names if names is not None else own_fields(model):
                columns.append(column(name, fields[name]))
        return TableDef(
            self.name,
            self.title,
            self.description,
            tuple(columns),
            self.primary_key,
            self.unique_keys,
        )


@functools.cache  # asked once per record by the build's rows
def own_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """Column fields a model declares itself (not curation, evidence or nested lists)."""
    own_skips = getattr(model, "NOT_COLUMNS", ())
    return tuple(
        n
        for n in model.model_fields
        if n not in NOT_COLUMNS and n not in CURATION_FIELDS and n not in own_skips
    )


def unwrap(annotation: Any) -> tuple[Any, bool, list[Any]]:
    """Return (base type, optional?, metadata) for an annotation."""
    optional = False
    metadata: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *meta = typing.get_args(annotation)
            metadata.extend(meta)
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            annotation = args[0]
        else:
            return annotation, optional, metadata


def column(name: str, info: FieldInfo) -> Column:
    base, optional, metadata = unwrap(info.annotation)
    metadata = [*info.metadata, *metadata]
    enum: tuple[str, ...] = ()
    if typing.get_origin(base) is Literal:
        enum = tuple(str(a) for a in typing.get_args(base))
        kind: ColumnType = "string"
    elif base is str:
        kind = "string"
    elif base is bool:
        kind = "boolean"
    elif base is int:
        kind = "integer"
    elif base is dt.date:
        kind = "date"
    else:  # pragma: no cover - a model change the generator does not know yet
        raise TypeError(f"column {name}: unsupported type {base!r}")
    pattern = next(
        (getattr(x, "pattern", None) for x in metadata if getattr(x, "pattern", None)), None
    )
    minimum = next((x.ge for x in metadata if getattr(x, "ge", None) is not None), None)
    min_length = next(
        (x.min_length for x in metadata if getattr(x, "min_length", None) is not None), None
    )
    ref = next((x for x in metadata if isinstance(x, Ref)), None)
    required = not optional
    return Column(
        name,
        kind,
        required,
        info.description or "",
        enum,
        meanings(enum) if enum else (),
        pattern,
        minimum,
        min_length,
        ref,
    )


def _authored(
    model: type[BaseModel], *extra: type[BaseModel], key: type[BaseModel] | None = None
) -> tuple[tuple[type[BaseModel], tuple[str, ...] | None], ...]:
    groups: list[tuple[type[BaseModel], tuple[str, ...] | None]] = []
    if key is not None:
        groups.append((key, None))
    groups.append((model, own_fields(model)))
    groups.extend((e, None) for e in extra)
    groups.append((m.Curation, CURATION_FIELDS))
    groups.append((m.Provenance, None))
    return tuple(groups)


SOURCES: tuple[Table, ...] = (
    Table(
        "documents",
        "Documents",
        "Source articles, pinned by sha256.",
        ((m.DocumentRow, None),),
        ("document_id",),
    ),
    Table(
        "sentences",
        "Sentences",
        "Every sentence and heading of each article, with offsets.",
        ((m.SentenceRow, None),),
        ("sentence_id",),
        (("document_id", "position"),),
    ),
    Table(
        "entities",
        "Entities",
        "Countries, people, organisations, places, programmes and equipment named in the articles.",
        _authored(m.Entity, m.EntityCodes),
        ("entity_id",),
    ),
    Table(
        "aliases",
        "Aliases",
        "Every surface form the articles use for an entity.",
        _authored(m.Alias, key=m.AliasKey),
        ("alias_id",),
        (("entity_id", "alias"),),
    ),
    Table(
        "posts",
        "Posts",
        "People in posts: title and rank as the article gives them.",
        _authored(m.Post, m.PostDerived),
        ("post_id",),
    ),
    Table(
        "mentions",
        "Mentions",
        "Pronouns and descriptions, resolved to what they refer to.",
        _authored(m.Mention),
        ("mention_id",),
    ),
    Table(
        "mention_referents",
        "Mention referents",
        "What each mention refers to: an entity, event or agreement.",
        ((m.MentionReferentRow, None),),
        ("mention_id", "referent_id"),
    ),
    Table(
        "events",
        "Events",
        "Talks, visits, signings, exercises and deployments, with honest date ranges.",
        _authored(m.Event, m.EventCodes),
        ("event_id",),
    ),
    Table(
        "participants",
        "Event participants",
        "Who took part in each event, in what role.",
        _authored(m.Participant, key=m.ParticipantKey),
        ("participant_id",),
        (("event_id", "entity_id"),),
    ),
    Table(
        "reports",
        "Reports",
        "Curated links: another document reports an event already recorded (the event's "
        "own document is not listed); confidence is the judgement that it is the same event.",
        ((m.ReportKey, None), (m.Curation, CURATION_FIELDS), (m.Provenance, None)),
        ("report_id",),
        (("event_id", "document_id"),),
    ),
    Table(
        "date_claims",
        "Date claims",
        "Each document's date phrase for an event, the rule that reads it and the days it "
        "allows; an event's dates are the intersection of its used claims.",
        _authored(m.DateClaim, m.ClaimDerived, key=m.ClaimKey),
        ("claim_id",),
    ),
    Table(
        "agreements",
        "Agreements",
        "Agreements, memoranda and cooperation plans.",
        _authored(m.Agreement),
        ("agreement_id",),
    ),
    Table(
        "agreement_parties",
        "Agreement parties",
        "The parties to each agreement.",
        _authored(m.Party, key=m.PartyKey),
        ("party_id",),
        (("agreement_id", "entity_id"),),
    ),
    Table(
        "statements",
        "Statements",
        "Attributed statements and editorial claims.",
        _authored(m.Statement),
        ("statement_id",),
    ),
    Table(
        "statement_subjects",
        "Statement subjects",
        "Records each statement is about.",
        ((m.StatementSubjectRow, None),),
        ("statement_id", "subject_id"),
    ),
    Table(
        "relations",
        "Relations",
        "Relations between parties and places, with modality.",
        _authored(m.Relation),
        ("relation_id",),
    ),
    Table(
        "evidence",
        "Evidence",
        "Every span of source text behind every record.",
        ((m.EvidenceRow, None),),
        ("evidence_id",),
    ),
    Table(
        "coverage",
        "Coverage",
        "For each sentence: cited by records, or excluded and why.",
        ((m.CoverageRow, None),),
        ("sentence_id",),
    ),
)

TABLES: dict[str, TableDef] = {t.name: t.definition() for t in SOURCES}
RECORD_TABLES = record_tables(TABLES)


_PY_TYPES: dict[str, Any] = {"string": str, "integer": int, "date": dt.date, "boolean": bool}


@functools.cache
def row_model(name: str) -> type[BaseModel]:
    """A frozen Pydantic model of one published row: one field per column of table `name`."""
    table = TABLES[name]
    fields: dict[str, Any] = {}
    for col in table.columns:
        kind: Any = Literal[col.enum] if col.enum else _PY_TYPES[col.kind]
        fields[col.name] = (kind if col.required else kind | None, ...)
    title = "".join(p.title() for p in name.split("_")) + "Row"
    return create_model(title, __config__=ConfigDict(extra="forbid", frozen=True), **fields)
