"""What every parser yields: plain records about people and touchpoints, or an issue with one record.

Parsers read bytes (or a binary stream, for archives too large to hold) and know nothing of the database; the
import service (`services/importer.py`) resolves identities and writes the records. Every record carries its
`origin` ("file:line" or "file#record"), so a report can point at it, and a stable `external_id`, so that
importing the same file twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class ParseIssue:
    """One record that could not be read, and why; the rest of the file still imports."""

    origin: str  # "path:line" or "path#record"
    reason: str


class UnreadableFileError(Exception):
    """A whole file is not what it claims to be (a one-line error, nothing of it imported)."""


@dataclass(frozen=True)
class Labeled:
    """An identity value as written in the source, with its label ("work", "mobile", "iPhone"...), if any."""

    value: str
    label: str | None = None


@dataclass(frozen=True)
class ContactRecord:
    """A person as one source knows them."""

    source: str  # "linkedin", "vcard", "google", "outlook"
    external_id: str  # stable within the source: a profile URL, a vCard UID, or "file#row"
    origin: str
    name: str
    emails: tuple[Labeled, ...] = ()
    phones: tuple[Labeled, ...] = ()
    urls: tuple[str, ...] = ()
    organization: str | None = None
    title: str | None = None
    location: str | None = None  # "City, ST" or whatever the source has, e.g. from ADR
    notes: str | None = None
    birthday: date | None = None
    met_on: date | None = None  # e.g. LinkedIn's "Connected On"
    how_met: str | None = None  # e.g. "LinkedIn connection"
    tags: tuple[str, ...] = ()  # e.g. Google's groups / labels, vCard CATEGORIES
    # A digest of the source's own row, when the parser has one: it stands for what the record says, and a
    # re-import passes the parser the digests it already holds, so that unchanged rows are not read again.
    digest: str | None = None


@dataclass(frozen=True)
class Participant:
    """Someone on the other side of a touchpoint, as the source names them."""

    name: str | None = None
    email: str | None = None
    profile_url: str | None = None


@dataclass(frozen=True)
class InteractionRecord:
    """A dated touchpoint between the user and others."""

    source: str  # "linkedin", "ics", "mbox", "maildir"
    external_id: str  # Message-ID, UID + recurrence, or "file#row"
    origin: str
    occurred_at: datetime  # naive UTC
    kind: str  # a givefirst.domain.model.InteractionKind value
    direction: str  # outbound | inbound | mutual, as seen from the user
    participants: tuple[Participant, ...] = field(default_factory=tuple)  # never the user
    summary: str = ""
    details: str = ""  # more text than the summary: a calendar event's description (read by `givefirst heard`)


@dataclass(frozen=True)
class GatheringRecord:
    """A meeting too large to be a touch with each person on it (an all-hands, a webinar): an event instead.

    Its attendees are kept, for the people already known to be linked to the event; none becomes a new person.
    """

    source: str
    external_id: str
    origin: str
    starts_at: datetime  # naive UTC
    ends_at: datetime | None
    title: str
    location: str | None
    attendees: tuple[Participant, ...]  # never the user


@dataclass(frozen=True, slots=True)
class Unchanged:
    """A row the parser recognised, by its digest, as one already imported exactly as it is now."""

    origin: str


Record = ContactRecord | InteractionRecord | GatheringRecord | ParseIssue | Unchanged
