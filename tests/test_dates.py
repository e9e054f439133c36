"""Date rules: each pinned with real values against the article's publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from sinopak.pipeline.dates import DateError, ResolvedDate, precision_of, resolve
from sinopak.schema.models import DateSpec

PUB = dt.date(2020, 12, 11)  # a Friday
D = dt.date


def spec(**kw: object) -> DateSpec:
    return DateSpec.model_validate(kw)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on Monday", D(2020, 12, 7)),
        ("On Tuesday", D(2020, 12, 8)),
        ("on Thursday", D(2020, 12, 10)),
        ("on Friday", D(2020, 12, 11)),  # the publication day itself
        ("on Saturday", D(2020, 12, 5)),
    ],
)
def test_weekday_on_or_before_publication(text: str, expected: dt.date) -> None:
    r = resolve(spec(text=text, rule="weekday_on_or_before_publication"), PUB)
    assert (r.start, r.end, r.precision, r.method) == (expected, expected, "day", "resolved")


def test_weekday_needs_a_weekday_name() -> None:
    with pytest.raises(DateError, match="expected a weekday name"):
        resolve(spec(text="last week", rule="weekday_on_or_before_publication"), PUB)


def test_last_year() -> None:
    r = resolve(spec(text="last year", rule="last_year"), PUB)
    assert (r.start, r.end, r.precision) == (D(2019, 1, 1), D(2019, 12, 31), "year")


def test_earlier_this_year_ends_at_publication() -> None:
    r = resolve(spec(text="Earlier this year", rule="earlier_this_year"), PUB)
    assert (r.start, r.end, r.precision) == (D(2020, 1, 1), PUB, "year")


def test_late_december_is_the_last_third_of_the_month() -> None:
    r = resolve(spec(text="late December", rule="late_month_not_before_publication"), PUB)
    assert (r.start, r.end, r.precision) == (D(2020, 12, 21), D(2020, 12, 31), "month")


def test_late_month_before_publication_month_rolls_to_next_year() -> None:
    r = resolve(spec(text="late February", rule="late_month_not_before_publication"), PUB)
    assert (r.start, r.end) == (D(2021, 2, 21), D(2021, 2, 28))


def test_month_year_is_stated() -> None:
    r = resolve(spec(text="March 2011", rule="month_year"), PUB)
    assert (r.start, r.end, r.precision, r.method) == (
        D(2011, 3, 1),
        D(2011, 3, 31),
        "month",
        "stated",
    )


def test_on_or_before_publication_leaves_the_start_open() -> None:
    r = resolve(spec(text="have signed", rule="on_or_before_publication"), PUB)
    assert (r.start, r.end, r.precision, r.method) == (None, PUB, "unknown", "bounded")


def anchor_monday(event_id: str) -> ResolvedDate:
    assert event_id == "evt.visit"
    return ResolvedDate(None, D(2020, 12, 7), D(2020, 12, 11), "week", "inferred", None, "x")


def test_day_before_event() -> None:
    r = resolve(
        spec(text="a day after", rule="day_before_event", anchor_event_id="evt.visit"),
        PUB,
        anchor_monday,
    )
    assert (r.start, r.end, r.precision) == (D(2020, 12, 6), D(2020, 12, 6), "day")


def test_during_event_copies_the_range() -> None:
    r = resolve(spec(rule="during_event", anchor_event_id="evt.visit"), PUB, anchor_monday)
    assert (r.start, r.end, r.precision) == (D(2020, 12, 7), D(2020, 12, 11), "week")


def test_anchor_rules_need_an_anchor() -> None:
    with pytest.raises(DateError, match="needs anchor_event_id") as err:
        resolve(spec(rule="during_event"), PUB, anchor_monday)
    assert err.value.field == "date.anchor_event_id"


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
    assert precision_of(start, end) == expected


def test_inverted_explicit_range_is_refused() -> None:
    with pytest.raises(DateError, match="inverted: start 2020-12-31 is after end 2020-12-07"):
        resolve(
            spec(
                method="inferred",
                reason="r",
                start=D(2020, 12, 31),
                end=D(2020, 12, 7),
                precision="month",
            ),
            PUB,
        )


def test_precision_must_agree_with_range() -> None:
    with pytest.raises(DateError, match=r"precision 'day' disagrees .* expected 'month'") as err:
        resolve(
            spec(
                method="inferred",
                reason="r",
                start=D(2020, 12, 7),
                end=D(2020, 12, 31),
                precision="day",
            ),
            PUB,
        )
    assert err.value.field == "date.precision"


def test_inferred_range_needs_a_reason() -> None:
    with pytest.raises(DateError, match=r"needs date\.reason"):
        resolve(spec(method="inferred", start=PUB, end=PUB, precision="day"), PUB)


def test_rule_and_explicit_range_do_not_mix() -> None:
    with pytest.raises(DateError, match="computes the range"):
        resolve(spec(text="on Monday", rule="weekday_on_or_before_publication", start=PUB), PUB)
