"""The vCard parser: goldens for every sample, the forms it accepts, what it rejects, and fuzzing."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from givefirst.ingest.records import ContactRecord, Labeled, ParseIssue, Record, UnreadableFileError
from givefirst.ingest.vcard import parse_vcards

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
REALDATA = SHARED / "realdata" / "vcard"
DATA = HERE / "data" / "vcard"
GOLDEN = HERE / "golden" / "vcard"

LOCAL_SAMPLES = sorted(path.name for path in DATA.glob("*.vcf"))

# Every vCard under /work/shared/realdata/vcard, by path relative to it: (contacts, issues).
REAL_COUNTS: dict[str, tuple[int, int]] = {
    "android_aosp/v21_adr_multiple_line.vcf": (1, 0),
    "android_aosp/v21_android_custom_prop.vcf": (0, 1),  # only X-ANDROID-CUSTOM lines: nobody named
    "android_aosp/v21_backslash.vcf": (1, 0),
    "android_aosp/v21_base64_no_2_crlf.vcf": (1, 0),
    "android_aosp/v21_blackberry_photo.vcf": (1, 0),
    "android_aosp/v21_complicated.vcf": (1, 0),
    "android_aosp/v21_im.vcf": (0, 1),  # a nickname in X-ANDROID-CUSTOM and an IM address: nobody named
    "android_aosp/v21_invalid_comment_line.vcf": (1, 0),
    "android_aosp/v21_invalid_multiple_line.vcf": (1, 0),
    "android_aosp/v21_japanese_1.vcf": (1, 0),
    "android_aosp/v21_japanese_2.vcf": (1, 0),
    "android_aosp/v21_japanese_3.vcf": (1, 0),
    "android_aosp/v21_malformed_photo.vcf": (1, 0),
    "android_aosp/v21_multiple_entry.vcf": (3, 0),
    "android_aosp/v21_nest.vcf": (3, 0),  # a card with two cards nested in it: three people
    "android_aosp/v21_org_before_title.vcf": (1, 0),
    "android_aosp/v21_pref_handling.vcf": (1, 0),
    "android_aosp/v21_simple_1.vcf": (1, 0),
    "android_aosp/v21_simple_2.vcf": (1, 0),
    "android_aosp/v21_simple_3.vcf": (1, 0),
    "android_aosp/v21_sip.vcf": (1, 0),
    "android_aosp/v21_title_before_org.vcf": (1, 0),
    "android_aosp/v21_winmo_65.vcf": (1, 0),
    "android_aosp/v21_x_android_custom_after_photo.vcf": (1, 0),
    "android_aosp/v21_x_param.vcf": (1, 0),
    "android_aosp/v30_comma_separated.vcf": (1, 0),
    "android_aosp/v30_ios_613_multiline.vcf": (1, 0),
    "android_aosp/v30_japanese.vcf": (1, 0),
    "android_aosp/v30_multibyte_param.vcf": (1, 0),
    "android_aosp/v30_pager.vcf": (1, 0),
    "android_aosp/v30_pause_wait.vcf": (1, 0),
    "android_aosp/v30_simple.vcf": (1, 0),
    "android_aosp/v30_sip.vcf": (1, 0),
    "android_aosp/v40_sip.vcf": (1, 0),
    "android_aosp/v40_sort_as.vcf": (1, 0),
    "ezvcard/John_Doe_ANDROID.vcf": (6, 0),
    "ezvcard/John_Doe_BLACK_BERRY.vcf": (1, 0),
    "ezvcard/John_Doe_EVOLUTION.vcf": (1, 0),
    "ezvcard/John_Doe_GMAIL.vcf": (1, 0),
    "ezvcard/John_Doe_IPHONE.vcf": (1, 0),
    "ezvcard/John_Doe_LOTUS_NOTES.vcf": (1, 0),
    "ezvcard/John_Doe_MAC_ADDRESS_BOOK.vcf": (1, 0),
    "ezvcard/John_Doe_MS_OUTLOOK.vcf": (1, 0),
    "ezvcard/fullcontact.vcf": (1, 0),
    "ezvcard/gmail-list.vcf": (3, 0),
    "ezvcard/gmail-single.vcf": (1, 0),
    "ezvcard/gmail-single2.vcf": (1, 0),
    "ezvcard/issue114.vcf": (1, 0),
    "ezvcard/outlook-2003.vcf": (1, 0),
    "ezvcard/outlook-2007.vcf": (1, 0),
    "ezvcard/rfc2426-example.vcf": (2, 0),
    "ezvcard/rfc6350-example.vcf": (1, 0),
    "ezvcard/thunderbird-MoreFunctionsForAddressBook-extension.vcf": (1, 0),
    "vobject/radicale-1587.vcf": (1, 0),
}


def _as_json(records: list[Record]) -> list[dict[str, Any]]:
    """Return records as the goldens write them: a type tag, then their fields, dates in ISO form."""
    out = []
    for record in records:
        fields = dataclasses.asdict(record)
        fields.pop("digest", None)  # a hash of the source row for re-imports, not what the record says
        for key, value in fields.items():
            if isinstance(value, date):
                fields[key] = value.isoformat()
        out.append({"type": type(record).__name__, **fields})
    as_lists: list[dict[str, Any]] = json.loads(json.dumps(out))  # tuples become lists, as in the JSON files
    return as_lists


def _golden(stem: str) -> list[dict[str, Any]]:
    """Return the expected records of a sample, as written in its golden file."""
    loaded: list[dict[str, Any]] = json.loads((GOLDEN / f"{stem}.json").read_text(encoding="utf-8"))
    return loaded


def _real(relative: str) -> Path:
    """Return a real sample's path, skipping the test when the shared folder is absent."""
    path = REALDATA / relative
    if not path.is_file():
        pytest.skip(f"{path} is not here")
    return path


def _card(*lines: str, version: str = "3.0") -> bytes:
    """Return one card made of the given lines, CRLF-terminated."""
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""]).encode("utf-8")


def _one(data: bytes, default_charset: str = "utf-8") -> ContactRecord:
    """Return the only record of a file that must hold exactly one contact."""
    records = list(parse_vcards(data, "t.vcf", default_charset))
    assert len(records) == 1, records
    assert isinstance(records[0], ContactRecord), records
    return records[0]


def _drain(data: bytes) -> list[Record]:
    """Return every record of a parse, letting only UnreadableFileError through (checked by the caller)."""
    records = list(parse_vcards(data, "fuzz.vcf"))
    assert all(isinstance(record, ContactRecord | ParseIssue) for record in records)
    return records


# --- goldens -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("relative", sorted(REAL_COUNTS))
def test_real_samples_match_their_goldens(relative: str) -> None:
    path = _real(relative)
    records = list(parse_vcards(path.read_bytes(), path.name))
    assert _as_json(records) == _golden(relative.replace("/", "__").removesuffix(".vcf"))


@pytest.mark.parametrize("file", LOCAL_SAMPLES)
def test_local_samples_match_their_goldens(file: str) -> None:
    records = list(parse_vcards((DATA / file).read_bytes(), file))
    assert _as_json(records) == _golden(file.removesuffix(".vcf"))


def test_every_real_file_parses_with_the_expected_counts() -> None:
    if not REALDATA.is_dir():
        pytest.skip(f"{REALDATA} is not here")
    found = sorted(str(path.relative_to(REALDATA)) for path in REALDATA.rglob("*") if path.is_file())
    assert found == sorted(REAL_COUNTS), "a file was added or removed: update REAL_COUNTS and the goldens"
    for relative, (contacts, issues) in REAL_COUNTS.items():
        records = list(parse_vcards((REALDATA / relative).read_bytes(), relative))
        got = (sum(isinstance(r, ContactRecord) for r in records), sum(isinstance(r, ParseIssue) for r in records))
        assert got == (contacts, issues), relative


# --- what a card becomes -----------------------------------------------------------------------------------------


def test_a_broken_card_in_the_middle_costs_only_itself() -> None:
    records = list(parse_vcards((DATA / "broken-middle.vcf").read_bytes(), "b.vcf"))
    kinds = [type(record).__name__ for record in records]
    # Card #2 has a number and no name: it is named after its number (test_vcard_forms.py), no longer an issue.
    assert kinds == ["ContactRecord", "ContactRecord", "ParseIssue", "ParseIssue", "ContactRecord", "ContactRecord"]
    issues = [record for record in records if isinstance(record, ParseIssue)]
    assert [issue.origin for issue in issues] == ["b.vcf:26", "b.vcf:28"]
    assert "outside any BEGIN:VCARD" in issues[0].reason
    assert "no END:VCARD" in issues[1].reason


def test_external_id_is_the_uid_else_the_position_and_stable() -> None:
    data = _card("FN:Ana Ruiz", "UID:abc-123") + _card("FN:Ben Ode") + _card("FN:Cy Ng", "UID:  ")
    first = list(parse_vcards(data, "c.vcf"))
    assert [r.external_id for r in first if isinstance(r, ContactRecord)] == ["abc-123", "c.vcf#2", "c.vcf#3"]
    assert [r.origin for r in first if isinstance(r, ContactRecord)] == ["c.vcf#1", "c.vcf#2", "c.vcf#3"]
    assert list(parse_vcards(data, "c.vcf")) == first


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["FN:  Ana   Ruiz ", "N:Ruiz;Ana;;;", "ORG:Acme"], "Ana Ruiz"),
        (["N:Ruiz;Ana;Maria;Dr.;PhD", "ORG:Acme"], "Dr. Ana Maria Ruiz PhD"),
        (["FN:", "N:;;;;", "ORG:Acme;Sales", "EMAIL:ana@acme.example"], "Acme"),
        (["EMAIL:not-an-address", "EMAIL:ana@acme.example"], "ana@acme.example"),
    ],
)
def test_the_name_is_fn_else_n_else_org_else_the_first_email(lines: list[str], expected: str) -> None:
    assert _one(_card(*lines)).name == expected


def test_a_card_that_names_nobody_is_an_issue() -> None:
    records = list(parse_vcards(_card("TEL;TYPE=FAX:+1 212 555 0100", "NOTE:who?"), "t.vcf"))
    assert records == [
        ParseIssue("t.vcf:1", "card #1 has no name: no FN, N or ORG, no email address and no phone number; add an "
                   "FN line or remove the card")
    ]  # fmt: skip


def test_commas_in_single_text_values_are_kept_whole() -> None:
    record = _one(_card("FN:Doe, John", "TITLE:VP, Sales", "NOTE:one, two\\, three", version="2.1"))
    assert (record.name, record.title, record.notes) == ("Doe, John", "VP, Sales", "one, two, three")


def test_labels_come_from_x_ablabel_then_the_first_meaningful_type() -> None:
    record = _one(
        _card(
            "FN:Ana",
            "item1.EMAIL;TYPE=INTERNET;TYPE=WORK:a@work.example",
            "item1.X-ABLabel:_$!<Other>!$_",
            "EMAIL;TYPE=INTERNET,PREF:b@example.org",
            'TEL;TYPE="voice,cell";PREF=1:tel:+1-212-555-0101',
            "TEL;HOME;VOICE:+1 212 555 0102",
            "ITEM2.TEL:+1 212 555 0103",
            "item2.X-ABLABEL:Boat",
        )
    )
    assert record.emails == (Labeled("a@work.example", "other"), Labeled("b@example.org", None))
    assert record.phones == (
        Labeled("+1-212-555-0101", "cell"),
        Labeled("+1 212 555 0102", "home"),
        Labeled("+1 212 555 0103", "boat"),
    )


def test_faxes_assistants_and_sip_addresses_are_not_phones() -> None:
    record = _one(
        _card(
            "FN:Ana",
            "TEL;TYPE=WORK,FAX:+1 212 555 0100",
            "item1.TEL:+1 212 555 0104",
            "item1.X-ABLabel:_$!<AssistantPhone>!$_",
            "TEL:sip:ana@voip.example",
            "TEL;TYPE=CELL:+1 212 555 0105",
        )
    )
    assert record.phones == (Labeled("+1 212 555 0105", "cell"),)


@pytest.mark.parametrize(
    ("bday", "expected"),
    [
        ("BDAY:1984-11-02", date(1984, 11, 2)),
        ("BDAY:19841102", date(1984, 11, 2)),
        ("BDAY;VALUE=date-time:1984-11-02T00:00:00Z", date(1984, 11, 2)),
        ("BDAY:--0415", None),
        ("BDAY:--04-15", None),
        ("BDAY:1984-11", None),
        ("BDAY:2019-02-30", None),
        ("BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15", None),
        ("BDAY:sometime in spring", None),
    ],
)
def test_birthdays_are_full_dates_or_none(bday: str, expected: date | None) -> None:
    assert _one(_card("FN:Ana", bday)).birthday == expected


@pytest.mark.parametrize(
    ("adr", "expected"),
    [
        (["ADR;TYPE=WORK:;;1 Main St;Tampa;FL;33602;USA"], "Tampa, FL"),
        (["ADR:;;;;;;Canada", "ADR;TYPE=HOME:;;;Austin;;;"], "Austin"),
        (["ADR:;;;Austin;TX;;", "ADR;TYPE=pref:;;;Miami;FL;;"], "Miami, FL"),
        (["ADR:;;;;;;Canada"], "Canada"),
        (["ADR:;;12 Elm St\\nApt 3;;;11201;"], "12 Elm St, Apt 3, 11201"),
        (["ADR:;;;;;;"], None),
    ],
)
def test_location_is_city_and_region_else_what_is_there(adr: list[str], expected: str | None) -> None:
    assert _one(_card("FN:Ana", *adr)).location == expected


def test_categories_become_tags_without_google_system_groups() -> None:
    record = _one(_card("FN:Ana", "CATEGORIES:Mentors,Board,Mentors", "CATEGORIES:My Contacts,starred"))
    assert record.tags == ("Mentors", "Board")
    assert _one(_card("FN:Ana", "CATEGORIES:Kunden;Presse", version="2.1")).tags == ("Kunden", "Presse")


def test_organization_is_the_first_component_of_the_first_org() -> None:
    record = _one(_card("FN:Ana", "ORG:;Sales", "ORG:Acme\\, Inc.;Sales;East"))
    assert record.organization == "Acme, Inc."


def test_photos_are_dropped_even_when_broken() -> None:
    record = _one(_card("FN:Ana", "PHOTO;ENCODING=b;TYPE=JPEG:%%% not base64 %%%", " more", "EMAIL:a@b.example"))
    assert record.emails == (Labeled("a@b.example", None),)


def test_nested_cards_are_cards_of_their_own() -> None:
    data = b"BEGIN:VCARD\nVERSION:2.1\nN:Boss\nAGENT:\nBEGIN:VCARD\nVERSION:2.1\nN:Aide\nEND:VCARD\nEND:VCARD\n"
    records = list(parse_vcards(data, "n.vcf"))
    assert [(r.name, r.origin) for r in records if isinstance(r, ContactRecord)] == [
        ("Boss", "n.vcf#1"),
        ("Aide", "n.vcf#2"),
    ]


@pytest.mark.parametrize("newline", [b"\r\n", b"\n", b"\r", b"\r\r\n"])
def test_any_line_ending_reads_the_same(newline: bytes) -> None:
    data = _card("FN:Ana Ruiz", "NOTE;ENCODING=QUOTED-PRINTABLE:a=", "b", "EMAIL:a@b.example")
    record = _one(data.replace(b"\r\n", newline))
    assert (record.name, record.notes, record.emails) == ("Ana Ruiz", "ab", (Labeled("a@b.example", None),))


# --- character sets ----------------------------------------------------------------------------------------------


def test_latin1_with_charset_parameters_decodes() -> None:
    record = _one((DATA / "latin1-21.vcf").read_bytes())
    assert (record.name, record.organization) == ("José Müller", "Bäckerei Süd GmbH")


def test_undeclared_latin1_is_unreadable_as_utf8_but_reads_with_its_charset() -> None:
    data = _card("FN:José Müller", version="2.1").decode("utf-8").encode("latin-1")
    with pytest.raises(UnreadableFileError, match=r"^l\.vcf: not valid utf-8 text"):
        list(parse_vcards(data, "l.vcf"))
    assert _one(data, default_charset="latin-1").name == "José Müller"


def test_one_undecodable_card_among_good_ones_is_an_issue() -> None:
    bad = _card("FN:José Müller").decode("utf-8").encode("latin-1")
    records = list(parse_vcards(_card("FN:Ana") + bad, "m.vcf"))
    assert isinstance(records[0], ContactRecord)
    assert isinstance(records[1], ParseIssue) and records[1].origin == "m.vcf:5"
    assert "not valid text in utf-8" in records[1].reason


def test_a_wrong_quoted_printable_charset_falls_back_without_losing_the_card() -> None:
    record = _one(
        _card(
            "FN;CHARSET=X-UNKNOWN;ENCODING=QUOTED-PRINTABLE:Jos=C3=A9",
            "ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Caf=E9 =80",
            version="2.1",
        )
    )
    assert (record.name, record.organization) == ("José", "Caf\ufffd \ufffd")


@pytest.mark.parametrize("codec", ["utf-16", "utf-8-sig", "utf-32"])
def test_a_byte_order_mark_settles_the_encoding(codec: str) -> None:
    data = _card("FN;CHARSET=SHIFT_JIS:Zoë Ng").decode("utf-8").encode(codec)
    assert _one(data).name == "Zoë Ng"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b" \r\n\r\n\t", "the file is empty"),
        (b"BEGIN:VCARD\x00\x01\x02", "not a text file"),
        (b"Name,Email\nAna,a@b.example\n", "not a vCard file"),
        (b"\xff\xfeB\x00\x00\xd8", "not valid utf-16 text"),
    ],
)
def test_files_that_are_not_vcards_are_unreadable(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableFileError, match=f"^x.vcf: {message}"):
        list(parse_vcards(data, "x.vcf"))


def test_an_unknown_default_charset_is_unreadable() -> None:
    with pytest.raises(UnreadableFileError, match="not a character set a vCard can be read in"):
        list(parse_vcards(_card("FN:Ana"), "x.vcf", default_charset="klingon"))


# --- fuzzing -----------------------------------------------------------------------------------------------------


def _seeds() -> list[bytes]:
    """Return the valid files the fuzzers cut and mutate: the local samples, and the real ones when present."""
    seeds = [(DATA / file).read_bytes() for file in LOCAL_SAMPLES]
    if REALDATA.is_dir():
        seeds += [(REALDATA / relative).read_bytes() for relative in sorted(REAL_COUNTS)]
    return seeds


SEEDS = _seeds()
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_survives(data: bytes) -> None:
    """Parse fuzzed bytes: records, issues or UnreadableFileError are fine, anything else fails the test."""
    try:
        _drain(data)
    except UnreadableFileError as exc:
        assert str(exc).startswith("fuzz.vcf: ")


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise_anything_else(data: bytes) -> None:
    assert_survives(data)


@FUZZ
@given(st.sampled_from(SEEDS), st.floats(min_value=0, max_value=1))
def test_truncated_files_never_raise_anything_else(seed: bytes, cut: float) -> None:
    assert_survives(seed[: int(len(seed) * cut)])


_PIECES = [b"\r\n", b"\n", b" ", b"=", b";", b":", b",", b"\\", b'"', b"=\r\n", b"BEGIN:VCARD\r\n", b"END:VCARD\r\n",
           b"ENCODING=QUOTED-PRINTABLE", b";CHARSET=", b"SHIFT_JIS", b"item1.", b"\xff", b"\xc3", b"\x00", b"=C3=9",
           b"BDAY:", b"TYPE=", b"ENCODING=b:", b"PROFILE:VCARD\r\n"]  # fmt: skip


@FUZZ
@given(
    st.sampled_from(SEEDS),
    st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=1),
            st.sampled_from(["insert", "replace", "delete"]),
            st.one_of(st.sampled_from(_PIECES), st.binary(min_size=1, max_size=4)),
        ),
        min_size=1,
        max_size=8,
    ),
)
def test_mutated_files_never_raise_anything_else(seed: bytes, edits: list[tuple[float, str, bytes]]) -> None:
    data = bytearray(seed)
    for where, how, piece in edits:
        at = int(len(data) * where)
        if how == "insert":
            data[at:at] = piece
        elif how == "replace":
            data[at : at + len(piece)] = piece
        else:
            del data[at : at + len(piece)]
    assert_survives(bytes(data))
