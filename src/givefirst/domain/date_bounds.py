"""How far from today a date typed by hand may lie. A touch logged in 2099, a promise due in 1990 or an event in the
year 1800 is a slip of the keyboard, not a plan: refused with the reason, rather than shown as "13,364 days late".

Imports keep whatever dates their sources hold; these bounds are for what a person enters (the CLI and the web app).
"""

from __future__ import annotations

from datetime import date

# (years back, years ahead) from today
TOUCH = (100, 2)  # a touch: any time in a long life; planned at most two years ahead
PROMISE = (1, 10)  # a promise's due date: recorded late at most a year; due at most ten years ahead
EVENT = (20, 5)  # an event: a past one kept for the record; planned at most five years ahead


def _years_from(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February into a year without one
        return today.replace(year=today.year + years, day=28)


def out_of_bounds(day: date, today: date, bounds: tuple[int, int], what: str) -> str | None:
    """Return why `day` is refused as `what` ("the date", "the due date"), or None when it lies within `bounds`."""
    back, ahead = bounds
    if day < _years_from(today, -back):
        span = "a year" if back == 1 else f"{back} years"
        return f"{what} {day.isoformat()} is more than {span} ago; check the year"
    if day > _years_from(today, ahead):
        span = "a year" if ahead == 1 else f"{ahead} years"
        return f"{what} {day.isoformat()} is more than {span} ahead; check the year"
    return None
