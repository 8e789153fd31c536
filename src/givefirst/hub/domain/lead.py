"""The lead's dashboard's pure rules: months, stale needs, quiet members, newcomers without a first give."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

STALE_NEED_DAYS = 30  # a need open this long with nobody able to help is the lead's to act on
QUIET_DAYS = 60  # no sign-in and no give for this long: the member is going quiet
NEW_MEMBER_DAYS = 90  # joined this recently and no give yet: the sponsor and the lead help with a first one
MONTHS = 12
GIVE_OUTCOMES = ("helped", "hired")  # an introduction whose outcome says the helper gave


def month_keys(today: date, count: int = MONTHS) -> list[str]:
    """Return the last `count` months, oldest first, as "2026-11"."""
    year, month = today.year, today.month
    keys = []
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def per_month(moments: Iterable[datetime | None], keys: list[str]) -> dict[str, int]:
    """Count the moments falling in each month of `keys` (others, and None, are left out)."""
    counts = dict.fromkeys(keys, 0)
    for moment in moments:
        if moment is not None:
            key = f"{moment.year:04d}-{moment.month:02d}"
            if key in counts:
                counts[key] += 1
    return counts


def is_stale(created_at: datetime, best_score: float | None, threshold: float, now: datetime) -> bool:
    """Return True for a need open for more than 30 days that no offer meets at or above the threshold."""
    return now - created_at > timedelta(days=STALE_NEED_DAYS) and (best_score is None or best_score < threshold)


def last_active(last_seen: datetime | None, last_give: datetime | None, joined_at: datetime) -> datetime:
    return max(m for m in (last_seen, last_give, joined_at) if m is not None)


def is_quiet(last_seen: datetime | None, last_give: datetime | None, joined_at: datetime, now: datetime) -> bool:
    """Return True when a member has neither signed in nor given for 60 days (a new member is not quiet yet)."""
    return now - last_active(last_seen, last_give, joined_at) > timedelta(days=QUIET_DAYS)


def needs_first_give(joined_at: datetime, gives: int, now: datetime) -> bool:
    return gives == 0 and now - joined_at <= timedelta(days=NEW_MEMBER_DAYS)
