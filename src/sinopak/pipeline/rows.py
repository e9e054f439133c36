"""Flatten the checked corpus into the rows of the published tables (tidy: one value per cell)."""

from __future__ import annotations

from typing import Any

from ..errors import SeedError, SeedErrors
from ..schema.models import Entity, Event, Mention, Post, Statement
from ..schema.tables import CURATION_FIELDS, TABLES, own_fields
from ..schema.vocabularies import EVENT_CODES
from . import dates
from .corpus import Corpus, citations, exclusion_reasons, units

Row = dict[str, Any]


def iso_codes(name: str) -> tuple[str, str]:
    """Derived ISO 3166-1 alpha-2 and alpha-3 codes for a country name (pycountry lookup)."""
    import pycountry  # a maintained ISO 3166 database rather than a hand-kept table

    try:
        country = pycountry.countries.lookup(name)
    except LookupError:
        raise LookupError(f"no ISO 3166-1 country is named {name!r}") from None
    return country.alpha_2, country.alpha_3


def build_rows(corpus: Corpus, resolved: dict[str, dates.ResolvedDate]) -> dict[str, list[Row]]:
    """Rows for every table, columns in schema order, sorted by primary key."""
    out: dict[str, list[Row]] = {name: [] for name in TABLES}
    publication = {d.seed.document_id: d.source.publication_date for d in corpus.documents}
    errors: list[SeedError] = []

    for doc in corpus.documents:
        s = doc.seed
        out["documents"].append(
            {
                "document_id": s.document_id,
                "title": s.title,
                "publisher": s.publisher,
                "url": s.url,
                "language": s.language,
                "publication_date": doc.source.publication_date,
                "source_path": f"sources/{s.file}",
                "sha256": doc.source.sha256,
                "char_count": len(doc.source.text),
                "body_start": doc.source.metadata_end,
                "sentence_count": len(doc.sentences),
            }
        )
        for seg in doc.sentences:
            out["sentences"].append(
                {
                    "sentence_id": seg.sentence_id,
                    "document_id": seg.document_id,
                    "paragraph": seg.paragraph,
                    "position": seg.position,
                    "kind": seg.kind,
                    "start": seg.start,
                    "end": seg.end,
                    "text": seg.text,
                }
            )

    all_units = units(corpus)
    for unit in all_units:
        model = unit.model
        row: Row = {}
        if unit.parent_id is not None:
            key, parent_key = TABLES[unit.table].column_names[:2]
            row[key] = unit.record_id
            row[parent_key] = unit.parent_id
        for name in own_fields(type(model)):
            row[name] = getattr(model, name)
        if isinstance(model, Entity):
            codes: tuple[str | None, str | None] = (None, None)
            if model.entity_type == "country":
                try:
                    codes = iso_codes(model.name)
                except LookupError as exc:
                    errors.append(unit.error(str(exc), "name"))
            row["iso3166_alpha2"], row["iso3166_alpha3"] = codes
        elif isinstance(model, Post):
            doc_id = model.evidence[0].sentence_id.split(".")[0]
            row["as_of_date"] = publication[doc_id] if model.as_of_event_id is None else None
        elif isinstance(model, Event):
            d = resolved[model.event_id]
            plover, mode, cameo = EVENT_CODES[model.event_type]
            row.update(
                date_text=d.text,
                date_start=d.start,
                date_end=d.end,
                date_precision=d.precision,
                date_method=d.method,
                date_rule=d.rule,
                date_reason=d.reason,
                plover_event=plover,
                plover_mode=mode,
                cameo_code=cameo,
            )
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
        out[unit.table].append(row)
        for i, ev in enumerate(model.evidence):
            out["evidence"].append(
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
            )
        if isinstance(model, Mention):
            out["mention_referents"].extend(
                {"mention_id": model.mention_id, "referent_id": e} for e in model.referents
            )
        if isinstance(model, Statement):
            out["statement_subjects"].extend(
                {"statement_id": model.statement_id, "subject_id": s} for s in model.subjects
            )
    if errors:
        raise SeedErrors(errors)

    citing = citations(all_units)
    reasons = exclusion_reasons(corpus)
    for row in out["sentences"]:
        sid = row["sentence_id"]
        n = len(citing.get(sid, ()))
        out["coverage"].append(
            {
                "sentence_id": sid,
                "status": "covered" if n else "excluded",
                "record_count": n,
                "reason": reasons.get(sid),
            }
        )

    for name, table in TABLES.items():
        cols = table.column_names
        # Sort by primary key; evidence keeps authoring order within a record (stable sort).
        sort_cols = ("record_id",) if name == "evidence" else table.primary_key
        rows = [{c: r[c] for c in cols} for r in out[name]]
        rows.sort(key=lambda r: tuple(str(r[k]) for k in sort_cols))
        out[name] = rows
    return out
