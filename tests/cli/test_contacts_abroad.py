"""A new user outside the US, through the real entry point: regions, whole names, character sets, LinkedIn ads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_errors import one_line_error
from tests.cli.test_user_story import ok
from tests.conftest import Cli

TESTS = Path(__file__).resolve().parents[1]
INDIA = str(TESTS / "services" / "data" / "google-contacts-india.csv")
OUTLOOK_VCARD = str(TESTS / "ingest" / "data" / "vcard" / "outlook-21-cp1252.vcf")
ADS_2018 = str(TESTS / "ingest" / "data" / "linkedin" / "ads-2018")


def phones_of(cli: Cli, who: str) -> list[str]:
    phones: list[str] = json.loads(ok(cli("show", who, "--json")).out)["phones"]
    return sorted(phones)


def test_an_indian_address_book_reads_indian_numbers_and_whole_names(cli: Cli) -> None:
    ok(cli("init", "--name", "Kavita Rao", "--location", "Pune, India"))
    out = ok(cli("import", "google", INDIA)).out
    assert "people — 7 added, 1 matched by email, phone or profile" in out
    assert "unchanged" not in out  # a first import has nothing unchanged
    assert '5 phone numbers had no country code and were read as IN numbers (from your location "Pune, India")' in out
    assert phones_of(cli, "PRIYA RAMAKRISHNAN IYER") == ["+919876543210"]
    assert phones_of(cli, "SURESH BABU V") == ["+912223456789"]
    shown = ok(cli("show", "NGUYEN THI MINH ANH")).out  # the whole name, in capitals, finds her
    assert shown.startswith("NGUYEN THI MINH ANH  · id")
    assert ok(cli("show", "Rahul Menon MBA")).out.startswith("RAHUL MENON, MBA  · id")  # credentials shown
    assert [p["name"] for p in json.loads(ok(cli("people", "-s", "thi minh", "--json")).out)] == ["NGUYEN THI MINH ANH"]


def test_without_a_region_numbers_are_kept_and_init_region_sets_it(cli: Cli, tmp_path: Path) -> None:
    ok(cli("init", "--name", "Kavita Rao"))
    first = ok(cli("import", "google", INDIA)).out
    assert "5 phone numbers had no country code and no region is known, so they were kept as written" in first
    assert "givefirst init --region" in first
    assert phones_of(cli, "SURESH BABU V") == ["022 2345 6789"]  # not +1 022…: no country invented
    said = ok(cli("init", "--region", "India")).out
    config = tmp_path / "config" / "givefirst" / "config.toml"
    assert f"Phone numbers without a country code will be read as IN (saved in {config})" in said
    assert config.read_text(encoding="utf-8") == 'default_region = "IN"\n'
    again = ok(cli("import", "google", INDIA)).out
    assert "were read as IN numbers (from your setting default_region)" in again
    assert phones_of(cli, "SURESH BABU V") == ["+912223456789"]
    assert len(json.loads(ok(cli("people", "--json")).out)) == 7  # the two Priyas are one person now


def test_init_region_keeps_the_rest_of_the_config_and_refuses_nonsense(cli: Cli, tmp_path: Path) -> None:
    config = tmp_path / "config" / "givefirst" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('default_region = "US"\n[plan]\nsize = 5\n', encoding="utf-8")
    ok(cli("init", "--region", "gb"))
    assert config.read_text(encoding="utf-8") == 'default_region = "GB"\n[plan]\nsize = 5\n'
    assert "unknown region 'Atlantis'" in one_line_error(cli("init", "--region", "Atlantis"), 2)


def test_an_outlook_vcard_in_windows_1252_imports(cli: Cli) -> None:
    out = ok(cli("import", "vcard", OUTLOOK_VCARD)).out
    assert "people — 2 added" in out
    amelie = json.loads(ok(cli("show", "Amélie Côté", "--json")).out)
    assert amelie["organization"] == "Société Générale des Bières"


def test_encoding_names_the_character_set_of_a_whole_file(cli: Cli, tmp_path: Path) -> None:
    card = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Müller;Jürgen\r\nFN:Jürgen Müller\r\nEMAIL:jm@example.de\r\nEND:VCARD\r\n"
    vcf = tmp_path / "outlook.vcf"
    vcf.write_bytes(card.encode("cp1252"))  # no CHARSET parameter at all: only the user knows
    refused = cli("import", "vcard", str(vcf))
    assert refused.code == 1 and "--encoding cp1252" in refused.out
    ok(cli("import", "vcard", str(vcf), "--encoding", "cp1252"))
    assert json.loads(ok(cli("show", "jm@example.de", "--json")).out)["name"] == "Jürgen Müller"
    outlook = tmp_path / "outlook.csv"  # a Russian Outlook saves its CSV in Windows-1251
    outlook.write_bytes('"First Name","Last Name","E-mail Address","Business Phone"\r\n'
                        '"Ольга","Смирнова","olga@example.ru","+7 495 123-45-67"\r\n'.encode("cp1251"))  # fmt: skip
    ok(cli("import", "outlook", str(outlook), "--encoding", "cp1251"))
    assert json.loads(ok(cli("show", "olga@example.ru", "--json")).out)["name"] == "Ольга Смирнова"
    assert "unknown character set 'klingon'" in one_line_error(
        cli("import", "vcard", str(vcf), "--encoding", "klingon"), 2
    )
    assert "--encoding is for contact files" in one_line_error(
        cli("import", "ics", str(vcf), "--encoding", "cp1252"), 2
    )


def test_linkedin_advertisers_are_skipped_and_reported(cli: Cli) -> None:
    out = ok(cli("import", "linkedin", ADS_2018)).out
    assert "people — 3 added" in out  # Arjun, Sneha (connections) and Rohan (answered)
    assert "5 skipped" in out
    assert "sponsored message or company page (no profile, not a connection, never written to): GoDaddy" in out
    names = {p["name"] for p in json.loads(ok(cli("people", "--json")).out)}
    assert names == {"Arjun Mehta", "Sneha Kulkarni", "Rohan Das"}


def test_counts_are_in_good_english(cli: Cli) -> None:
    ok(cli("add", "Ana Ruiz"))
    ok(cli("edit", "Ana Ruiz", "--tier", "close"))  # one old meeting is a weak tie: due only when you say it matters
    ok(cli("log", "Ana Ruiz", "--kind", "meeting", "--on", "2026-01-05", "-m", "Coffee"))
    today = ok(cli("today")).out
    assert "— 1 thing to do for your network" in today and "things" not in today
    assert "last real contact 11 months ago" in today
    imported = ok(cli("import", "vcard", OUTLOOK_VCARD)).out
    assert "from 1 file:" in imported and "0 warnings" in imported


def test_a_region_in_the_config_file_must_be_a_country(cli: Cli, tmp_path: Path) -> None:
    config = tmp_path / "config" / "givefirst" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('default_region = "India"\n', encoding="utf-8")
    assert "default_region must be a two-letter country code" in one_line_error(cli("people"), 2)
    config.write_text('default_region = "in"\n', encoding="utf-8")
    ok(cli("add", "Arjun Mehta", "-p", "98765 43210"))
    assert phones_of(cli, "Arjun Mehta") == ["+919876543210"]


def test_a_local_number_typed_in_without_a_known_region_is_refused_with_advice(cli: Cli) -> None:
    line = one_line_error(cli("add", "Arjun Mehta", "-p", "98765 43210"), 2)
    assert "has no country code and your region is not known" in line and "givefirst init --region" in line
    ok(cli("add", "Arjun Mehta", "-p", "+91 98765 43210"))


def test_a_new_user_s_linkedin_exports_and_indian_address_book_make_the_people_a_human_counts(cli: Cli) -> None:
    from tests.conftest import SHARED

    formats = SHARED / "formats"
    if not (formats / "linkedin-2018").is_dir() or not (formats / "linkedin-2022").is_dir():
        pytest.skip("the shared format samples are not here")
    ok(cli("init", "--name", "Kavita Rao", "--location", "Pune, India"))
    for export in (formats / "linkedin-2018", formats / "linkedin-2022", Path(ADS_2018)):
        ok(cli("import", "linkedin", str(export)))
    ok(cli("import", "google", INDIA))
    people = json.loads(ok(cli("people", "--json")).out)
    names = sorted(p["name"] for p in people)
    # 5 from the 2018 sample (its Priya Natarajan only sent an invitation that was never accepted), 5 from 2022, 3
    # from the export with advertisers, 6 new from the address book (its Dana Whitfield has the same email as
    # LinkedIn's, its two Priyas one phone number).
    assert len(names) == 19
    assert not {"Google Cloud", "Amazon Web", "GoDaddy", "Angela from Upwork", "LinkedIn Member"} & set(names)
    assert "NGUYEN THI MINH ANH" in names and "PRIYA RAMAKRISHNAN IYER" in names and "PRIYA IYER" not in names
    # LinkedIn's Rahul Menon and the address book's RAHUL MENON (same company) are proposed, not merged blindly.
    pairs = json.loads(ok(cli("merge", "--review", "--json")).out)
    assert any({c["first"]["name"], c["second"]["name"]} == {"Rahul Menon", "RAHUL MENON"} for c in pairs)
    for person in people:  # no invented countries: every number is +91, or the country it was written with
        for phone in json.loads(ok(cli("show", f"#{person['id']}", "--json")).out)["phones"]:
            assert phone.startswith(("+91", "+84", "+1212")), (person["name"], phone)
    assert ok(cli("show", "NGUYEN THI MINH ANH")).out.startswith("NGUYEN THI MINH ANH")
