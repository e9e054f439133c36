"""Date rules: turn an event's date phrase into an honest [earliest, latest] range.

Every relative phrase is resolved against the article's publication date (or another event's
date) by one of the named rules below; each rule is documented in docs/CURATION.md and pinned
by tests. Where a phrase allows more than one day, the range says so; nothing is guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..schema.models import DateSpec

if TYPE_CHECKING:
    from ..schema.vocabulary_types import DateMethod, DatePrecision, DateRule

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
LATE_FIRST_DAY = 21  # "late <month>": the last third of the month (TIMEX3 modifier END)


class DateError(ValueError):
    """A date phrase or explicit range that does not hold; `field` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class ResolvedDate:
    text: str | None
    start: dt.date | None
    end: dt.date | None
    precision: DatePrecision
    method: DateMethod
    rule: str | None
    reason: str | None


def precision_of(start: dt.date | None, end: dt.date | None) -> DatePrecision:
    """The finest precision the range [start, end] fits in."""
    if start is None or end is None or start.year != end.year:
        return "unknown"
    if start == end:
        return "day"
    if (end - start).days <= 6:
        return "week"
    if start.month == end.month:
        return "month"
    return "year"


def _find(words: dict[str, int], text: str | None, what: str) -> int:
    for word in (text or "").lower().replace(",", " ").split():
        if word in words:
            return words[word]
    raise DateError("date.text", f"expected a {what} name in the date phrase, found {text!r}")


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _weekday(spec: DateSpec, pub: dt.date) -> tuple[dt.date, dt.date]:
    """'on Monday' in a past-tense report: the latest such weekday on or before publication."""
    day = pub - dt.timedelta(days=(pub.weekday() - _find(WEEKDAYS, spec.text, "weekday")) % 7)
    return day, day


def _last_year(spec: DateSpec, pub: dt.date) -> tuple[dt.date, dt.date]:
    """'last year': the whole calendar year before the publication year."""
    return dt.date(pub.year - 1, 1, 1), dt.date(pub.year - 1, 12, 31)


def _earlier_this_year(spec: DateSpec, pub: dt.date) -> tuple[dt.date, dt.date]:
    """'earlier this year': from 1 January of the publication year to the publication date."""
    return dt.date(pub.year, 1, 1), pub


def _late_month(spec: DateSpec, pub: dt.date) -> tuple[dt.date, dt.date]:
    """'late December' (future): day 21 to month end, first such month not before publication."""
    month = _find(MONTHS, spec.text, "month")
    year = pub.year if month >= pub.month else pub.year + 1
    return dt.date(year, month, LATE_FIRST_DAY), _last_day(year, month)


def _month_year(spec: DateSpec, pub: dt.date) -> tuple[dt.date, dt.date]:
    """'March 2011': the whole stated month."""
    month = _find(MONTHS, spec.text, "month")
    years = [int(w) for w in (spec.text or "").split() if w.isdigit() and len(w) == 4]
    if len(years) != 1:
        raise DateError("date.text", f"expected one four-digit year, found {spec.text!r}")
    return dt.date(years[0], month, 1), _last_day(years[0], month)


def _on_or_before(spec: DateSpec, pub: dt.date) -> tuple[None, dt.date]:
    """'have signed': some day up to the publication date; the start is open."""
    return None, pub


# Rules computed from the publication date; the two anchor rules are in `_by_rule`. What each
# rule means is in the DateRule vocabulary (schema/vocabularies.py, shown in docs/CURATION.md).
PUBLICATION_RULES: dict[str, Callable[[DateSpec, dt.date], tuple[dt.date | None, dt.date]]] = {
    "weekday_on_or_before_publication": _weekday,
    "last_year": _last_year,
    "earlier_this_year": _earlier_this_year,
    "late_month_not_before_publication": _late_month,
    "month_year": _month_year,
    "on_or_before_publication": _on_or_before,
}
# How each rule obtains its range (the published date_method).
RULE_METHODS: dict[str, DateMethod] = {
    "weekday_on_or_before_publication": "resolved",
    "last_year": "resolved",
    "earlier_this_year": "resolved",
    "late_month_not_before_publication": "resolved",
    "month_year": "stated",
    "on_or_before_publication": "bounded",
    "day_before_event": "resolved",
    "during_event": "resolved",
}


def _anchor(spec: DateSpec, anchor: Callable[[str], ResolvedDate] | None) -> ResolvedDate:
    """'a day after X' / 'during X': the date of another event, resolved first."""
    if spec.anchor_event_id is None or anchor is None:
        raise DateError("date.anchor_event_id", f"rule {spec.rule} needs anchor_event_id")
    return anchor(spec.anchor_event_id)


def resolve(
    spec: DateSpec,
    publication: dt.date,
    anchor: Callable[[str], ResolvedDate] | None = None,
) -> ResolvedDate:
    """Resolve a date spec; raise DateError naming the field when it does not hold."""
    if spec.rule is not None:
        return _by_rule(spec, spec.rule, publication, anchor)
    return _explicit(spec)


def _by_rule(
    spec: DateSpec,
    rule: DateRule,
    publication: dt.date,
    anchor: Callable[[str], ResolvedDate] | None,
) -> ResolvedDate:
    """A range computed by a named rule from the publication date or an anchor event."""
    explicit = [n for n in ("start", "end", "precision", "method") if getattr(spec, n)]
    if explicit:
        raise DateError(
            f"date.{explicit[0]}", f"date.rule {rule!r} computes the range; remove {explicit}"
        )
    start: dt.date | None
    end: dt.date | None
    if rule == "day_before_event":
        other = _anchor(spec, anchor)
        if other.start is None:
            raise DateError(
                "date.anchor_event_id",
                f"anchor event {spec.anchor_event_id} has an open start date",
            )
        start = end = other.start - dt.timedelta(days=1)
    elif rule == "during_event":
        other = _anchor(spec, anchor)
        start, end = other.start, other.end
    else:
        start, end = PUBLICATION_RULES[rule](spec, publication)
    method = RULE_METHODS[rule]
    return ResolvedDate(spec.text, start, end, precision_of(start, end), method, rule, spec.reason)


def _explicit(spec: DateSpec) -> ResolvedDate:
    """A range given by the curator: method, precision and bounds that agree."""
    if spec.method is None or spec.precision is None:
        raise DateError(
            "date.method",
            "without date.rule, give date.method and date.precision (and date.start / date.end)",
        )
    if spec.method == "inferred" and spec.reason is None:
        raise DateError("date.reason", "an inferred date range needs date.reason")
    if spec.start is not None and spec.end is not None and spec.start > spec.end:
        raise DateError(
            "date.end", f"date range is inverted: start {spec.start} is after end {spec.end}"
        )
    found = precision_of(spec.start, spec.end)
    if spec.precision != found:
        raise DateError(
            "date.precision",
            f"precision {spec.precision!r} disagrees with the range "
            f"{spec.start}..{spec.end}: expected {found!r}",
        )
    return ResolvedDate(
        spec.text, spec.start, spec.end, spec.precision, spec.method, None, spec.reason
    )
