"""A vobject card as a ContactRecord: the values of its properties as givefirst keeps them.

`contact_record` makes the contact; the rest reads one kind of value each: texts, labels, emails, phone numbers,
names, birthdays, categories, and addresses.

An address gives a card its location and, through its country, the region the card's numbers written without a
country code are read in. The country is placed at the end of the location, written so that
`identity.region_of_location` (what the import reads numbers by) reads it as the card does: "Berlin, Deutschland";
a country given as an ISO code is spelled out ("Paris, FR" → "Paris, France"), since "Berlin, DE" reads as
Delaware. Country names and codes come from phonenumbers' own tables (its region codes and its country names in
every language it knows), not from a hand-kept list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from email.utils import parseaddr
from functools import lru_cache
from typing import Any, NamedTuple

import vobject

from givefirst.ingest.identity import region_of_location
from givefirst.ingest.records import ContactRecord, Labeled

SOURCE = "vcard"

# TYPE values that say nothing a person would call a label (the network, the preference, the default kind).
_NOT_LABELS = frozenset({"pref", "internet", "voice", "msg", "x400", "text", "8bit", "7bit"})
# Google's system groups, which every contact of an export carries: not tags anyone chose.
_SYSTEM_GROUPS = frozenset({"my contacts", "mycontacts", "starred", "system group: my contacts"})
# Labels of numbers that are not the person's own: an assistant's phone is shared with others and would wrongly
# merge everyone who has that assistant. Faxes (TYPE=fax) are left out too: no way to reach anyone today.
_NOT_PERSONAL_PHONES = frozenset({"assistant", "assistantphone", "x-assistant"})

_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")  # Apple wraps its built-in labels: "_$!<HomePage>!$_"
_FULL_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
_SPACES = re.compile(r"\s+")
_NOT_PHONE_URI = re.compile(r"^(?:sips?|mailto|xmpp|https?):", re.IGNORECASE)


class CardError(Exception):
    """A card that cannot be read; the message says why, as a sentence for the import report."""


def contact_record(card: Any, origin: str, tagged: Mapping[str, tuple[str, ...]]) -> ContactRecord:
    """Return the ContactRecord of a vobject card, or raise CardError when it names nobody.

    `tagged` gives the names of the groups of the file that list the card, by `member_key`.
    """
    labels = {str(line.group).lower(): _ab_label(single(line)) for line in lines_of(card, "x-ablabel") if line.group}
    emails = _dedupe([Labeled(_email(single(line)), _label(line, labels)) for line in lines_of(card, "email")])
    phones = [Labeled(_phone(single(line)), _label(line, labels)) for line in lines_of(card, "tel")]
    phones = [p for p, line in zip(phones, lines_of(card, "tel"), strict=True) if "fax" not in _types(line)]
    phones = _dedupe([phone for phone in phones if phone.label not in _NOT_PERSONAL_PHONES])
    organization = first_of(_org(line.value) for line in lines_of(card, "org"))
    where: Place | None = _place(lines_of(card, "adr"))
    name = (
        first_of(clean(single(line)) for line in lines_of(card, "fn"))
        or first_of(assembled(line.value) for line in lines_of(card, "n"))
        or organization  # a company kept as a contact, as the CSV importer keeps a row with only a company
        or first_of(email.value for email in emails if "@" in email.value)
        # A card with nothing but a number is one a phone saved ("add to contacts" after a call): the user kept
        # it, and a phone shows it as its number, so it is imported named so (as the CSV importer does) rather
        # than lost; another source with the same number later finds it, and the user can name it.
        or first_of(_number_name(phone.value, where.country if where else None) for phone in phones)
    )
    if not name:
        raise CardError(
            "has no name: no FN, N or ORG, no email address and no phone number; add an FN line or remove the card"
        )
    uid = first_of(clean(single(line)) for line in lines_of(card, "uid"))
    keys = [member_key(uid or ""), *(f"email:{email.value.lower()}" for email in emails)]
    groups = [group for key in keys if key for group in tagged.get(key, ())]
    notes = dict.fromkeys("\n".join(single(line).splitlines()).strip() for line in lines_of(card, "note"))
    return ContactRecord(
        source=SOURCE,
        external_id=uid or origin,
        origin=origin,
        name=name,
        emails=tuple(emails),
        phones=tuple(phones),
        urls=tuple(dict.fromkeys(url for line in lines_of(card, "url") if (url := clean(single(line))))),
        organization=organization,
        title=first_of(clean(single(line)) for line in lines_of(card, "title")),
        location=where.location if where else None,
        notes="\n".join(note for note in notes if note) or None,
        birthday=first_of(_birthday(line) for line in lines_of(card, "bday")),
        tags=tuple(dict.fromkeys([*_tags(lines_of(card, "categories")), *groups])),
    )


def lines_of(card: Any, key: str) -> list[Any]:
    """Return a card's content lines of one property, in file order (vobject keys them in lower case)."""
    return list(card.contents.get(key, []))


def first_of(values: Iterable[Any]) -> Any:
    """Return the first value that is neither empty nor None, else None."""
    return next((value for value in values if value), None)


def single(line: Any) -> str:
    """Return a single-valued text property's value; Apple escapes colons ("http\\://"), which vobject keeps."""
    return _text(line.value).replace("\\:", ":")


def _ab_label(raw: str) -> str | None:
    """Return an Apple X-ABLabel as a label: "_$!<HomePage>!$_" → "homepage", "CustomType" → "customtype"."""
    match = _APPLE_LABEL.match(raw.strip())
    label = clean(match.group(1) if match else raw).lower()
    return label or None


def _label(line: Any, labels: dict[str, str | None]) -> str | None:
    """Return a value's label: its group's X-ABLabel (the user's own words), else its first meaningful type."""
    if line.group and labels.get(str(line.group).lower()):
        return labels[str(line.group).lower()]
    return next((kind for kind in _types(line) if kind not in _NOT_LABELS and not kind.isdigit()), None)


def _email(text: str) -> str:
    """Return an email value as written, without a "mailto:" or a display name around it."""
    value = clean(text)
    if value.lower().startswith("mailto:"):
        value = value[len("mailto:") :]
    if "<" in value and ">" in value:
        value = parseaddr(value)[1] or value  # '"Omega" <omega@example.com>' (Android's v2.1 test card)
    return value


def _dedupe(values: list[Labeled]) -> list[Labeled]:
    """Return the non-empty values in order without repeats (compared case-insensitively), first label kept."""
    first: dict[str, Labeled] = {}
    for item in values:
        if item.value:
            first.setdefault(item.value.lower(), item)
    return list(first.values())


def _org(value: Any) -> str | None:
    """Return the first component of an ORG (the organization; the rest are its units)."""
    parts = value if isinstance(value, list) and value else [value]
    return clean(_text(parts[0])) or None


def assembled(value: Any) -> str:
    """Return a name assembled from an N value: prefix, given, additional, family, suffix."""
    if isinstance(value, vobject.vcard.Name):
        parts = [value.prefix, value.given, value.additional, value.family, value.suffix]
        return clean(" ".join(" ".join(_text(q) for q in p) if isinstance(p, list) else _text(p) for p in parts))
    return clean(_text(value).replace(";", " "))


def _birthday(line: Any) -> date | None:
    """Return a BDAY as a date; None for partial dates ("--0415", "1996-04") or a year Apple marks unknown."""
    text = _text(line.value).strip().split("T")[0]
    match = _FULL_DATE.match(text)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if year == 1604 or str(year) in line.params.get("X-APPLE-OMIT-YEAR", []):
        return None  # Apple writes a birthday without a year as 1604-MM-DD, with X-APPLE-OMIT-YEAR=1604
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _tags(lines: list[Any]) -> tuple[str, ...]:
    """Return the CATEGORIES of a card, split at "," (3.0, 4.0) and ";" (2.1), without Google's system groups."""
    values = (value for line in lines for value in (line.value if isinstance(line.value, list) else [line.value]))
    tags = (clean(tag) for value in values for tag in _text(value).split(";"))
    return tuple(dict.fromkeys(tag for tag in tags if tag and tag.lower() not in _SYSTEM_GROUPS))


def member_key(value: str) -> str | None:
    """Return how a member is known: "uid:<UID>" (urn:uuid:<UID>, or a bare UID), "email:<address>" (mailto:).

    UUIDs are compared in lower case: Apple writes them in capitals, other servers in small letters.
    """
    written = clean(value).lower()
    if written.startswith("mailto:"):
        address = written.removeprefix("mailto:")
        return f"email:{address}" if address else None
    uid = written.removeprefix("urn:uuid:")
    return f"uid:{uid}" if uid else None


def _text(value: Any) -> str:
    """Return a property value as text: lists (vobject splits some values) joined back with commas."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, list | tuple):
        return ",".join(_text(item) for item in value)
    return "" if value is None else str(value)


def clean(value: str) -> str:
    """Return text on one line, with single spaces."""
    return _SPACES.sub(" ", value).strip()


def _types(line: Any) -> list[str]:
    """Return a property's types in lower case and file order: TYPE=a,b and TYPE="a,b" (3.0, 4.0), bare (2.1)."""
    written = [*line.params.get("TYPE", []), *line.singletonparams]
    return [kind.strip().lower() for value in written for kind in str(value).split(",") if kind.strip()]


def _is_pref(line: Any) -> bool:
    """Return whether a property is marked preferred (2.1 PREF, 3.0 TYPE=pref, 4.0 PREF=1)."""
    return "pref" in _types(line) or "PREF" in line.params


# --- phone numbers -----------------------------------------------------------------------------------------------


def _phone(value: str) -> str:
    """Return a phone value as written, without a "tel:" scheme; "" for another URI (a SIP address).

    An extension stays as written ("ext. 89", "x89", "#89", RFC 3966's ";ext=89"): the import keeps it in the
    number, since two people behind one switchboard differ only there.
    """
    written = clean(value)
    if written.lower().startswith("tel:"):
        return written[len("tel:") :]
    return "" if _NOT_PHONE_URI.match(written) else written


def _number_name(written: str, region: str | None) -> str:
    """Return a number as a contact's name: formatted for reading when its country is known, else as written.

    "+4915123456789" → "+49 1512 3456789"; "030 1234567" in DE → "+49 30 1234567"; "030 1234567" with no
    region stays as written, since which country's number it is cannot be told.
    """
    import phonenumbers

    international = written.startswith("+")
    if international or region:
        try:
            number = phonenumbers.parse(written, None if international else region)
        except phonenumbers.NumberParseException:
            return written
        if phonenumbers.is_possible_number(number):
            return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))
    return written


# --- addresses ---------------------------------------------------------------------------------------------------


class Place(NamedTuple):
    """Where a card's addresses place the person: a location to show, and its country as a region code."""

    location: str
    country: str | None  # ISO 3166 alpha-2 ("DE"), when the address names a country givefirst knows


def _place(lines: list[Any]) -> Place | None:
    """Return where a card's addresses place the person: "City, Region, Country", else the country, else a street.

    An address naming a city or region wins over one naming only a country, which wins over a bare street;
    among equals the preferred one (PREF, TYPE=pref, PREF=1) wins, then the first. The country is left out
    where the city and region already name it ("Tampa, FL", "Toronto, ON"): it would only repeat them.
    """
    best: tuple[int, int, int, Place] | None = None
    for index, line in enumerate(lines):
        address = line.value
        if not isinstance(address, vobject.vcard.Address):
            continue
        written = _joined(address.country)
        code = _country_code(written)
        country = _country_name(written, code)
        town = _joined(address.city, address.region)
        if town:
            known = code is not None and region_of_location(town) == code
            found = Place(town if known or not country else _joined(town, country), code)
        elif country:
            found = Place(country, code)
        else:
            found = Place(_joined(address.box, address.extended, address.street, address.code), None)
        if not found.location:
            continue
        rank = 0 if town else 1 if country else 2
        key = (rank, 0 if _is_pref(line) else 1, index, found)
        best = key if best is None or key[:3] < best[:3] else best
    return best[3] if best else None


def _country_code(written: str) -> str | None:
    """Return the region code of a country as an address writes it: "Deutschland", "United Kingdom", "FR" → code."""
    import phonenumbers

    name = clean(written.replace(",", " "))
    if not name:
        return None
    letters = name.replace(".", "").upper()
    if len(letters) == 2 and letters in phonenumbers.SUPPORTED_REGIONS:  # an ISO 3166 code: "DE", "GB", "U.S."
        return letters
    if name.casefold().startswith("the "):  # "The Netherlands", "The Bahamas"
        name = name[4:]
    return region_of_location(name)


def _country_name(written: str, code: str | None) -> str:
    """Return a country as a location ends with it: as written when that reads as the same country, else its
    English name ("DE" → "Germany"); unknown ones as written."""
    if code is None or region_of_location(f"x, {written}") == code:
        return written
    return _english_name(code) or written


@lru_cache(maxsize=256)
def _english_name(code: str) -> str | None:
    from phonenumbers.geodata.locale import LOCALE_DATA

    name = LOCALE_DATA.get(code, {}).get("aa", "")  # "aa": the English names in phonenumbers' tables
    return name if name and not name.startswith("*") else None


def _joined(*parts: Any) -> str:
    """Return address parts joined with ", ", each part's own lines too ("Street 4\\nBuilding 6")."""
    lines = (clean(line) for part in parts for line in _text(part).splitlines())
    return ", ".join(line for line in lines if line)
