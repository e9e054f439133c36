"""Date every document and every event: document date ranges, claims, reconciliation.

Data flows: documents.yaml (date basis) → `DocumentDate` per document → each claim's `Span`
(pipeline/dates.py) → the intersection per event, anchored events first. Every problem is a
SeedError naming the file, line, record and field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import SeedError
from ..schema.models import DateClaim, Event, Report
from . import dates
from .corpus import Corpus, Document, Unit

if TYPE_CHECKING:
    from ..schema.vocabulary_types import Confidence, DateMethod, DatePrecision


def document_date(doc: Document) -> dates.DocumentDate:
    """What is known of a document's publication date, from its recorded basis."""
    seed = doc.seed
    if seed.date_basis == "text":
        return dates.DocumentDate(seed.date, seed.date, exact=True)
    latest = doc.source.metadata_date if seed.date_basis == "metadata" else None
    return dates.DocumentDate(seed.date_earliest, latest, exact=False)


def date_reason(doc: Document) -> str:
    """One line on what a document's date range rests on (published in `documents`)."""
    seed = doc.seed
    if seed.date_basis == "text":
        why = f"The text dates itself: {seed.date_text!r}."
    elif seed.date_basis == "metadata":
        why = (
            f"Only the metadata line gives a date ({doc.source.metadata_date}): published on "
            "or before it."
        )
    else:
        why = "Neither the text nor a metadata line dates the document."
    if seed.date_earliest_reason:
        why += f" Not before {seed.date_earliest}: {seed.date_earliest_reason}"
    return why


def check_document_dates(corpus: Corpus) -> list[SeedError]:
    """Each document's date basis holds: the phrase is in the text, the bounds agree."""
    errors: list[SeedError] = []
    for doc in corpus.documents:
        seed = doc.seed

        def error(
            message: str, name: str, seed_id: str = seed.document_id, where: Document = doc
        ) -> SeedError:
            return SeedError(
                message,
                file="seeds/documents.yaml",
                line=where.line_of(name),
                record=seed_id,
                field=name,
            )

        meta = doc.source.metadata_date
        if seed.date_basis == "metadata" and meta is None:
            errors.append(
                error(
                    f"date_basis is 'metadata' but seeds/{seed.file} has no metadata line "
                    "'date YYYY-MM-DD'; use 'text' or 'unknown'",
                    "date_basis",
                )
            )
        if seed.date_text is not None and seed.date_text not in doc.source.text:
            errors.append(
                error(
                    f"date_text must appear verbatim in seeds/{seed.file}; {seed.date_text!r} "
                    "does not",
                    "date_text",
                )
            )
        if seed.date is not None and meta is not None and seed.date > meta:
            errors.append(
                error(
                    f"date {seed.date} is after the metadata date {meta} (published on or "
                    "before); one of them is wrong",
                    "date",
                )
            )
        span = document_date(doc)
        if seed.date_earliest and span.latest and seed.date_earliest > span.latest:
            errors.append(
                error(
                    f"date_earliest {seed.date_earliest} is after the latest possible date "
                    f"{span.latest}",
                    "date_earliest",
                )
            )
    return errors


@dataclass
class ClaimResult:
    """A claim as published: where it sits and the days it allows."""

    unit: Unit
    event_id: str
    document_id: str
    span: dates.Span | None  # None when the claim itself is in error
    used: bool

    @property
    def claim(self) -> DateClaim:
        assert isinstance(self.unit.model, DateClaim)
        return self.unit.model


@dataclass
class EventDating:
    """An event's published date columns and the claims behind them."""

    date: dates.EventDate
    method: DateMethod
    precision: DatePrecision
    confidence: Confidence
    anchor_event_id: str | None
    reason: str | None
    claims: list[ClaimResult] = field(default_factory=list)
    documents: tuple[str, ...] = ()

    @property
    def source_count(self) -> int:
        return len(self.documents)


@dataclass
class Dating:
    """The dates of every event, and every claim, by id."""

    events: dict[str, EventDating]
    claims: dict[str, ClaimResult]


def date_everything(corpus: Corpus, all_units: list[Unit]) -> tuple[list[SeedError], Dating]:
    """Resolve every claim and reconcile every event, anchored events first."""
    errors = check_document_dates(corpus)
    doc_dates = {d.seed.document_id: document_date(d) for d in corpus.documents}
    events = {u.record_id: u for u in all_units if u.table == "events"}
    claims_of: dict[str, list[Unit]] = {e: [] for e in events}
    reports_of: dict[str, list[Unit]] = {e: [] for e in events}
    for unit in all_units:
        if unit.table == "date_claims" and unit.parent_id in claims_of:
            claims_of[unit.parent_id].append(unit)
        elif unit.table == "reports" and isinstance(unit.model, Report):
            reports_of.setdefault(unit.model.event_id, []).append(unit)
    resolver = _Resolver(events, claims_of, reports_of, doc_dates, errors)
    for event_id in events:
        resolver.resolve(event_id)
    return errors, Dating(resolver.done, resolver.claims)


class _Resolver:
    def __init__(
        self,
        events: dict[str, Unit],
        claims_of: dict[str, list[Unit]],
        reports_of: dict[str, list[Unit]],
        doc_dates: dict[str, dates.DocumentDate],
        errors: list[SeedError],
    ) -> None:
        self.events = events
        self.claims_of = claims_of
        self.reports_of = reports_of
        self.doc_dates = doc_dates
        self.errors = errors
        self.done: dict[str, EventDating] = {}
        self.claims: dict[str, ClaimResult] = {}
        self.failed: set[str] = set()

    def resolve(self, event_id: str, stack: tuple[str, ...] = ()) -> EventDating | None:
        if event_id in self.done:
            return self.done[event_id]
        if event_id in self.failed:
            return None
        if event_id in stack:
            raise dates.DateError(
                "anchor_event_id",
                "anchor events form a cycle: " + " -> ".join((*stack, event_id)),
            )
        unit = self.events[event_id]
        results = [self._claim(c, event_id, (*stack, event_id)) for c in self.claims_of[event_id]]
        dated = self._reconcile(unit, results)
        if dated is None:
            self.failed.add(event_id)
        else:
            self.done[event_id] = dated
        return dated

    def _claim(self, unit: Unit, event_id: str, stack: tuple[str, ...]) -> ClaimResult:
        claim = unit.model
        assert isinstance(claim, DateClaim)
        doc = unit.document_id
        result = ClaimResult(unit, event_id, doc, None, claim.discount_reason is None)
        self.claims[unit.record_id] = result

        def anchor(other: str) -> dates.EventDate:
            if other not in self.events:
                raise dates.DateError("anchor_event_id", f"unknown event {other!r}")
            dated = self.resolve(other, stack)
            if dated is None:
                raise dates.DateError(
                    "anchor_event_id", f"anchor event {other} has no date (see its errors)"
                )
            return dated.date

        if doc not in self.doc_dates:
            return result  # an unknown document: the evidence check reports it
        try:
            result.span = dates.claim_span(claim, self.doc_dates[doc], anchor)
        except dates.DateError as exc:
            self.errors.append(unit.error(str(exc), *exc.field.split(".")))
        return result

    def _reconcile(self, unit: Unit, results: list[ClaimResult]) -> EventDating | None:
        event = unit.model
        assert isinstance(event, Event)
        if any(r.span is None for r in results):
            return None
        claimed = [
            dates.Claimed(
                r.unit.record_id, r.document_id, r.claim.text, r.claim.part, r.span, r.used
            )
            for r in results
            if r.span is not None
        ]
        try:
            date = dates.reconcile(claimed)
        except dates.ClaimConflict as exc:
            where = [f"{r.unit.loaded.file}:{r.unit.loaded.line_of(*r.unit.path)}" for r in results]
            self.errors.append(
                unit.error(f"{exc} (claims at {', '.join(dict.fromkeys(where))})", "date_claims")
            )
            return None
        dated = EventDating(
            date=date,
            method=_method(results),
            precision=dates.precision(date),
            confidence=date_confidence(results, self._firm, date),
            anchor_event_id=next(
                (r.claim.anchor_event_id for r in results if r.used and r.claim.anchor_event_id),
                None,
            ),
            reason=next((r.claim.reason for r in results if r.used and r.claim.reason), None),
            claims=results,
            documents=self._documents(unit, event.event_id),
        )
        if event.date is not None:
            typed = (event.date.start, event.date.end)
            found = (date.outer.start, date.outer.end)
            if typed != found:
                self.errors.append(
                    unit.error(
                        f"the typed date {_show(*typed)} disagrees with its claims, which give "
                        f"{_show(*found)}; dates are computed from date_claims (remove `date` "
                        "or fix the claims)",
                        "date",
                    )
                )
        return dated

    def _firm(self, result: ClaimResult) -> bool:
        """A claim that alone could date an event with high confidence: not hedged, of high
        confidence, and independent of an uncertain publication date (stated, from a document
        dated in its text, or anchored to an event dated with high confidence)."""
        claim = result.claim
        if claim.modality in ("hedged", "editorial") or claim.confidence != "high":
            return False
        if claim.rule == "curator_range":
            return False
        if claim.anchor_event_id is not None:
            anchor = self.done.get(claim.anchor_event_id)
            return anchor is not None and anchor.confidence == "high"
        return claim.rule in dates.ABSOLUTE_RULES or self.doc_dates[result.document_id].exact

    def _documents(self, unit: Unit, event_id: str) -> tuple[str, ...]:
        docs = [unit.document_id] + [r.document_id for r in self.reports_of.get(event_id, ())]
        return tuple(dict.fromkeys(docs))


def _show(start: dt.date | None, end: dt.date | None) -> str:
    return f"{start or '…'}..{end or '…'}"


def _method(results: list[ClaimResult]) -> DateMethod:
    used = [r for r in results if r.used]
    if not used:
        return "unknown"
    if len({r.document_id for r in used}) > 1:
        return "reconciled"
    methods = [dates.RULE_METHODS[r.claim.rule] for r in used]
    for method in ("stated", "resolved", "inferred", "bounded"):
        if method in methods:
            return method
    return "unknown"


def date_confidence(
    results: list[ClaimResult], firm: Callable[[ClaimResult], bool], date: dates.EventDate
) -> Confidence:
    """high: the firm claims alone give the published date, or the claims that are not hedged
    do and come from two documents; medium: the claims that are not hedged (or a curator's
    range) do not fix the date alone, or rest on one uncertain document date; low: hedged
    claims only, or none."""
    used = [r for r in results if r.used and r.span is not None]
    plain = [r for r in used if r.claim.modality not in ("hedged", "editorial")]
    if not plain:
        return "low"
    if _gives(date, [r for r in plain if firm(r)]):
        return "high"
    if len({r.document_id for r in plain}) > 1 and _gives(date, plain):
        return "high"
    return "medium"


def _gives(date: dates.EventDate, results: list[ClaimResult]) -> bool:
    """Whether these claims alone intersect to the same bounds as `date`."""
    if not results:
        return False
    claimed = [
        dates.Claimed(r.unit.record_id, r.document_id, r.claim.text, r.claim.part, r.span, True)
        for r in results
        if r.span is not None
    ]
    alone = dates.reconcile(claimed)
    return (alone.outer.start, alone.outer.end) == (date.outer.start, date.outer.end)
