"""Reading dates and times the way people type them on a command line."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from givefirst.errors import InvalidInputError

_RELATIVE = re.compile(r"^([+-]?)(\d+)\s*(d|days?|w|weeks?)(\s+ago)?$")


def parse_day(text: str, today: date, what: str = "date") -> date:
    """Return a date from YYYY-MM-DD, today, yesterday, tomorrow, 3d (in 3 days), -3d or "3 days ago"."""
    t = text.strip().lower()
    named = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if t in named:
        return today + timedelta(days=named[t])
    if m := _RELATIVE.match(t):
        sign = -1 if m.group(1) == "-" or m.group(4) else 1
        days = int(m.group(2)) * (7 if m.group(3).startswith("w") else 1)
        return today + timedelta(days=sign * days)
    try:
        return date.fromisoformat(t)
    except ValueError:
        raise InvalidInputError(
            f"invalid {what} {text!r}: use YYYY-MM-DD, today, yesterday, tomorrow, 3d or '2 weeks ago'"
        ) from None


def parse_when(text: str, now: datetime, what: str = "date") -> datetime:
    """Return a moment from a day (see `parse_day`, taken at noon) or from 'YYYY-MM-DD HH:MM'."""
    t = text.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}", t):
        try:
            return datetime.fromisoformat(t.replace(" ", "T")).replace(tzinfo=None, second=0, microsecond=0)
        except ValueError:
            raise InvalidInputError(f"invalid {what} {text!r}: use YYYY-MM-DD HH:MM") from None
    day = parse_day(t, now.date(), what)
    return now if day == now.date() else datetime.combine(day, time(12, 0))
