"""Google and Outlook contact CSV parsers: goldens, the forms they accept, what they reject, and fuzzing."""

from __future__ import annotations

import codecs
import dataclasses
import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from givefirst.ingest.contacts_csv import parse_google_csv, parse_outlook_csv, sniff_contacts_csv
from givefirst.ingest.records import ContactRecord, ParseIssue, Record, UnreadableFileError

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
FORMATS = SHARED / "formats"
REALDATA = SHARED / "realdata"
DATA = HERE / "data" / "contacts_csv"
GOLDEN = HERE / "golden" / "contacts_csv"

Parser = Callable[[bytes, str], Iterator[Record]]
PARSERS: dict[str, Parser] = {"google": parse_google_csv, "outlook": parse_outlook_csv}

SHARED_SAMPLES = [
    ("google-csv", "contacts.csv", "google"),
    ("google-csv", "contacts-legacy.csv", "google"),
    ("outlook-csv", "contacts.csv", "outlook"),
]
LOCAL_SAMPLES = [
    ("google-edge-cases.csv", "google"),
    ("outlook-utf16.csv", "outlook"),
    ("google-legacy-cp1252.csv", "google"),
]

# Contact CSVs under /work/shared/realdata, by path relative to it: (contacts, issues). The folder holds none
# today (real contact exports carry other people's data); add a line here when one is added there.
REAL_COUNTS: dict[str, tuple[int, int]] = {}


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


def _shared(folder: str, file: str) -> bytes:
    """Return a shared sample's bytes, skipping the test when the shared folder is absent."""
    path = FORMATS / folder / file
    if not path.is_file():
        pytest.skip(f"{path} is not here")
    return path.read_bytes()


def _drain(parser: Parser, data: bytes) -> list[Record]:
    """Return every record of a parse, letting only UnreadableFileError through (checked by the caller)."""
    records = list(parser(data, "fuzz.csv"))
    assert all(isinstance(record, ContactRecord | ParseIssue) for record in records)
    return records


# --- goldens -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("folder", "file", "kind"), SHARED_SAMPLES)
def test_shared_samples_match_their_goldens(folder: str, file: str, kind: str) -> None:
    data = _shared(folder, file)
    golden = json.loads((GOLDEN / f"{folder}__{Path(file).stem}.json").read_text(encoding="utf-8"))
    assert _as_json(list(PARSERS[kind](data, file))) == golden


@pytest.mark.parametrize(("file", "kind"), LOCAL_SAMPLES)
def test_local_samples_match_their_goldens(file: str, kind: str) -> None:
    data = (DATA / file).read_bytes()
    golden = json.loads((GOLDEN / f"{Path(file).stem}.json").read_text(encoding="utf-8"))
    assert _as_json(list(PARSERS[kind](data, file))) == golden


@pytest.mark.parametrize(("folder", "file", "kind"), SHARED_SAMPLES)
def test_sniff_recognises_the_shared_samples(folder: str, file: str, kind: str) -> None:
    assert sniff_contacts_csv(_shared(folder, file)) == kind


@pytest.mark.parametrize(("file", "kind"), LOCAL_SAMPLES)
def test_sniff_recognises_the_local_samples(file: str, kind: str) -> None:
    assert sniff_contacts_csv((DATA / file).read_bytes()) == kind


def test_sniff_says_none_for_the_other_shared_formats() -> None:
    if not FORMATS.is_dir():
        pytest.skip(f"{FORMATS} is not here")
    others = [p for p in FORMATS.rglob("*") if p.is_file() and p.parent.name not in ("google-csv", "outlook-csv")]
    assert len(others) >= 9  # the README and the LinkedIn files of four generations
    assert [p.name for p in others if sniff_contacts_csv(p.read_bytes()) is not None] == []


# --- behaviour ---------------------------------------------------------------------------------------------------

GOOGLE_HEADER = "First Name,Last Name,Birthday,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value\n"
OUTLOOK_HEADER = '"First Name","Last Name","Company","E-mail Address","Birthday","Categories"\n'


def test_a_reexport_in_another_order_keeps_every_external_id() -> None:
    rows = [
        "Ana,Ruiz,,,ana@example.com,,\n",
        "Ben,Cole,,,,Mobile,555 0101\n",
        "Maria,Lopez,,Home,maria@example.com,Mobile,555 0111\n",
        "Maria,Lopez,,Home,maria@example.com,Work,555 0122\n",
    ]
    forward = _by_id(GOOGLE_HEADER + "".join(rows))
    backward = _by_id(GOOGLE_HEADER + "".join(rows[::-1]))
    assert len(forward) == 4
    assert forward.keys() == backward.keys()
    for key, record in forward.items():
        assert dataclasses.replace(record, origin="") == dataclasses.replace(backward[key], origin="")


def _by_id(text: str) -> dict[str, ContactRecord]:
    """Return the contacts of a Google CSV text by external id, asserting there is no issue."""
    records = list(parse_google_csv(text.encode(), "g.csv"))
    contacts = {r.external_id: r for r in records if isinstance(r, ContactRecord)}
    assert len(contacts) == len(records)
    return contacts


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1979-04-02", date(1979, 4, 2)),
        ("--04-02", None),
        (" --04-02", None),
        ("4/2/1979", date(1979, 4, 2)),
        ("4/2/79", date(1979, 4, 2)),
        ("4/2/05", date(2005, 4, 2)),
        ("4/2", None),
        ("2.4.1979", date(1979, 4, 2)),
        ("April 2, 1979", date(1979, 4, 2)),
        ("Apr 2, 1979", date(1979, 4, 2)),
        ("19790402", date(1979, 4, 2)),
        ("", None),
    ],
)
def test_birthday_forms(raw: str, expected: date | None) -> None:
    records = list(parse_google_csv((GOOGLE_HEADER + f'Ana,Ruiz,"{raw}",,ana@example.com,,\n').encode(), "g.csv"))
    assert records == [records[0]]
    assert isinstance(records[0], ContactRecord)
    assert records[0].birthday == expected


def test_outlook_no_birthday_and_categories() -> None:
    data = (OUTLOOK_HEADER + '"Ana","Ruiz","Acme","ana@example.com","0/0/00","VIP;  Tampa ;"\n').encode()
    (record,) = parse_outlook_csv(data, "o.csv")
    assert isinstance(record, ContactRecord)
    assert (record.birthday, record.tags, record.organization) == (None, ("VIP", "Tampa"), "Acme")


def test_semicolon_separated_outlook_and_utf16_without_bom_are_read() -> None:
    text = OUTLOOK_HEADER.replace(",", ";") + '"Jörg";"Weiß";"";"jw@example.de";"";""\r\n'
    for data in (text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be"), text.encode("cp1252")):
        assert sniff_contacts_csv(data) == "outlook"
        (record,) = parse_outlook_csv(data, "o.csv")
        assert isinstance(record, ContactRecord)
        assert record.name == "Jörg Weiß"
        assert record.external_id == "o.csv#jw@example.de"


def test_header_only_yields_nothing() -> None:
    assert list(parse_google_csv(GOOGLE_HEADER.encode(), "g.csv")) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \r\n\n", "empty"),
        (codecs.BOM_UTF8, "empty"),
        (codecs.BOM_UTF16_LE, "empty"),
        (b"PK\x03\x04\x00\x00binary", "binary"),
        (b"\x81\x8d\x8f\x90\x9d", "not text"),
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nEND:VCARD\r\n", "not the header"),
        (b"First Name,Last Name,Email Address,Company,Position,Connected On\n", "not the header"),
        (b"a,b,c\n1,2,3\n", "not the header"),
    ],
)
def test_unreadable_files_say_why(data: bytes, message: str) -> None:
    assert sniff_contacts_csv(data) is None
    for parser in PARSERS.values():
        with pytest.raises(UnreadableFileError, match=f"^x.csv: .*{message}"):
            parser(data, "x.csv")


def test_the_wrong_parser_names_the_right_one() -> None:
    with pytest.raises(UnreadableFileError, match="Outlook contacts CSV, not a Google"):
        parse_google_csv(OUTLOOK_HEADER.encode(), "o.csv")
    with pytest.raises(UnreadableFileError, match="Google contacts CSV, not an Outlook"):
        parse_outlook_csv(GOOGLE_HEADER.encode(), "g.csv")


# --- real files --------------------------------------------------------------------------------------------------


def test_every_real_file_is_read_or_rejected_cleanly() -> None:
    if not REALDATA.is_dir():
        pytest.skip(f"{REALDATA} is not here")
    files = sorted(path for path in REALDATA.rglob("*") if path.is_file())
    assert files, "the realdata folder is empty"
    found: dict[str, tuple[int, int]] = {}
    for path in files:
        data = path.read_bytes()
        kind = sniff_contacts_csv(data)
        relative = path.relative_to(REALDATA).as_posix()
        if kind is None:
            # vCards, calendars, mail and SOURCES.tsv: both parsers must refuse them with a one-line error.
            for parser in PARSERS.values():
                with pytest.raises(UnreadableFileError):
                    parser(data, path.name)
            continue
        records = list(PARSERS[kind](data, path.name))
        found[relative] = (
            sum(isinstance(r, ContactRecord) for r in records),
            sum(isinstance(r, ParseIssue) for r in records),
        )
    assert found == REAL_COUNTS


# --- fuzzing -----------------------------------------------------------------------------------------------------


def _valid_samples() -> list[bytes]:
    """Return the bytes of every sample at hand: the local ones, and the shared ones when present."""
    samples = [path.read_bytes() for path in sorted(DATA.glob("*.csv"))]
    samples += [(FORMATS / f / n).read_bytes() for f, n, _ in SHARED_SAMPLES if (FORMATS / f / n).is_file()]
    return samples


SAMPLES = _valid_samples()
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_every_way(data: bytes) -> None:
    """Assert that sniffing and both parsers give only records, issues or UnreadableFileError."""
    assert sniff_contacts_csv(data) in (None, "google", "outlook")
    for parser in PARSERS.values():
        try:
            _drain(parser, data)
        except UnreadableFileError as exc:
            assert str(exc).startswith("fuzz.csv: ")


@FUZZ
@given(st.binary(max_size=2000))
def test_fuzz_random_bytes(data: bytes) -> None:
    _check_every_way(data)


@FUZZ
@given(st.sampled_from(SAMPLES), st.floats(min_value=0, max_value=1))
def test_fuzz_truncated_samples(sample: bytes, fraction: float) -> None:
    _check_every_way(sample[: int(len(sample) * fraction)])


@FUZZ
@given(
    st.sampled_from(SAMPLES),
    st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=1),
            st.sampled_from(["replace", "insert", "delete"]),
            st.binary(min_size=1, max_size=4),
        ),
        min_size=1,
        max_size=8,
    ),
)
def test_fuzz_mutated_samples(sample: bytes, edits: list[tuple[float, str, bytes]]) -> None:
    data = bytearray(sample)
    for where, how, chunk in edits:
        at = int(len(data) * where)
        if how == "replace":
            data[at : at + len(chunk)] = chunk
        elif how == "insert":
            data[at:at] = chunk
        else:
            del data[at : at + len(chunk)]
    _check_every_way(bytes(data))


@FUZZ
@given(
    st.sampled_from(SAMPLES),
    st.lists(st.sampled_from([b'"', b",", b"\n", b"\r", b" ::: ", b";", b"\t", b"\x00", b"\xff\xfe"]), max_size=6),
    st.lists(st.floats(min_value=0, max_value=1), min_size=6, max_size=6),
)
def test_fuzz_csv_punctuation_in_samples(sample: bytes, chunks: list[bytes], places: list[float]) -> None:
    # Random bytes rarely hit what breaks CSV; these do: quotes, separators, line ends in odd places.
    data = bytearray(sample)
    for chunk, where in zip(chunks, places, strict=False):
        at = int(len(data) * where)
        data[at:at] = chunk
    _check_every_way(bytes(data))
