"""vCard forms real address books write: an address's country, contact groups, extensions, number-only cards.

Every card here is written by hand in the shape its exporter uses (Apple Contacts/iCloud, Google, Outlook,
Nextcloud/DAVx5, Thunderbird, Android); the import tests run on a real database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from givefirst.ingest.identity import read_phone, region_of_location
from givefirst.ingest.records import ContactRecord, ParseIssue, Record
from givefirst.ingest.vcard import parse_vcards
from givefirst.services.context import App
from givefirst.services.importer import import_paths
from givefirst.services.people import PersonInput, set_me
from givefirst.store import people as people_store
from givefirst.store.schema import identities, people


def _card(*lines: str, version: str = "3.0") -> str:
    """Return one card made of the given lines, CRLF-terminated."""
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""])


def _parse(*cards: str, name: str = "book.vcf") -> list[Record]:
    return list(parse_vcards("".join(cards).encode("utf-8"), name))


def _one(*lines: str, version: str = "3.0") -> ContactRecord:
    (record,) = _parse(_card(*lines, version=version))
    assert isinstance(record, ContactRecord), record
    return record


def _import(app: App, tmp_path: Path, *cards: str) -> dict[str, Any]:
    path = tmp_path / "contacts.vcf"
    path.write_bytes("".join(cards).encode("utf-8"))
    report = import_paths(app, "vcard", [str(path)])
    return report.as_dict()


def _phones(app: App) -> dict[str, set[str]]:
    """Return {person name: their phone identities} for everyone but the user."""
    with app.begin() as conn:
        me = app.me(conn)
        query = select(people.c.name, identities.c.value).join(identities, identities.c.person_id == people.c.id)
        query = query.where(identities.c.kind == "phone", people.c.merged_into_id.is_(None), people.c.id != me)
        found: dict[str, set[str]] = {}
        for name, value in conn.execute(query):
            found.setdefault(str(name), set()).add(str(value))
        return found


# --- 1. the country of an address -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("adr", "expected"),
    [
        ("ADR;TYPE=home:;;Hauptstr. 5;Berlin;;10115;Deutschland", "Berlin, Deutschland"),  # Apple, German UI
        ("ADR;TYPE=WORK:;;1 Poultry;London;;EC2R 8AH;United Kingdom", "London, United Kingdom"),  # Google
        ("ADR;TYPE=home:;;12 rue de Rivoli;Paris;;75001;FR", "Paris, France"),  # an ISO code: spelled out
        ("ADR:;;Unter den Linden 1;Berlin;;10117;DE", "Berlin, Germany"),  # "Berlin, DE" would read as Delaware
        ("ADR;TYPE=home:;;;Pune;Maharashtra;411001;India", "Pune, Maharashtra, India"),
        ("ADR;TYPE=WORK:;;1 Main St;Tampa;FL;33602;USA", "Tampa, FL"),  # the state already says the country
        ("ADR;TYPE=WORK:;;1 Main St;Toronto;ON;M5V 2T6;Canada", "Toronto, ON"),
        ("ADR;TYPE=home:;;;;;;DE", "Germany"),
        ("ADR;TYPE=home:;;;Springfield;;;Freedonia", "Springfield, Freedonia"),  # unknown: kept as written
    ],
)
def test_the_address_country_is_part_of_the_location(adr: str, expected: str) -> None:
    record = _one("FN:Ana Lima", adr)
    assert record.location == expected


@pytest.mark.parametrize(
    ("adr", "tel", "number"),
    [
        ("ADR;TYPE=home:;;Hauptstr. 5;Berlin;;10115;Deutschland", "030 1234567", "+49301234567"),
        ("ADR:;;Unter den Linden 1;Berlin;;10117;DE", "030 1234567", "+49301234567"),
        ("ADR;TYPE=WORK:;;1 Poultry;London;;EC2R 8AH;United Kingdom", "020 7946 0018", "+442079460018"),
        ("ADR;TYPE=home:;;12 rue de Rivoli;Paris;;75001;France", "01 23 45 67 89", "+33123456789"),
    ],
)
def test_national_numbers_are_read_in_the_country_of_the_address(adr: str, tel: str, number: str) -> None:
    record = _one("FN:Ana Lima", adr, f"TEL;TYPE=CELL:{tel}")
    assert read_phone(record.phones[0].value, region_of_location(record.location)).value == number


def test_an_import_reads_each_card_in_its_own_country_not_the_users(app: App, tmp_path: Path) -> None:
    set_me(app, PersonInput(name="Dana Whitfield", location="Tampa, FL"))  # the user's region: US
    _import(
        app,
        tmp_path,
        _card("FN:Jonas Becker", "ADR;TYPE=home:;;Hauptstr. 5;Berlin;;10115;Deutschland", "TEL;TYPE=CELL:030 1234567"),
        _card("FN:Olivia Hughes", "item1.ADR:;;1 Poultry;London;;EC2R 8AH;United Kingdom", "TEL:020 7946 0018"),
        _card("FN:Marcus Reed", "TEL;TYPE=WORK:(212) 555-0147"),  # no address: the user's region
    )
    assert _phones(app) == {
        "Jonas Becker": {"+49301234567"},
        "Olivia Hughes": {"+442079460018"},
        "Marcus Reed": {"+12125550147"},
    }


# --- 2. contact groups ------------------------------------------------------------------------------------------

_MEMBER_A = "8A3E1F2C-5B7D-4E1A-9C3B-2F6D8E0A1B4C"
_MEMBER_B = "d2b7c9e4-1f3a-4c8e-b5d6-7a9f0e1c2b3d"


def _apple_group() -> str:
    return _card(
        "PRODID:-//Apple Inc.//iOS 17.4//EN",
        "N:Book Club;;;;",
        "FN:Book Club",
        "X-ADDRESSBOOKSERVER-KIND:group",
        f"X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:{_MEMBER_A}",
        f"X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:{_MEMBER_B.upper()}",
        "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:00000000-0000-0000-0000-000000000000",  # not in this file
        "UID:5F1C2D3E-4A5B-6C7D-8E9F-0A1B2C3D4E5F",
    )


def _members() -> list[str]:
    return [
        _card("N:Becker;Jonas;;;", "FN:Jonas Becker", "EMAIL;TYPE=INTERNET:jonas@example.de", f"UID:{_MEMBER_A}"),
        _card("FN:Priya Nair", "CATEGORIES:Friends", f"UID:urn:uuid:{_MEMBER_B}", version="4.0"),
        _card("FN:Tom Outsider", "EMAIL:tom@example.com", "UID:other-1"),
    ]


def test_an_apple_group_is_no_person_and_tags_its_members_wherever_it_stands() -> None:
    for cards in ([_apple_group(), *_members()], [*_members(), _apple_group()]):
        records = _parse(*cards)
        issues = [r for r in records if isinstance(r, ParseIssue)]
        contacts = {r.name: r for r in records if isinstance(r, ContactRecord)}
        assert set(contacts) == {"Jonas Becker", "Priya Nair", "Tom Outsider"}
        (issue,) = issues
        lines = "".join(cards).split("\r\n")
        line = lines.index("PRODID:-//Apple Inc.//iOS 17.4//EN") - 1  # the BEGIN:VCARD above it, counted from 1
        assert issue.origin == f"book.vcf:{line}"
        assert "contact group" in issue.reason and "not a person" in issue.reason and "Book Club" in issue.reason
        assert contacts["Jonas Becker"].tags == ("Book Club",)
        assert contacts["Priya Nair"].tags == ("Friends", "Book Club")
        assert contacts["Tom Outsider"].tags == ()


def test_a_vcard4_kind_group_is_no_person() -> None:
    records = _parse(
        _card(
            "KIND:group",
            "FN:Hiking",
            f"MEMBER:urn:uuid:{_MEMBER_A}",
            "MEMBER:mailto:sam@example.org",
            "UID:urn:uuid:9b1f7a3c-0000-4000-8000-000000000001",
            version="4.0",
        ),
        _card("FN:Jonas Becker", f"UID:urn:uuid:{_MEMBER_A.lower()}", version="4.0"),
        _card("FN:Sam Okafor", "EMAIL;TYPE=work:Sam@Example.org", version="4.0"),
        name="nextcloud.vcf",
    )
    assert isinstance(records[0], ParseIssue) and records[0].origin == "nextcloud.vcf:1"
    assert "card #1 is a contact group" in records[0].reason
    assert [(r.name, r.tags) for r in records[1:] if isinstance(r, ContactRecord)] == [
        ("Jonas Becker", ("Hiking",)),
        ("Sam Okafor", ("Hiking",)),
    ]


def test_an_unnamed_group_without_members_is_skipped_too() -> None:
    (issue,) = _parse(_card("X-ADDRESSBOOKSERVER-KIND:group", "UID:g1"))
    assert isinstance(issue, ParseIssue)
    assert issue.reason == "card #1 is a contact group, not a person; skipped"


def test_an_org_card_is_a_company_contact() -> None:
    # vCard 4's KIND:org is a company, which givefirst keeps as a contact named after it (as ORG alone was).
    record = _one("KIND:org", "FN:Acme GmbH", "ORG:Acme GmbH", "TEL;TYPE=work:+49 30 9876543", version="4.0")
    assert (record.name, record.organization) == ("Acme GmbH", "Acme GmbH")


def test_an_import_makes_no_person_of_a_group(app: App, tmp_path: Path) -> None:
    report = _import(app, tmp_path, _apple_group(), *_members())
    with app.begin() as conn:
        names = {str(row.name): row.id for row in conn.execute(select(people.c.name, people.c.id))}
        assert "Book Club" not in names
        assert people_store.tags_of(conn, names["Jonas Becker"]) == ["book-club"]
        assert people_store.tags_of(conn, names["Priya Nair"]) == ["book-club", "friends"]
    (unit,) = report["files"]
    assert unit["counts"]["added"] == 3 and unit["counts"]["skipped"] == 1
    assert [note["origin"] for note in unit["skipped"]] == [f"{tmp_path / 'contacts.vcf'}:1"]


# --- 3. extensions ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "version"),
    [
        ("TEL;TYPE=WORK,VOICE:+1 212 555 0147 ext. 89", "3.0"),  # Google, Apple
        ("TEL;VALUE=uri;TYPE=work:tel:+1-212-555-0147;ext=89", "4.0"),  # RFC 6350, Nextcloud
        ("TEL;WORK;VOICE:+1 (212) 555-0147 x89", "2.1"),  # Outlook
        ("TEL;TYPE=work:+1 212 555 0147 #89", "3.0"),  # Android
    ],
)
def test_an_extension_is_kept_in_the_number(line: str, version: str) -> None:
    record = _one("FN:Sam Ortiz", line, version=version)
    assert read_phone(record.phones[0].value, None).value == "+12125550147;ext=89"
    assert read_phone(record.phones[0].value, "US").value == "+12125550147;ext=89"


def test_a_national_number_keeps_its_extension() -> None:
    assert read_phone("(212) 555-0147 ext. 89", "US").value == "+12125550147;ext=89"
    assert read_phone("212-555-0147;ext=89", None).value == "212-555-0147;ext=89"  # no region: as written


def test_two_people_behind_one_switchboard_are_not_merged(app: App, tmp_path: Path) -> None:
    _import(
        app,
        tmp_path,
        _card("FN:Sam Ortiz", "TEL;TYPE=WORK:+1 212 555 0147 ext. 89"),
        _card("FN:Lee Park", "TEL;VALUE=uri;TYPE=work:tel:+1-212-555-0147;ext=90", version="4.0"),
        _card("FN:Sam Ortiz", "EMAIL:sam@example.com", "TEL;TYPE=work:+1 (212) 555-0147 x89", "UID:sam-2"),
        _card("FN:Front Desk", "ORG:Ortiz & Park LLP", "TEL;TYPE=work:+1 212 555 0147"),
    )
    assert _phones(app) == {
        "Sam Ortiz": {"+12125550147;ext=89"},  # the same extension, written two ways: one person
        "Lee Park": {"+12125550147;ext=90"},
        "Front Desk": {"+12125550147"},
    }


# --- 4. cards with a number and no name -------------------------------------------------------------------------


def test_a_card_with_an_organization_and_a_number_is_named_after_the_organization() -> None:
    record = _one("N:;;;;", "FN:", "ORG:Dr. Weber Zahnarztpraxis;", "TEL;TYPE=WORK:030 2345678")
    assert (record.name, record.organization) == ("Dr. Weber Zahnarztpraxis", "Dr. Weber Zahnarztpraxis")


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        (["TEL;TYPE=CELL:+49 151 23456789"], "+49 1512 3456789"),
        (["N:;;;;", "TEL;TYPE=CELL:+4915123456789"], "+49 1512 3456789"),  # formatted to be read
        (["TEL;TYPE=CELL:030 1234567", "ADR:;;;Berlin;;;Deutschland"], "+49 30 1234567"),  # its country known
        (["TEL;TYPE=CELL:(212)  555-0147"], "(212) 555-0147"),  # no country known: as written
        (["TEL;TYPE=WORK:+1 212 555 0147 ext. 89"], "+1 212-555-0147 ext. 89"),
    ],
)
def test_a_card_with_only_a_number_is_named_after_it(lines: list[str], name: str) -> None:
    record = _one(*lines, "UID:android-42")
    assert record.name == name
    assert record.phones and record.external_id == "android-42"


def test_a_card_with_nothing_to_reach_anyone_by_is_still_an_issue() -> None:
    (issue,) = _parse(_card("NOTE:call back about the flat", "TEL;TYPE=FAX:030 1234567"))
    assert isinstance(issue, ParseIssue)
    assert issue.origin == "book.vcf:1"
    assert "no FN, N or ORG" in issue.reason and "phone number" in issue.reason
