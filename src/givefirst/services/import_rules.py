"""Rules a file import and a live source's sync share, so that the same data is reported the same way.

- Which of a parser's ParseIssues are warnings and which are skips (`IssueNotes`).
- That mail and calendars need one of the user's own addresses (`require_my_address`): without one, the user
  would become a contact of their own on every message they sent and every invitation they got, and which
  meetings they attended (or declined) could not be told.
"""

from __future__ import annotations

from collections.abc import Collection

from givefirst.errors import InvalidInputError
from givefirst.ingest.records import ParseIssue
from givefirst.services.importer_writer import Tally

# How the user gives their address to `givefirst import`; a sync says its own way (see sync_caldav).
ADD_MY_ADDRESS = "pass --me you@example.com (or: givefirst me add ADDRESS)"


class IssueNotes:
    """Tallies a parser's ParseIssues as they come, in the order of its records.

    An issue with the origin of the record written just before it is about that record: a detail lost (an
    attendee left out, a time zone guessed, one occurrence of an imported series declined), the record imported
    anyway, so a warning. Any other issue is about something not imported at all (a cancelled meeting, a row
    without a name): a skip. The parsers put such warnings right after their record (ingest/ics.py says so).
    """

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.last_origin: str | None = None

    def wrote(self, origin: str) -> None:
        """Say that the record of `origin` was written (an unchanged record does not count)."""
        self.last_origin = origin

    def note(self, issue: ParseIssue) -> None:
        if issue.origin == self.last_origin:
            self.tally.warn(issue.origin, issue.reason)
        else:
            self.tally.skip(issue.origin, issue.reason)


def require_my_address(me: Collection[str], doing: str, how: str = ADD_MY_ADDRESS) -> None:
    """Raise InvalidInputError, saying how to give one, when none of the user's addresses is known."""
    if not me:
        raise InvalidInputError(f"{doing} needs your own address: {how}")
