"""What a mail import reads when pointed at a real mail store: a Dovecot/Courier Maildir++ root with its
subfolders (Sent among them, which makes ties two-way; Trash, Junk and Drafts left out and said so), a folder of
mbox files or an mbox named for a maildir (refused, naming it), a single .eml, a compressed mbox, Apple Mail's
.mbox bundle, mail without a Date, raw 8-bit names. Every failure says what and where, and writes nothing."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from givefirst.errors import InvalidInputError
from givefirst.ingest.mail_messages import DATED_BY_ENVELOPE
from givefirst.services.context import App
from givefirst.services.importer import ImportOptions, ImportReport, import_paths
from tests.conftest import Cli
from tests.services.mail_samples import snapshot

ME = "chris@example.com"


def message(sender: str, to: str, subject: str, date: str | None, mid: str | None, body: str = "Hello.") -> str:
    lines = [f"From: {sender}", f"To: {to}", f"Subject: {subject}"]
    lines += [f"Date: {date}"] if date else []
    lines += [f"Message-ID: <{mid}>"] if mid else []
    return "\n".join(lines) + f"\n\n{body}\n"


KOFI = message("Kofi Mensah <kofi@example.com>", ME, "Lunch?", "Mon, 2 Nov 2026 10:00:00 +0000", "k1@example.com")
LENA = message("Lena Berg <lena@example.se>", ME, "Fika", "Tue, 3 Nov 2026 10:00:00 +0000", "l1@example.se")
TO_KOFI = message(f"Chris <{ME}>", "Kofi Mensah <kofi@example.com>", "Re: Lunch?", "Mon, 2 Nov 2026 11:00:00 +0000",
                  "c1@example.com")  # fmt: skip
TO_LENA = message(f"Chris <{ME}>", "lena@example.se", "Re: Fika", "Tue, 3 Nov 2026 11:00:00 +0000", "c2@example.com")
TO_SPAM = message(f"Chris <{ME}>", "pitch@spam.example", "Re: offer", "Wed, 4 Nov 2026 11:00:00 +0000", "c3@x")
SPAM = message("Pitch <pitch@spam.example>", ME, "An offer", "Wed, 4 Nov 2026 10:00:00 +0000", "s1@spam.example")


def put(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def maildir(path: Path, *messages: str) -> Path:
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    for number, text in enumerate(messages, 1):
        put(path / "cur" / f"17300000{number:02d}.M{number}P1.host:2,S", text)
    return path


def dovecot(root: Path) -> Path:
    """A Maildir++ root as Dovecot or Courier keep it: INBOX in the root, each folder a ".Name" maildir beside."""
    maildir(root, KOFI)
    put(root / "new" / "1730000100.M100P1.host", LENA)  # not yet seen
    put(root / "tmp" / "1730000101.M101P1.host", "From: Half <half@ex")  # a delivery not finished: not read
    put(root / "cur" / ".DS_Store", b"\x00\x01Bud1")  # maildir readers skip dot files
    maildir(root / ".Sent", TO_KOFI, TO_LENA)
    maildir(root / ".Archive.2025", KOFI)  # a copy: one interaction still
    maildir(root / ".Trash", TO_SPAM)
    maildir(root / ".Junk", SPAM)
    maildir(root / ".Drafts", message(f"Chris <{ME}>", "nobody@example.com", "unsent", None, None))
    for name in ("dovecot-uidlist", "dovecot.index.cache", "subscriptions"):
        put(root / name, "3 V1 N4\n")  # the server's own files: not read
    return root


def imported(app: App, kind: str, *paths: Path) -> ImportReport:
    return import_paths(app, kind, [str(p) for p in paths], ImportOptions(me=frozenset({ME})))


def notes(report: ImportReport) -> list[tuple[str, str, bool]]:
    return [(Path(origin).name, reason, kept) for unit in report.units for origin, reason, kept in unit.notes]


def people(app: App) -> dict[str, tuple[str, ...]]:
    return dict(snapshot(app)["people"])


LEFT_OUT = "a Trash, Junk, Spam or Drafts folder, not read (name it to import it)"


def test_a_maildir_root_reads_its_maildir_plus_folders(app: App, tmp_path: Path) -> None:
    report = imported(app, "maildir", dovecot(tmp_path / "Maildir"))
    assert not report.failed
    assert people(app) == {"Kofi Mensah": ("kofi@example.com",), "Lena Berg": ("lena@example.se",)}  # via .Sent
    assert report.totals() == {"added": 2, "interactions added": 4, "skipped": 4}
    assert sorted(notes(report)) == [
        (".Drafts", f"the whole file was skipped: .Drafts: {LEFT_OUT}", False),
        (".Junk", f"the whole file was skipped: .Junk: {LEFT_OUT}", False),
        (".Trash", f"the whole file was skipped: .Trash: {LEFT_OUT}", False),
        ("1730000001.M1P1.host:2,S", "duplicate message (Message-ID k1@example.com)", False),  # .Archive.2025's
    ]
    assert report.possibly_yours == []  # .Sent's sender is the user already


def test_a_left_out_folder_named_is_read_and_each_message_counts_once(app: App, tmp_path: Path) -> None:
    root = dovecot(tmp_path / "Maildir")
    report = imported(app, "maildir", root, root / ".Sent", tmp_path / "Maildir" / ".Junk", root / ".Trash")
    assert people(app) == {
        "Kofi Mensah": ("kofi@example.com",), "Lena Berg": ("lena@example.se",), "Pitch": ("pitch@spam.example",),
    }  # fmt: skip  # Pitch wrote to .Junk and was answered in .Trash: both named, so both read
    reasons = [reason for _, reason, _ in notes(report)]
    assert [reason for reason in reasons if "folder" in reason] == [f"the whole file was skipped: .Drafts: {LEFT_OUT}"]
    assert sum("duplicate" in reason for reason in reasons) == 1  # only the archived copy: .Sent is read once


def test_the_root_imports_what_its_folders_named_one_by_one_do(app: App, other_app: App, tmp_path: Path) -> None:
    root = dovecot(tmp_path / "Maildir")
    imported(app, "maildir", root)
    imported(other_app, "maildir", tmp_path / "Maildir" / ".Archive.2025")
    imported(other_app, "maildir", root / ".Sent")
    imported(other_app, "maildir", root)  # the rest
    assert snapshot(app) == snapshot(other_app)


def test_a_folder_of_mbox_files_is_no_maildir(app: App, tmp_path: Path) -> None:
    mboxes = tmp_path / "mail"
    put(mboxes / "Inbox", f"From kofi@example.com Mon Nov  2 10:00:00 2026\n{KOFI}\n"
                          f"From lena@example.se Tue Nov  3 10:00:00 2026\n{LENA}\n")  # fmt: skip
    put(mboxes / "Sent.mbox", f"From {ME} Mon Nov  2 11:00:00 2026\n{TO_KOFI}\n")
    with pytest.raises(InvalidInputError) as caught:
        imported(app, "maildir", mboxes)
    assert str(caught.value) == (
        f"{mboxes}: not a maildir (no cur/ or new/ folder in it): it holds mbox files (Inbox and 1 more);"
        f" perhaps you meant: givefirst import mbox {mboxes}"
    )
    with pytest.raises(InvalidInputError, match=r"Inbox: an mbox file, not a maildir: perhaps you meant: givefirst"):
        imported(app, "maildir", mboxes / "Inbox")
    assert snapshot(app)["people"] == [] and snapshot(app)["interactions"] == []
    assert imported(app, "mbox", mboxes).totals()["interactions added"] == 2  # as it was meant


def test_single_messages_and_folders_of_them_are_read_by_the_maildir_import(app: App, tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    put(folder / "lunch.eml", KOFI)
    put(folder / "reply.eml", f"From {ME} Mon Nov  2 11:00:00 2026\n{TO_KOFI}")  # a tool kept the From_ line
    assert imported(app, "maildir", folder).totals() == {"added": 1, "interactions added": 2}
    assert imported(app, "maildir", put(tmp_path / "fika.eml", LENA)).totals() == {"skipped": 1}  # one-way so far
    with pytest.raises(InvalidInputError, match=r"notes\.txt: a maildir is a folder"):
        imported(app, "maildir", put(tmp_path / "notes.txt", "Dear diary,\nno mail\n"))


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("Inbox.mbox.gz", gzip.compress(f"From kofi@example.com Mon Nov  2 10:00:00 2026\n{KOFI}".encode()),
         "Inbox.mbox.gz: not an mbox file but a gzip-compressed one: decompress it first (e.g. with gunzip)"),
        ("lunch.eml", KOFI.encode(),
         'lunch.eml: not an mbox file (it does not start with a "From " line) but a single message (.eml): import'
         ' it with "givefirst import maildir FILE", or put it in an mbox'),
    ],
)  # fmt: skip
def test_what_is_not_an_mbox_says_what_to_do(cli: Cli, tmp_path: Path, name: str, data: bytes, says: str) -> None:
    path = put(tmp_path / name, data)
    result = cli("import", "mbox", str(path), "--me", ME, "--json")
    assert result.code == 1 and "Traceback" not in result.out + result.err
    (unit,) = json.loads(result.out)["files"]
    assert unit["failed"] and unit["error"] == f"{tmp_path}/{says}"
    assert json.loads(cli("people", "--json").out) == []


def test_the_maildir_mistake_fails_with_its_folder_named(cli: Cli, tmp_path: Path) -> None:
    mboxes = tmp_path / "mail"
    put(mboxes / "Inbox.mbox", f"From kofi@example.com Mon Nov  2 10:00:00 2026\n{KOFI}")
    result = cli("import", "maildir", str(mboxes), "--me", ME)
    assert result.code != 0 and "Traceback" not in result.out + result.err
    said = result.out + result.err
    assert f"{mboxes}: not a maildir (no cur/ or new/ folder in it)" in said and "givefirst import mbox" in said
    assert json.loads(cli("people", "--json").out) == []


def test_an_apple_mail_bundle_reads_its_mbox_alone(app: App, tmp_path: Path) -> None:
    bundle = tmp_path / "Archive.mbox"
    put(bundle / "mbox", f"From kofi@example.com Mon Nov  2 10:00:00 2026\n{KOFI}\n"
                         f"From {ME} Mon Nov  2 11:00:00 2026\n{TO_KOFI}\n")  # fmt: skip
    put(bundle / "Info.plist", '<?xml version="1.0"?><plist version="1.0"><dict/></plist>\n')
    put(bundle / "table_of_contents", b"\x00\x00\x01\x00binary index")
    report = imported(app, "mbox", bundle)
    assert report.totals() == {"added": 1, "interactions added": 2}
    assert notes(report) == []  # the bundle's index files are no mail, and no news


def test_a_message_without_a_date_is_dated_by_its_from_line(app: App, tmp_path: Path) -> None:
    undated = message("Kofi Mensah <kofi@example.com>", ME, "No date", None, "k9@example.com")
    inbox = put(tmp_path / "Inbox.mbox", f"From kofi@example.com Sat Nov  7 10:00:00 2026\n{undated}\n"
                                         f"From {ME} Sat Nov  7 12:00:00 2026\n{TO_KOFI}\n")  # fmt: skip
    report = imported(app, "mbox", inbox)
    assert report.totals() == {"added": 1, "interactions added": 2, "warnings": 1}
    assert notes(report) == [("Inbox.mbox#1 (line 1)", DATED_BY_ENVELOPE, True)]
    assert [(at, subject) for at, _, subject, *_ in snapshot(app)["interactions"]] == [
        ("2026-11-02T11:00:00", "Re: Lunch?"),
        ("2026-11-07T10:00:00", "No date"),
    ]


def test_raw_8bit_headers_and_unescaped_from_lines_import_as_written(app: App, tmp_path: Path) -> None:
    mbox = put(
        tmp_path / "mixed.mbox",
        b"From severine@example.fr Wed Nov 11 08:00:00 2026\n"
        b"From: S\xe9verine Dubois <severine@example.fr>\nTo: chris@example.com\nSubject: R\xe9union\n"
        b"Date: Wed, 11 Nov 2026 09:00:00 +0100\nMessage-ID: <m10@example.fr>\n\n"
        b"Bonjour,\nFrom now on we meet on Tuesdays.\n\n"
        b"From chris@example.com Wed Nov 11 09:00:00 2026\n"
        b"From: chris@example.com\nTo: S\xe9verine Dubois <severine@example.fr>\nSubject: Re: R\xe9union\n"
        b"Date: Wed, 11 Nov 2026 10:00:00 +0100\nMessage-ID: <m11@example.com>\n\nmerci\n",
    )
    report = imported(app, "mbox", mbox)
    assert report.totals() == {"added": 1, "interactions added": 2} and notes(report) == []
    assert people(app) == {"Séverine Dubois": ("severine@example.fr",)}
    assert [subject for _, _, subject, *_ in snapshot(app)["interactions"]] == ["Réunion", "Re: Réunion"]


def test_a_failed_mail_import_leaves_the_database_as_it_was(app: App, tmp_path: Path) -> None:
    imported(app, "maildir", dovecot(tmp_path / "Maildir"))
    before = snapshot(app)
    gz = put(tmp_path / "more.mbox.gz", gzip.compress(b"From a@example.com Mon Nov  2 10:00:00 2026\n" + LENA.encode()))
    assert imported(app, "mbox", gz).failed
    with pytest.raises(InvalidInputError):
        imported(app, "maildir", tmp_path / "Maildir", put(tmp_path / "box" / "a.mbox", "From x\n"))
    assert snapshot(app) == before
