"""LinkedIn export parser: every layout generation, broken rows, unreadable files, and fuzzing."""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from givefirst.ingest.linkedin import is_linkedin_file, parse_linkedin_export, parse_linkedin_file
from givefirst.ingest.linkedin_tables import parse_timestamp as _parse_timestamp
from givefirst.ingest.records import (
    ContactRecord,
    InteractionRecord,
    ParseIssue,
    Record,
    Unchanged,
    UnreadableFileError,
)

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
FORMATS = SHARED / "formats"
REALDATA = SHARED / "realdata"
DATA = HERE / "data" / "linkedin"
GOLDEN = HERE / "golden" / "linkedin"
REGENERATE = os.environ.get("GIVEFIRST_REGENERATE_GOLDEN") == "1"  # then review every changed file by eye

# (folder, file): (records that are not issues, issues). Shared samples live in /work/shared/formats.
SHARED_SAMPLES = {
    ("linkedin-2018", "Connections.csv"): (5, 0),
    ("linkedin-2018", "Invitations.csv"): (2, 0),
    ("linkedin-2018", "Messages.csv"): (2, 0),
    ("linkedin-2022", "Connections.csv"): (5, 0),
    ("linkedin-2022", "messages.csv"): (2, 0),
    ("linkedin-2026", "Connections.csv"): (4, 0),
    ("linkedin-2026", "Invitations.csv"): (1, 0),
    ("linkedin-2026", "messages.csv"): (3, 1),  # the sponsored "LinkedIn Member" message
    ("linkedin-excel", "Connections.csv"): (3, 0),
}
OWN_SAMPLES = {
    # A row without a name, a Connected On that is not a date ("someday"), a row with two fields too many.
    ("edge", "Connections.csv"): (3, 3),
    ("edge", "Invitations.csv"): (2, 2),  # a date that is not a date, a PENDING direction
    ("edge", "messages.csv"): (3, 3),  # a bad date, no sender, a message to a deleted member
    ("edge-2018", "Messages.csv"): (3, 0),
    ("ads-2018", "Connections.csv"): (2, 0),
    ("ads-2018", "Invitations.csv"): (1, 0),
    # Alone, without Connections.csv, Sneha's unanswered message cannot be told from an advertiser's: 5 skipped.
    ("ads-2018", "Messages.csv"): (4, 6),
    ("ads-2022", "messages.csv"): (3, 3),  # a sponsored conversation, a company page, a sender with no profile
}
# Real LinkedIn exports under /work/shared/realdata, by path relative to it: (records, issues).
REAL_COUNTS: dict[str, tuple[int, int]] = {}


def _sample(folder: str, file: str) -> Path:
    path = (FORMATS if folder.startswith("linkedin-") else DATA) / folder / file
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared folder is optional)")
    return path


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _serialise(records: list[Record]) -> list[dict[str, Any]]:
    """Records as the goldens write them; a row's digest (for re-imports, not what it says) is left out."""
    out = [{"type": type(r).__name__, **_jsonable(dataclasses.asdict(r))} for r in records]
    for row in out:
        row.pop("digest", None)
        if row.get("details") == "":  # LinkedIn messages' text is their summary
            del row["details"]
    return out


def _counts(records: list[Record]) -> tuple[int, int]:
    issues = sum(isinstance(r, ParseIssue) for r in records)
    return len(records) - issues, issues


# --- golden files ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("folder", "file"), [*SHARED_SAMPLES, *OWN_SAMPLES])
def test_golden(folder: str, file: str) -> None:
    path = _sample(folder, file)
    records = list(parse_linkedin_file(path.read_bytes(), file))
    golden = GOLDEN / folder / f"{file}.json"
    if REGENERATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(_serialise(records), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert _serialise(records) == json.loads(golden.read_text(encoding="utf-8"))
    assert _counts(records) == {**SHARED_SAMPLES, **OWN_SAMPLES}[(folder, file)]


# --- the date helper ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/8/18, 6:14 PM", datetime(2018, 1, 8, 18, 14)),  # Connections, Messages and Invitations 2018
        ("12/21/17, 9:02 AM", datetime(2017, 12, 21, 9, 2)),
        ("9/10/22, 2:03 PM", datetime(2022, 9, 10, 14, 3)),  # Invitations "Sent At"
        ("9/10/22, 2:03\u202fPM", datetime(2022, 9, 10, 14, 3)),  # newer Excel's narrow space before PM
        ("09 Sep 2022", datetime(2022, 9, 9)),  # Connections 2020 onwards
        ("9-Sep-22", datetime(2022, 9, 9)),  # a spreadsheet re-save
        ("14-Feb-21", datetime(2021, 2, 14)),
        ("2022-09-08 18:08:14 UTC", datetime(2022, 9, 8, 18, 8, 14)),  # messages 2022 and 2026
        ("2024-03-05", datetime(2024, 3, 5)),
        ("2025-04-05T18:45:00+02:00", datetime(2025, 4, 5, 16, 45)),  # aware: converted to UTC
        ("2025-04-05T18:45:00Z", datetime(2025, 4, 5, 18, 45)),
        ("3/14/2017 23:05", datetime(2017, 3, 14, 23, 5)),  # re-saved with a 24-hour clock
        ("Sep 9, 2022", datetime(2022, 9, 9)),
        ("  09   Sep 2022 ", datetime(2022, 9, 9)),
    ],
)
def test_dates_in_every_format(text: str, expected: datetime) -> None:
    assert _parse_timestamp(text) == expected


@pytest.mark.parametrize("text", ["", "someday", "13/45/22, 1:00 PM", "2022-02-30", "0001-01-01T00:00:00+05:00"])
def test_what_is_not_a_date(text: str) -> None:
    assert _parse_timestamp(text) is None


# --- dispatch and unreadable files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "known"),
    [
        ("Connections.csv", True),
        ("connections.CSV", True),
        ("Basic_LinkedInDataExport_01-02-2026/messages.csv", True),
        ("export\\Messages.csv", True),
        ("Invitations.csv", True),
        ("guide_messages.csv", False),
        ("__MACOSX/._Connections.csv", False),
        ("Profile.csv", False),
        # repeated downloads and copies, as browsers and file managers name them
        ("Connections (1).csv", True),
        ("Basic_LinkedInDataExport_01-02-2026/messages(2).csv", True),
        ("Invitations - Copy.csv", True),
        ("Connections (1).txt", False),
        ("Connections_old_2.csv", False),
    ],
)
def test_is_linkedin_file(name: str, known: bool) -> None:
    assert is_linkedin_file(name) is known


def test_an_unknown_name_is_refused_at_once() -> None:
    with pytest.raises(UnreadableFileError, match=r"^Profile\.csv: not a LinkedIn export file"):
        parse_linkedin_file(b"First Name,Last Name\nA,B\n", "Profile.csv")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b" \r\n\r\n", "the file is empty"),
        (b"\xef\xbb\xbf\r\n", "the file is empty"),
        (b"PK\x03\x04\x00\x00binary", "not a text file"),
        (b"First Name,Last Name\n\x81\x8d\x8f\x90\x9d\xff\n", "not text in UTF-8 or Windows-1252"),
        (b"Name,Given Name,E-mail 1 - Value\nA,B,c@example.com\n", "not a LinkedIn Connections export"),
    ],
)
def test_unreadable_connections_say_why(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableFileError, match=f"^exp/Connections.csv: .*{message}"):
        parse_linkedin_file(data, "exp/Connections.csv")  # raised on the call, before any iteration


def test_a_header_below_the_preamble_lines_is_not_searched_for_ever() -> None:
    data = b"\n".join([b"junk,row"] * 12 + [b"First Name,Last Name", b"A,B"])
    with pytest.raises(UnreadableFileError, match="no header with the columns First Name, Last Name"):
        parse_linkedin_file(data, "Connections.csv")


def test_messages_need_their_columns() -> None:
    with pytest.raises(UnreadableFileError, match="not a LinkedIn messages export"):
        parse_linkedin_file(b"First Name,Last Name\nA,B\n", "messages.csv")


# --- Connections -------------------------------------------------------------------------------------------


def test_a_windows_1252_resave_reads_like_utf8() -> None:
    text = "First Name,Last Name,Company,Connected On\r\nTomás,Köhler,Meridian,9-Sep-22\r\n"
    utf8 = list(parse_linkedin_file(text.encode("utf-8"), "Connections.csv"))
    ansi = list(parse_linkedin_file(text.encode("cp1252"), "Connections.csv"))
    utf16 = list(parse_linkedin_file(text.encode("utf-16"), "Connections.csv"))
    assert utf8 == ansi == utf16
    assert isinstance(utf8[0], ContactRecord) and utf8[0].name == "Tomás Köhler"


def test_connection_ids_survive_a_reordered_export() -> None:
    rows = ["Ann,Lee,,Acme,,01 Jan 2020", "Bo,Wu,,Zeta,,02 Jan 2020"]
    header = "First Name,Last Name,Email Address,Company,Position,Connected On"
    first = parse_linkedin_file("\n".join([header, *rows]).encode(), "Connections.csv")
    second = parse_linkedin_file("\n".join([header, *reversed(rows)]).encode(), "Connections.csv")
    assert (
        sorted(r.external_id for r in first if isinstance(r, ContactRecord))
        == sorted(r.external_id for r in second if isinstance(r, ContactRecord))
        == ["connections#ann lee|acme", "connections#bo wu|zeta"]
    )


# --- messages: who the user is -----------------------------------------------------------------------------

_OPENED_BY_ME = (
    b"CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,FOLDER\n"
    b"c-1,,Chris Aldana,https://www.linkedin.com/in/chrisaldana,Aisha Bello,2022-09-08 18:00:00 UTC,,Hi Aisha,INBOX\n"
    b"c-1,,Aisha Bello,https://www.linkedin.com/in/aisha-bello-phd,Chris Aldana,2022-09-08 19:00:00 UTC,,Hi!,INBOX\n"
)
_CONNECTIONS = b'First Name,Last Name,Company,Connected On\nAisha,"Bello, Ph.D.",Coastal,14 Feb 2021\n'


def test_a_lone_two_person_file_guesses_and_the_whole_export_knows() -> None:
    alone = [r for r in parse_linkedin_file(_OPENED_BY_ME, "messages.csv") if isinstance(r, InteractionRecord)]
    # Both people are on every message: the guess goes to whoever received the opening message, wrong here.
    assert [r.direction for r in alone] == ["inbound", "outbound"]
    export = parse_linkedin_export([("x/messages.csv", _OPENED_BY_ME), ("x/Connections.csv", _CONNECTIONS)])
    together = [r for r in export if isinstance(r, InteractionRecord)]
    assert [r.direction for r in together] == ["outbound", "inbound"]
    assert [p.name for r in together for p in r.participants] == ["Aisha Bello", "Aisha Bello"]
    # The recipient's URL is learnt from the same conversation, where she was the sender.
    assert together[0].participants[0].profile_url == "https://www.linkedin.com/in/aisha-bello-phd"
    assert [r.external_id for r in alone] == [r.external_id for r in together]  # ids never depend on the guess


def test_invitations_tell_the_export_who_the_user_is() -> None:
    invitations = b'From,To,Sent At,Message,Direction\nChris Aldana,Dana Lee,"1/8/18, 6:14 PM",,OUTGOING\n'
    export = parse_linkedin_export([("messages.csv", _OPENED_BY_ME), ("Invitations.csv", invitations)])
    messages = [r for r in export if isinstance(r, InteractionRecord) and r.origin.startswith("messages")]
    assert [r.direction for r in messages] == ["outbound", "inbound"]


def test_message_ids_survive_a_spreadsheet_resave() -> None:
    path = DATA / "edge" / "messages.csv"
    original = list(parse_linkedin_file(path.read_bytes(), "messages.csv"))
    resaved = list(parse_linkedin_file(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"), "messages.csv"))
    assert [getattr(r, "external_id", None) for r in original] == [getattr(r, "external_id", None) for r in resaved]


def test_sponsored_messages_are_counted_as_issues() -> None:
    path = _sample("linkedin-2026", "messages.csv")
    issues = [r for r in parse_linkedin_file(path.read_bytes(), "messages.csv") if isinstance(r, ParseIssue)]
    assert issues == [ParseIssue("messages.csv:5", 'sponsored message (from "LinkedIn Member", no profile)')]


# --- whole exports -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("folder", ["linkedin-2018", "linkedin-2022", "linkedin-2026", "linkedin-excel"])
def test_an_export_reads_like_its_files(folder: str) -> None:
    if not (FORMATS / folder).is_dir():
        pytest.skip("the shared folder is not here")
    files = sorted((FORMATS / folder).iterdir())
    pairs = [(f"Export/{f.name}", f.read_bytes()) for f in files]
    pairs.append(("Export/Profile.csv", b"First Name,Last Name\nChris,Aldana\n"))  # ignored, as are dozens more
    expected: list[Record] = []
    for kind in ("connections.csv", "invitations.csv", "messages.csv"):
        for f in files:
            if f.name.lower() == kind:
                expected.extend(parse_linkedin_file(f.read_bytes(), f"Export/{f.name}"))
    export = list(parse_linkedin_export(pairs))
    # One file alone is read whole; the export leaves out the invitations no connection or message confirms.
    left_out = {r.origin: r for r in export if isinstance(r, ParseIssue) and "invitation" in r.reason}
    assert export == [left_out.get(r.origin, r) for r in expected]
    assert sorted((origin, r.reason) for origin, r in left_out.items()) == LEFT_OUT.get(folder, [])


# Priya Natarajan's invitation (2018) is not among the connections, and no message is with her.
LEFT_OUT = {
    "linkedin-2018": [
        ("Export/Invitations.csv:3",
         "an invitation you received and did not accept (not a connection, no message): left out"),
    ],
}  # fmt: skip


def test_an_export_without_linkedin_files_is_unreadable() -> None:
    with pytest.raises(UnreadableFileError, match=r"no Connections\.csv, messages\.csv or Invitations\.csv"):
        list(parse_linkedin_export([("Profile.csv", b"a,b\n"), ("notes.txt", b"hello")]))


def test_one_unreadable_file_does_not_sink_the_export() -> None:
    records = list(parse_linkedin_export([("messages.csv", b"\x00\x01"), ("Connections.csv", _CONNECTIONS)]))
    assert records[0] == ParseIssue("messages.csv", "messages.csv: not a text file (binary data with NUL bytes)")
    assert [type(r) for r in records[1:]] == [ContactRecord]


# --- real exports ------------------------------------------------------------------------------------------


def test_every_real_export_file_parses() -> None:
    if not REALDATA.is_dir():
        pytest.skip("the shared realdata folder is not here")
    found = sorted(p for p in REALDATA.rglob("*") if p.is_file() and is_linkedin_file(p.name))
    if not found:
        pytest.skip("realdata holds no LinkedIn export (exports carry other people's data)")
    for path in found:
        relative = str(path.relative_to(REALDATA))
        assert relative in REAL_COUNTS, f"add the expected (records, issues) of {relative} to REAL_COUNTS"
        try:
            counts = _counts(list(parse_linkedin_file(path.read_bytes(), path.name)))
        except UnreadableFileError:
            counts = (0, -1)
        assert counts == REAL_COUNTS[relative], relative


# --- fuzzing -----------------------------------------------------------------------------------------------

NAMES = ["Connections.csv", "messages.csv", "Invitations.csv"]


def _valid_files() -> list[tuple[str, bytes]]:
    roots = [DATA, FORMATS] if FORMATS.is_dir() else [DATA]
    return [
        (p.name, p.read_bytes())
        for root in roots
        for p in sorted(root.glob("*/*.csv"))
        if is_linkedin_file(p.name) and (root == DATA or p.parent.name.startswith("linkedin-"))
    ]


VALID = _valid_files()
TOKENS = [",", '"', "\n", "\r\n", "\t", " ", "a", "Zoë", "&amp;", "<p>", "First Name", "Last Name", "URL",
          "FROM", "TO", "DATE", "CONTENT", "SUBJECT", "CONVERSATION ID", "SENDER PROFILE URL",
          "RECIPIENT PROFILE URLS", "Sent At", "Direction", "inviterProfileUrl", "OUTGOING", "INCOMING",
          "LinkedIn Member", "https://www.linkedin.com/in/x", "http://", "2022-09-08 18:08:14 UTC",
          '"1/8/18, 6:14 PM"', "09 Sep 2022", "9-Sep-22", "9999-12-31T23:59:59-14:00", ", CPA"]  # fmt: skip
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_only_allowed(data: bytes, name: str) -> None:
    try:
        records = list(parse_linkedin_file(data, name))
    except UnreadableFileError as exc:
        assert str(exc).startswith(f"{name}: ")
        return
    for record in records:
        assert isinstance(record, ContactRecord | InteractionRecord | ParseIssue)
        assert record.origin.startswith(f"{name}:")
        if isinstance(record, InteractionRecord):
            assert record.occurred_at.tzinfo is None and record.participants
            assert "\n" not in record.summary


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from(NAMES))
def test_fuzz_random_bytes(data: bytes, name: str) -> None:
    assert_only_allowed(data, name)


@FUZZ
@given(st.sampled_from(VALID), st.floats(0, 1))
def test_fuzz_truncated_files(sample: tuple[str, bytes], cut: float) -> None:
    name, data = sample
    assert_only_allowed(data[: int(len(data) * cut)], name)


@FUZZ
@given(st.sampled_from(VALID), st.lists(st.tuples(st.floats(0, 1), st.binary(max_size=4), st.integers(0, 3))))
def test_fuzz_mutated_files(sample: tuple[str, bytes], edits: list[tuple[float, bytes, int]]) -> None:
    name, data = sample
    for where, insert, delete in edits:
        at = int(len(data) * where)
        data = data[:at] + insert + data[at + delete :]
    assert_only_allowed(data, name)


@FUZZ
@given(st.sampled_from(VALID), st.lists(st.tuples(st.floats(0, 1), st.sampled_from(TOKENS)), max_size=8))
def test_fuzz_files_with_tokens_inserted(sample: tuple[str, bytes], edits: list[tuple[float, str]]) -> None:
    name, data = sample
    for where, token in edits:  # quotes, commas, dates and names where they do not belong
        at = int(len(data) * where)
        data = data[:at] + token.encode() + data[at:]
    assert_only_allowed(data, name)


@FUZZ
@given(st.sampled_from(NAMES), st.lists(st.lists(st.sampled_from(TOKENS), max_size=12).map("".join), max_size=12))
def test_fuzz_csv_like_text(name: str, cells: list[str]) -> None:
    header = {
        "Connections.csv": "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
        "messages.csv": "CONVERSATION ID,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT",
        "Invitations.csv": "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl",
    }[name]
    assert_only_allowed(f"{header}\n{','.join(cells)}\n".encode(), name)


@FUZZ
@given(st.lists(st.tuples(st.sampled_from([*NAMES, "x/Profile.csv"]), st.binary(max_size=300)), max_size=4))
def test_fuzz_exports(files: list[tuple[str, bytes]]) -> None:
    try:
        records = list(parse_linkedin_export(files))
    except UnreadableFileError:
        return
    assert all(isinstance(r, ContactRecord | InteractionRecord | ParseIssue) for r in records)


def test_rows_imported_before_are_recognised_by_their_digest_alone() -> None:
    data = (FORMATS / "linkedin" / "Connections.csv").read_bytes() if (FORMATS / "linkedin").is_dir() else None
    if data is None:
        data = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + (
            b"Ana,Ruiz,https://www.linkedin.com/in/ana-ruiz,,Acme,CFO,01 Feb 2024\n"
            b"Ben,Ortiz,https://www.linkedin.com/in/ben-ortiz,,Beta,CTO,02 Feb 2024\n"
        )
    first = [r for r in parse_linkedin_export([("Connections.csv", data)]) if isinstance(r, ContactRecord)]
    assert first and all(r.digest for r in first) and len({r.digest for r in first}) == len(first)
    again = list(parse_linkedin_export([("Connections.csv", data)], known={first[0].digest or ""}))
    assert isinstance(again[0], Unchanged) and again[0].origin == first[0].origin
    assert [r.digest for r in again[1:] if isinstance(r, ContactRecord)] == [r.digest for r in first[1:]]
