"""One key per email message, whatever file, format, folder or server it was read from.

The same message turns up as a line of an mbox, a file of a maildir, a copy in "All mail" beside "Sent", and
(with IMAP) a message on a server. `message_key` names it the same in every case, so that it is stored as one
interaction: its Message-ID when it has one (the sender's mail program gave it once, and every copy carries it),
otherwise a digest of what every copy says alike: when it was written, by whom, to whom, about what. The
recipients are part of the digest so that a mail merge (one subject sent to many people at the same second, each
message to one of them) stays many messages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime

# Interactions' external ids are at most 300 characters; a Message-ID past this is hashed (junk, or a tool's).
MAX_KEY = 250
DIGEST_PREFIX = "sha256:"


def message_key(
    message_id: str | None, date: datetime | None, sender: str | None, recipients: Iterable[str], subject: str
) -> str:
    """Return the key of one email message: its Message-ID, or a digest of its date, sender, recipients, subject.

    `message_id` may be written with or without its angle brackets; `date` is naive UTC (a zone-aware one is
    converted); addresses are compared in lower case, recipients (To and Cc, never Bcc, which only the sender's
    copy may show) in any order; the subject with its white space collapsed. A key made from a Message-ID is the
    id itself, so keys stored before this function existed still match.
    """
    if message_id is not None:
        text = message_id.strip()
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1].strip()
        if text:
            if len(text) <= MAX_KEY:
                return text
            return "mid-" + DIGEST_PREFIX + hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:40]
    if date is not None and date.tzinfo is not None:
        date = date.astimezone(UTC).replace(tzinfo=None)
    stamp = date.replace(microsecond=0).isoformat() if date is not None else ""
    people = ",".join(sorted({r.strip().lower() for r in recipients if r and r.strip()}))
    said = f"{stamp}\n{(sender or '').strip().lower()}\n{people}\n{' '.join(subject.split())}"
    return DIGEST_PREFIX + hashlib.sha256(said.encode("utf-8", "replace")).hexdigest()[:32]


def legacy_key(date: datetime | None, sender: str | None, subject: str) -> str:
    """Return the id givefirst gave a message without Message-ID before `message_key` (date, sender, subject).

    Used only to recognise such messages imported by an earlier version, so that re-importing them adds nothing.
    """
    stamp = date.isoformat() if date else ""
    digest = hashlib.sha256(f"{stamp}\n{sender or ''}\n{subject}".encode()).hexdigest()
    return f"{DIGEST_PREFIX}{digest[:32]}"


__all__ = ["legacy_key", "message_key"]
