"""Every import kind, given something it cannot read, says what is wrong and exits non-zero; a folder with some
readable files imports them, reports the others and succeeds. Through the real entry point."""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_user_story import ok
from tests.conftest import Cli

ME = "me@bad.example"
VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@engine.example\r\nEND:VCARD\r\n"
ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:m1@bad.example\r\n"
    "DTSTAMP:20260901T120000Z\r\nDTSTART:20260910T150000Z\r\nSUMMARY:Coffee\r\n"
    f"ORGANIZER:mailto:{ME}\r\nATTENDEE;CN=Grace Hopper:mailto:grace@navy.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
MBOX = "".join(
    f"From {a} Mon Jan  1 12:00:00 2024\nFrom: <{a}>\nTo: <{b}>\nSubject: hi\n"
    f"Date: Mon, 1 Jan 2024 1{i}:00:00 +0000\nMessage-ID: <m{i}@bad.example>\n\nbody\n\n"
    for i, (a, b) in enumerate([(ME, "ann@x.example"), ("ann@x.example", ME)])
)
CSV = "First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value\nKatherine,Johnson,Work,kj@nasa.example\n"


def write(path: Path, content: str | bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def folder(path: Path) -> str:
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


def damaged_zip(path: Path) -> str:
    """A LinkedIn zip cut short, as an interrupted download leaves it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    whole = path.with_name("whole.zip")
    with zipfile.ZipFile(whole, "w") as archive:
        archive.writestr("Connections.csv", "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n")
    cut = whole.read_bytes()[:30]
    whole.unlink()
    return write(path, cut)


# (kind, what to make, what the error must say)
BAD: list[tuple[str, Callable[[Path], str], str]] = [
    ("mbox", lambda t: write(t / "empty.mbox", ""), "empty.mbox: the file is empty"),
    ("mbox", lambda t: write(t / "notes.mbox", "Dear diary,\nno mail here\n"), 'not an mbox file (it does not start'),
    ("mbox", lambda t: folder(t / "mail"), "nothing to import: the folder has no files"),
    ("mbox", lambda t: (write(t / "m" / "a.mbox", ""), write(t / "m" / "b.mbox", "text\n"))[0].rsplit("/", 1)[0],
     "nothing readable to import (2 problems)"),
    ("maildir", lambda t: folder(t / "Maildir"), "nothing to import: no messages in this maildir"),
    ("maildir", lambda t: write(t / "Maildir" / "cur" / "1.eml", "").rsplit("/", 2)[0],
     "Maildir/cur/1.eml: the file is empty"),
    ("vcard", lambda t: write(t / "empty.vcf", ""), "empty.vcf: the file is empty"),
    ("vcard", lambda t: write(t / "notes.vcf", "just some notes\n"), "not a vCard file"),
    ("vcard", lambda t: folder(t / "cards"), "nothing to import: the folder has no .vcf or .vcard files"),
    ("csv", lambda t: write(t / "empty.csv", "\n"), "empty.csv: the file is empty"),
    ("csv", lambda t: write(t / "other.csv", "a,b,c\n1,2,3\n"), "not the header of a Google or Outlook contacts"),
    ("google", lambda t: folder(t / "exports"), "nothing to import: the folder has no .csv files"),
    ("ics", lambda t: write(t / "empty.ics", ""), "empty.ics: the file is empty"),
    ("ics", lambda t: write(t / "notes.ics", "hello\n"), "not an iCalendar file"),
    ("ics", lambda t: folder(t / "calendars"), "nothing to import: the folder has no .ics files"),
    ("linkedin", lambda t: damaged_zip(t / "Basic_LinkedInDataExport.zip"), "a damaged zip archive"),
    ("linkedin", lambda t: write(t / "export.zip", b"<html>Sign in to LinkedIn</html>"), "a damaged zip archive"),
    ("linkedin", lambda t: folder(t / "export"), "nothing to import: the folder has no .csv files"),
    ("linkedin", lambda t: write(t / "export" / "Profile.csv", "First Name,Last Name\nA,B\n").rsplit("/", 1)[0],
     "export: no Connections.csv, messages.csv or Invitations.csv in it; is this a LinkedIn export?"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "make", "says"), BAD, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(BAD)])
def test_nothing_readable_fails_and_says_why(
    cli: Cli, tmp_path: Path, kind: str, make: Callable[[Path], str], says: str
) -> None:
    path = make(tmp_path / "in")
    result = cli("import", kind, path, "--me", ME)
    assert result.code == 1, result.out + result.err
    assert "Traceback" not in result.out + result.err
    errors = [line for line in result.out.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and says in errors[0], result.out
    assert Path(path).name in errors[0]  # it names what it is about
    data = json.loads(cli("import", kind, path, "--me", ME, "--json").out)
    assert [f["failed"] for f in data["files"]] == [True]
    assert json.loads(ok(cli("people", "--json")).out) == []  # and nothing was written


@pytest.mark.parametrize(
    ("kind", "good_name", "good", "bad_name"),
    [
        ("vcard", "ada.vcf", VCARD, "broken.vcf"),
        ("ics", "coffee.ics", ICS, "broken.ics"),
        ("csv", "contacts.csv", CSV, "broken.csv"),
        ("mbox", "inbox.mbox", MBOX, "broken.mbox"),
    ],
)
def test_a_folder_imports_what_it_can(
    cli: Cli, tmp_path: Path, kind: str, good_name: str, good: str, bad_name: str
) -> None:
    where = tmp_path / "folder"
    write(where / good_name, good)
    write(where / bad_name, "")  # empty
    result = cli("import", kind, str(where), "--me", ME)
    assert result.code == 0, result.out + result.err
    assert "1 added" in result.out
    assert "broken" in result.out and "the file is empty" in result.out  # the rest is reported, by name
    assert "error: " not in result.out
    assert len(json.loads(ok(cli("people", "--json")).out)) == 1


def test_a_named_file_still_fails_beside_good_ones(cli: Cli, tmp_path: Path) -> None:
    good, bad = write(tmp_path / "ada.vcf", VCARD), write(tmp_path / "empty.vcf", "")
    result = cli("import", "vcard", good, bad)
    assert result.code == 1 and "error: " in result.out and "empty.vcf: the file is empty" in result.out
    assert len(json.loads(ok(cli("people", "--json")).out)) == 1  # the good one imported all the same


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="permissions do not stop root")
def test_an_unreadable_folder_fails(cli: Cli, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    write(locked / "ada.vcf", VCARD)
    locked.chmod(0)
    try:
        result = cli("import", "vcard", str(locked))
    finally:
        locked.chmod(0o755)
    assert result.code == 1 and "cannot read this folder (permission denied)" in result.out
