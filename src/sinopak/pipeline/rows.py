"""Flatten the checked corpus into the rows of the published tables (tidy: one value per cell)."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from ..errors import SeedError, SeedErrors
from ..schema.models import DateClaim, Entity, Event, Mention, Post, Record, Report, Statement
from ..schema.tables import CURATION_FIELDS, TABLES, own_fields
from ..schema.vocabularies import EVENT_CODES
from .corpus import Corpus, Document, Unit, citations, exclusion_reasons, units
from .dating import ClaimResult, Dating, EventDating, date_reason, document_date
from .segment import Segment

Row = dict[str, Any]


def iso_codes(name: str) -> tuple[str, str]:
    """Derived ISO 3166-1 alpha-2 and alpha-3 codes for a country name (pycountry lookup)."""
    import pycountry  # a maintained ISO 3166 database rather than a hand-kept table

    try:
        country = pycountry.countries.lookup(name)
    except LookupError:
        raise LookupError(f"no ISO 3166-1 country is named {name!r}") from None
    return country.alpha_2, country.alpha_3


# The tables made from the sources' sentences; every other table is made from the records.
FROM_SENTENCES = ("documents", "sentences", "coverage")


def build_rows(
    corpus: Corpus, dating: Dating, made: dict[str, list[Row]] | None = None
) -> dict[str, list[Row]]:
    """Rows for every table, columns in schema order, sorted by primary key; `made` holds
    the rows of the records' tables if `record_rows` has made them already (and those of
    `sentence_rows`, if it has made them too)."""
    out = record_rows(corpus, dating) if made is None else made
    if any(name not in out for name in FROM_SENTENCES):
        out.update(sentence_rows(corpus))
    return {name: out[name] for name in TABLES}


def sentence_rows(corpus: Corpus) -> dict[str, list[Row]]:
    """The rows of the tables `FROM_SENTENCES`, as `build_rows` gives them: they need the
    sentences and the records, not the checks' dates."""
    sentences = [sentence_row(seg) for doc in corpus.documents for seg in doc.sentences]
    coverage = coverage_rows(sentences, citations(corpus), corpus)
    return {
        "documents": _ordered("documents", [document_row(doc) for doc in corpus.documents]),
        "sentences": _ordered("sentences", sentences),
        "coverage": _ordered("coverage", coverage),
    }


def record_rows(corpus: Corpus, dating: Dating) -> dict[str, list[Row]]:
    """The rows of every table made from the records alone (not `FROM_SENTENCES`), as
    `build_rows` gives them: they need no sentence, so the build makes them while the
    sources are segmented."""
    out: dict[str, list[Row]] = {name: [] for name in TABLES if name not in FROM_SENTENCES}
    all_units = units(corpus)
    publication = {d.seed.document_id: document_date(d).latest for d in corpus.documents}
    errors: list[SeedError] = []
    for unit in all_units:
        try:
            derived = derived_columns(unit, publication, dating)
        except SeedError as exc:
            errors.append(exc)
            continue
        out[unit.table].append(record_row(unit, derived))
        out["evidence"].extend(evidence_rows(unit))
        for table, row in link_rows(unit.model):
            out[table].append(row)
    if errors:
        raise SeedErrors(errors)
    return {name: _ordered(name, rows) for name, rows in out.items()}


def document_row(doc: Document) -> Row:
    s = doc.seed
    date = document_date(doc)
    return {
        "document_id": s.document_id,
        "title": s.title,
        "publisher": s.publisher,
        "url": s.url,
        "language": s.language,
        "text_scope": s.text_scope,
        "metadata_date": doc.source.metadata_date,
        "date_basis": s.date_basis,
        "date_text": s.date_text,
        "date_earliest": date.earliest,
        "date_latest": date.latest,
        "date_reason": date_reason(doc),
        "note": s.note,
        "source_path": f"sources/{s.file}",
        "sha256": doc.source.sha256,
        "char_count": len(doc.source.text),
        "body_start": doc.source.metadata_end,
        "sentence_count": len(doc.sentences),
    }


def sentence_row(seg: Segment) -> Row:
    return {
        "sentence_id": seg.sentence_id,
        "document_id": seg.document_id,
        "paragraph": seg.paragraph,
        "position": seg.position,
        "kind": seg.kind,
        "start": seg.start,
        "end": seg.end,
        "text": seg.text,
    }


def derived_columns(unit: Unit, publication: dict[str, dt.date | None], dating: Dating) -> Row:
    """The derived columns of a record: a country's ISO codes, a post's as-of date, an event's
    dates and codes, a claim's days, a report's keys. Raises SeedError when a country name has
    no ISO code."""
    model = unit.model
    if isinstance(model, Entity):
        codes: tuple[str | None, str | None] = (None, None)
        if model.entity_type == "country":
            try:
                codes = iso_codes(model.name)
            except LookupError as exc:
                raise unit.error(str(exc), "name") from None
        return {"iso3166_alpha2": codes[0], "iso3166_alpha3": codes[1]}
    if isinstance(model, Post):
        current = model.as_of_event_id is None
        return {"as_of_date": publication[unit.document_id] if current else None}
    if isinstance(model, Event):
        return event_columns(dating.events[model.event_id], model.event_type)
    if isinstance(model, DateClaim):
        return claim_columns(dating.claims[unit.record_id])
    if isinstance(model, Report):
        return {"report_id": model.report_id, "document_id": model.document_id}
    return {}


def claim_columns(c: ClaimResult) -> Row:
    assert c.span is not None
    weekday = c.span.weekday
    return {
        "document_id": c.document_id,
        "weekday": None if weekday is None else calendar.day_name[weekday],
        "range_start": c.span.start,
        "range_end": c.span.end,
        "status": "used" if c.used else "discounted",
    }


def event_columns(d: EventDating, event_type: str) -> Row:
    plover, mode, cameo = EVENT_CODES[event_type]
    outer = d.date.outer
    return {
        "date_start": outer.start,
        "date_end": outer.end,
        "date_precision": d.precision,
        "date_method": d.method,
        "date_confidence": d.confidence,
        "date_anchor_event_id": d.anchor_event_id,
        "date_reason": d.reason,
        "date_claim_count": len(d.claims),
        "source_count": d.source_count,
        "plover_event": plover,
        "plover_mode": mode,
        "cameo_code": cameo,
    }


def record_row(unit: Unit, derived: Row) -> Row:
    """One row of an authored record: keys, own fields, derived columns, curation, first span."""
    model = unit.model
    row: Row = {}
    if unit.parent_id is not None:
        key, parent_key = TABLES[unit.table].column_names[:2]
        row[key] = unit.record_id
        row[parent_key] = unit.parent_id
    for name in own_fields(type(model)):
        row[name] = getattr(model, name)
    row.update(derived)
    for name in CURATION_FIELDS:
        row[name] = getattr(model, name)
    first = model.evidence[0]
    row.update(
        evidence_count=len(model.evidence),
        sentence_id=first.sentence_id,
        quote_start=first.start,
        quote_end=first.end,
        quote=first.quote,
    )
    return row


def evidence_rows(unit: Unit) -> list[Row]:
    return [
        {
            "evidence_id": f"{unit.record_id}#{i + 1}",
            "record_id": unit.record_id,
            "record_table": unit.table,
            "role": ev.role,
            "sentence_id": ev.sentence_id,
            "start": ev.start,
            "end": ev.end,
            "quote": ev.quote,
        }
        for i, ev in enumerate(unit.model.evidence)
    ]


def link_rows(model: Record) -> list[tuple[str, Row]]:
    """Rows of the link tables a record lists: mention referents and statement subjects."""
    if isinstance(model, Mention):
        return [
            ("mention_referents", {"mention_id": model.mention_id, "referent_id": r})
            for r in model.referents
        ]
    if isinstance(model, Statement):
        return [
            ("statement_subjects", {"statement_id": model.statement_id, "subject_id": s})
            for s in model.subjects
        ]
    return []


def coverage_rows(sentences: list[Row], citing: dict[str, list[str]], corpus: Corpus) -> list[Row]:
    reasons = exclusion_reasons(corpus)
    out = []
    for row in sentences:
        sid = row["sentence_id"]
        n = len(citing.get(sid, ()))
        out.append(
            {
                "sentence_id": sid,
                "status": "covered" if n else "excluded",
                "record_count": n,
                "reason": reasons.get(sid),
            }
        )
    return out


def _ordered(name: str, rows: list[Row]) -> list[Row]:
    """Columns in schema order, rows sorted by primary key; evidence keeps authoring order
    within a record (stable sort)."""
    import operator

    table = TABLES[name]
    cols = table.column_names
    sort_cols = ("record_id",) if name == "evidence" else table.primary_key
    names = list(cols)
    if all(map(names.__eq__, map(list, rows))):  # made in schema order (most tables): as is
        ordered = list(rows)
    elif len(cols) > 1:  # each row's values picked and zipped in C, not a comprehension per row
        pick = operator.itemgetter(*cols)
        ordered = [dict(zip(cols, pick(r), strict=True)) for r in rows]
    else:
        ordered = [{cols[0]: r[cols[0]]} for r in rows]
    if len(sort_cols) == 1:  # a key of one text sorts as the tuple of that text would
        (only,) = sort_cols
        key = operator.itemgetter(only)
        if set(map(type, map(key, ordered))) <= {str}:
            ordered.sort(key=key)  # texts already: str() of each would change nothing
        else:
            ordered.sort(key=lambda r: str(r[only]))
    else:
        ordered.sort(key=lambda r: tuple(str(r[k]) for k in sort_cols))
    return ordered
