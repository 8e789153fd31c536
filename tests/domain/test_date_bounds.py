"""Dates typed by hand far from today are refused with the reason; everything between the bounds is kept."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from givefirst.domain.date_bounds import EVENT, PROMISE, TOUCH, out_of_bounds

TODAY = date(2026, 12, 6)


@given(st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31)), st.sampled_from([TOUCH, PROMISE, EVENT]),
       st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))  # fmt: skip
def test_a_date_is_refused_exactly_when_it_lies_outside_the_years_around_today(
    day: date, bounds: tuple[int, int], today: date
) -> None:
    back, ahead = bounds
    earliest = date(today.year - back, today.month, min(today.day, 28 if today.month == 2 else today.day))
    latest = date(today.year + ahead, today.month, min(today.day, 28 if today.month == 2 else today.day))
    refused = out_of_bounds(day, today, bounds, "the date")
    if earliest + timedelta(days=1) <= day <= latest - timedelta(days=1):
        assert refused is None
    if day < earliest - timedelta(days=1):
        assert refused is not None and "ago; check the year" in refused and day.isoformat() in refused
    if day > latest + timedelta(days=1):
        assert refused is not None and "ahead; check the year" in refused


def test_the_words_name_the_date_and_the_span() -> None:
    assert out_of_bounds(date(2099, 1, 1), TODAY, TOUCH, "the date") == (
        "the date 2099-01-01 is more than 2 years ahead; check the year"
    )
    assert out_of_bounds(date(1990, 5, 5), TODAY, PROMISE, "the due date") == (
        "the due date 1990-05-05 is more than a year ago; check the year"
    )
    assert out_of_bounds(date(2027, 3, 1), TODAY, TOUCH, "the date") is None  # a planned touch
    assert out_of_bounds(date(1960, 3, 1), TODAY, TOUCH, "the date") is None  # an old friend's first meeting
    assert out_of_bounds(date(2028, 2, 29), date(2024, 2, 29), EVENT, "the date") is None  # (29 February)
