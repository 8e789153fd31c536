"""Google Contacts and desktop/web Outlook contact CSV exports: one ContactRecord per row.

Google has written two layouts: the current one (`First Name,Middle Name,Last Name,...,Labels,E-mail 1 - Label,
E-mail 1 - Value`) and the older one (`Name,Given Name,...,Group Membership,E-mail 1 - Type,E-mail 1 - Value`);
both pack several values of one slot into a cell separated by " ::: ". Outlook writes fixed columns (`Business
Phone`, `E-mail 2 Address`, `Categories`...), every field quoted, sometimes in UTF-16, with column names in the
language of Outlook (German and French are read as English; see _LOCALISED), and older versions and Outlook
Express a single `Name` column. Columns are found by name, never by position, so a layout with extra or missing
columns still reads. A row naming no person is named after its organization (a company kept as a contact).

The external id of a contact is "<file name>#<key>", where the key is the lower-cased first email, else the
normalised name (plus organization): a re-export in another order imports as the same records.
"""

from __future__ import annotations

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
from givefirst.ingest.text import allow_large_fields, decode_export, find_header

GOOGLE = "google"
OUTLOOK = "outlook"

_MULTI = " ::: "  # how Google packs several values of one slot into one cell
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
# Google's own groups, compared without spaces: "* myContacts" (current layout), "* My Contacts" (legacy), "* starred".
_SYSTEM_GROUPS = frozenset({"mycontacts", "starred", "systemgroup:mycontacts", "systemgroup:starred"})
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

    `encoding` names the file's character set when the user knows it; else it is recognised (see `text.decode_export`).
    Raises UnreadableFileError at once when the bytes are not a Google contacts CSV.
    """
    return _parse(data, name, GOOGLE, encoding)


def parse_outlook_csv(data: bytes, name: str, encoding: str | None = None) -> Iterator[Record]:
    """Return the contacts of an Outlook contacts CSV export, with an issue per unreadable row.

    `encoding` names the file's character set when the user knows it; else it is recognised (see `text.decode_export`).
    Raises UnreadableFileError at once when the bytes are not an Outlook contacts CSV.
    """
    return _parse(data, name, OUTLOOK, encoding)


def parse_contacts_csv(data: bytes, name: str, encoding: str | None = None) -> Iterator[Record]:
    """Return the contacts of a Google or an Outlook contacts CSV, whichever its header shows.

    Raises UnreadableFileError at once when the bytes are neither, saying why (an empty file, not text, the
    first row of another kind of file, or an Outlook export in a language this module does not read).
    """
    layout, text, delimiter = _read_header(data, name, encoding)
    return _records(text, delimiter, name, layout)


def _parse(data: bytes, name: str, expected: str, encoding: str | None) -> Iterator[Record]:
    """Return the records of the file once its header has proved it to be the `expected` layout."""
    layout, text, delimiter = _read_header(data, name, encoding)
    if layout != expected:
        raise UnreadableFileError(f"{name}: this is {_LAYOUT_NAMES[layout]}, not {_LAYOUT_NAMES[expected]}")
    return _records(text, delimiter, name, layout)


_LAYOUT_NAMES = {GOOGLE: "a Google contacts CSV", OUTLOOK: "an Outlook contacts CSV"}


# --- decoding and the header -----------------------------------------------------------------------------------


def _read_header(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str, str]:
    """Return (layout, text, delimiter) for a file whose first row is a Google or Outlook header.

    The text is decoded as every contact CSV is (text.decode_export: UTF-8, UTF-16 with or without a BOM, else
    Windows-1252, or the `encoding` the user named), and the header may be separated by commas, semicolons or
    tabs; an Outlook header in German or French is read as the English one (see _LOCALISED).
    """
    if not data.strip():
        raise UnreadableFileError(f"{name}: the file is empty")
    text = decode_export(data, name, encoding, "export the contacts again, or name its character set with --encoding")
    found = find_header(text, lambda cells: _layout(set(_header_keys(cells)[0])))
    if found is not None:
        layout, delimiter, _ = found
        return layout, text, delimiter
    first_line = next((line for line in io.StringIO(text, newline="") if line.strip()), "")
    message = (
        f"{name}: the first row is not the header of a Google or Outlook contacts export "
        f"(it begins {first_line.strip()[:60]!r})"
    )
    if max(len(next(csv.reader([first_line], delimiter=d), [])) for d in (",", ";", "\t")) >= _MANY_COLUMNS:
        message += (
            "; with so many columns it may be an Outlook export in a language givefirst does not read (it reads "
            "English, German and French column names): switch Outlook's display language to English and export "
            "again, or rename the columns First Name, Last Name and E-mail Address in the first row"
        )
    raise UnreadableFileError(message)


_MANY_COLUMNS = 15  # Outlook writes 30 to 90 columns; a file this wide is a contact export of some kind


def _column_key(header_cell: str) -> str:
    """Return a header cell as a lookup key: lower-case, single spaces, no BOM, straight apostrophes."""
    return " ".join(header_cell.replace("\ufeff", "").replace("\u2019", "'").split()).lower()


def _header_keys(cells: list[str]) -> tuple[list[str], str | None]:
    """Return the lookup keys of a header row, a German or French Outlook header's in English, and its language.

    A language is recognised when at least three of its own column names are there (not counting those spelt as
    in English, "Suffix", "Pager", "Notes"); only then are its names translated, so that a word shared with
    another export ("Position" in a LinkedIn file) is left alone.
    """
    keys = [_column_key(cell) for cell in cells]
    for language, names in _LOCALISED.items():
        if sum(1 for key in set(keys) if names.get(key, key) != key) >= 3:
            return [names.get(key, key) for key in keys], language
    return keys, None


# The Outlook columns this module reads, as Outlook names them in German and in French (lookup keys).
_LOCALISED: dict[str, dict[str, str]] = {
    "de": {
        "anrede": "title", "vorname": "first name", "weitere vornamen": "middle name", "nachname": "last name",
        "suffix": "suffix", "firma": "company", "abteilung": "department", "position": "job title",
        "ort geschäftlich": "business city", "region geschäftlich": "business state", "ort privat": "home city",
        "bundesland/kanton privat": "home state", "weiterer ort": "other city",
        "weiteres/r bundesland/kanton": "other state", "telefon geschäftlich": "business phone",
        "telefon geschäftlich 2": "business phone 2", "telefon privat": "home phone",
        "telefon privat 2": "home phone 2", "mobiltelefon": "mobile phone", "autotelefon": "car phone",
        "weiteres telefon": "other phone", "haupttelefon": "primary phone", "telefon firma": "company main phone",
        "telefon assistent": "assistant's phone", "pager": "pager", "e-mail-adresse": "e-mail address",
        "e-mail-typ": "e-mail type", "e-mail: angezeigter name": "e-mail display name",
        "e-mail 2: adresse": "e-mail 2 address", "e-mail 2: typ": "e-mail 2 type",
        "e-mail 2: angezeigter name": "e-mail 2 display name", "e-mail 3: adresse": "e-mail 3 address",
        "e-mail 3: typ": "e-mail 3 type", "e-mail 3: angezeigter name": "e-mail 3 display name",
        "geburtstag": "birthday", "kategorien": "categories", "notizen": "notes", "webseite": "web page",
        "ort": "location", "büro": "office location",
    },
    "fr": {
        "titre": "title", "prénom": "first name", "deuxième prénom": "middle name", "nom": "last name",
        "suffixe": "suffix", "société": "company", "service": "department", "fonction": "job title",
        "ville (bureau)": "business city", "dép/région (bureau)": "business state",
        "ville (domicile)": "home city", "dép/région (domicile)": "home state", "ville (autre)": "other city",
        "dép/région (autre)": "other state", "téléphone (bureau)": "business phone",
        "téléphone 2 (bureau)": "business phone 2", "téléphone (domicile)": "home phone",
        "téléphone 2 (domicile)": "home phone 2", "tél. mobile": "mobile phone",
        "téléphone (voiture)": "car phone", "téléphone (autre)": "other phone",
        "téléphone principal": "primary phone", "téléphone société": "company main phone",
        "téléphone de l'assistant(e)": "assistant's phone", "récepteur de radiomessagerie": "pager",
        "adresse de messagerie": "e-mail address", "type de messagerie": "e-mail type",
        "nom complet de l'adresse de messagerie": "e-mail display name",
        "adresse de messagerie 2": "e-mail 2 address", "type de messagerie 2": "e-mail 2 type",
        "nom complet de l'adresse de messagerie 2": "e-mail 2 display name",
        "adresse de messagerie 3": "e-mail 3 address", "type de messagerie 3": "e-mail 3 type",
        "nom complet de l'adresse de messagerie 3": "e-mail 3 display name", "anniversaire": "birthday",
        "catégories": "categories", "notes": "notes", "page web": "web page", "emplacement": "location",
        "bureau": "office location",
    },
}  # fmt: skip
_DAY_FIRST_LANGUAGES = frozenset({"de", "fr"})  # their Outlook writes a birthday 06/12/1985 or 6.12.1970


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
    day_first: bool = False  # the header's language writes 06/12/1985 for 6 December

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
    allow_large_fields()  # a long note is valid CSV
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns: dict[str, int] | None = None
    keys: tuple[str, ...] = ()
    width = 0
    day_first = False
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
            header, language = _header_keys(cells)
            for index, key in enumerate(header):
                columns.setdefault(key, index)
            day_first = language in _DAY_FIRST_LANGUAGES
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
        yield read(_Row(columns, keys, cells, day_first), origin)


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
            tag.removeprefix("*").strip()
            for tag in _split(row.get("labels", "group membership"))
            if "".join(tag.removeprefix("*").split()).lower() not in _SYSTEM_GROUPS
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
    notes: list[str] = []
    for slot in ("e-mail", "e-mail 2", "e-mail 3"):
        prefix = "e-mail address" if slot == "e-mail" else f"{slot} address"
        value = row.get(prefix)
        if value and _is_exchange_entry(value, row.get(f"{slot} type")):
            # Exchange entries hold an X.500 path ("/o=ExchangeLabs/ou=...") rather than an address; the display
            # name beside it usually carries the SMTP address: "Grete Weiss (grete.weiss@firma.example)".
            smtp = _smtp_in(row.get(f"{slot} display name"))
            if smtp is None:
                shown = value if len(value) <= 40 else value[:39] + "…"
                notes.append(
                    f"the {slot} address is an Exchange directory entry ({shown!r}), not an email address, and "
                    "its display name holds none; the contact was imported without it"
                )
            value = smtp or ""
        if value:
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
    display = _DISPLAY_ADDRESS.sub("", row.get("e-mail display name"))  # "Jo Doe (jo@x.org)"
    return _draft(
        row,
        origin,
        OUTLOOK,
        # "Name": the single name column of Outlook Express and older Outlook exports.
        names=(full_name, row.get("name"), row.get("nickname"), display if "@" not in display else ""),
        emails=tuple(_dedupe_labeled(emails)),
        phones=tuple(_dedupe_labeled(phones)),
        urls=tuple(_dedupe(row.get(key) for key in ("web page", "personal web page") if row.get(key))),
        organization=row.get("company"),
        title=row.get("job title"),
        location=_outlook_location(row),
        tags=tuple(_dedupe(tag.strip() for tag in row.get("categories").split(";") if tag.strip())),
        notes=tuple(notes),
    )


_DISPLAY_ADDRESS = re.compile(r"\s*\([^()]*@[^()]*\)\s*$")
_SMTP_IN_PARENTHESES = re.compile(r"\(\s*(?:smtp:)?([^()\s@]+@[^()\s@]+\.[^()\s@]+)\s*\)\s*$", re.IGNORECASE)
_SMTP_ALONE = re.compile(r"(?:smtp:)?([^()\s@<>]+@[^()\s@<>]+\.[^()\s@<>]+)", re.IGNORECASE)


def _is_exchange_entry(value: str, kind: str) -> bool:
    """Return whether an Outlook address cell holds an Exchange directory path rather than an email address."""
    return value.startswith("/") or (kind.upper() == "EX" and "@" not in value)


def _smtp_in(display_name: str) -> str | None:
    """Return the SMTP address an Outlook display name carries, in parentheses or as the whole value, or None."""
    match = _SMTP_IN_PARENTHESES.search(display_name) or _SMTP_ALONE.fullmatch(display_name.strip())
    return match.group(1) if match else None


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
    notes: tuple[str, ...] = (),
) -> _Draft | ParseIssue:
    """Return the draft of a contact from its parts, or an issue when it has no name, email or phone.

    The name is the first person's name given, else the organization (a company kept as a contact, as the
    vCard importer does), else the email address, else the phone number. `notes` are details lost on the way,
    reported after the record.
    """
    display = next((" ".join(n.split()) for n in (*names, organization) if n.strip()), "")
    if not (display or emails or phones):
        return ParseIssue(
            origin,
            "the row has no name, organization, email address or phone number, so there is nobody to import; "
            "fill one in or delete the row",
        )
    issues = [ParseIssue(origin, note) for note in notes]
    raw_birthday = row.get("birthday")
    birthday, readable = _birthday(raw_birthday, row.day_first)
    if not readable:
        issues.append(
            ParseIssue(
                origin,
                f"the birthday {raw_birthday!r} is not a date givefirst can read (write it as YYYY-MM-DD); "
                "the contact was imported without it",
            )
        )
    text = row.get("notes").replace("\r\n", "\n").replace("\r", "\n") or None
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
        notes=text,
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


# How Outlook writes "no birthday", in English, German and French.
_NO_DATE = {"0/0/00", "0/0/0000", "00/00/00", "00/00/0000", "0000-00-00", "0.0.00", "0.0.0000", "00.00.0000"}
_MONTH_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y%m%d")


def _birthday(raw: str, day_first: bool = False) -> tuple[date | None, bool]:
    """Return (the birthday, True) from the forms the exports use; (None, True) when absent or yearless.

    Forms: ISO "1979-04-02", yearless "--04-02" (Google), US "4/2/1979", "4/2/79" and "4/2" (Outlook, Google's
    older exports), "2.4.1979" (European Outlook), "April 2, 1979". A slash date is month first, unless
    `day_first` (a French Outlook export: "02/04/1979") or its first number is above 12. (None, False) for
    anything else.
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
    slash = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(?:\d{4}|\d{2})", text)
    if slash and (day_first or int(slash.group(1)) > 12 >= int(slash.group(2))):
        patterns[1] = (patterns[1][0], (3, 2, 1))
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
