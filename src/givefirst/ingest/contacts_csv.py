"""Google Contacts and desktop/web Outlook contact CSV exports: one ContactRecord per row.

Google has written two layouts: the current one (`First Name,Middle Name,Last Name,...,Labels,E-mail 1 - Label,
E-mail 1 - Value`) and the older one (`Name,Given Name,...,Group Membership,E-mail 1 - Type,E-mail 1 - Value`);
both pack several values of one slot into a cell separated by " ::: ". Outlook writes fixed columns (`Business
Phone`, `E-mail 2 Address`, `Categories`...), every field quoted, sometimes in UTF-16. Columns are found by name,
never by position, so a layout with extra or missing columns still reads.

The external id of a contact is "<file name>#<key>", where the key is the lower-cased first email, else the
normalised name (plus organization): a re-export in another order imports as the same records.
"""

from __future__ import annotations

import codecs
import csv
import functools
import hashlib
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime

from givefirst.ingest.records import ContactRecord, Labeled, ParseIssue, Record, UnreadableFileError
from givefirst.ingest.text import decode_text

GOOGLE = "google"
OUTLOOK = "outlook"

_MULTI = " ::: "  # how Google packs several values of one slot into one cell
_DELIMITERS = (",", ";", "\t")  # comma always; ";" and tab from some localised or "Unicode" Outlook exports
_GOOGLE_MARKERS = frozenset(
    {"labels", "group membership", "given name", "family name", "organization name", "organization 1 - name"}
)
_GOOGLE_SLOT = re.compile(r"^(?:e-mail|phone|website|address|organization) \d+ - ")
# Not "company": LinkedIn's Connections.csv has First Name, Last Name and Company too.
_OUTLOOK_MARKERS = frozenset(
    {"e-mail address", "e-mail display name", "e-mail 2 address", "job title", "business phone", "home phone",
     "mobile phone", "business city", "home city", "web page", "categories"}
)  # fmt: skip
_NAME_COLUMNS = frozenset({"name", "first name", "last name", "given name", "family name"})
_SYSTEM_GROUPS = frozenset({"mycontacts", "starred", "system group: my contacts", "system group: starred"})
# Outlook phone columns that belong to the person; "Assistant's Phone" and "Company Main Phone" are shared with
# others and would wrongly merge people who share them, faxes and telex are not ways to reach anyone today.
_OUTLOOK_PHONE = re.compile(r"^(?P<label>.+?) phone(?: \d+)?$")
_OUTLOOK_SHARED_PHONES = frozenset({"assistant's", "company main"})


def sniff_contacts_csv(data: bytes, encoding: str | None = None) -> str | None:
    """Return "google" or "outlook" when the header row is one of those contact exports, else None."""
    try:
        return _read_header(data, "", encoding)[0]
    except UnreadableFileError:
        return None


def parse_google_csv(data: bytes, name: str, encoding: str | None = None) -> Iterator[Record]:
    """Return the contacts of a Google Contacts CSV export (either layout), with an issue per unreadable row.

    `encoding` names the file's character set when the user knows it; else it is recognised (see `_decode`).
    Raises UnreadableFileError at once when the bytes are not a Google contacts CSV.
    """
    return _parse(data, name, GOOGLE, encoding)


def parse_outlook_csv(data: bytes, name: str, encoding: str | None = None) -> Iterator[Record]:
    """Return the contacts of an Outlook contacts CSV export, with an issue per unreadable row.

    `encoding` names the file's character set when the user knows it; else it is recognised (see `_decode`).
    Raises UnreadableFileError at once when the bytes are not an Outlook contacts CSV.
    """
    return _parse(data, name, OUTLOOK, encoding)


def _parse(data: bytes, name: str, expected: str, encoding: str | None) -> Iterator[Record]:
    """Return the records of the file once its header has proved it to be the `expected` layout."""
    layout, text, delimiter = _read_header(data, name, encoding)
    if layout != expected:
        raise UnreadableFileError(f"{name}: this is {_LAYOUT_NAMES[layout]}, not {_LAYOUT_NAMES[expected]}")
    return _records(text, delimiter, name, layout)


_LAYOUT_NAMES = {GOOGLE: "a Google contacts CSV", OUTLOOK: "an Outlook contacts CSV"}


# --- decoding and the header -----------------------------------------------------------------------------------


def _decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Return the file as text: UTF-8 (with or without BOM), else UTF-16, else Windows-1252.

    A byte-order mark settles the encoding; without one, an `encoding` the user named is the only one tried.
    """
    if data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    elif encoding:
        encodings = [encoding]
    else:
        encodings = [_utf16_without_bom(data) or "utf-8", "cp1252"]
    return decode_text(data, name, encodings, "export the contacts again, or name its character set with --encoding")


def _utf16_without_bom(data: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" when the start of the bytes is ASCII text in UTF-16 with no BOM."""
    sample = data[:200]
    if len(sample) < 4 or len(sample) % 2:
        return None
    # ASCII in UTF-16 has a zero in every other byte; a header row is all ASCII.
    if all(b == 0 for b in sample[1::2]) and all(b != 0 for b in sample[0::2]):
        return "utf-16-le"
    if all(b == 0 for b in sample[0::2]) and all(b != 0 for b in sample[1::2]):
        return "utf-16-be"
    return None


def _read_header(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str, str]:
    """Return (layout, text, delimiter) for a file whose first row is a Google or Outlook header."""
    if not data.strip():
        raise UnreadableFileError(f"{name}: the file is empty")
    text = _decode(data, name, encoding)
    first_line = next((line for line in io.StringIO(text, newline="") if line.strip()), "")
    for delimiter in _DELIMITERS:
        try:
            header = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            continue
        layout = _layout({_column_key(cell) for cell in header})
        if layout:
            return layout, text, delimiter
    raise UnreadableFileError(
        f"{name}: the first row is not the header of a Google or Outlook contacts export "
        f"(it begins {first_line.strip()[:60]!r})"
    )


def _column_key(header_cell: str) -> str:
    """Return a header cell as a lookup key: lower-case, single spaces, no BOM."""
    return " ".join(header_cell.replace("\ufeff", "").split()).lower()


def _layout(keys: set[str]) -> str | None:
    """Return the export a set of header keys belongs to, or None when it names no contact columns."""
    if not keys & (_NAME_COLUMNS | {"e-mail address", "e-mail 1 - value"}):
        return None
    google = len(keys & _GOOGLE_MARKERS) + sum(1 for key in keys if _GOOGLE_SLOT.match(key))
    outlook = len(keys & _OUTLOOK_MARKERS)
    if google > outlook:
        return GOOGLE
    if outlook > google:
        return OUTLOOK
    return None


# --- rows --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    """One data row with its cells looked up by header name."""

    columns: dict[str, int]
    keys: tuple[str, ...]  # the header keys in order, the same tuple for every row so slot lookups are cached
    cells: list[str]

    def get(self, *keys: str) -> str:
        """Return the first non-empty cell among the columns named, stripped, or ""."""
        for key in keys:
            index = self.columns.get(key)
            if index is not None and index < len(self.cells):
                value = self.cells[index].strip()
                if value:
                    return value
        return ""

    def first(self, *keys: str) -> str:
        """Return the first value of a Google multi-value cell (or of a plain cell)."""
        return _split(self.get(*keys))[0] if self.get(*keys) else ""


@dataclass(frozen=True)
class _Draft:
    """A contact read from a row, before its external id is known (that needs the whole file)."""

    origin: str
    key: str
    digest: str
    record: ContactRecord
    issues: tuple[ParseIssue, ...]


def _records(text: str, delimiter: str, name: str, layout: str) -> Iterator[Record]:
    """Return every row's record or issue in file order, once all rows are read so that ids can be settled."""
    read = _read_google if layout == GOOGLE else _read_outlook
    items: list[_Draft | ParseIssue] = list(_rows(text, delimiter, name, read))
    keys = Counter(item.key for item in items if isinstance(item, _Draft))
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, ParseIssue):
            yield item
            continue
        key = item.key
        if keys[key] > 1:
            # Several rows share a key (Google often keeps duplicates of a person): tell them apart by their
            # content, never by their order, so that a re-export in another order keeps every id.
            key = f"{key}~{item.digest}"
            if key in seen:
                yield ParseIssue(item.origin, f"an exact duplicate of the contact on line {seen[key]}; skipped")
                continue
            seen[key] = item.origin.rsplit(":", 1)[1]
        yield replace(item.record, external_id=f"{name}#{key}")
        yield from item.issues


def _rows(
    text: str, delimiter: str, name: str, read: Callable[[_Row, str], _Draft | ParseIssue]
) -> Iterator[_Draft | ParseIssue]:
    """Return a draft or an issue for every non-blank data row after the header, each with its first line."""
    # newline="" leaves line ends inside quoted cells to the csv module, as its documentation asks.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns: dict[str, int] | None = None
    keys: tuple[str, ...] = ()
    width = 0
    while True:
        origin = f"{name}:{reader.line_num + 1}"
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield ParseIssue(origin, f"this row is not valid CSV ({exc}); fix or delete it")
            continue
        if not any(cell.strip() for cell in cells):
            continue  # blank lines and rows of empty cells (a spreadsheet re-save) are not contacts
        if columns is None:
            columns = {}
            for index, cell in enumerate(cells):
                columns.setdefault(_column_key(cell), index)
            width = len(cells)
            keys = tuple(columns)
            continue
        if len(cells) != width:
            yield ParseIssue(
                origin,
                f"the row has {len(cells)} cells but the header has {width}; "
                "a comma or quote inside a value is probably not quoted properly",
            )
            continue
        yield read(_Row(columns, keys, cells), origin)


# --- Google ------------------------------------------------------------------------------------------------------


def _read_google(row: _Row, origin: str) -> _Draft | ParseIssue:
    """Return a draft contact from a Google row (current or legacy layout), or an issue when it has nothing."""
    emails = _labeled(row, "e-mail")
    phones = _labeled(row, "phone")
    urls = tuple(_dedupe(value for key in _slots(row, "website", "value") for value in _split(row.get(key))))
    full_name = row.get("name") or _join_name(
        row.get("first name", "given name"),
        row.get("middle name", "additional name"),
        row.get("last name", "family name"),
        row.get("name suffix"),
    )
    tags = tuple(
        _dedupe(
            tag.removeprefix("* ").strip()
            for tag in _split(row.get("labels", "group membership"))
            if tag.removeprefix("* ").strip().lower() not in _SYSTEM_GROUPS
        )
    )
    location = _google_location(row)
    return _draft(
        row,
        origin,
        GOOGLE,
        names=(full_name, row.get("nickname"), row.get("file as")),
        emails=emails,
        phones=phones,
        urls=urls,
        organization=row.first("organization name", "organization 1 - name"),
        title=row.first("organization title", "organization 1 - title"),
        location=location,
        tags=tags,
    )


def _labeled(row: _Row, kind: str) -> tuple[Labeled, ...]:
    """Return the values of every Google "<kind> N - Value" slot, each with its slot's label."""
    values: list[Labeled] = []
    for key in _slots(row, kind, "value"):
        prefix = key.removesuffix(" - value")
        packed = _split(row.get(key))
        labels = _split(row.get(f"{prefix} - label", f"{prefix} - type"))
        for index, value in enumerate(packed):
            # A packed label cell usually holds one label for the whole slot, sometimes one label per value.
            label = labels[index] if len(labels) == len(packed) else (labels[0] if labels else None)
            values.append(Labeled(value, _label(label)))
    return tuple(_dedupe_labeled(values))


def _slots(row: _Row, kind: str, part: str) -> tuple[str, ...]:
    """Return the header keys "<kind> N - <part>" in the order of N."""
    return _header_slots(row.keys, kind, part)


@functools.lru_cache(maxsize=32)
def _header_slots(keys: tuple[str, ...], kind: str, part: str) -> tuple[str, ...]:
    """Return the keys "<kind> N - <part>" of a header in the order of N (once per file, not once per row)."""
    pattern = re.compile(rf"^{re.escape(kind)} (\d+) - {re.escape(part)}$")
    found = [(int(match.group(1)), key) for key in keys if (match := pattern.match(key))]
    return tuple(key for _, key in sorted(found))


def _google_location(row: _Row) -> str | None:
    """Return "City, Region" from the first address with either, else the Location cell, else a formatted address."""
    slots = [key.removesuffix(" - city") for key in _slots(row, "address", "city")]
    for prefix in slots:
        place = ", ".join(part for part in (row.first(f"{prefix} - city"), row.first(f"{prefix} - region")) if part)
        if place:
            return place
    formatted = [row.first(key) for key in _slots(row, "address", "formatted")]
    return row.get("location") or next((_one_line(f) for f in formatted if f), None) or None


def _label(raw: str | None) -> str | None:
    """Return a Google label as givefirst keeps it: lower-case, without the "* " that marks Google's own types."""
    if raw is None:
        return None
    label = raw.strip().removeprefix("*").strip().lower()
    return label or None


# --- Outlook -----------------------------------------------------------------------------------------------------


def _read_outlook(row: _Row, origin: str) -> _Draft | ParseIssue:
    """Return a draft contact from an Outlook row, or an issue when it has nothing to import."""
    emails: list[Labeled] = []
    for address, kind in (("e-mail address", "e-mail type"), ("e-mail 2 address", "e-mail 2 type"),
                          ("e-mail 3 address", "e-mail 3 type")):  # fmt: skip
        value = row.get(address)
        # Exchange entries hold an X.500 path ("/o=ExchangeLabs/ou=...") rather than an address.
        if value and row.get(kind).upper() != "EX" and not value.startswith("/"):
            emails.append(Labeled(value))
    phones = []
    for key, index in row.columns.items():
        match = _OUTLOOK_PHONE.match(key)
        if match and match.group("label") not in _OUTLOOK_SHARED_PHONES:
            value = row.cells[index].strip()
            if value:
                phones.append(Labeled(value, match.group("label")))
    if row.get("pager"):
        phones.append(Labeled(row.get("pager"), "pager"))
    full_name = _join_name(row.get("first name"), row.get("middle name"), row.get("last name"), row.get("suffix"))
    display = re.sub(r"\s*\([^()]*@[^()]*\)\s*$", "", row.get("e-mail display name"))  # "Jo Doe (jo@x.org)"
    return _draft(
        row,
        origin,
        OUTLOOK,
        names=(full_name, row.get("nickname"), display if "@" not in display else ""),
        emails=tuple(_dedupe_labeled(emails)),
        phones=tuple(_dedupe_labeled(phones)),
        urls=tuple(_dedupe(row.get(key) for key in ("web page", "personal web page") if row.get(key))),
        organization=row.get("company"),
        title=row.get("job title"),
        location=_outlook_location(row),
        tags=tuple(_dedupe(tag.strip() for tag in row.get("categories").split(";") if tag.strip())),
    )


def _outlook_location(row: _Row) -> str | None:
    """Return "City, State" from the business, else home, else other address, else Outlook's Location field."""
    for kind in ("business", "home", "other"):
        place = ", ".join(part for part in (row.get(f"{kind} city"), row.get(f"{kind} state")) if part)
        if place:
            return place
    return row.get("location", "office location") or None


# --- both --------------------------------------------------------------------------------------------------------


def _draft(
    row: _Row,
    origin: str,
    source: str,
    *,
    names: tuple[str, ...],
    emails: tuple[Labeled, ...],
    phones: tuple[Labeled, ...],
    urls: tuple[str, ...],
    organization: str,
    title: str,
    location: str | None,
    tags: tuple[str, ...],
) -> _Draft | ParseIssue:
    """Return the draft of a contact from its parts, or an issue when it has no name, email or phone."""
    display = next((" ".join(n.split()) for n in names if n.strip()), "")
    if not (display or emails or phones):
        return ParseIssue(
            origin,
            "the row has no name, email address or phone number, so there is nobody to import; "
            "fill one in or delete the row",
        )
    issues: list[ParseIssue] = []
    raw_birthday = row.get("birthday")
    birthday, readable = _birthday(raw_birthday)
    if not readable:
        issues.append(
            ParseIssue(
                origin,
                f"the birthday {raw_birthday!r} is not a date givefirst can read (write it as YYYY-MM-DD); "
                "the contact was imported without it",
            )
        )
    notes = row.get("notes").replace("\r\n", "\n").replace("\r", "\n") or None
    record = ContactRecord(
        source=source,
        external_id="",
        origin=origin,
        name=display or (emails[0].value if emails else phones[0].value),
        emails=emails,
        phones=phones,
        urls=urls,
        organization=organization or None,
        title=title or None,
        location=location,
        notes=notes,
        birthday=birthday,
        tags=tags,
    )
    if emails:
        key = emails[0].value.lower()
    else:
        key = _fold(record.name) + (f"|{_fold(organization)}" if organization else "")
    digest = hashlib.sha1("\x1f".join(cell.strip() for cell in row.cells).encode(), usedforsecurity=False)
    return _Draft(origin, key, digest.hexdigest()[:10], record, tuple(issues))


def _join_name(first: str, middle: str, last: str, suffix: str) -> str:
    """Return "First Middle Last, Suffix" from the parts present; credentials inside a part stay as written."""
    name = " ".join(" ".join(part.split()) for part in (first, middle, last) if part)
    if suffix and name:
        return f"{name}, {suffix}" if not suffix.startswith(",") else f"{name}{suffix}"
    return name or suffix


def _fold(text: str) -> str:
    """Return text folded for a stable key: NFKC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _split(cell: str) -> list[str]:
    """Return the non-empty values of a Google cell that may pack several with " ::: "."""
    return [value.strip() for value in cell.split(_MULTI) if value.strip()]


def _one_line(text: str) -> str:
    """Return a multi-line value (a formatted address) on one line, its lines joined by ", "."""
    return ", ".join(line.strip() for line in text.splitlines() if line.strip())


def _dedupe(values: Iterator[str] | list[str]) -> list[str]:
    """Return the values in order without repeats."""
    return list(dict.fromkeys(values))


def _dedupe_labeled(values: list[Labeled]) -> list[Labeled]:
    """Return the values in order without a repeated value (compared case-insensitively), first label kept."""
    first: dict[str, Labeled] = {}
    for item in values:
        first.setdefault(item.value.lower(), item)
    return list(first.values())


_NO_DATE = {"0/0/00", "0/0/0000", "00/00/0000", "0000-00-00"}  # how Outlook writes "no birthday"
_MONTH_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y%m%d")


def _birthday(raw: str) -> tuple[date | None, bool]:
    """Return (the birthday, True) from the forms the exports use; (None, True) when absent or yearless.

    Forms: ISO "1979-04-02", yearless "--04-02" (Google), US "4/2/1979", "4/2/79" and "4/2" (Outlook, Google's
    older exports), "2.4.1979" (European Outlook), "April 2, 1979". (None, False) for anything else.
    """
    text = raw.strip()
    if not text or text in _NO_DATE:
        return None, True
    if re.fullmatch(r"--\d{1,2}-?\d{1,2}", text) or re.fullmatch(r"\d{1,2}/\d{1,2}", text):
        return None, True  # a month and day without a year: a date of birth needs its year
    patterns: list[tuple[str, tuple[int, int, int]]] = [
        (r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", (1, 2, 3)),
        (r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})", (3, 1, 2)),
        (r"(\d{1,2})\.(\d{1,2})\.(\d{4})", (3, 2, 1)),
    ]
    for pattern, (y, m, d) in patterns:
        match = re.fullmatch(pattern, text)
        if match:
            year = int(match.group(y))
            if len(match.group(y)) == 2:
                year += 1900 if year >= 69 else 2000  # strptime's %y pivot, so the result never depends on today
            try:
                return date(year, int(match.group(m)), int(match.group(d))), True
            except ValueError:
                return None, False
    for form in _MONTH_FORMATS:
        try:
            return datetime.strptime(text, form).date(), True
        except ValueError:
            continue
    return None, False
