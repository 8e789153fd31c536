"""Reading LinkedIn's CSV files: which file is which, dates in every format LinkedIn has used, decoding,
header-located tables, and the people messages and invitations name.

Which file is which: LinkedIn names them Connections.csv, messages.csv (Messages.csv in 2018) and Invitations.csv,
but a browser renames a repeated download ("Connections (1).csv", "Connections(2).csv") and a file manager a copy
("Invitations - Copy.csv", "Connections copy.csv", "Copy of Connections.csv"): `kind_by_name` sees through those
marks. A file named otherwise (renamed by hand, "linkedin-contacts.csv") is known by its header row
(`kind_by_header`), which must hold the columns only that file has, so that a contacts CSV with a First Name and
a Last Name is never taken for LinkedIn connections.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from givefirst.domain.model import Direction
from givefirst.errors import InvalidInputError
from givefirst.ingest.identity import normalize_url
from givefirst.ingest.names import comparable_name
from givefirst.ingest.records import ParseIssue, UnreadableFileError
from givefirst.ingest.text import allow_large_fields, decode_export, find_header, physical_lines, utf16_without_bom

SOURCE = "linkedin"
HEADER_SEARCH_ROWS = 10  # the "Notes:" preamble is three lines; a header further down is not a LinkedIn export
SUMMARY_CHARS = 80
SPACES = re.compile(r"\s+")
DIRECTIONS = {"OUTGOING": Direction.OUTBOUND.value, "INCOMING": Direction.INBOUND.value}


# --- which file is which -----------------------------------------------------------------------------------

CONNECTIONS, MESSAGES, INVITATIONS = "connections.csv", "messages.csv", "invitations.csv"
# kind: (the columns a file of that name must have, what to call it in an error, the columns that tell a file
# of that kind by its header alone). The last are stricter: "First Name, Last Name" is any contacts CSV's.
KINDS: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] = {
    CONNECTIONS: (("First Name", "Last Name"), "Connections", ("First Name", "Last Name", "Connected On")),
    MESSAGES: (("FROM", "TO", "DATE", "CONTENT"), "messages", ("FROM", "TO", "DATE", "CONTENT")),
    INVITATIONS: (("From", "To", "Sent At"), "Invitations", ("From", "To", "Sent At", "Direction")),
}
# The marks a browser or a file manager adds to a copy's name, at its end: " (1)", "(2)", " - Copy",
# " - Copy (2)", " copy", " copy 2", "-1", " 2".
_COPY_MARK = re.compile(r"(?:\s*\(\d+\)|\s*[-_]?\s*copy(?:\s*\d+)?|\s*[-_ ]\d+)$")
_COPY_OF = re.compile(r"^copy of\s+")  # Google Drive and older Windows put it in front
SNIFF_BYTES = 16384  # the preamble and the header row are in the first kilobyte (two in UTF-16)


def base_name(name: str) -> str:
    """Return the last part of a path, whichever separator it was written with (zips from Windows use "\\")."""
    return re.split(r"[/\\]", name)[-1]


def kind_by_name(name: str) -> str | None:
    """Return the kind of LinkedIn file (CONNECTIONS, MESSAGES, INVITATIONS) a name says, copies' marks and
    letter case aside, or None."""
    base = base_name(name).casefold().strip()
    if base in KINDS:
        return base
    stem, dot, extension = base.rpartition(".")
    if not dot or extension != "csv":
        return None
    stem = _COPY_OF.sub("", stem)
    while (shorter := _COPY_MARK.sub("", stem)) != stem:  # "Invitations - Copy (2)": two marks
        stem = shorter
    kind = f"{stem.strip()}.csv"
    return kind if kind in KINDS else None


def _signature(cells: list[str]) -> str | None:
    keys = {column_key(cell) for cell in cells}
    for kind, (_, _, signature) in KINDS.items():
        if {column_key(column) for column in signature} <= keys:
            return kind
    return None


def kind_by_header(data: bytes, encoding: str | None = None) -> str | None:
    """Return the kind of LinkedIn file whose header row the first rows of `data` hold, or None.

    Only the start of the file is decoded, and leniently: a header is ASCII in every encoding a re-save uses, so
    a character cut in two at the end of the sample, or a byte that is not UTF-8, cannot hide it.
    """
    head = data[:SNIFF_BYTES]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    elif head.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    else:
        codec = utf16_without_bom(head) or encoding or "utf-8"
    if codec.startswith("utf-16"):
        head = head[: len(head) // 2 * 2]
    try:
        text = head.decode(codec, errors="replace")
    except LookupError:  # an --encoding the codecs do not know is refused before any file is read
        return None
    found = find_header(text, _signature, HEADER_SEARCH_ROWS)
    return found[0] if found else None


# --- dates -------------------------------------------------------------------------------------------------

# LinkedIn's own formats: Connections and Messages 2018 and Invitations "1/8/18, 6:14 PM"; Connections from 2020
# "09 Sep 2022"; a spreadsheet re-save "9-Sep-22", or a 24-hour clock. Messages from 2022 are ISO, read below.
FORMATS = (
    "%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p", "%m/%d/%y %I:%M %p", "%m/%d/%Y %I:%M %p",
    "%m/%d/%y %H:%M", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%y", "%m/%d/%Y",
    "%d %b %Y", "%d %B %Y", "%d-%b-%y", "%d-%b-%Y", "%b %d, %Y", "%B %d, %Y",
)  # fmt: skip
UTC_SUFFIX = re.compile(r"(?<=\d)\s*(?:UTC|GMT|Z)$", re.IGNORECASE)
ISO_START = re.compile(r"\d{4}-?\d\d")


def shape_of(text: str) -> tuple[bool, ...]:
    # The separators a date carries pick its candidate formats, since each failed strptime costs as much as a row.
    return ("/" in text, "-" in text, "," in text, ":" in text, text[-1:].upper() == "M")


SHAPES = [(fmt, (*shape_of(fmt)[:4], "%p" in fmt)) for fmt in FORMATS]


@lru_cache(maxsize=8192)  # Connected On dates repeat: 30,000 connections fall on a few thousand days
def parse_timestamp(text: str) -> datetime | None:
    """Return the moment a LinkedIn date field names, as naive UTC, or None when it is not a date.

    Timestamps without a zone are taken as UTC: LinkedIn writes its ISO dates in UTC and gives no zone for the
    others, so UTC is the least wrong reading.
    """
    value = SPACES.sub(" ", text.replace("\u202f", " ")).strip()  # newer Excel puts U+202F before AM/PM
    if not value:
        return None
    if not ISO_START.match(value):
        shape = shape_of(value)
        for fmt, fits in SHAPES:
            if fits == shape:
                try:
                    return datetime.strptime(value, fmt)
                except ValueError:
                    continue
    try:
        moment = datetime.fromisoformat(UTC_SUFFIX.sub("+00:00", value))
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return None
    return moment


# Connected On, as spreadsheets re-save it: "12/6/2026" is 6 December in the US and 12 June in Europe. LinkedIn's
# own "1/8/18, 6:14 PM" (a 12-hour clock) is always month first; a dotted "06.12.2026" is always day first.
DAY_FIRST, MONTH_FIRST = "day first", "month first"
SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b(.*)")
DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})")
TWELVE_HOUR = re.compile(r"[AP]\.?M\.?$", re.IGNORECASE)
FUTURE_SLACK = timedelta(days=1)  # LinkedIn dates are UTC: "today" there may be tomorrow here


def _slash_order(match: re.Match[str]) -> str | None:
    """Return the order a slash date shows by itself: a 12-hour clock, or a part above 12; else None."""
    first, second, _, rest = match.groups()
    if TWELVE_HOUR.search(rest.strip()):
        return MONTH_FIRST
    if int(first) > 12 >= int(second):
        return DAY_FIRST
    if int(second) > 12 >= int(first):
        return MONTH_FIRST
    return None


def slash_order(values: Iterable[str]) -> str | None:
    """Return the order the slash dates of a column are written in, when one of them shows it and none other
    shows the other order; else None (then a date like "6/12/2026" cannot be read)."""
    shown: set[str] = set()
    for value in set(values):  # a column of 30,000 dates holds a few thousand days
        if "/" in value and (match := SLASH_DATE.fullmatch(value.strip())) and (order := _slash_order(match)):
            shown.add(order)
    return shown.pop() if len(shown) == 1 else None


@lru_cache(maxsize=8192)  # as parse_timestamp: the dates of one file repeat
def read_date(text: str, order: str | None, today: date) -> tuple[date | None, str | None]:
    """Return (the date of a Connected On cell, None), or (None, why it cannot be kept) for a date that is not
    one, could be either of two days, or lies in the future. An empty cell gives (None, None).

    `order` is the file's order of slash dates (see slash_order), for the dates that do not show it themselves.
    """
    value = one_line(text.replace("\u202f", " "))
    if not value:
        return None, None
    keep = "the connection was imported without it (write the date as YYYY-MM-DD to keep it)"
    moment: datetime | None
    if dotted := DOTTED_DATE.fullmatch(value):
        moment = _moment(dotted.group(3), dotted.group(2), dotted.group(1))
    elif slash := SLASH_DATE.fullmatch(value):
        first, second, year, rest = slash.groups()
        shown = _slash_order(slash) or (MONTH_FIRST if first == second else order)
        if shown is None:
            days = [_moment(year, month, day) for month, day in ((first, second), (second, first))]
            either = " or ".join(f"{d.day} {d:%B %Y}" for d in days if d)
            return None, f"Connected On {text.strip()!r} could be {either}, and no other date in the file tells; {keep}"
        moment = parse_timestamp(
            f"{first}/{second}/{year}{rest}" if shown == MONTH_FIRST else f"{second}/{first}/{year}{rest}"
        )
    else:
        moment = parse_timestamp(value)
    if moment is None:
        return None, f"Connected On {text.strip()!r} is not a date givefirst can read; {keep}"
    if moment.date() > today + FUTURE_SLACK:
        return None, f"Connected On {text.strip()!r} lies in the future; {keep}"
    return moment.date(), None


def _moment(year: str, month: str, day: str) -> datetime | None:
    """Return midnight of a numeric date, a two-digit year pivoting as strptime's %y does; None if no such day."""
    full = int(year) + (0 if len(year) == 4 else 1900 if int(year) >= 69 else 2000)
    try:
        return datetime(full, int(month), int(day))
    except ValueError:
        return None


# --- reading the file --------------------------------------------------------------------------------------


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Return the file's text: UTF-8, or the Windows-1252 or UTF-16 of a spreadsheet re-save (text.decode_export).

    An `encoding` the user named is the only one tried, unless a byte-order mark says otherwise.
    """
    return decode_export(
        data, name, encoding, "export it again from LinkedIn, or name its character set with --encoding"
    )


def column_key(cell: str) -> str:
    # "SENDER PROFILE URL", "inviterProfileUrl" and " First Name" all compare on letters and digits alone.
    return re.sub(r"[^0-9a-z]", "", cell.casefold())


@dataclass
class Table:
    """The rows under a file's header, each with the line it starts on, or the csv error that broke it."""

    columns: dict[str, int]
    width: int
    rows: list[tuple[int, list[str] | str]] = field(default_factory=list)

    def get(self, row: list[str], column: str) -> str:
        """Return the cell of `column` in `row`, stripped; "" when the layout or the row lacks it."""
        index = self.columns.get(column)
        if index is None or index >= len(row):
            return ""
        return row[index].strip()

    def getter(self, *columns: str) -> Callable[[list[str]], list[str]]:
        """Return a function giving the cells of these columns in a row, as `get` would, for many rows."""
        indexes = [self.columns.get(column) for column in columns]

        def cells(row: list[str]) -> list[str]:
            width = len(row)
            return ["" if i is None or i >= width else row[i].strip() for i in indexes]

        return cells

    def entries(self, name: str) -> Iterator[tuple[str, list[str]] | ParseIssue]:
        """Yield (origin, cells) for each row, or a ParseIssue for a broken one; blank rows are passed over."""
        for line, row in self.rows:
            origin = f"{name}:{line}"
            if isinstance(row, str):
                yield ParseIssue(origin, row)
            elif not any(cell.strip() for cell in row):
                continue  # blank lines and the all-comma rows spreadsheets append
            elif any(cell.strip() for cell in row[self.width :]):
                yield ParseIssue(
                    origin,
                    f"this row has {len(row)} fields but the header has {self.width}; "
                    "a comma inside a value is probably not quoted",
                )
            else:
                yield origin, row


def read_table(text: str, name: str, required: tuple[str, ...], what: str, single_line: bool = False) -> Table:
    """Return the rows below the first header that has every `required` column; raise when there is none.

    The header may sit below a short preamble, and be separated by commas, semicolons or tabs (a spreadsheet
    re-save): the rows are read with the header's separator. `single_line` says no field of this file should
    hold a line break (Connections.csv): a field that does, in a row that is then not a row of the header's
    shape, is an unclosed quote that swallowed the lines after it. That row is reported and the lines after it
    are read again on their own, so one stray quote loses one row rather than the rest of the file.
    """
    wanted = {column_key(column) for column in required}
    found = find_header(text, lambda cells: cells if wanted <= {column_key(c) for c in cells} else None,
                        HEADER_SEARCH_ROWS)  # fmt: skip
    if found is None:
        raise UnreadableFileError(
            f"{name}: not a LinkedIn {what} export (no header with the columns {', '.join(required)})"
        )
    header, delimiter, index = found
    keys = [column_key(cell) for cell in header]
    table = Table({key: keys.index(key) for key in keys if key}, len(header))
    allow_large_fields()
    lines = _Lines(physical_lines(text), index + 1)
    while lines.at < len(lines.lines):
        reader = csv.reader(lines, delimiter=delimiter)
        restart = _read_rows(reader, lines, table, delimiter, single_line)
        if restart is None:
            break
        lines.at = restart
    return table


class _Lines:
    """The physical lines of a file fed to a csv reader one at a time, from a position that can be moved back."""

    def __init__(self, lines: list[str], at: int) -> None:
        self.lines = lines
        self.at = at  # the index of the next line to give

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.at >= len(self.lines):
            raise StopIteration
        self.at += 1
        return self.lines[self.at - 1]


def unclosed_quote(line: int) -> str:
    """Return the report of a row whose quote runs on into the lines after it."""
    return (
        f'line {line} has an unclosed quote: a value opened with " runs on into the lines after it; that row was '
        "skipped and the lines after it were read on their own (close or delete the quote and import again)"
    )


def _read_rows(reader: Iterator[list[str]], lines: _Lines, table: Table, delimiter: str,
               single_line: bool) -> int | None:  # fmt: skip
    """Add the rows `reader` reads to the table; return the line index to read again from after a runaway row."""
    while True:
        start = lines.at  # the csv module takes a line only when it needs one, so this is the row's first line
        try:
            row = next(reader)
        except StopIteration:
            return None
        except csv.Error as exc:  # e.g. a runaway quote makes one field larger than even FIELD_LIMIT
            table.rows.append((start + 1, f"this row cannot be read as CSV ({exc}); check its quotes"))
            continue
        if single_line and _runaway(row, delimiter, table.width):
            table.rows.append((start + 1, unclosed_quote(start + 1)))
            return start + 1
        table.rows.append((start + 1, row))


def _runaway(row: list[str], delimiter: str, width: int) -> bool:
    """Return whether a row holds a field that an unclosed quote ran into the following lines."""
    spanning = [cell for cell in row if "\n" in cell or "\r" in cell]
    if not spanning:
        return False
    if len(row) < width or any(cell.strip() for cell in row[width:]):
        return True
    # The right number of fields, so the quote was in the last one, or closed again by a quote further on: the
    # lines it swallowed look like rows, holding about as many separators as the header.
    enough = max(2, width - 2)
    return any(part.count(delimiter) >= enough for cell in spanning for part in cell.splitlines()[1:])


def one_line(text: str) -> str:
    return " ".join(text.split())  # str.split's white space is the same as the regex's \s, and it is faster


def digest(*parts: str) -> str:
    # JSON keeps the parts apart, so ("a", "bc") and ("ab", "c") never collide.
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()[:32]


def shorten(text: str) -> str:
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"


@lru_cache(maxsize=65536)  # the same few thousand people recur on tens of thousands of messages
def name_key(name: str) -> str:
    """Return the form in which two spellings of one person's name compare equal."""
    return comparable_name(name) or name.casefold()


@dataclass(frozen=True)
class Person:
    """Someone named in a message or an invitation; `key` compares names, `canonical` compares URLs."""

    name: str
    url: str | None

    @property
    def key(self) -> str:
        return name_key(self.name)

    @property
    def canonical(self) -> str | None:
        return url_key(self.url) if self.url else None


@lru_cache(maxsize=65536)  # the same few thousand people recur on tens of thousands of messages
def url_key(url: str) -> str | None:
    """Return the canonical form of a profile URL, or None when it is not a URL."""
    try:
        return normalize_url(url)
    except (InvalidInputError, ValueError):  # urlsplit raises ValueError on "https://[", which normalize_url lets by
        return None
