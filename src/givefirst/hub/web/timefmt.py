"""Times on the hub's pages: stored naive in UTC, shown and typed in the chapter's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from givefirst.errors import InvalidInputError


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")  # a chapter with a zone this machine does not know: UTC, said on the page


def to_local(moment: datetime | None, tz: str) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(zone(tz))


def show(moment: datetime | None, tz: str, fmt: str = "%a %d %b %Y, %H:%M") -> str:
    local = to_local(moment, tz)
    return f"{local:{fmt}} {local.tzname()}" if local is not None else ""


def from_form(value: str | None, tz: str, name: str, *, required: bool = False) -> datetime | None:
    """Read a date-time typed in the chapter's zone ("2026-12-10T18:30") and return it naive in UTC."""
    text = (value or "").strip()
    if not text:
        if required:
            raise InvalidInputError(f"give the event's {name} (a date and a time, like 2026-12-10 18:30)")
        return None
    try:
        local = datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        raise InvalidInputError(f"the {name} {text[:40]!r} is not a date and time like 2026-12-10 18:30") from None
    if local.tzinfo is None:
        local = local.replace(tzinfo=zone(tz))
    return local.astimezone(UTC).replace(tzinfo=None)
