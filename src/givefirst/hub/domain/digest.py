"""The weekly digest's words: what a member is told once a week (pure: the figures are passed in)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class DigestFigures:
    name: str
    can_help: list[str]  # names of the members I can help (best first)
    waiting: int  # introductions waiting for my answer
    follow_ups: int  # conversations from a meeting still to follow up
    next_meeting: tuple[str, datetime, str] | None  # title, start (in the chapter's zone), place

    @property
    def empty(self) -> bool:
        return not (self.can_help or self.waiting or self.follow_ups or self.next_meeting)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def subject(figures: DigestFigures) -> str:
    parts = []
    if figures.can_help:
        parts.append(_plural(len(figures.can_help), "member") + " you can help")
    if figures.waiting:
        parts.append(_plural(figures.waiting, "introduction") + " waiting for you")
    if figures.next_meeting:
        parts.append(f"{figures.next_meeting[0]} on {figures.next_meeting[1]:%a %d %b}")
    return "Your week on the hub: " + (", ".join(parts) if parts else "nothing new")


def body(figures: DigestFigures, base_url: str) -> str:
    """Return the digest's plain text: one short paragraph per thing to do, each with its page."""
    url = base_url.rstrip("/")
    lines = [f"Hello {figures.name},", ""]
    if figures.can_help:
        names = ", ".join(figures.can_help[:3]) + (" and others" if len(figures.can_help) > 3 else "")
        lines += [f"{_plural(len(figures.can_help), 'member')} you can help this week: {names}.", f"  {url}/help", ""]
    if figures.waiting:
        lines += [f"{_plural(figures.waiting, 'introduction')} waiting for your answer.", f"  {url}/introductions", ""]
    if figures.follow_ups:
        lines += [f"{_plural(figures.follow_ups, 'conversation')} from a meeting to follow up.", f"  {url}/events", ""]
    if figures.next_meeting:
        title, starts, place = figures.next_meeting
        where = f" at {place}" if place else ""
        zone = f" {starts.tzname()}" if starts.tzinfo is not None else ""
        lines += [f"Next meeting: {title}, {starts:%A %d %B %H:%M}{zone}{where}.", f"  {url}/events", ""]
    lines += [
        "You get this once a week. To stop it, untick the weekly digest on your profile:",
        f"  {url}/me",
    ]
    return "\n".join(lines) + "\n"
