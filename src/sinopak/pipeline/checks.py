"""Cross-record checks: what one Pydantic model cannot see on its own.

Unique ids, references that resolve (to entities of the right type), evidence that matches the
source exactly and lies inside its sentence, verbatim fields found in the evidence, statements
with a source, date rules that hold, and coverage of every sentence.
"""

from __future__ import annotations

import datetime as dt
import functools
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from ..errors import SeedError
from ..schema.models import Exclusion, Mention, Ref, Statement
from ..schema.tables import TABLES, unwrap
from . import dates
from .corpus import Corpus, Unit, citations, units

# Fields whose value must appear verbatim in one of the record's own evidence quotes.
VERBATIM = ("alias", "title", "rank", "topic", "purpose", "content", "attribution_text")


@functools.cache
def _ref_fields(model: type[BaseModel]) -> list[tuple[str, Ref | None, Ref | None]]:
    """Per field: the Ref on the field itself, and the Ref on its items (for lists of ids)."""
    out = []
    for name, info in model.model_fields.items():
        base, _, meta = unwrap(info.annotation)
        ref = next((x for x in [*info.metadata, *meta] if isinstance(x, Ref)), None)
        item_ref = None
        if typing.get_origin(base) is list:
            _, _, item_meta = unwrap(typing.get_args(base)[0])
            item_ref = next((x for x in item_meta if isinstance(x, Ref)), None)
        out.append((name, ref, item_ref))
    return out


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


def check(corpus: Corpus) -> tuple[list[SeedError], dict[str, dates.ResolvedDate]]:
    """Run every cross-record check; return the errors and the resolved event dates."""
    errors: list[SeedError] = []
    all_units = units(corpus)
    sentences = corpus.sentences

    # 1. unique ids, across every table
    seen: dict[str, Unit] = {}
    for unit in all_units:
        if unit.record_id in seen:
            first = seen[unit.record_id]
            errors.append(
                unit.error(
                    f"duplicate id {unit.record_id!r}; first defined at "
                    f"{first.loaded.file}:{first.loaded.line_of(*first.path)}",
                    *_id_field(unit),
                )
            )
        else:
            seen[unit.record_id] = unit
    by_table: dict[str, dict[str, Unit]] = {}
    for unit in seen.values():
        by_table.setdefault(unit.table, {})[unit.record_id] = unit

    # 2. references resolve, to entities of the right type
    for unit in all_units:
        for path, value, ref in _refs(unit.model):
            if ref.table == "*":
                if value not in seen:
                    errors.append(unit.error(f"unknown record id {value!r}", *path))
                continue
            if ref.table == "sentences":
                continue  # evidence checks below
            target = by_table.get(ref.table, {}).get(value)
            if target is None:
                errors.append(
                    unit.error(
                        f"expected an id from table {ref.table}, found {value!r} (no such record)",
                        *path,
                    )
                )
            elif ref.types and getattr(target.model, "entity_type", None) not in ref.types:
                errors.append(
                    unit.error(
                        f"expected an entity of type {' or '.join(ref.types)}, found {value!r} of "
                        f"type {getattr(target.model, 'entity_type', None)!r}",
                        *path,
                    )
                )

    # 3. evidence is exact and inside its sentence; verbatim fields appear in it
    for unit in all_units:
        for i, ev in enumerate(unit.model.evidence):
            found = sentences.get(ev.sentence_id)
            if found is None:
                errors.append(
                    unit.error(f"unknown sentence {ev.sentence_id!r}", "evidence", i, "sentence_id")
                )
                continue
            doc, sent = found
            text = doc.source.text
            if ev.end <= ev.start or ev.end > len(text):
                errors.append(
                    unit.error(
                        f"offsets [{ev.start}, {ev.end}) are out of range for a text of "
                        f"{len(text)} code points",
                        "evidence",
                        i,
                        "start",
                    )
                )
                continue
            actual = text[ev.start : ev.end]
            if actual != ev.quote:
                hint = _locate(sent.text, ev.quote, sent.start)
                errors.append(
                    unit.error(
                        f"quote does not match the source at [{ev.start}, {ev.end}): expected "
                        f"{ev.quote!r}, source has {actual!r}{hint}",
                        "evidence",
                        i,
                        "quote",
                    )
                )
            elif not (sent.start <= ev.start and ev.end <= sent.end):
                errors.append(
                    unit.error(
                        f"quote lies outside its cited sentence {ev.sentence_id} "
                        f"[{sent.start}, {sent.end})",
                        "evidence",
                        i,
                        "sentence_id",
                    )
                )
        quotes = [ev.quote for ev in unit.model.evidence]
        for field_name in VERBATIM:
            verbatim = getattr(unit.model, field_name, None)
            if isinstance(verbatim, str) and not any(verbatim in q for q in quotes):
                errors.append(
                    unit.error(
                        f"{field_name} must appear verbatim in the record's evidence; "
                        f"{verbatim!r} is in none of its quotes",
                        field_name,
                    )
                )
        date_text = getattr(getattr(unit.model, "date", None), "text", None)
        if date_text is not None and not any(date_text in q for q in quotes):
            errors.append(
                unit.error(
                    f"date.text must appear verbatim in the record's evidence; {date_text!r} is in "
                    "none of its quotes",
                    "date",
                    "text",
                )
            )
        if isinstance(unit.model, Mention):
            spans = [ev.quote for ev in unit.model.evidence if ev.role == "mention"]
            if unit.model.text not in spans:
                errors.append(
                    unit.error(
                        f"text {unit.model.text!r} must equal the quote of its mention span, "
                        f"found {spans}",
                        "text",
                    )
                )
        if isinstance(unit.model, Statement):
            errors.extend(_check_statement(unit, unit.model))

    # 4. dates: resolve every event's date by its rule, anchors first
    resolved = _resolve_dates(corpus, by_table.get("events", {}), errors)

    # 5. coverage: every sentence is cited or excluded (and not both)
    cited = citations(all_units)
    excluded: dict[str, Any] = {}
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
            excluded[sid] = loaded
    for sid, (doc, sent) in sentences.items():
        if sid not in cited and sid not in excluded:
            errors.append(
                SeedError(
                    f"sentence {sid} is not cited by any record and not excluded: "
                    f"{sent.text[:60]!r}"
                    " (add a record citing it, or an `exclusions` entry with a reason)",
                    file=f"seeds/{doc.seed.file}",
                    line=doc.source.text.count("\n", 0, sent.start) + 1,
                )
            )
    return errors, resolved


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


def _resolve_dates(
    corpus: Corpus, events: dict[str, Unit], errors: list[SeedError]
) -> dict[str, dates.ResolvedDate]:
    publication = _publication_dates(corpus)
    resolved: dict[str, dates.ResolvedDate] = {}
    failed: set[str] = set()

    def resolve(event_id: str, stack: tuple[str, ...] = ()) -> dates.ResolvedDate:
        if event_id in resolved:
            return resolved[event_id]
        unit = events[event_id]
        if event_id in stack:
            raise dates.DateError(
                "date.anchor_event_id",
                "anchor events form a cycle: " + " -> ".join((*stack, event_id)),
            )
        pub = _record_publication(unit, publication)
        spec = unit.model.date  # type: ignore[attr-defined]

        def anchor(other: str) -> dates.ResolvedDate:
            if other not in events:
                raise dates.DateError("date.anchor_event_id", f"unknown event {other!r}")
            return resolve(other, (*stack, event_id))

        result = dates.resolve(spec, pub, anchor)
        resolved[event_id] = result
        return result

    for event_id, unit in events.items():
        try:
            resolve(event_id)
        except dates.DateError as exc:
            if event_id not in failed:
                failed.add(event_id)
                errors.append(unit.error(str(exc), *exc.field.split(".")))
    return resolved


def _publication_dates(corpus: Corpus) -> dict[str, dt.date]:
    return {d.seed.document_id: d.source.publication_date for d in corpus.documents}


def _record_publication(unit: Unit, publication: dict[str, dt.date]) -> dt.date:
    """Publication date of the document the record's first evidence span cites."""
    sid = unit.model.evidence[0].sentence_id
    return publication.get(sid.split(".")[0], min(publication.values()))
