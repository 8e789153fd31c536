"""Times on the hub's pages: stored naive in UTC, shown and typed in the chapter's time zone."""

from __future__ import annotations

from datetime import UTC, datetime

from givefirst.errors import InvalidInputError
from givefirst.hub.domain.events import local_time, zone


def to_local(moment: datetime | None, tz: str) -> datetime | None:
    return local_time(moment, tz) if moment is not None else None


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
