"""Date claims: turn each document's date phrase into the set of days it allows, and intersect.

A document's date is a range [earliest, latest] (`DocumentDate`): exact when the text states it,
"on or before" when only the metadata line gives it. A claim's phrase, read by a named rule
against that range (or against another event's date), allows a `Span` of days: a range, possibly
restricted to one weekday ("on Monday" in a text published on or before 11 December allows every
Monday up to then). An event's date is the intersection of its claims, part by part (its day, or
its start and end). Each rule is documented in the DateRule vocabulary and pinned by tests.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..schema.models import DateClaim
    from ..schema.vocabulary_types import DateMethod, DatePrecision

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
LATE_FIRST_DAY = 21  # "late <month>": the last third of the month (TIMEX3 modifier END)
ONE_DAY = dt.timedelta(days=1)


class DateError(ValueError):
    """A date phrase or claim that does not hold; `field` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class DocumentDate:
    """When a document was published, as far as is known: [earliest, latest], None = open."""

    earliest: dt.date | None
    latest: dt.date | None
    exact: bool  # the text states the date (basis `text`)


@dataclass(frozen=True)
class Span:
    """A set of days: [start, end] (None = open), optionally only one weekday (0 = Monday)."""

    start: dt.date | None
    end: dt.date | None
    weekday: int | None = None

    def normal(self) -> Span:
        """The same set with its bounds moved onto days of its weekday."""
        if self.weekday is None:
            return self
        start, end = self.start, self.end
        if start is not None:
            start += dt.timedelta(days=(self.weekday - start.weekday()) % 7)
        if end is not None:
            end -= dt.timedelta(days=(end.weekday() - self.weekday) % 7)
        return Span(start, end, self.weekday)

    @property
    def empty(self) -> bool:
        s = self.normal()
        return s.start is not None and s.end is not None and s.start > s.end

    def __and__(self, other: Span) -> Span:
        weekdays = {self.weekday, other.weekday} - {None}
        if len(weekdays) > 1:
            return Span(dt.date.max, dt.date.min)  # two different weekdays: no day
        start = _max(self.start, other.start)
        end = _min(self.end, other.end)
        weekday = self.weekday if self.weekday is not None else other.weekday
        return Span(start, end, weekday).normal()

    def shift(self, days: int) -> Span:
        delta = dt.timedelta(days=days)
        return Span(
            None if self.start is None else self.start + delta,
            None if self.end is None else self.end + delta,
            None if self.weekday is None else (self.weekday + days) % 7,
        )

    def show(self) -> str:
        s = self.normal()
        if s.empty:
            return "no day"
        rng = f"{s.start or '…'}..{s.end or '…'}"
        if s.start is not None and s.start == s.end:
            rng = str(s.start)
        if s.weekday is not None and s.start != s.end:
            return f"{calendar.day_name[s.weekday]}s in {rng}"
        return rng


EVERY_DAY = Span(None, None)


def _max(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else max(a, b)


def _min(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else min(a, b)


def precision_of(span: Span) -> DatePrecision:
    """The finest precision the span's range fits in."""
    s = span.normal()
    start, end = s.start, s.end
    if start is None or end is None or start.year != end.year:
        return "unknown"
    if start == end:
        return "day"
    if (end - start).days <= 6:
        return "week"
    if start.month == end.month:
        return "month"
    return "year"


# --------------------------------------------------------------------------- the rules


def _words(text: str | None) -> list[str]:
    return (text or "").lower().replace(",", " ").replace(".", " ").split()


def _find(words: dict[str, int], text: str | None, what: str) -> int:
    for word in _words(text):
        stripped = word.rstrip("stndrh") if word[:1].isdigit() else word
        if stripped in words:
            return words[stripped]
    raise DateError("text", f"expected a {what} name in the date phrase, found {text!r}")


def _year_of(doc: DocumentDate, rule: str) -> int:
    """The document's year, which must be one year whatever its exact date."""
    if doc.earliest is None or doc.latest is None or doc.earliest.year != doc.latest.year:
        raise DateError(
            "rule",
            f"rule {rule} needs the document's year, but its date range "
            f"{doc.earliest or '…'}..{doc.latest or '…'} is not within one year",
        )
    return doc.latest.year


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _stated_date(text: str | None, doc: DocumentDate) -> Span:
    month = _find(MONTHS, text, "month")
    numbers = [int(w.rstrip("stndrh")) for w in _words(text) if w.rstrip("stndrh").isdigit()]
    days = [n for n in numbers if 1 <= n <= 31]
    years = [n for n in numbers if n > 31]
    if len(days) != 1 or len(years) > 1:
        raise DateError("text", f"expected one day of the month (and at most a year), in {text!r}")
    year = years[0] if years else _year_of(doc, "stated_date")
    try:
        day = dt.date(year, month, days[0])
    except ValueError:
        raise DateError("text", f"no such day: {text!r}") from None
    return Span(day, day)


def _month_year(text: str | None, doc: DocumentDate) -> Span:
    month = _find(MONTHS, text, "month")
    years = [int(w) for w in _words(text) if w.isdigit() and len(w) == 4]
    if len(years) != 1:
        raise DateError("text", f"expected one four-digit year, found {text!r}")
    return Span(dt.date(years[0], month, 1), _last_day(years[0], month))


def _weekday_before(text: str | None, doc: DocumentDate) -> Span:
    """Past tense: the latest such weekday on or before the (unknown) publication day."""
    earliest = None if doc.earliest is None else doc.earliest - dt.timedelta(days=6)
    return Span(earliest, doc.latest, _find(WEEKDAYS, text, "weekday")).normal()


def _weekday_after(text: str | None, doc: DocumentDate) -> Span:
    """Future tense: the next such weekday on or after the (unknown) publication day."""
    latest = None if doc.latest is None else doc.latest + dt.timedelta(days=6)
    return Span(doc.earliest, latest, _find(WEEKDAYS, text, "weekday")).normal()


def _day_of(text: str | None, doc: DocumentDate) -> Span:
    return Span(doc.earliest, doc.latest)


def _day_before(text: str | None, doc: DocumentDate) -> Span:
    return Span(doc.earliest, doc.latest).shift(-1)


def _on_or_before(text: str | None, doc: DocumentDate) -> Span:
    return Span(None, doc.latest)


def _last_year(text: str | None, doc: DocumentDate) -> Span:
    year = _year_of(doc, "last_year") - 1
    return Span(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _earlier_this_year(text: str | None, doc: DocumentDate) -> Span:
    return Span(dt.date(_year_of(doc, "earlier_this_year"), 1, 1), doc.latest)


def _late_month(text: str | None, doc: DocumentDate) -> Span:
    """'late December' (future): the last third of the first such month not before publication."""
    month = _find(MONTHS, text, "month")
    if doc.earliest is None or doc.latest is None:
        raise DateError("rule", "rule late_month_not_before_publication needs a dated document")

    def late(pub: dt.date) -> tuple[dt.date, dt.date]:
        year = pub.year if month >= pub.month else pub.year + 1
        return dt.date(year, month, LATE_FIRST_DAY), _last_day(year, month)

    return Span(late(doc.earliest)[0], late(doc.latest)[1])


# Rules read against the claim's document date; the anchored rules are in `claim_span`.
DOCUMENT_RULES: dict[str, Callable[[str | None, DocumentDate], Span]] = {
    "stated_date": _stated_date,
    "month_year": _month_year,
    "weekday_on_or_before_publication": _weekday_before,
    "weekday_on_or_after_publication": _weekday_after,
    "day_of_publication": _day_of,
    "day_before_publication": _day_before,
    "on_or_before_publication": _on_or_before,
    "last_year": _last_year,
    "earlier_this_year": _earlier_this_year,
    "late_month_not_before_publication": _late_month,
}
ANCHORED_RULES = (
    "day_before_event",
    "day_after_event",
    "start_of_event",
    "end_of_event",
    "during_event",
)
# How a single claim of each rule dates an event (the published date_method).
RULE_METHODS: dict[str, DateMethod] = {
    **{r: "resolved" for r in (*DOCUMENT_RULES, *ANCHORED_RULES)},
    "stated_date": "stated",
    "month_year": "stated",
    "on_or_before_publication": "bounded",
    "curator_range": "inferred",
}
# Rules whose days do not depend on when the document was published.
ABSOLUTE_RULES = ("stated_date", "month_year", "curator_range")


@dataclass(frozen=True)
class EventDate:
    """An event's reconciled date: the days its start and its end may fall on."""

    start: Span
    end: Span

    @property
    def outer(self) -> Span:
        return Span(self.start.normal().start, self.end.normal().end)


def claim_span(
    claim: DateClaim, doc: DocumentDate, anchor: Callable[[str], EventDate] | None = None
) -> Span:
    """The days one claim allows; raise DateError naming the field when it does not hold."""
    rule = claim.rule
    explicit = rule == "curator_range"
    given = [n for n in ("start", "end", "reason") if getattr(claim, n) is not None]
    if not explicit and given:
        raise DateError(given[0], f"rule {rule!r} computes the range; remove {given}")
    if rule in ANCHORED_RULES:
        if claim.anchor_event_id is None or anchor is None:
            raise DateError("anchor_event_id", f"rule {rule} needs anchor_event_id")
        other = anchor(claim.anchor_event_id)
        if rule == "day_before_event":
            return other.start.shift(-1).normal()
        if rule == "day_after_event":
            return other.end.shift(1).normal()
        if rule == "start_of_event":
            return other.start
        if rule == "end_of_event":
            return other.end
        return other.outer
    if claim.anchor_event_id is not None:
        raise DateError("anchor_event_id", f"rule {rule} is not relative to an event")
    if explicit:
        if claim.reason is None:
            raise DateError("reason", "a curator_range claim needs a reason")
        if claim.start is not None and claim.end is not None and claim.start > claim.end:
            raise DateError(
                "end", f"date range is inverted: start {claim.start} is after end {claim.end}"
            )
        return Span(claim.start, claim.end)
    if claim.text is None:
        raise DateError("text", f"rule {rule} reads a phrase: give text (verbatim)")
    return DOCUMENT_RULES[rule](claim.text, doc)


@dataclass(frozen=True)
class Claimed:
    """A claim with its document and the days it allows."""

    claim_id: str
    document_id: str
    text: str | None
    part: str
    span: Span
    used: bool


class ClaimConflict(ValueError):
    """Two (or more) used claims of one event allow no common day."""

    def __init__(self, part: str, claims: Sequence[Claimed]) -> None:
        self.part = part
        self.claims = list(claims)
        described = "; ".join(
            f"document {c.document_id} says {c.text!r} ({c.claim_id}): {c.span.show()}"
            for c in claims
        )
        super().__init__(
            f"the date claims for the event's {part} do not overlap: {described}. Check the "
            "rules, or discount one claim with discount_reason (a recorded judgement)"
        )


def reconcile(claims: Sequence[Claimed]) -> EventDate:
    """Intersect the used claims, part by part; raise ClaimConflict when a part is empty."""
    used = [c for c in claims if c.used]
    parts = {"start": EVERY_DAY, "end": EVERY_DAY}
    for part in ("start", "end"):
        relevant = [c for c in used if c.part in (part, "day", "within")]
        span = EVERY_DAY
        for i, c in enumerate(relevant):
            span = span & c.span
            if span.empty:
                raise ClaimConflict(part, _conflicting(relevant[: i + 1]))
        parts[part] = span.normal()
    start, end = parts["start"], parts["end"]
    if any(c.part == "day" for c in used):  # a one-day event: start and end are the same day
        day = start & end
        if day.empty:
            raise ClaimConflict("day", [c for c in used])
        start = end = day
    if start.start is not None:  # the event cannot end before it starts
        bounded = end & Span(start.start, None)
        if bounded.empty:
            raise ClaimConflict("end", used)
        end = bounded
    if end.end is not None:
        start = start & Span(None, end.end)
    return EventDate(start, end)


def _conflicting(claims: Sequence[Claimed]) -> list[Claimed]:
    """The smallest set to name: the last claim and one earlier claim it misses, if any."""
    last = claims[-1]
    for c in claims[:-1]:
        if (c.span & last.span).empty:
            return [c, last]
    return list(claims)


def precision(date: EventDate) -> DatePrecision:
    """The coarser of the precisions of the start and the end."""
    order = ("day", "week", "month", "year", "unknown")
    return max(precision_of(date.start), precision_of(date.end), key=order.index)
