"""Google and Outlook contact CSVs in the forms real exports take: Outlook in German and French, Outlook Express's
single Name column, Exchange entries instead of addresses, companies without a person, Google's own labels in
both layouts, and notes longer than the csv module reads by default. Every sample is written here."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from givefirst.ingest.contacts_csv import parse_contacts_csv, parse_google_csv, parse_outlook_csv, sniff_contacts_csv
from givefirst.ingest.records import ContactRecord, Labeled, ParseIssue, Record, UnreadableFileError
from tests.conftest import Cli


def _contacts(records: list[Record]) -> list[ContactRecord]:
    return [r for r in records if isinstance(r, ContactRecord)]


def _issues(records: list[Record]) -> list[ParseIssue]:
    return [r for r in records if isinstance(r, ParseIssue)]


# --- Outlook in German and French ---------------------------------------------------------------------------

GERMAN = (
    '"Anrede","Vorname","Weitere Vornamen","Nachname","Suffix","Firma","Abteilung","Position",'
    '"Ort geschäftlich","Region geschäftlich","Telefon geschäftlich","Telefon privat","Mobiltelefon",'
    '"Telefon Assistent","E-Mail-Adresse","E-Mail-Typ","E-Mail: Angezeigter Name","E-Mail 2: Adresse",'
    '"E-Mail 2: Typ","E-Mail 2: Angezeigter Name","Geburtstag","Kategorien","Notizen","Webseite"\r\n'
    '"Herr","Jürgen","","Müller","","Müller & Söhne GmbH","","Geschäftsführer","München","Bayern",'
    '"089 1234567","","+49 171 1234567","089 7654321","j.mueller@example.de","SMTP",'
    '"Jürgen Müller (j.mueller@example.de)","","","","6.12.1970","Kunden;Bayern","Trifft man auf der Messe.\r\n'
    'Zweite Zeile.",""\r\n'
    '"","Grete","","Weiß","","","","","","","","","","","/o=ExchangeLabs/ou=Exchange Administrative Group '
    '(FYDIBOHF23SPDLT)/cn=Recipients/cn=4b1f6c-gweiss","EX","Grete Weiß (grete.weiss@firma.example)","","","",'
    '"0.0.00","","",""\r\n'
)
FRENCH = (
    '"Titre";"Prénom";"Deuxième prénom";"Nom";"Suffixe";"Société";"Service";"Fonction";"Ville (bureau)";'
    '"Dép/Région (bureau)";"Téléphone (bureau)";"Téléphone (domicile)";"Tél. mobile";"Adresse de messagerie";'
    '"Type de messagerie";"Nom complet de l\'adresse de messagerie";"Adresse de messagerie 2";"Anniversaire";'
    '"Catégories";"Notes";"Page Web"\r\n'
    '"M.";"François";"";"Lefèvre";"";"Société Générale";"";"Analyste";"Paris";"";"";"";"06 12 34 56 78";'
    '"f.lefevre@example.fr";"SMTP";"";"";"06/12/1985";"Clients";"";""\r\n'
    '"";"Anaïs";"";"Dubois";"";"";"";"";"";"";"";"";"";"anais@example.fr";"";"";"";"31/01/1990";"";"";""\r\n'
)


def _expected(name: str, **fields: object) -> ContactRecord:
    return ContactRecord(source="outlook", external_id="", origin="", name=name, **fields)  # type: ignore[arg-type]


GERMAN_EXPECTED = [
    _expected(
        "Jürgen Müller",
        emails=(Labeled("j.mueller@example.de"),),
        phones=(Labeled("089 1234567", "business"), Labeled("+49 171 1234567", "mobile")),
        organization="Müller & Söhne GmbH",
        title="Geschäftsführer",
        location="München, Bayern",
        notes="Trifft man auf der Messe.\nZweite Zeile.",
        birthday=date(1970, 12, 6),
        tags=("Kunden", "Bayern"),
    ),
    _expected("Grete Weiß", emails=(Labeled("grete.weiss@firma.example"),)),  # the SMTP address of an EX entry
]
FRENCH_EXPECTED = [
    _expected(
        "François Lefèvre",
        emails=(Labeled("f.lefevre@example.fr"),),
        phones=(Labeled("06 12 34 56 78", "mobile"),),
        organization="Société Générale",
        title="Analyste",
        location="Paris",
        birthday=date(1985, 12, 6),  # French Outlook writes the day first
        tags=("Clients",),
    ),
    _expected("Anaïs Dubois", emails=(Labeled("anais@example.fr"),), birthday=date(1990, 1, 31)),
]


def _without_ids(records: list[Record]) -> list[Record]:
    import dataclasses

    return [dataclasses.replace(r, external_id="", origin="") if isinstance(r, ContactRecord) else r for r in records]


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (GERMAN, "cp1252", GERMAN_EXPECTED),
        (GERMAN.replace('","', '";"'), "cp1252", GERMAN_EXPECTED),  # a semicolon-separated German export
        (GERMAN, "utf-16", GERMAN_EXPECTED),
        (FRENCH, "cp1252", FRENCH_EXPECTED),
        (FRENCH.replace('";"', '","'), "utf-8", FRENCH_EXPECTED),
    ],
)
def test_german_and_french_outlook_exports_are_read(text: str, encoding: str, expected: list[Record]) -> None:
    data = text.encode(encoding)
    assert sniff_contacts_csv(data) == "outlook"
    records = list(parse_outlook_csv(data, "kontakte.csv"))
    assert _without_ids(records) == expected
    assert list(parse_contacts_csv(data, "kontakte.csv")) == records


def test_a_linkedin_header_is_not_taken_for_german_outlook() -> None:
    # "Position" is a German Outlook column, and a LinkedIn one: one shared word does not make a language.
    linkedin = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\nAna,Ruiz,,,,,\n"
    assert sniff_contacts_csv(linkedin) is None


def test_an_export_in_another_language_is_named_as_such() -> None:
    spanish = ",".join(f'"Columna {n}"' for n in range(30)) + "\n" + ",".join('""' for _ in range(30)) + "\n"
    with pytest.raises(UnreadableFileError, match=r"^es\.csv: the first row is not the header .*language") as error:
        parse_contacts_csv(spanish.encode(), "es.csv")
    assert "English, German and French" in str(error.value)
    with pytest.raises(UnreadableFileError) as narrow:
        parse_contacts_csv(b"a,b,c\n1,2,3\n", "x.csv")
    assert "language" not in str(narrow.value)  # three columns are no contact export in any language


# --- Outlook: Exchange entries, Outlook Express, companies --------------------------------------------------

EXCHANGE_HEADER = '"First Name","Last Name","E-mail Address","E-mail Type","E-mail Display Name"\n'
DN = "/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=4b1f6c-gweiss"


@pytest.mark.parametrize(
    ("display", "email"),
    [
        ("Grete Weiss (grete.weiss@firma.example)", "grete.weiss@firma.example"),
        ("grete.weiss@firma.example", "grete.weiss@firma.example"),
        ("Grete Weiss (SMTP:grete.weiss@firma.example)", "grete.weiss@firma.example"),
    ],
)
def test_an_exchange_entry_gives_the_address_its_display_name_carries(display: str, email: str) -> None:
    data = (EXCHANGE_HEADER + f'"Grete","Weiss","{DN}","EX","{display}"\n').encode()
    (record,) = parse_outlook_csv(data, "o.csv")
    assert isinstance(record, ContactRecord)
    assert (record.name, record.emails, record.external_id) == ("Grete Weiss", (Labeled(email),), f"o.csv#{email}")


def test_an_exchange_entry_without_an_address_is_warned_about() -> None:
    data = (EXCHANGE_HEADER + f'"Grete","Weiss","{DN}","EX","Grete Weiss"\n').encode()
    record, issue = parse_outlook_csv(data, "o.csv")
    assert isinstance(record, ContactRecord) and record.emails == ()
    assert isinstance(issue, ParseIssue) and issue.origin == "o.csv:2"
    assert issue.reason.startswith("the e-mail address is an Exchange directory entry ('/o=ExchangeLabs/")
    assert issue.reason.endswith("the contact was imported without it")


def test_outlook_express_names_people_from_its_name_column() -> None:
    data = (
        b"Name,E-mail Address,Home Street,Home City,Home Postal Code,Home State,Home Country/Region,Home Phone,"
        b"Business Phone,Company,Job Title\n"
        b'"Kim, Lee",kim.lee@example.com,,,,,,,,Lee Corp,Founder\n'
        b"Tran Van Duc,duc@example.vn,,,,,,,,,\n"
    )
    assert sniff_contacts_csv(data) == "outlook"
    records = list(parse_outlook_csv(data, "oe.csv"))
    assert [(r.name, r.organization) for r in _contacts(records)] == [("Kim, Lee", "Lee Corp"), ("Tran Van Duc", None)]
    assert _issues(records) == []


def test_a_company_without_a_person_is_named_after_the_company() -> None:
    google = (
        "First Name,Last Name,Organization Name,Labels,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value\n"
        ",,Acme Plumbing,* myContacts,,Work,(813) 555-0100\n"
        ",,Harbor Bank,Clients,,,\n"
        ",,,,,Mobile,+1 407 555 0190\n"  # nothing but a phone: still named after it
    )
    records = list(parse_google_csv(google.encode(), "g.csv"))
    assert [(r.name, r.organization, r.external_id) for r in _contacts(records)] == [
        ("Acme Plumbing", "Acme Plumbing", "g.csv#acme plumbing|acme plumbing"),
        ("Harbor Bank", "Harbor Bank", "g.csv#harbor bank|harbor bank"),
        ("+1 407 555 0190", None, "g.csv#+1 407 555 0190"),
    ]
    outlook = b'"First Name","Last Name","Company","Business Phone"\n"","","Joe\'s Garage","555-0199"\n'
    (record,) = parse_outlook_csv(outlook, "o.csv")
    assert isinstance(record, ContactRecord) and (record.name, record.organization) == ("Joe's Garage", "Joe's Garage")


def test_a_row_with_nothing_at_all_is_still_refused() -> None:
    data = b"First Name,Last Name,Organization Name,Labels,E-mail 1 - Value\n,,,Clients,\n"
    (issue,) = parse_google_csv(data, "g.csv")
    assert isinstance(issue, ParseIssue) and "no name, organization, email address or phone number" in issue.reason


# --- Google's own labels ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "labels", "tags"),
    [
        ("Labels", "* myContacts ::: * starred ::: Florida", ("Florida",)),  # the current layout
        ("Group Membership", "* My Contacts ::: * Starred ::: Familie", ("Familie",)),  # the older layout
        ("Group Membership", "* My Contacts", ()),
        ("Group Membership", "System Group: My Contacts ::: * Friends", ("Friends",)),
    ],
)
def test_googles_own_labels_are_not_tags(header: str, labels: str, tags: tuple[str, ...]) -> None:
    data = f"Name,Given Name,{header},E-mail 1 - Value\nAna Ruiz,Ana,{labels},ana@example.com\n".encode()
    (record,) = parse_google_csv(data, "g.csv")
    assert isinstance(record, ContactRecord) and record.tags == tags


# --- long fields --------------------------------------------------------------------------------------------


def test_a_note_longer_than_128_kb_is_imported() -> None:
    note = "A very long note. " * 10_000  # 180 KB: above the csv module's default field limit
    data = f'First Name,Last Name,Notes,E-mail 1 - Value\nAnn,Big,"{note}",ann@example.com\nBob,Ok,,bob@example.com\n'
    records = list(parse_google_csv(data.encode(), "g.csv"))
    assert [r.name for r in _contacts(records)] == ["Ann Big", "Bob Ok"] and _issues(records) == []
    assert _contacts(records)[0].notes == note.strip()


# --- through the command line -------------------------------------------------------------------------------


def test_the_cli_imports_a_german_export_and_names_companies(cli: Cli, tmp_path: Path) -> None:
    assert cli("init", "--name", "Chris Aldana").code == 0
    german = tmp_path / "kontakte.csv"
    german.write_bytes(GERMAN.replace('","', '";"').encode("cp1252"))
    outlook = tmp_path / "outlook.csv"
    outlook.write_bytes(b'"First Name","Last Name","Company","Business Phone"\n"","","Joe\'s Garage","555-0199"\n')
    result = cli("import", "csv", str(german), str(outlook), "--json")
    assert result.code == 0, result.out + result.err
    report = json.loads(result.out)
    assert [f["failed"] for f in report["files"]] == [False, False] and report["totals"]["added"] == 3
    people = json.loads(cli("people", "--json").out)
    assert sorted(p["name"] for p in people) == ["Grete Weiß", "Joe's Garage", "Jürgen Müller"]
