"""Date claims: each rule pinned with real values against a document's date range, and the
intersection of claims (reconciliation) with its conflicts."""

from __future__ import annotations

import datetime as dt

import pytest

from sinopak.pipeline.dates import (
    ClaimConflict,
    Claimed,
    DateError,
    DocumentDate,
    EventDate,
    Span,
    claim_span,
    precision,
    precision_of,
    reconcile,
)
from sinopak.schema.models import DateClaim

D = dt.date
SEED = DocumentDate(D(2020, 1, 1), D(2020, 12, 11), exact=False)  # metadata 2020-12-11
NOV30 = DocumentDate(D(2020, 11, 30), D(2020, 11, 30), exact=True)  # dated in its text
EV = {"sentence_id": "abc.s001", "start": 0, "end": 1, "quote": "x"}


def claim(**kw: object) -> DateClaim:
    return DateClaim.model_validate({"evidence": [EV], **kw})


def days(text: str, rule: str, doc: DocumentDate = SEED) -> Span:
    return claim_span(claim(text=text, rule=rule), doc)


def test_weekday_in_a_document_dated_only_by_metadata_allows_every_such_weekday() -> None:
    s = days("on Monday", "weekday_on_or_before_publication")
    assert (s.start, s.end, s.weekday) == (D(2019, 12, 30), D(2020, 12, 7), 0)
    assert s.show() == "Mondays in 2019-12-30..2020-12-07"


def test_weekday_in_a_document_dated_in_its_text_is_one_day() -> None:
    s = days("on Monday", "weekday_on_or_before_publication", NOV30)
    assert (s.start, s.end) == (D(2020, 11, 30), D(2020, 11, 30))  # 30 Nov 2020 was a Monday
    s = days("On Tuesday", "weekday_on_or_before_publication", NOV30)
    assert (s.start, s.end) == (D(2020, 11, 24), D(2020, 11, 24))


def test_weekday_in_the_future() -> None:
    s = days("on Sunday", "weekday_on_or_after_publication", NOV30)
    assert (s.start, s.end) == (D(2020, 12, 6), D(2020, 12, 6))


def test_unknown_weekday_names_the_field() -> None:
    with pytest.raises(DateError, match="expected a weekday name") as err:
        days("last week", "weekday_on_or_before_publication")
    assert err.value.field == "text"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dec. 7", D(2020, 12, 7)),
        ("On December 9", D(2020, 12, 9)),
        ("29 November 2020", D(2020, 11, 29)),
        ("9th Dec, 2020", D(2020, 12, 9)),
        ("March 3, 2011", D(2011, 3, 3)),
    ],
)
def test_stated_date(text: str, expected: dt.date) -> None:
    s = days(text, "stated_date", NOV30)
    assert (s.start, s.end) == (expected, expected)


def test_stated_date_without_a_year_needs_a_document_within_one_year() -> None:
    with pytest.raises(DateError, match="not within one year"):
        days("Dec. 7", "stated_date", DocumentDate(None, D(2020, 12, 11), exact=False))


def test_today_and_yesterday_follow_the_document_range() -> None:
    assert days("today", "day_of_publication", NOV30).show() == "2020-11-30"
    assert days("yesterday", "day_before_publication", NOV30).show() == "2020-11-29"
    assert days("today", "day_of_publication", SEED).show() == "2020-01-01..2020-12-11"


def test_last_year_and_earlier_this_year() -> None:
    assert days("last year", "last_year").show() == "2019-01-01..2019-12-31"
    assert days("Earlier this year", "earlier_this_year").show() == "2020-01-01..2020-12-11"


def test_late_month() -> None:
    assert days("late December", "late_month_not_before_publication").show() == (
        "2020-12-21..2020-12-31"
    )
    s = days("late February", "late_month_not_before_publication")
    assert (s.start, s.end) == (D(2020, 2, 21), D(2021, 2, 28))  # Feb 2020 or Feb 2021


def test_month_year_and_on_or_before() -> None:
    assert days("March 2011", "month_year").show() == "2011-03-01..2011-03-31"
    assert days("have signed", "on_or_before_publication").show() == "…..2020-12-11"


def test_anchored_rules_use_the_anchor_events_days() -> None:
    trip = EventDate(Span(D(2020, 11, 29), D(2020, 11, 29)), Span(D(2020, 11, 29), D(2020, 11, 29)))
    ex = EventDate(Span(D(2020, 12, 9), D(2020, 12, 9)), Span(D(2020, 12, 24), D(2020, 12, 24)))
    anchors = {"evt.trip": trip, "evt.ex": ex}

    def span(rule: str, anchor: str) -> str:
        return claim_span(
            claim(rule=rule, anchor_event_id=anchor), SEED, anchors.__getitem__
        ).show()

    assert span("day_after_event", "evt.trip") == "2020-11-30"
    assert span("day_before_event", "evt.trip") == "2020-11-28"
    assert span("start_of_event", "evt.ex") == "2020-12-09"
    assert span("end_of_event", "evt.ex") == "2020-12-24"
    assert span("during_event", "evt.ex") == "2020-12-09..2020-12-24"
    with pytest.raises(DateError, match="needs anchor_event_id"):
        claim_span(claim(rule="during_event"), SEED, anchors.__getitem__)


def test_curator_range_needs_a_reason_and_a_sane_order() -> None:
    with pytest.raises(DateError, match="needs a reason"):
        claim_span(claim(rule="curator_range", start=D(2020, 12, 1)), SEED)
    with pytest.raises(DateError, match="inverted: start 2020-12-31 is after end 2020-12-07"):
        claim_span(
            claim(rule="curator_range", start=D(2020, 12, 31), end=D(2020, 12, 7), reason="r"),
            SEED,
        )
    with pytest.raises(DateError, match="computes the range") as err:
        days_claim = claim(
            text="on Monday", rule="weekday_on_or_before_publication", start=D(2020, 1, 1)
        )
        claim_span(days_claim, SEED)
    assert err.value.field == "start"


def claimed(doc: str, text: str, part: str, span: Span, used: bool = True) -> Claimed:
    return Claimed(f"evt.x/{doc}.c1", doc, text, part, span, used)


def test_claims_intersect_to_one_day() -> None:
    monday = days("on Monday", "weekday_on_or_before_publication")
    bounded = Span(None, D(2020, 11, 30))
    visit = Span(D(2020, 11, 30), None)
    date = reconcile(
        [
            claimed("seed", "on Monday", "day", monday),
            claimed("dp", "called on", "day", bounded),
            claimed("seed", None, "within", visit),  # type: ignore[arg-type]
        ]
    )
    assert date.outer == Span(D(2020, 11, 30), D(2020, 11, 30))
    assert precision(date) == "day"


def test_start_and_end_claims_date_a_multi_day_event() -> None:
    date = reconcile(
        [
            claimed("up", "on Wednesday", "start", Span(D(2020, 12, 9), D(2020, 12, 9))),
            claimed("seed", "late December", "end", Span(D(2020, 12, 21), D(2020, 12, 31))),
            claimed("br", "on Thursday", "end", Span(D(2020, 12, 24), D(2020, 12, 24))),
        ]
    )
    assert (date.outer.start, date.outer.end) == (D(2020, 12, 9), D(2020, 12, 24))
    assert precision(date) == "day"


def test_claims_that_do_not_overlap_name_both_documents_phrases_and_ranges() -> None:
    with pytest.raises(ClaimConflict) as err:
        reconcile(
            [
                claimed("ht", "on Tuesday", "day", Span(D(2020, 12, 1), D(2020, 12, 1))),
                claimed("ht2", "a day after", "day", Span(D(2020, 11, 30), D(2020, 11, 30))),
            ]
        )
    message = str(err.value)
    assert "document ht says 'on Tuesday' (evt.x/ht.c1): 2020-12-01" in message
    assert "document ht2 says 'a day after' (evt.x/ht2.c1): 2020-11-30" in message


def test_a_discounted_claim_is_left_out() -> None:
    date = reconcile(
        [
            claimed("ht", "on Tuesday", "day", Span(D(2020, 12, 1), D(2020, 12, 1))),
            claimed("x", "a day after", "day", Span(D(2020, 11, 30), D(2020, 11, 30)), False),
        ]
    )
    assert date.outer.show() == "2020-12-01"


def test_two_weekdays_never_meet() -> None:
    mondays = Span(None, D(2020, 12, 11), 0)
    tuesdays = Span(None, D(2020, 12, 11), 1)
    assert (mondays & tuesdays).empty
    assert not (mondays & Span(D(2020, 11, 30), None)).empty


def test_an_event_cannot_end_before_it_starts() -> None:
    with pytest.raises(ClaimConflict, match="event's end"):
        reconcile(
            [
                claimed("a", "on Wednesday", "start", Span(D(2020, 12, 9), D(2020, 12, 9))),
                claimed("b", "on Monday", "end", Span(D(2020, 12, 7), D(2020, 12, 7))),
            ]
        )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2020, 12, 7), D(2020, 12, 7), "day"),
        (D(2020, 12, 7), D(2020, 12, 13), "week"),
        (D(2020, 12, 7), D(2020, 12, 14), "month"),
        (D(2020, 11, 30), D(2020, 12, 2), "week"),
        (D(2020, 11, 20), D(2020, 12, 2), "year"),
        (D(2020, 12, 30), D(2021, 1, 2), "unknown"),
        (None, D(2020, 12, 2), "unknown"),
    ],
)
def test_precision_of(start: dt.date | None, end: dt.date, expected: str) -> None:
    assert precision_of(Span(start, end)) == expected
