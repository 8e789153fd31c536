"""Reading LinkedIn's CSV files: dates in every format LinkedIn has used, decoding, and header-located tables."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from givefirst.errors import InvalidInputError
from givefirst.ingest.identity import normalize_url
from givefirst.ingest.records import ParseIssue, UnreadableFileError
from givefirst.ingest.text import decode_text

HEADER_SEARCH_ROWS = 10  # the "Notes:" preamble is three lines; a header further down is not a LinkedIn export
SUMMARY_CHARS = 80
SPACES = re.compile(r"\s+")


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


# --- reading the file --------------------------------------------------------------------------------------


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Return the file's text: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252 from a re-save.

    An `encoding` the user named is the only one tried, unless a byte-order mark says otherwise.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    elif data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    elif encoding:
        encodings = (encoding,)
    else:
        # Excel on Windows saves "CSV (Comma delimited)" in the ANSI code page, so accented names arrive that way.
        encodings = ("utf-8-sig", "cp1252")
    return decode_text(
        data, name, encodings, "export it again from LinkedIn, or name its character set with --encoding"
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


def read_table(text: str, name: str, required: tuple[str, ...], what: str) -> Table:
    """Return the rows below the first header that has every `required` column; raise when there is none."""
    reader = csv.reader(io.StringIO(text, newline=""))
    table: Table | None = None
    seen = 0
    last_line = 0
    while True:
        start = last_line + 1
        try:
            row: list[str] | str = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a runaway quote makes one field larger than the csv module allows
            row = f"this row cannot be read as CSV ({exc}); check its quotes"
        last_line = reader.line_num
        if table is not None:
            table.rows.append((start, row))
            continue
        if isinstance(row, str) or not any(cell.strip() for cell in row):
            continue
        seen += 1
        keys = [column_key(cell) for cell in row]
        if all(column_key(column) in keys for column in required):
            table = Table({key: keys.index(key) for key in keys if key}, len(row))
        elif seen >= HEADER_SEARCH_ROWS:
            break
    if table is None:
        wanted = ", ".join(required)
        raise UnreadableFileError(f"{name}: not a LinkedIn {what} export (no header with the columns {wanted})")
    return table


def one_line(text: str) -> str:
    return " ".join(text.split())  # str.split's white space is the same as the regex's \s, and it is faster


def digest(*parts: str) -> str:
    # JSON keeps the parts apart, so ("a", "bc") and ("ab", "c") never collide.
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()[:32]


def shorten(text: str) -> str:
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"


@lru_cache(maxsize=65536)  # the same few thousand people recur on tens of thousands of messages
def url_key(url: str) -> str | None:
    """Return the canonical form of a profile URL, or None when it is not a URL."""
    try:
        return normalize_url(url)
    except (InvalidInputError, ValueError):  # urlsplit raises ValueError on "https://[", which normalize_url lets by
        return None
