"""LinkedIn data export: Connections.csv, messages.csv and Invitations.csv, in every layout LinkedIn has used.

LinkedIn changed these files several times (see /work/shared/formats/README.md): a "Notes:" preamble or none,
a URL column or none, three column sets for messages, four date formats, and spreadsheet re-saves (CRLF, BOM,
Windows-1252 or UTF-16, semicolons or tabs between fields: read as every contact CSV is, see ingest.text). Columns
are found by their header names, never by position, so every generation reads the same. A file is known by its
name, a copy's marks aside ("Connections (1).csv", "Invitations - Copy.csv"), or else by its header row
(linkedin_tables.kind_by_name and kind_by_header). Messages, group conversations among them, are read in
linkedin_messages.

Invitations.csv lists invitations sent and received, accepted or not. An accepted one made a connection; one
never accepted made nobody the user knows: someone who invited the user and was ignored is not in their network,
and someone the user invited and who never answered was reached for, not known. So the whole export keeps an
invitation, as a touch with the other person, only when the rest of it shows that person in the user's network:
a connection in Connections.csv, or someone on a message kept from messages.csv. The others are left out, each
reported with one reason per direction, so that the import's summary counts them. Without Connections.csv in the
same import (the file imported alone) nothing tells an accepted invitation from another, and only those with a
message are kept. One file read alone (`parse_linkedin_file`) is read whole: judging needs the whole export.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from givefirst.domain.model import Direction, InteractionKind
from givefirst.ingest import linkedin_tables as tables
from givefirst.ingest.linkedin_messages import Me, parse_messages
from givefirst.ingest.linkedin_tables import CONNECTIONS, INVITATIONS, MESSAGES, SOURCE, Person
from givefirst.ingest.records import (
    ContactRecord,
    InteractionRecord,
    Labeled,
    ParseIssue,
    Participant,
    Record,
    Unchanged,
    UnreadableFileError,
)

__all__ = ["is_linkedin_file", "parse_linkedin_export", "parse_linkedin_file"]

# In every row digest: a change to how rows are read makes new digests, so rows imported before are read anew
# once (2: names in capitals keep every word, and names an older rule cut in two are given back; 3: Connected On
# dates are read day or month first only when the file shows which, and a date that cannot be kept is reported).
_ROW_DIGEST = "linkedin-connections-3"
# One reason each, not one per person, so that the import's summary says how many were left out.
SENT_NOT_ACCEPTED = "an invitation you sent that was not accepted (not a connection, no message): left out"
RECEIVED_NOT_ACCEPTED = "an invitation you received and did not accept (not a connection, no message): left out"
CANNOT_TELL = (
    "an invitation left out: without Connections.csv in the same import it cannot be told whether it was "
    "accepted (import the whole export, its zip or its folder)"
)
# LinkedIn's conversations with its AI coach and its Learning role plays come in files shaped like messages.csv
# (guide_messages.csv, learning_role_play_messages.csv): no person is on them, so their header does not count.
_NOT_PEOPLE = re.compile(r"(?:guide|coach|learning|role.?play).*messages", re.IGNORECASE)


# --- Connections.csv ---------------------------------------------------------------------------------------


def _parse_connections(
    table: tables.Table, name: str, known: Container[str] = frozenset(), today: date | None = None
) -> Iterator[Record]:
    """Yield one ContactRecord per connection, or a ParseIssue for a row without a name.

    A row whose digest is in `known` (imported before, exactly as it is now) yields only `Unchanged`: re-reading
    an unchanged export costs a hash a row rather than a record a row. A Connected On date that cannot be read,
    could be either of two days, or lies after `today` (by default the computer's) is left out with a warning
    after the record.
    """
    cell = table.getter("firstname", "lastname", "url", "company", "emailaddress", "connectedon", "position")
    column = table.columns.get("connectedon", -1)
    order = tables.slash_order(
        row[column] for _, row in table.rows if not isinstance(row, str) and 0 <= column < len(row)
    )
    today = today or date.today()
    for entry in table.entries(name):
        if isinstance(entry, ParseIssue):
            yield entry
            continue
        origin, row = entry
        cells = cell(row)
        digest = hashlib.sha1("\x1f".join((_ROW_DIGEST, *cells)).encode(), usedforsecurity=False).hexdigest()
        if digest in known:
            yield Unchanged(origin)
            continue
        first, last, url, company, email, connected_on, position = cells
        full_name = tables.one_line(f"{first} {last}")
        if not full_name:
            yield ParseIssue(origin, "this connection has neither a first nor a last name, so it was skipped")
            continue
        canonical = tables.url_key(url) if url else None
        company = tables.one_line(company)
        connected, problem = tables.read_date(connected_on, order, today)
        yield ContactRecord(
            source=SOURCE,
            # A row number would change with every export (LinkedIn lists the newest first); the name and the
            # company do not, unless the person changes jobs.
            external_id=canonical or unicodedata.normalize("NFC", f"connections#{full_name}|{company}".lower()),
            origin=origin,
            name=full_name,
            emails=(Labeled(email),) if email else (),
            urls=(url,) if canonical else (),
            organization=company or None,
            title=tables.one_line(position) or None,  # a tab inside a position becomes a space
            met_on=connected,
            how_met="LinkedIn connection",
            digest=digest,
        )
        if problem:  # after its record: a detail lost, the connection imported all the same
            yield ParseIssue(origin, f"line {origin.rsplit(':', 1)[1]}: {problem}")


# --- Invitations.csv ---------------------------------------------------------------------------------------

# Whether an invitation is kept: None to keep it, else why it is left out (see the module's docstring).
Judge = Callable[[Person, str], str | None]


@dataclass
class _Network:
    """Who the rest of the export shows in the user's network: name keys and canonical profile URLs."""

    names: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    has_connections: bool = False  # a Connections.csv was read: an invitation not among them was not accepted

    def add(self, name: str | None, url: str | None) -> None:
        if name:
            self.names.add(tables.name_key(name))
        canonical = tables.url_key(url) if url else None
        if canonical:
            self.urls.add(canonical)

    def judge(self, other: Person, direction: str) -> str | None:
        # A connection is an invitation accepted (either way); a message kept shows a relationship, whatever
        # became of the invitation. By name when the export gives no URL (2018, 2022), as messages are matched.
        if other.key in self.names or (other.canonical is not None and other.canonical in self.urls):
            return None
        if not self.has_connections:
            return CANNOT_TELL
        return SENT_NOT_ACCEPTED if direction == Direction.OUTBOUND.value else RECEIVED_NOT_ACCEPTED


def _connections_network(table: tables.Table, network: _Network) -> None:
    """Add every connection of a Connections.csv table to `network`, rows imported before too."""
    cell = table.getter("firstname", "lastname", "url")
    for _, row in table.rows:
        if not isinstance(row, str):
            first, last, url = cell(row)
            network.add(tables.one_line(f"{first} {last}"), url)
    network.has_connections = True


def _parse_invitations(table: tables.Table, name: str, judge: Judge | None = None) -> Iterator[Record]:
    """Yield an InteractionRecord per invitation sent or received, or a ParseIssue for a broken row or for an
    invitation `judge` leaves out (by default none is)."""
    for entry in table.entries(name):
        if isinstance(entry, ParseIssue):
            yield entry
            continue
        origin, row = entry
        said = table.get(row, "direction")
        direction = tables.DIRECTIONS.get(said.upper())
        if direction is None:
            yield ParseIssue(origin, f"Direction is {said!r}, expected INCOMING or OUTGOING; invitation skipped")
            continue
        side = ("to", "inviteeprofileurl") if direction == Direction.OUTBOUND.value else ("from", "inviterprofileurl")
        other = Person(tables.one_line(table.get(row, side[0])), table.get(row, side[1]) or None)
        if not other.name:
            yield ParseIssue(origin, "this invitation does not name the other person, so it was skipped")
            continue
        sent_text = table.get(row, "sentat")
        when = tables.parse_timestamp(sent_text)
        if when is None:
            yield ParseIssue(origin, f"Sent At {sent_text!r} is not a date, so this invitation was skipped")
            continue
        left_out = judge(other, direction) if judge is not None else None
        if left_out is not None:
            yield ParseIssue(origin, left_out)
            continue
        message = tables.one_line(html.unescape(table.get(row, "message")))
        yield InteractionRecord(
            source=SOURCE,
            external_id="invitations#"
            + tables.digest(table.get(row, "from").casefold(), table.get(row, "to").casefold(), when.isoformat(), said),
            origin=origin,
            occurred_at=when,
            kind=InteractionKind.MESSAGE.value,
            direction=direction,
            participants=(Participant(name=other.name, profile_url=other.url),),
            summary=f"LinkedIn invitation: {tables.shorten(message) if message else '(no message)'}",
        )


def _me_from_invitations(table: tables.Table, me: Me) -> None:
    """Add to `me` the sender of OUTGOING and the recipient of INCOMING invitations: that is the user."""
    for _, row in table.rows:
        if isinstance(row, str):
            continue
        direction = tables.DIRECTIONS.get(table.get(row, "direction").upper())
        if direction is None:
            continue
        side = ("from", "inviterprofileurl") if direction == Direction.OUTBOUND.value else ("to", "inviteeprofileurl")
        person = Person(table.get(row, side[0]), table.get(row, side[1]) or None)
        if person.name:
            me.names.add(person.key)
        if person.canonical:
            me.urls.add(person.canonical)


# --- public API --------------------------------------------------------------------------------------------


def _table(data: bytes, name: str, kind: str, encoding: str | None) -> tables.Table:
    """Return the table of a file of this kind; raise UnreadableFileError when it is not text or has no header."""
    required, what, _ = tables.KINDS[kind]
    text = tables.decode(data, name, encoding)
    # LinkedIn writes no line break in a Connections field; message texts have them, invitation notes may.
    return tables.read_table(text, name, required, what, single_line=kind == CONNECTIONS)


def _open(data: bytes, name: str, encoding: str | None = None) -> tuple[str, tables.Table]:
    """Return the file's kind and its table; raise UnreadableFileError when it is no LinkedIn file or unreadable."""
    kind = tables.kind_by_name(name) or tables.kind_by_header(data, encoding)
    if kind is None:
        raise UnreadableFileError(
            f"{name}: not a LinkedIn export file: its name is not Connections.csv, messages.csv or Invitations.csv "
            '(or a copy of one, such as "Connections (1).csv"), and its first rows hold none of their headers'
        )
    return kind, _table(data, name, kind, encoding)


def _kind_in_export(path: str, data: bytes, encoding: str | None) -> str | None:
    """Return the kind of a file of an export by its name, else by its header row, or None to leave it out."""
    kind = tables.kind_by_name(path)
    if kind is not None:
        return kind
    base = tables.base_name(path).casefold()
    # "._Connections.csv" and the like are macOS's resource forks, added to zips made on a Mac.
    if base.startswith(".") or "__macosx" in path.casefold() or _NOT_PEOPLE.search(base):
        return None
    return tables.kind_by_header(data, encoding)


def is_linkedin_file(name: str) -> bool:
    """Return True when `name` (a path or a base name) is, by its name, a file of a LinkedIn export that this
    module reads (copies' marks such as "Connections (1).csv" aside). Files named otherwise may still be one,
    known by their header row when they are read."""
    return tables.kind_by_name(name) is not None


def parse_linkedin_file(
    data: bytes, name: str, encoding: str | None = None, today: date | None = None
) -> Iterator[Record]:
    """Return the records of one LinkedIn export file, chosen by its name or, failing that, its header row.

    Connections.csv yields ContactRecords, messages.csv and Invitations.csv yield InteractionRecords (every
    invitation: which were accepted is for the whole export to say); broken rows yield ParseIssues. Raises
    UnreadableFileError at once, before any record, for a file that is no LinkedIn file by name or header, and
    for a file that is not text or has no LinkedIn header. `today` judges which Connected On dates lie in the
    future (by default the computer's date).
    """
    kind, table = _open(data, name, encoding)
    if kind == CONNECTIONS:
        return _parse_connections(table, name, today=today)
    if kind == INVITATIONS:
        return _parse_invitations(table, name)
    return parse_messages(table, name)


def parse_linkedin_export(
    files: Iterable[tuple[str, bytes]],
    known: Container[str] = frozenset(),
    encoding: str | None = None,
    today: date | None = None,
) -> Iterator[Record]:
    """Yield the records of a whole LinkedIn export: Connections, then Invitations, then messages.

    `files` are (relative path, bytes) pairs from a folder or zip; files this module does not read (by name or
    header row) are ignored. Reading the files together tells who the user is (from Invitations.csv, and
    Connections.csv rules people out), which a lone messages.csv sometimes cannot, and which invitations were
    accepted (see the module's docstring). A known file that cannot be read yields one ParseIssue and the rest
    of the export still imports; an export without any known file, or whose known files all cannot be read,
    raises UnreadableFileError (so a file that is not a LinkedIn export fails its import). `encoding` names the
    files' character set when the user knows it (a spreadsheet re-save); `today` judges which Connected On
    dates lie in the future (by default the computer's date).
    """
    by_file: dict[str, list[tuple[str, tables.Table]]] = {kind: [] for kind in tables.KINDS}
    problems: list[ParseIssue] = []
    for path, data in files:
        kind = _kind_in_export(path, data, encoding)
        if kind is None:
            continue
        try:
            by_file[kind].append((path, _table(data, path, kind, encoding)))
        except UnreadableFileError as exc:
            problems.append(ParseIssue(path, str(exc)))
    if not problems and not any(by_file.values()):
        raise UnreadableFileError(
            "LinkedIn export: no Connections.csv, messages.csv or Invitations.csv in it; is this a LinkedIn export? "
            "(nothing in it is one by its name or its header row)"
        )
    if not any(by_file.values()):  # nothing readable: the import fails, as for any file that is not an export
        if len(problems) == 1:
            raise UnreadableFileError(problems[0].reason)
        raise UnreadableFileError(
            f"LinkedIn export: none of its {len(problems)} files can be read: "
            + "; ".join(problem.reason for problem in problems)
        )
    yield from problems
    me = Me()
    for _, table in by_file[INVITATIONS]:
        _me_from_invitations(table, me)
    network = _Network()
    if by_file[MESSAGES] or by_file[INVITATIONS]:  # only they ask who is a connection (a name costs 15 us)
        for _, table in by_file[CONNECTIONS]:
            _connections_network(table, network)
    me.not_me = set(network.names)  # the user is never among their own connections
    for path, table in by_file[CONNECTIONS]:
        yield from _parse_connections(table, path, known, today)
    # Messages are read before invitations are judged, since a message with someone confirms an invitation.
    messages = [record for path, table in by_file[MESSAGES] for record in parse_messages(table, path, me)]
    for record in messages:
        if isinstance(record, InteractionRecord):
            for person in record.participants:
                network.add(person.name, person.profile_url)
    for path, table in by_file[INVITATIONS]:
        yield from _parse_invitations(table, path, network.judge)
    yield from messages
