"""Reading mbox files as mail programs write them: an unescaped "From " line in a body stays body text, a message
without a Date is dated by its From_ line, raw 8-bit headers keep their names and subjects, and a file that is
not an mbox (compressed, a single message) says what it is. Golden-style: small files written here, and what the
reader must give for each message, in full."""

from __future__ import annotations

import bz2
import gzip
import io
import zipfile
from datetime import datetime
from typing import Any, BinaryIO, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from givefirst.ingest.email_headers import MessageHeaders, RawHeaders, envelope_date, parse_headers
from givefirst.ingest.mail_messages import mail_messages, my_addresses, to_interactions
from givefirst.ingest.mbox import looks_like_mbox, read_maildir_message, read_mbox, scan_maildir_message, scan_mbox
from givefirst.ingest.records import InteractionRecord, ParseIssue, UnreadableFileError
from tests.ingest.test_email_headers import Trickle

ME = frozenset({"me@example.org"})

# One mbox with what real archives hold; each message's first header line says what it is about.
ARCHIVE = b"".join(
    [
        b"From ana@example.com Mon Jan  6 10:00:00 2025\n"
        b"From: Ana Lima <ana@example.com>\nTo: me@example.org\nSubject: Plain\n"
        b"Date: Mon, 6 Jan 2025 10:00:00 +0000\nMessage-ID: <plain@example.com>\n\n"
        b"Hello,\n"
        b"From now on we meet on Tuesdays.\n"  # mboxo: not escaped, and no From_ line: body text
        b"See you then.\n"
        b"From ana@example.com Mon Jan  6 10:30:00 2025\n"  # a From_ line's shape, then a blank line: body text
        b"\n"
        b"A forwarded piece, quoted without escaping.\n"
        b">From the escaped kind (mboxrd) too.\n\n",
        b"From - Tue Jan  7 09:00:00 2025\n"  # Thunderbird's From_ line; no Date header
        b"From: Ana Lima <ana@example.com>\nTo: me@example.org\nSubject: No Date header\n"
        b"Message-ID: <undated@example.com>\n\nBody.\n\n",
        b"From 1783456789012345678@xxx Wed Jan 08 11:00:00 +0100 2025\n"  # Gmail Takeout's, with a zone
        b"X-GM-THRID: 1783456789012345678\n"
        b"From: me@example.org\nTo: Ana Lima <ana@example.com>\nSubject: Also no Date\n"
        b"Message-ID: <undated2@example.org>\n\nBody.\n\n",
        b"From severine@example.fr Thu Jan  9 08:00:00 2025\n"  # raw Latin-1 / Windows-1252, no charset said
        b"From: S\xe9verine Dubois <severine@example.fr>\nTo: me@example.org\n"
        b"Subject: R\xe9union \x93demain\x94\nDate: Thu, 9 Jan 2025 09:00:00 +0100\nMessage-ID: <r1@example.fr>\n\n"
        b"Bonjour.\n\n",
        b"From severine@example.fr Thu Jan  9 08:30:00 2025\n"  # valid UTF-8 stays UTF-8
        b"From: S\xc3\xa9verine Dubois <severine@example.fr>\nTo: me@example.org\nSubject: R\xc3\xa9union\n"
        b"Date: Thu, 9 Jan 2025 09:30:00 +0100\nMessage-ID: <r2@example.fr>\n\nMerci.\n\n",
        b"From cafe@example.fr Thu Jan  9 09:00:00 2025\n"  # an 8-bit byte in an address is never guessed
        b"From: caf\xe9@example.fr\nTo: me@example.org\nSubject: Address in Latin-1\n"
        b"Date: Thu, 9 Jan 2025 10:00:00 +0100\n\nBody.\n\n",
        b"From ben@example.com Fri Jan 10 12:00:00 2025\n"  # a bad Date is an issue, not replaced
        b"From: Ben <ben@example.com>\nTo: me@example.org\nSubject: Bad date\nDate: someday\n\nBody.\n",
    ]
)


def compact(item: MessageHeaders | ParseIssue) -> dict[str, Any]:
    """Return what a reader gave for one message, in a form to compare whole."""
    if isinstance(item, ParseIssue):
        return {"origin": item.origin, "issue": item.reason}
    return {
        "origin": item.origin,
        "date": item.date.isoformat() if item.date else None,
        "from": (item.sender.name, item.sender.email) if item.sender else None,
        "to": [(p.name, p.email) for p in item.to],
        "subject": item.subject,
    }


EXPECTED = [
    {"origin": "archive.mbox#1 (line 1)", "date": "2025-01-06T10:00:00", "from": ("Ana Lima", "ana@example.com"),
     "to": [(None, "me@example.org")], "subject": "Plain"},
    {"origin": "archive.mbox#2 (line 16)", "date": "2025-01-07T09:00:00", "from": ("Ana Lima", "ana@example.com"),
     "to": [(None, "me@example.org")], "subject": "No Date header"},
    {"origin": "archive.mbox#3 (line 24)", "date": "2025-01-08T10:00:00", "from": (None, "me@example.org"),
     "to": [("Ana Lima", "ana@example.com")], "subject": "Also no Date"},
    {"origin": "archive.mbox#4 (line 33)", "date": "2025-01-09T08:00:00",
     "from": ("Séverine Dubois", "severine@example.fr"), "to": [(None, "me@example.org")],
     "subject": "Réunion “demain”"},
    {"origin": "archive.mbox#5 (line 42)", "date": "2025-01-09T08:30:00",
     "from": ("Séverine Dubois", "severine@example.fr"), "to": [(None, "me@example.org")], "subject": "Réunion"},
    {"origin": "archive.mbox#6 (line 51)", "issue": "the From header is not UTF-8 text: 'caf\ufffd@example.fr'"},
    {"origin": "archive.mbox#7 (line 59)", "issue": "the Date header is not a date: 'someday'"},
]  # fmt: skip


def read(data: bytes, name: str = "archive.mbox", step: int | None = None) -> list[dict[str, Any]]:
    stream = io.BytesIO(data) if step is None else Trickle(data, step)
    return [compact(item) for item in read_mbox(cast(BinaryIO, stream), name)]


def test_the_archive_reads_as_its_writer_meant() -> None:
    assert read(ARCHIVE) == EXPECTED


def test_crlf_line_ends_read_alike() -> None:
    assert read(ARCHIVE.replace(b"\n", b"\r\n")) == EXPECTED


@pytest.mark.parametrize("step", [1, 2, 3, 5, 7, 13, 64, 200, 4096])
def test_chunk_boundaries_change_nothing(step: int) -> None:
    """Whether a "From " line opens a message is settled the same wherever a read ends."""
    assert read(ARCHIVE, step=step) == EXPECTED


def test_bodies_hold_the_unescaped_lines() -> None:
    (first, *_) = scan_mbox(io.BytesIO(ARCHIVE), "archive.mbox", bodies=True)
    assert isinstance(first, RawHeaders) and first.body is not None
    assert b"From now on we meet on Tuesdays.\n" in first.body
    assert b"A forwarded piece, quoted without escaping." in first.body


def test_a_from_line_before_a_header_still_opens_a_message() -> None:
    """Messages written back to back, no blank line between them: each still its own."""
    data = (
        b"From a@example.com Mon Jan  6 10:00:00 2025\nFrom: a@example.com\nSubject: one\n\nbody\n"
        b"From b@example.com Mon Jan  6 11:00:00 2025\nFrom: b@example.com\nSubject: two\n\nbody\n"
        b"From c@example.com Mon Jan  6 12:00:00 2025\nFrom: c@example.com\nSubject: three\n"  # no body at all
        b"From d@example.com Mon Jan  6 13:00:00 2025\nFrom: d@example.com\nSubject: four\n\n"
    )
    assert [m["subject"] for m in read(data)] == ["one", "two", "three", "four"]


def test_from_lines_without_a_date_split_when_the_file_writes_them_so() -> None:
    """A writer that puts no date on its From_ lines: the next line being a header decides alone."""
    data = (
        b"From a@example.com\nFrom: a@example.com\nSubject: one\n\nFrom here on, body.\nstill body\n\n"
        b"From b@example.com\nFrom: b@example.com\nSubject: two\n\nbody\n"
    )
    assert [(m["origin"], m["subject"]) for m in read(data, "undated.mbox")] == [
        ("undated.mbox#1 (line 1)", "one"),
        ("undated.mbox#2 (line 8)", "two"),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b"From a@example.com Mon Jan  6 10:00:00 2025", datetime(2025, 1, 6, 10, 0)),
        (b"From a@example.com Mon Jan  6 10:00:00 2025\r", datetime(2025, 1, 6, 10, 0)),
        (b"From - Sat Nov  7 10:00:00 2026", datetime(2026, 11, 7, 10, 0)),  # Thunderbird
        (b"From 17834@xxx Sat Nov 07 10:00:00 +0000 2026", datetime(2026, 11, 7, 10, 0)),  # Gmail Takeout
        (b"From a@example.com Mon, 2 Nov 2026 10:00:00 +0100", datetime(2026, 11, 2, 9, 0)),  # RFC 5322
        (b"From ana at example.com  Wed Dec  1 08:26:40 2010", datetime(2010, 12, 1, 8, 26, 40)),  # pipermail
        (b"From a@example.com Thu Jan  1 00:00:00 1970", None),  # the epoch: a placeholder
        (b"From a@example.com", None),
        (b"From a@example.com sometime", None),
        (b"From a@example.com Mon Jan 32 10:00:00 2025", None),
        (b"Subject: no", None),
    ],
)
def test_envelope_dates(line: bytes, expected: datetime | None) -> None:
    assert envelope_date(line) == expected


def test_a_maildir_file_that_kept_its_from_line_is_dated_by_it() -> None:
    data = b"From ana@example.com Mon Jan  6 10:00:00 2025\nFrom: ana@example.com\nSubject: hi\n\nbody\n"
    message = read_maildir_message(data, "cur/1:2,S")
    assert isinstance(message, MessageHeaders) and message.date == datetime(2025, 1, 6, 10, 0)
    assert read_maildir_message(data.split(b"\n", 1)[1], "cur/2:2,S") == MessageHeaders(
        origin="cur/2:2,S", message_id=None, date=None, sender=message.sender, to=(), cc=(), subject="hi",
        list_id=None, precedence=None, auto_submitted=None,
    )  # fmt: skip


def test_the_import_learns_which_messages_the_from_line_dated() -> None:
    raw = [item for item in scan_mbox(io.BytesIO(ARCHIVE), "archive.mbox") if isinstance(item, RawHeaders)]
    dated: set[str] = set()
    kept = [
        m for m in mail_messages(raw, mine=my_addresses(ME), dated_by_envelope=dated) if not isinstance(m, ParseIssue)
    ]
    assert dated == {"undated@example.com", "undated2@example.org"}
    assert {m.key for m in kept} >= dated
    # decoded first or not, the same interactions
    decoded = [m for m in map(parse_headers, raw) if isinstance(m, MessageHeaders)]
    from_raw = [r for r in to_interactions(raw, me=ME, source="mbox") if isinstance(r, InteractionRecord)]
    assert from_raw == [r for r in to_interactions(decoded, me=ME, source="mbox") if isinstance(r, InteractionRecord)]
    assert {r.external_id: r.occurred_at for r in from_raw}["undated2@example.org"] == datetime(2025, 1, 8, 10, 0)


def test_raw_8bit_headers_keep_names_and_subjects() -> None:
    def one(header: bytes) -> MessageHeaders:
        found = read_maildir_message(header + b"\nDate: Mon, 6 Jan 2025 10:00:00 +0000\n\nbody\n", "m")
        assert isinstance(found, MessageHeaders), found
        return found

    assert one(b"From: J\xfcrgen M\xfcller <j@example.de>").sender.name == "Jürgen Müller"  # type: ignore[union-attr]
    assert one(b"From: a@example.com\nSubject: \x80 20 \x96 caf\xe9").subject == "€ 20 – café"  # Windows-1252
    assert one(b"From: a@example.com\nSubject: odd \x81 byte \xe9").subject == "odd \x81 byte é"  # Latin-1 at worst
    declared = b"From: a@example.com\nSubject: \xf0\xd2\xc9\xd7\xc5\xd4\nContent-Type: text/plain; charset=koi8-r"
    assert one(declared).subject == "Привет"  # a declared charset first
    to = one(b"From: a@example.com\nTo: Ren\xe9 <caf\xe9@example.fr>, Ren\xe9 Roux <rene@example.fr>").to
    assert [(p.name, p.email) for p in to] == [("René Roux", "rene@example.fr")]  # the 8-bit address left out


def test_two_way_ties_survive_8bit_names() -> None:
    """Severine wrote in Latin-1, the user answered: she is named as she signs, not after her address."""
    records = [r for r in to_interactions([m for m in read_mbox(io.BytesIO(ARCHIVE), "a.mbox")
                                           if isinstance(m, MessageHeaders)], me=ME, source="mbox",
                                          require_two_way=False) if isinstance(r, InteractionRecord)]  # fmt: skip
    names = {p.email: p.name for r in records for p in r.participants}
    assert names["severine@example.fr"] == "Séverine Dubois"


# --- what is not an mbox says what it is ----------------------------------------------------------------------------

MESSAGE = b"From: Ana <a@example.com>\nTo: me@example.org\nSubject: hi\nDate: Mon, 6 Jan 2025 10:00:00 +0000\n\nbody\n"


def _zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("Inbox.mbox", data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (gzip.compress(ARCHIVE),
         "x.mbox: not an mbox file but a gzip-compressed one: decompress it first (e.g. with gunzip)"),
        (bz2.compress(ARCHIVE),
         "x.mbox: not an mbox file but a bzip2-compressed one: decompress it first (e.g. with bunzip2)"),
        (_zip(ARCHIVE), "x.mbox: not an mbox file but a zip-compressed one: extract it first (e.g. with unzip)"),
        (MESSAGE, 'x.mbox: not an mbox file (it does not start with a "From " line) but a single message (.eml): '
                  'import it with "givefirst import maildir FILE", or put it in an mbox'),
        (b"\n\nReturn-Path: <a@example.com>\n" + MESSAGE, "but a single message (.eml)"),
        (b"First Name,Last Name\nAna,Lima\n", 'x.mbox: not an mbox file (it does not start with a "From " line)'),
    ],
)  # fmt: skip
def test_not_an_mbox_says_what_it_is(data: bytes, says: str) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        list(read_mbox(io.BytesIO(data), "x.mbox"))
    assert says in str(caught.value)
    if b"," in data[:20]:
        assert "single message" not in str(caught.value)


def test_what_looks_like_an_mbox() -> None:
    assert looks_like_mbox(ARCHIVE)
    assert looks_like_mbox(b"\n" + ARCHIVE.replace(b"\n", b"\r\n"))
    assert not looks_like_mbox(MESSAGE)
    one = b"From a@example.com Mon Jan  6 10:00:00 2025\n" + MESSAGE + b"From now on, tea.\nNo: header\n"
    assert not looks_like_mbox(one)  # one message under its From_ line: a maildir file may keep it
    assert scan_maildir_message(one, "m").envelope == b"From a@example.com Mon Jan  6 10:00:00 2025"  # type: ignore[union-attr]


# --- whatever the bodies say, only real From_ lines open messages -----------------------------------------------------

BODY_LINE = st.sampled_from(
    [
        b"From now on, tea.", b"From a@example.com Mon Jan  6 10:00:00 2025", b"From here: a list", b"",
        b">From the archive", b"Subject: looks like a header", b"Fromage", b"From 10:00 to 12:00 2025",
    ]
)  # fmt: skip


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(BODY_LINE, max_size=6), min_size=1, max_size=5), st.integers(1, 97))
def test_body_lines_never_open_a_message(bodies: list[list[bytes]], step: int) -> None:
    """A body line opens a message only when a From_ line is followed by a header line; the writer here never
    puts a header-looking line right after a "From " line in a body, so every message is found, no more."""
    messages = []
    for n, lines in enumerate(bodies):
        safe: list[bytes] = []
        for line in lines:
            if line.startswith(b"Subject") and safe and safe[-1].startswith(b"From "):
                safe.append(b"")  # a From_ line then a header would be a message: the one thing not written
            safe.append(line)
        messages.append(
            b"From a@example.com Mon Jan  6 10:00:00 2025\nFrom: a@example.com\nSubject: m%d\n\n" % n
            + b"\n".join(safe)
            + b"\n"
        )
    found = read(b"".join(messages), step=step)
    assert [m.get("subject") for m in found] == [f"m{n}" for n in range(len(bodies))]
