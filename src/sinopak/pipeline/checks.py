"""Cross-record checks: what one Pydantic model cannot see on its own.

Unique ids, references that resolve (to entities of the right type), evidence that matches the
source exactly and lies inside its sentence, verbatim fields found in the evidence, statements
with a source, date rules that hold, and coverage of every sentence.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..errors import SeedError
from ..schema.models import Event, Evidence, Exclusion, Mention, Ref, Report, Statement
from ..schema.tables import TABLES, unwrap
from .corpus import (
    Corpus,
    Document,
    Unit,
    attribute,
    citations,
    document_of,
    has_attribute,
    units,
)
from .dating import Dating, date_everything
from .segment import Segment

# Fields whose value must appear verbatim in one of the record's own evidence quotes.
VERBATIM = ("alias", "title", "rank", "topic", "purpose", "content", "attribution_text", "text")


@functools.cache
def _ref_fields(model: type[BaseModel]) -> list[tuple[str, Ref | None, Ref | None]]:
    """Per field that may hold a reference: the Ref on the field itself, and the Ref on its
    items (for lists of ids). A field of plain values without a Ref is left out (a model
    nested in a field may hold references: it stays)."""
    out = []
    for name, info in model.model_fields.items():
        base, _, meta = unwrap(info.annotation)
        ref = next((x for x in [*info.metadata, *meta] if isinstance(x, Ref)), None)
        item_ref = None
        if typing.get_origin(base) is list:
            _, _, item_meta = unwrap(typing.get_args(base)[0])
            item_ref = next((x for x in item_meta if isinstance(x, Ref)), None)
        if ref is not None or item_ref is not None or not _plain(info.annotation):
            out.append((name, ref, item_ref))
    return out


PLAIN = (str, int, float, bool, dt.date, type(None))


def _plain(annotation: Any) -> bool:
    """Whether a field so annotated holds only plain values or lists, never a model (which
    `_refs` looks into; it does not look into lists without a Ref on their items)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return all(_plain(a) for a in typing.get_args(annotation))
    if origin is typing.Annotated:
        return _plain(typing.get_args(annotation)[0])
    return origin in (list, typing.Literal) or annotation in PLAIN


def _refs(model: BaseModel) -> Iterator[tuple[tuple[str | int, ...], str, Ref]]:
    """(field path, value, Ref) for every reference the model holds, nested models included."""
    for name, ref, item_ref in _ref_fields(type(model)):
        value = getattr(model, name)
        if ref is not None and isinstance(value, str):
            yield (name,), value, ref
        elif item_ref is not None and isinstance(value, list):
            for i, item in enumerate(value):
                yield (name, i), item, item_ref
        elif isinstance(value, BaseModel):
            for path, v, r in _refs(value):
                yield (name, *path), v, r


@dataclass(frozen=True)
class RecordChecks:
    """What the checks that need no sentence found (the build runs them while the sources
    are segmented), each check's errors apart, and the dates of every event."""

    ids: list[SeedError]
    references: list[SeedError]
    reports: list[SeedError]
    dates: list[SeedError]
    dating: Dating


def check_records(corpus: Corpus) -> RecordChecks:
    """The checks of ids, references, reports and dates: they read the records and the
    sources' texts, not the sentences."""
    all_units = units(corpus)
    ids, by_id = check_unique_ids(all_units)
    references = check_references(all_units, by_id)
    reports = check_reports(all_units, by_id)
    return RecordChecks(ids, references, reports, *date_everything(corpus, all_units))


def check(corpus: Corpus, early: RecordChecks | None = None) -> tuple[list[SeedError], Dating]:
    """Run every cross-record check (those of `early`, if given, have run); return the
    errors, always in the same order, and the dates of every event."""
    done = check_records(corpus) if early is None else early
    errors = [*done.ids, *done.references]
    errors += check_evidence(units(corpus), corpus.sentences)
    errors += [*done.reports, *done.dates]
    errors += check_coverage(corpus)
    return errors, done.dating


def check_reports(all_units: list[Unit], by_id: dict[str, Unit]) -> list[SeedError]:
    """A report links another document to an event once; its evidence and date claims lie in
    that document; an event's own claims lie in a document that supports the event."""
    errors: list[SeedError] = []
    seen: dict[str, Unit] = {}
    for unit in all_units:
        model = unit.model
        if isinstance(model, Report):
            event = by_id.get(model.event_id)
            doc = model.document_id
            if event is not None and event.table == "events" and event.document_id == doc:
                errors.append(
                    unit.error(
                        f"document {doc} already defines {model.event_id} "
                        f"({event.loaded.file}:{event.loaded.line_of()}); a report links another "
                        "document to the event",
                        "event_id",
                    )
                )
            first = seen.setdefault(unit.record_id, unit)
            if first is not unit:
                errors.append(
                    unit.error(
                        f"event {model.event_id} is linked twice to the report in document "
                        f"{doc}; first at {first.loaded.file}:{first.loaded.line_of(*first.path)}."
                        " Merge the two reports",
                        "event_id",
                    )
                )
            for i, ev in enumerate(model.evidence):
                if document_of(ev.sentence_id) != doc:
                    errors.append(
                        unit.error(
                            f"a report's evidence lies in one document ({doc}); found "
                            f"{ev.sentence_id}",
                            "evidence",
                            i,
                            "sentence_id",
                        )
                    )
        if isinstance(model, (Report, Event)):
            docs = {document_of(ev.sentence_id) for ev in model.evidence}
            for i, claim in enumerate(model.date_claims):
                for j, ev in enumerate(claim.evidence):
                    if document_of(ev.sentence_id) not in docs:
                        errors.append(
                            unit.error(
                                f"a date claim cites {ev.sentence_id}, in a document that is not "
                                f"the {unit.table[:-1]}'s own ({', '.join(sorted(docs))})",
                                "date_claims",
                                i,
                                "evidence",
                                j,
                                "sentence_id",
                            )
                        )
    return errors


def check_unique_ids(all_units: list[Unit]) -> tuple[list[SeedError], dict[str, Unit]]:
    """Ids are unique across every table; return the errors and the first unit of each id."""
    errors: list[SeedError] = []
    seen: dict[str, Unit] = {}
    for unit in all_units:
        first = seen.setdefault(unit.record_id, unit)
        if first is not unit and unit.table != "reports":  # check_reports explains those
            errors.append(
                unit.error(
                    f"duplicate id {unit.record_id!r}; first defined at "
                    f"{first.loaded.file}:{first.loaded.line_of(*first.path)}",
                    *_id_field(unit),
                )
            )
    return errors, seen


def check_references(all_units: list[Unit], by_id: dict[str, Unit]) -> list[SeedError]:
    """References resolve, into the right table and to entities of the right type."""
    errors: list[SeedError] = []
    for unit in all_units:
        for path, value, ref in _refs(unit.model):
            if ref.table == "sentences":
                continue  # evidence checks these
            problem = _reference_problem(value, ref, by_id.get(value))
            if problem:
                errors.append(unit.error(problem, *path))
    return errors


def _reference_problem(value: str, ref: Ref, target: Unit | None) -> str | None:
    if ref.table == "*":
        return None if target is not None else f"unknown record id {value!r}"
    if target is None or target.table != ref.table:
        return f"expected an id from table {ref.table}, found {value!r} (no such record)"
    found = attribute(target.model, "entity_type")
    if ref.types and found not in ref.types:
        return (
            f"expected an entity of type {' or '.join(ref.types)}, found {value!r} of "
            f"type {found!r}"
        )
    return None


Sentences = dict[str, tuple[Document, Segment]]


def check_evidence(all_units: list[Unit], sentences: Sentences) -> list[SeedError]:
    """Evidence is exact and inside its sentence; verbatim fields appear in it; mentions and
    statements are consistent with their spans and attribution."""
    errors: list[SeedError] = []
    for unit in all_units:
        for i, ev in enumerate(unit.model.evidence):
            if not _span_holds(ev, sentences.get(ev.sentence_id)):  # else say what is wrong
                errors.extend(_check_span(unit, i, ev, sentences))
        errors.extend(_check_verbatim(unit))
        if isinstance(unit.model, Mention):
            errors.extend(_check_mention(unit, unit.model))
        if isinstance(unit.model, Statement):
            errors.extend(_check_statement(unit, unit.model))
    return errors


def _span_holds(ev: Evidence, found: tuple[Document, Segment] | None) -> bool:
    """Whether the span is in its sentence and quotes the source exactly: `_check_span` finds
    no problem (checked first, without making a generator per span)."""
    if found is None:
        return False
    doc, sent = found
    start, end = ev.start, ev.end
    return sent.start <= start < end <= sent.end and doc.source.text[start:end] == ev.quote


def _check_span(unit: Unit, i: int, ev: Evidence, sentences: Sentences) -> Iterator[SeedError]:
    found = sentences.get(ev.sentence_id)
    if found is None:
        doc_id = document_of(ev.sentence_id)
        if not any(sid.startswith(f"{doc_id}.") for sid in sentences):
            message = (
                f"unknown document {doc_id!r} in {ev.sentence_id!r} (not in seeds/documents.yaml)"
            )
        else:
            message = f"unknown sentence {ev.sentence_id!r}"
        yield unit.error(message, "evidence", i, "sentence_id")
        return
    doc, sent = found
    text = doc.source.text
    if ev.end <= ev.start or ev.end > len(text):
        yield unit.error(
            f"offsets [{ev.start}, {ev.end}) are out of range for a text of "
            f"{len(text)} code points",
            *("evidence", i, "start"),
        )
        return
    actual = text[ev.start : ev.end]
    if actual != ev.quote:
        hint = _locate(sent.text, ev.quote, sent.start)
        yield unit.error(
            f"quote does not match the source at [{ev.start}, {ev.end}): expected "
            f"{ev.quote!r}, source has {actual!r}{hint}",
            *("evidence", i, "quote"),
        )
    elif not (sent.start <= ev.start and ev.end <= sent.end):
        yield unit.error(
            f"quote lies outside its cited sentence {ev.sentence_id} [{sent.start}, {sent.end})",
            *("evidence", i, "sentence_id"),
        )


@functools.cache
def _verbatim_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The VERBATIM fields a kind of record has."""
    return tuple(name for name in VERBATIM if has_attribute(model, name))


def _check_verbatim(unit: Unit) -> Iterator[SeedError]:
    """Fields copied from the article appear word for word in one of the record's quotes."""
    quotes = [ev.quote for ev in unit.model.evidence]
    for field_name in _verbatim_fields(type(unit.model)):
        verbatim = getattr(unit.model, field_name)
        if isinstance(verbatim, str) and not any(verbatim in q for q in quotes):
            yield unit.error(
                f"{field_name} must appear verbatim in the record's evidence; "
                f"{verbatim!r} is in none of its quotes",
                field_name,
            )


def _check_mention(unit: Unit, mention: Mention) -> Iterator[SeedError]:
    spans = [ev.quote for ev in mention.evidence if ev.role == "mention"]
    if mention.text not in spans:
        yield unit.error(
            f"text {mention.text!r} must equal the quote of its mention span, found {spans}",
            "text",
        )


def check_coverage(corpus: Corpus) -> list[SeedError]:
    """Every sentence is cited by a record or excluded with a reason (and not both)."""
    errors: list[SeedError] = []
    sentences = corpus.sentences
    cited = citations(corpus)
    excluded: set[str] = set()
    for loaded in corpus.records:
        if isinstance(loaded.model, Exclusion):
            sid = loaded.model.sentence_id
            if sid not in sentences:
                errors.append(loaded.error(f"unknown sentence {sid!r}", "sentence_id"))
            elif sid in cited:
                errors.append(
                    loaded.error(
                        f"sentence {sid} is cited by records; it cannot also be excluded",
                        "sentence_id",
                    )
                )
            excluded.add(sid)
    for sid, (doc, sent) in sentences.items():
        if sid not in cited and sid not in excluded:
            errors.append(_unaccounted(doc, sent))
    return errors


def _unaccounted(doc: Document, sent: Segment) -> SeedError:
    return SeedError(
        f"sentence {sent.sentence_id} is not cited by any record and not excluded: "
        f"{sent.text[:60]!r} (add a record citing it, or an `exclusions` entry with a reason)",
        file=f"seeds/{doc.seed.file}",
        line=doc.source.text.count("\n", 0, sent.start) + 1,
    )


def _id_field(unit: Unit) -> tuple[str, ...]:
    if unit.path:
        return ()
    key = TABLES[unit.table].primary_key[0]
    return (key,)


def _locate(sentence: str, quote: str, offset: int) -> str:
    pos = sentence.find(quote)
    if pos < 0:
        return ""
    return f" (the quote occurs at [{offset + pos}, {offset + pos + len(quote)}))"


def _check_statement(unit: Unit, st: Statement) -> Iterator[SeedError]:
    if st.attribution_type == "article":
        if st.speaker_id or st.source_id or st.attribution_text:
            yield unit.error(
                "a statement in the article's own voice has no speaker, source or attribution_text",
                "attribution_type",
            )
        if st.modality != "editorial":
            yield unit.error(
                f"the article's own voice is editorial, found modality {st.modality!r}", "modality"
            )
        return
    if st.speaker_id is None and st.source_id is None and st.attribution_type != "reports":
        yield unit.error(
            "a statement needs a speaker_id or a source_id (only unnamed "
            "'reports' may have neither); found neither",
            "speaker_id",
        )
    if st.attribution_text is None:
        yield unit.error(
            "an attributed statement needs attribution_text (the words that attribute it)",
            "attribution_text",
        )
