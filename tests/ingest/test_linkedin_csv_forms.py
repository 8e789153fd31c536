"""LinkedIn CSV files as they reach givefirst after a trip through a spreadsheet or an editor: an unclosed quote,
semicolons or tabs, UTF-16, dates in a local order or in the future, very long messages, and files that are not
LinkedIn's at all. Every sample is written here; the shared formats are used when present and skipped otherwise."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from givefirst.ingest.linkedin import parse_linkedin_export, parse_linkedin_file
from givefirst.ingest.linkedin_tables import read_date, slash_order
from givefirst.ingest.records import ContactRecord, InteractionRecord, ParseIssue, Record, UnreadableFileError
from tests.conftest import SHARED, Cli

FORMATS = SHARED / "formats"
TODAY = date(2026, 12, 6)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
PREAMBLE = 'Notes:\n"When exporting your connection data, you may notice that some emails are missing, like this."\n\n'


def _connections(*rows: str, header: str = HEADER, preamble: str = PREAMBLE) -> bytes:
    return (preamble + header + "\n" + "".join(f"{row}\n" for row in rows)).encode()


def _read(data: bytes, name: str = "Connections.csv") -> list[Record]:
    return list(parse_linkedin_file(data, name, today=TODAY))


def _summary(records: list[Record]) -> list[tuple[str, str, str]]:
    """Each record as (kind, origin, what it says): a contact's name and date, an issue's reason."""
    out = []
    for r in records:
        if isinstance(r, ContactRecord):
            out.append(("contact", r.origin, f"{r.name} | {r.met_on}"))
        elif isinstance(r, ParseIssue):
            out.append(("issue", r.origin, r.reason))
        else:
            out.append((type(r).__name__, r.origin, ""))
    return out


# --- an unclosed quote --------------------------------------------------------------------------------------


def test_an_unclosed_quote_loses_one_row_and_says_where() -> None:
    data = _connections(
        "Good,One,https://www.linkedin.com/in/good1,,,,01 Jan 2025",
        'Bad,"Two,https://www.linkedin.com/in/bad2,,,,01 Jan 2025',
        "Good,Three,https://www.linkedin.com/in/good3,,,,02 Jan 2025",
        'Good,Four,https://www.linkedin.com/in/good4,,"Acme, Inc.",CEO,03 Jan 2025',
    )
    summary = _summary(_read(data))
    assert [s[:2] for s in summary] == [
        ("contact", "Connections.csv:5"),
        ("issue", "Connections.csv:6"),
        ("contact", "Connections.csv:7"),
        ("contact", "Connections.csv:8"),
    ]
    assert summary[1][2].startswith("line 6 has an unclosed quote")
    assert [s[2] for s in summary if s[0] == "contact"] == [
        "Good One | 2025-01-01",
        "Good Three | 2025-01-02",
        "Good Four | 2025-01-03",
    ]


def test_an_unclosed_quote_in_the_last_column_is_found_by_the_rows_it_swallowed() -> None:
    data = _connections(
        'Bad,Date,https://www.linkedin.com/in/bad,,,,"01 Jan 2025',
        "Good,Three,https://www.linkedin.com/in/good3,,,,02 Jan 2025",
        "Good,Four,https://www.linkedin.com/in/good4,,,,03 Jan 2025",
        preamble="",
    )
    summary = _summary(_read(data))
    assert summary[0][:2] == ("issue", "Connections.csv:2") and "line 2 has an unclosed quote" in summary[0][2]
    assert summary[1:] == [
        ("contact", "Connections.csv:3", "Good Three | 2025-01-02"),
        ("contact", "Connections.csv:4", "Good Four | 2025-01-03"),
    ]


def test_a_quoted_line_break_that_is_not_a_runaway_stays_one_row() -> None:
    # A position typed on two lines: the row still has the header's shape and swallowed nothing.
    data = _connections('Li,Wei PhD,https://www.linkedin.com/in/liwei,,,"Researcher\nPart-time",31 Dec 2021')
    (record,) = _read(data)
    assert isinstance(record, ContactRecord)
    assert (record.name, record.title, record.met_on) == ("Li Wei PhD", "Researcher Part-time", date(2021, 12, 31))


def test_an_unclosed_quote_at_the_end_of_the_file_keeps_what_came_before() -> None:
    data = _connections("Good,One,,,,,01 Jan 2025", 'Bad,"Two,,,,,01 Jan 2025', preamble="")
    summary = _summary(_read(data))
    assert summary[0] == ("contact", "Connections.csv:2", "Good One | 2025-01-01")
    assert summary[1][:2] == ("issue", "Connections.csv:3") and "unclosed quote" in summary[1][2]
    assert len(summary) == 2


def test_messages_keep_their_line_breaks() -> None:
    header = "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,FOLDER\n"
    row = 'c1,,Ana Ruiz,https://www.linkedin.com/in/ana,Chris Aldana,2026-11-10 14:02:11 UTC,,"One,\nTwo, 3",INBOX\n'
    records = _read((header + row).encode(), "messages.csv")
    assert [type(r) for r in records] == [InteractionRecord]


# --- spreadsheet re-saves: separators and encodings -------------------------------------------------------

ROWS = [
    'Jürgen,Müller,https://www.linkedin.com/in/jmueller,j.mueller@example.de,"Müller, Söhne GmbH",Geschäftsführer,'
    "06 Dec 2025",
    "Søren,Kierkegaard,https://www.linkedin.com/in/soren,,Dansk A/S,Philosopher,2025-11-30",
]


def _resaved(text: str, delimiter: str) -> str:
    """The text with its separators changed, as a spreadsheet in another locale saves it (quoted cells kept)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(csv.reader(io.StringIO(text, newline="")))
    return out.getvalue()


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(";", "cp1252"), (";", "utf-8-sig"), ("\t", "utf-16"), ("\t", "utf-16-le"), (",", "utf-16"), ("\t", "utf-8")],
)
def test_a_spreadsheet_resave_reads_like_the_original(delimiter: str, encoding: str) -> None:
    original = _read(_connections(*ROWS, preamble=""))
    text = _resaved((HEADER + "\n" + "\n".join(ROWS) + "\n"), delimiter)
    assert _read(text.encode(encoding)) == original
    assert [r.name for r in original if isinstance(r, ContactRecord)] == ["Jürgen Müller", "Søren Kierkegaard"]


@pytest.mark.parametrize("folder", ["linkedin-2018", "linkedin-2022", "linkedin-2026", "linkedin-excel"])
def test_the_shared_connections_read_the_same_after_an_excel_resave(folder: str) -> None:
    path = FORMATS / folder / "Connections.csv"
    if not path.is_file():
        pytest.skip(f"{path} is not here (the shared folder is optional)")
    original = _read(path.read_bytes())
    text = path.read_bytes().decode("utf-8-sig")
    header_at = text.index("First Name")  # Excel keeps no preamble worth keeping; the rows are what matter
    for delimiter, encoding in ((";", "cp1252"), ("\t", "utf-16")):
        resaved = _resaved(text[header_at:], delimiter).encode(encoding, errors="replace")
        again = _read(resaved)
        assert [(r.name, r.met_on, r.organization) for r in again if isinstance(r, ContactRecord)] == [
            (r.name, r.met_on, r.organization) for r in original if isinstance(r, ContactRecord)
        ]


def test_a_long_message_is_imported_whole() -> None:
    header = '"CONVERSATION ID","FROM","SENDER PROFILE URL","TO","DATE","SUBJECT","CONTENT"\n'
    body = "x" * 200_000  # above the csv module's default field limit of 128 KB
    row = f'"c1","Ana Ruiz","https://www.linkedin.com/in/ana","Chris Aldana","2026-11-10 14:02:11 UTC","","{body}"\n'
    (record,) = _read((header + row).encode(), "messages.csv")
    assert isinstance(record, InteractionRecord) and len(record.summary) == 200_000


# --- Connected On -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "order", "expected", "problem"),
    [
        ("06 Dec 2026", None, date(2026, 12, 6), None),
        ("6-Dec-26", None, date(2026, 12, 6), None),
        ("Dec 6, 2026", None, date(2026, 12, 6), None),
        ("2026-12-06", None, date(2026, 12, 6), None),
        ("06.12.2026", None, date(2026, 12, 6), None),  # dots: day first wherever they are written
        ("1/8/18, 6:14 PM", None, date(2018, 1, 8), None),  # LinkedIn's own 2018 form: month first
        ("25/11/2026", None, date(2026, 11, 25), None),  # a day above 12 says which
        ("11/25/2026", None, date(2026, 11, 25), None),
        ("5/5/2026", None, date(2026, 5, 5), None),  # either way the same day
        ("06/12/2026", "day first", date(2026, 12, 6), None),  # the file shows the order
        ("06/12/2026", "month first", date(2026, 6, 12), None),
        ("06/12/2026", None, None, "could be 12 June 2026 or 6 December 2026"),
        ("12/6/26", None, None, "could be 6 December 2026 or 12 June 2026"),
        ("31 Feb 2025", None, None, "is not a date givefirst can read"),
        ("06 déc. 2026", None, None, "is not a date givefirst can read"),
        ("someday", None, None, "is not a date givefirst can read"),
        ("01 Jan 2099", None, None, "lies in the future"),
        ("07 Dec 2026", None, date(2026, 12, 7), None),  # tomorrow in UTC may be today here
        ("", None, None, None),
    ],
)
def test_connected_on(text: str, order: str | None, expected: date | None, problem: str | None) -> None:
    found, why = read_date(text, order, TODAY)
    assert found == expected
    if problem is None:
        assert why is None
    else:
        assert why is not None and problem in why and text in why


def test_the_order_of_slash_dates_comes_from_the_dates_that_show_it() -> None:
    assert slash_order(["06/12/2026", "25/11/2026", "01 Jan 2025"]) == "day first"
    assert slash_order(["06/12/2026", "11/25/2026"]) == "month first"
    assert slash_order(["06/12/2026", "1/8/18, 6:14 PM"]) == "month first"
    assert slash_order(["06/12/2026", "05/05/2026"]) is None
    assert slash_order(["25/11/2026", "11/25/2026"]) is None  # a file that contradicts itself shows nothing


def test_dates_that_cannot_be_kept_are_warned_with_their_line() -> None:
    data = _connections(
        "A,One,https://www.linkedin.com/in/a1,,,,06/12/2026",
        "B,Two,https://www.linkedin.com/in/b2,,,,25/11/2026",
        "C,Three,https://www.linkedin.com/in/c3,,,,31 Feb 2025",
        "D,Four,https://www.linkedin.com/in/d4,,,,01 Jan 2099",
        preamble="",
    )
    assert _summary(_read(data)) == [
        ("contact", "Connections.csv:2", "A One | 2026-12-06"),  # day first, as line 3 shows
        ("contact", "Connections.csv:3", "B Two | 2026-11-25"),
        ("contact", "Connections.csv:4", "C Three | None"),
        (
            "issue",
            "Connections.csv:4",
            "line 4: Connected On '31 Feb 2025' is not a date givefirst can read; the connection was imported "
            "without it (write the date as YYYY-MM-DD to keep it)",
        ),
        ("contact", "Connections.csv:5", "D Four | None"),
        (
            "issue",
            "Connections.csv:5",
            "line 5: Connected On '01 Jan 2099' lies in the future; the connection was imported without it "
            "(write the date as YYYY-MM-DD to keep it)",
        ),
    ]


# --- files that are not LinkedIn's ------------------------------------------------------------------------


def test_an_export_with_nothing_readable_fails() -> None:
    with pytest.raises(UnreadableFileError, match=r"^x/Connections\.csv: not a LinkedIn Connections export"):
        list(parse_linkedin_export([("x/Connections.csv", b"a,b\n1,2\n")]))
    with pytest.raises(UnreadableFileError, match=r"none of its 2 files can be read: .*Connections.*messages"):
        list(parse_linkedin_export([("Connections.csv", b"a,b\n1,2\n"), ("messages.csv", b"\x00\x01")]))


def test_an_unreadable_file_beside_a_readable_one_is_only_reported() -> None:
    records = list(parse_linkedin_export([("Connections.csv", b"a,b\n1,2\n"), ("Invitations.csv", _INVITATION)]))
    assert isinstance(records[0], ParseIssue) and "not a LinkedIn Connections export" in records[0].reason
    # The invitation is read, but with no readable Connections.csv beside it nothing tells whether it was accepted:
    # it is left out, and the reason says so.
    (left_out,) = records[1:]
    assert isinstance(left_out, ParseIssue) and left_out.origin.startswith("Invitations.csv:2")
    assert "cannot be told" in left_out.reason


_INVITATION = b'From,To,Sent At,Message,Direction\nChris Aldana,Dana Lee,"1/8/18, 6:14 PM",,OUTGOING\n'


def test_the_cli_fails_a_file_that_is_not_a_linkedin_export(cli: Cli, tmp_path: Path) -> None:
    assert cli("init", "--name", "Chris Aldana").code == 0
    path = tmp_path / "Connections.csv"
    path.write_bytes(b"Name,Given Name,E-mail 1 - Value\nAna,Ana,ana@example.com\n")
    result = cli("import", "linkedin", str(path), "--json")
    assert result.code == 1 and "Traceback" not in result.out + result.err
    (unit,) = json.loads(result.out)["files"]
    assert unit["failed"] is True
    assert unit["error"].startswith("Connections.csv: not a LinkedIn Connections export")


def test_the_cli_imports_what_follows_an_unclosed_quote(cli: Cli, tmp_path: Path) -> None:
    assert cli("init", "--name", "Chris Aldana").code == 0
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "Connections.csv").write_bytes(
        _connections("Good,One,,,,,01 Jan 2025", 'Bad,"Two,,,,,01 Jan 2025', "Good,Three,,,,,01 Jan 2025")
    )
    result = cli("import", "linkedin", str(folder), "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["totals"]["added"] == 2
    (skipped,) = report["files"][0]["skipped"]
    assert skipped["origin"].endswith("Connections.csv:6") and "unclosed quote" in skipped["reason"]


def test_parse_timestamp_is_unchanged_for_messages() -> None:
    # Messages and invitations keep LinkedIn's own month-first reading (their dates carry a 12-hour clock).
    records = _read(_INVITATION, "Invitations.csv")
    assert [r.occurred_at for r in records if isinstance(r, InteractionRecord)] == [datetime(2018, 1, 8, 18, 14)]
