"""What a mail import reads when pointed at a real mail store: a Dovecot/Courier Maildir++ root with its
subfolders (Sent among them, which makes ties two-way; Trash, Junk and Drafts left out and said so), a folder of
plain maildirs as mbsync, offlineimap and Thunderbird keep them (the same, and never their tmp/ or state files),
a folder of mbox files or an mbox named for a maildir (refused, naming it), a single .eml, a compressed mbox,
Apple Mail's .mbox bundle, mail without a Date, raw 8-bit names. Every failure says what and where, and writes
nothing."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

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
STRAY = "beside the maildir's cur/ and new/, where mail programs never look: not read (name it to import it)"


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


HALF = "From: Half <half@ex"  # a delivery not finished, as tmp/ holds it: never read
DRAFT = message(f"Chris <{ME}>", "nobody@example.com", "unsent", None, None)
RAVI = message("Ravi Shankar <ravi@example.in>", ME, "Chai?", "Thu, 5 Nov 2026 10:00:00 +0000", "r1@example.in")
TO_RAVI = message(f"Chris <{ME}>", "ravi@example.in", "Re: Chai?", "Thu, 5 Nov 2026 11:00:00 +0000", "c4@example.com")
# What mail programs keep beside the mail: sync state, indexes, folder summaries. None of it is mail.
MBSYNC_STATE = "FarUidValidity 1730000000\nNearUidValidity 1\nMaxPulledUid 2\nMaxPushedUid 0\n\n1 1 S\n2 2 S\n"
UIDLIST = "3 V1730000000 N4 G0a1b2c\n1 :1730000001.M1P1.host:2,S\n"
MORK = '// <!-- <mdb:mork:z v="1.4"/> -->\n< <(a=c)> // (f=iso-8859-1)\n  (B8=flags)(B9=folderName)>\n'
FOLDER_TREE = '{"mailbox://nobody@Local%20Folders/Inbox":{"folderType":"Inbox"}}'


def inbox(folder: Path) -> Path:
    """An INBOX as a sync program leaves it: read mail in cur/, new mail in new/, a delivery cut short in tmp/."""
    maildir(folder, KOFI)
    put(folder / "new" / "1730000100.M100P1.host", LENA)
    put(folder / "tmp" / "1730000101.M101P1.host", HALF)
    return folder


def mbsync(root: Path) -> Path:
    """mbsync/isync with "SubFolders Verbatim": one plain maildir per folder, nested as on the server, each with
    the state mbsync keeps in it; notmuch's database beside them."""
    inbox(root / "INBOX")
    maildir(root / "Sent", TO_KOFI, TO_LENA)
    maildir(root / "Archive" / "2025", KOFI)  # a copy: one interaction still; "Archive" itself holds no mail
    maildir(root / "Trash", TO_SPAM)
    maildir(root / "Junk", SPAM)
    maildir(root / "Drafts", DRAFT)
    for folder in ("INBOX", "Sent", "Archive/2025", "Trash", "Junk", "Drafts"):
        put(root / folder / ".mbsyncstate", MBSYNC_STATE)
        put(root / folder / ".uidvalidity", "1730000000\n2\n")
    put(root / ".notmuch" / "xapian" / "postlist.glass", b"\x00\x01binary index")
    return root


def inbox_on_top(root: Path) -> Path:
    """mbsync with "Inbox ~/Mail": the INBOX is the top folder, the other folders plain maildirs inside it."""
    inbox(root)
    put(root / ".mbsyncstate", MBSYNC_STATE)
    maildir(root / "Sent", TO_KOFI, TO_LENA)
    maildir(root / "Archive" / "2025", KOFI)
    for name, mail in (("Trash", TO_SPAM), ("Junk", SPAM), ("Drafts", DRAFT)):
        maildir(root / name, mail)
    return root


def offlineimap(root: Path) -> Path:
    """offlineimap on a Gmail account: one plain maildir per folder, the server's hierarchy written with dots."""
    inbox(root / "INBOX")
    maildir(root / "[Gmail].Sent Mail", TO_KOFI, TO_LENA)
    maildir(root / "Archive.2025", KOFI)
    for name, mail in (("[Gmail].Trash", TO_SPAM), ("[Gmail].Spam", SPAM), ("[Gmail].Drafts", DRAFT)):
        maildir(root / name, mail)
    return root


def thunderbird(root: Path) -> Path:
    """Thunderbird's maildir store ("Local Folders"): a maildir per folder, its subfolders in "Name.sbd", a
    summary "Name.msf" beside each, and the account's own files."""
    inbox(root / "Inbox")
    maildir(root / "Sent", TO_KOFI, TO_LENA)
    maildir(root / "Archives")
    maildir(root / "Archives.sbd" / "2025", KOFI)
    for name, mail in (("Trash", TO_SPAM), ("Junk", SPAM), ("Drafts", DRAFT)):
        maildir(root / name, mail)
    for name in ("Inbox", "Sent", "Archives", "Trash", "Junk", "Drafts"):
        put(root / f"{name}.msf", MORK)
    put(root / "folderTree.json", FOLDER_TREE)
    put(root / "msgFilterRules.dat", 'version="9"\nlogging="no"\n')
    put(root / "popstate.dat", "# POP3 State File\n# This is a generated file!  Do not edit.\n")
    return root


def kmail(root: Path) -> Path:
    """KMail's local folders: a maildir per folder, the subfolders of "inbox" in ".inbox.directory"."""
    inbox(root / "inbox")
    maildir(root / "sent-mail", TO_KOFI, TO_LENA)
    maildir(root / ".inbox.directory" / "archive")
    maildir(root / ".inbox.directory" / ".archive.directory" / "2025", KOFI)
    for name, mail in (("trash", TO_SPAM), (".inbox.directory/Junk", SPAM), ("drafts", DRAFT)):
        maildir(root / name, mail)
    return root


@pytest.mark.parametrize(
    ("layout", "left_out"),
    [
        (mbsync, ["Drafts", "Junk", "Trash"]),
        (inbox_on_top, ["Drafts", "Junk", "Trash"]),
        (offlineimap, ["[Gmail].Drafts", "[Gmail].Spam", "[Gmail].Trash"]),
        (thunderbird, ["Drafts", "Junk", "Trash"]),
        (kmail, ["Junk", "drafts", "trash"]),
    ],
    ids=["mbsync", "inbox-on-top", "offlineimap", "thunderbird", "kmail"],
)
def test_a_folder_of_maildirs_is_read_as_a_maildir_root_is(
    app: App, other_app: App, tmp_path: Path, layout: Any, left_out: list[str]
) -> None:
    report = imported(app, "maildir", layout(tmp_path / "Mail"))
    assert not report.failed
    assert report.totals() == {"added": 2, "interactions added": 4, "skipped": 4}
    assert sorted(notes(report)) == sorted([
        *((name, f"the whole file was skipped: {name}: {LEFT_OUT}", False) for name in left_out),
        ("1730000001.M1P1.host:2,S", "duplicate message (Message-ID k1@example.com)", False),  # the archived copy
    ])  # fmt: skip  # and not a word about tmp/, the state files or the indexes: none of them was read
    imported(other_app, "maildir", dovecot(tmp_path / "Maildir"))
    assert snapshot(app) == snapshot(other_app)  # the same mail in Dovecot's layout: the same network


def test_a_left_out_maildir_named_with_its_folder_is_read_and_each_message_once(app: App, tmp_path: Path) -> None:
    root = mbsync(tmp_path / "Mail")
    report = imported(app, "maildir", root, root / "Junk", tmp_path / "Mail" / "Trash", root / "Sent")
    assert people(app) == {
        "Kofi Mensah": ("kofi@example.com",), "Lena Berg": ("lena@example.se",), "Pitch": ("pitch@spam.example",),
    }  # fmt: skip
    reasons = [reason for _, reason, _ in notes(report)]
    assert [reason for reason in reasons if "folder" in reason] == [f"the whole file was skipped: Drafts: {LEFT_OUT}"]
    assert sum("duplicate" in reason for reason in reasons) == 1  # only the archived copy: Sent is read once


def test_what_lies_beside_the_maildirs_is_read_when_it_is_mail_and_named_when_not_read(
    app: App, tmp_path: Path
) -> None:
    root = mbsync(tmp_path / "Mail")
    put(root / "saved" / "chai.eml", RAVI)  # a plain folder of saved messages among the maildirs: read
    put(root / "Sent" / "cur" / "1730000300.M300P1.host:2,S", TO_RAVI)
    put(root / "INBOX" / "dovecot-uidlist", UIDLIST)  # a server's index in a maildir: not mail, not said
    put(root / "notes.txt", "Dear diary,\nno mail here\n")  # not mail either
    stray = put(root / "INBOX" / "1730000400.M400P1.host:2,S", RAVI)  # beside cur/ and new/: no program sees it
    old = put(root / "old.mbox", f"From kofi@example.com Mon Nov  2 10:00:00 2026\n{KOFI}\n"
                                 f"From lena@example.se Tue Nov  3 10:00:00 2026\n{LENA}\n")  # fmt: skip
    report = imported(app, "maildir", root)
    assert not report.failed
    assert people(app) == {
        "Kofi Mensah": ("kofi@example.com",), "Lena Berg": ("lena@example.se",), "Ravi Shankar": ("ravi@example.in",),
    }  # fmt: skip
    files = {name: reason for name, reason, _ in notes(report) if "folder" not in reason and "duplicate" not in reason}
    assert files == {
        "old.mbox": f"the whole file was skipped: old.mbox: an mbox file, not a maildir's message: import it with"
                    f" givefirst import mbox {old}",
        stray.name: f"the whole file was skipped: {stray.name}: {STRAY}",
    }  # fmt: skip
    assert imported(app, "maildir", stray).totals() == {"interactions unchanged": 1}  # named, it is read


def test_maildirs_are_found_at_any_depth_and_a_link_back_up_is_followed_once(
    app: App, other_app: App, tmp_path: Path
) -> None:
    accounts = tmp_path / "accounts"
    dovecot(accounts / "home" / "Maildir")  # a Maildir++ root deeper down: its dot folders read as when named
    (accounts / "home" / "again").symlink_to(accounts)  # a link back up: no loop, nothing read twice
    report = imported(app, "maildir", accounts)
    assert report.totals() == {"added": 2, "interactions added": 4, "skipped": 4}
    assert sorted(name for name, reason, _ in notes(report) if LEFT_OUT in reason) == [".Drafts", ".Junk", ".Trash"]
    imported(other_app, "maildir", accounts / "home" / "Maildir")
    assert snapshot(app) == snapshot(other_app)


def test_a_folder_of_maildirs_with_nothing_to_read_fails_saying_why(app: App, tmp_path: Path) -> None:
    root = tmp_path / "Mail"
    maildir(root / "INBOX")
    put(root / "INBOX" / ".mbsyncstate", MBSYNC_STATE)
    maildir(root / "Trash", TO_SPAM, SPAM)
    report = imported(app, "maildir", root)
    assert [unit.error for unit in report.failed] == [f"{root / 'Trash'}: {LEFT_OUT}"]
    empty = tmp_path / "Empty"
    maildir(empty / "INBOX")
    maildir(empty / "Archive" / "2025")
    report = imported(app, "maildir", empty)
    assert [unit.error for unit in report.failed] == [f"{empty}: nothing to import: no messages in its maildirs"]
    assert snapshot(app) == {"people": [], "interactions": []}


def test_import_maildir_of_a_mail_folder_from_the_command_line(cli: Cli, tmp_path: Path) -> None:
    root = mbsync(tmp_path / "Mail")
    result = cli("import", "maildir", str(root), "--me", ME)
    assert result.code == 0 and "Traceback" not in result.out + result.err, result.out + result.err
    for name in ("Drafts", "Junk", "Trash"):
        assert f"1 × skipped the whole file was skipped: {name}: {LEFT_OUT}" in result.out
    assert not any(said in result.out for said in ("1730000101", "Half", "mbsyncstate", "uidvalidity", "postlist"))
    assert sorted(p["name"] for p in json.loads(cli("people", "--json").out)) == ["Kofi Mensah", "Lena Berg"]
    assert json.loads(cli("import", "maildir", str(root), "--me", ME, "--json").out)["totals"] == {
        "interactions unchanged": 4, "skipped": 4,
    }  # fmt: skip  # again: nothing new, and the same folders left out


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
