"""Opening what the user points an import at: files, folders, zips and archives, as parser inputs."""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from givefirst.errors import InvalidInputError
from givefirst.ingest.records import UnreadableFileError

KINDS = ("linkedin", "vcard", "google", "outlook", "csv", "ics", "mbox", "maildir")
# An import unit lands whole or not at all: one file, or one folder/zip that belongs together.
MAX_FILE_BYTES = 512 * 1024 * 1024  # files read whole (not mbox, which streams)


# What a folder is searched for, per kind, and how the files are named in a message.
_SUFFIXES = {"vcard": (".vcf", ".vcard"), "ics": (".ics", ".ical", ".ifb"), "mbox": (".mbox", "")}
_DESCRIBED = {"vcard": ".vcf or .vcard files", "ics": ".ics files", "linkedin": ".csv files"}
# Mail folders a maildir root's Maildir++ subfolders (".Sent", ".Archive.2025") are read without: mail thrown
# away, spam, unsent drafts, by the names mail servers and programs give them (Dovecot, Courier, Thunderbird,
# Apple Mail, Outlook, Gmail's "[Gmail].Trash"). Named on the command line, such a folder is read all the same.
_SKIPPED_MAIL_FOLDERS = frozenset(
    {"trash", "deleted", "deleted messages", "deleted items", "junk", "junk e-mail", "junk email", "spam",
     "bulk mail", "drafts"}
)  # fmt: skip
# Files of an Apple Mail ".mbox" bundle beside its "mbox" file: its index, not mail.
_MAIL_BUNDLE_FILES = frozenset({"Info.plist", "table_of_contents"})
_SKIPPED_FOLDER = "a Trash, Junk, Spam or Drafts folder, not read (name it to import it)"
_MBOX_HEAD_BYTES = 64 * 1024  # read of a file to tell an mbox (two From_ lines or more) from a single message


@dataclass(frozen=True)
class Unit:
    """What one transaction imports: a label for the report and the files in it.

    `problem` says why the unit cannot be imported at all, found while planning (an empty folder, a damaged
    zip, no mbox among the files); `left_out` lists (file, reason) for files of a mail unit that are not mail.
    `folder` is the folder the user named when the unit is one file found in it: see ImportReport.failed.
    """

    label: str
    paths: tuple[Path, ...]
    zip_path: Path | None = None
    folder: str | None = None
    problem: str | None = None
    left_out: tuple[tuple[str, str], ...] = ()


def _files_under(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and (not suffixes or p.suffix.lower() in suffixes))


def _unreadable_folder(path: Path) -> str | None:
    """Return why a folder cannot be listed, or None when it can."""
    if not os.access(path, os.R_OK | os.X_OK):
        return f"{path}: cannot read this folder (permission denied)"
    return None


def _damaged_zip(path: Path) -> str | None:
    """Return why a file that claims to be a zip (by its name or its first bytes) cannot be opened as one."""
    try:
        with path.open("rb") as stream:
            head = stream.read(4)
    except OSError as exc:
        return f"{path}: cannot read ({exc.strerror})"
    if (path.suffix.lower() == ".zip" or head.startswith(b"PK")) and not zipfile.is_zipfile(path):
        if not head:
            return f"{path}: the file is empty (an empty zip download?)"
        return (
            f"{path}: a damaged zip archive (it cannot be opened: an unfinished download?); download the export again"
        )
    return None


def plan_units(kind: str, paths: list[str]) -> list[Unit]:
    """Return the import units for these paths, or raise InvalidInputError naming a path that cannot be used."""
    if kind not in KINDS:
        raise InvalidInputError(f"unknown import kind {kind!r}: choose one of {', '.join(KINDS)}")
    if not paths:
        raise InvalidInputError("name at least one file or folder to import")
    units: list[Unit] = []
    if kind in ("mbox", "maildir"):
        return [_mail_unit(kind, paths)]
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            raise InvalidInputError(f"{path}: no such file or folder")
        found = _unreadable_folder(path) if path.is_dir() else None
        if found is None and path.is_dir():
            files = _files_under(path, _SUFFIXES.get(kind, (".csv",)) if kind != "linkedin" else (".csv",))
            if not files:
                described = _DESCRIBED.get(kind, ".csv files")
                found = f"{path}: nothing to import: the folder has no {described}"
            elif kind == "linkedin":
                units.append(Unit(str(path), tuple(files)))
            else:
                units.extend(Unit(str(p), (p,), folder=str(path)) for p in files)
        elif found is None and kind == "linkedin" and zipfile.is_zipfile(path):
            units.append(Unit(str(path), (), zip_path=path))
        elif found is None:
            found = _damaged_zip(path) if kind == "linkedin" else None
            if found is None:
                units.append(Unit(str(path), (path,)))
        if found is not None:
            units.append(Unit(str(path), (), problem=found))
    return _linkedin_files_together(units) if kind == "linkedin" else units


def _linkedin_files_together(units: list[Unit]) -> list[Unit]:
    """LinkedIn's files named one by one (`import linkedin Connections.csv Invitations.csv`) are one export: an
    invitation is kept only when Connections.csv or messages.csv shows it was accepted, which is known only when
    they are read together, as a folder or a zip is."""
    single = [u for u in units if len(u.paths) == 1 and u.zip_path is None and u.problem is None and not u.folder]
    if len(single) < 2:
        return units
    together = Unit(", ".join(u.label for u in single), tuple(p for u in single for p in u.paths))
    first = units.index(single[0])
    rest = [u for u in units if u not in single]
    return [*rest[:first], together, *rest[first:]]


def _mail_unit(kind: str, paths: list[str]) -> Unit:
    """Mail named in one command is one unit: whether a correspondent is two-way is only known across all of it
    (a Sent folder and an Inbox are often separate files). Files that are not mail are left out and reported;
    the unit fails only when nothing in it is readable."""
    files: list[Path] = []
    problems: list[str] = []
    folders_left_out: list[tuple[str, str]] = []
    for unit in (u for raw in paths for u in _mail_units(kind, Path(raw).expanduser())):
        files.extend(unit.paths)
        problems.extend([unit.problem] if unit.problem else [])
        folders_left_out.extend(unit.left_out)
    files = list(dict.fromkeys(files))  # a maildir named with one of its subfolders: each message read once
    named = {Path(raw).expanduser().resolve() for raw in paths}  # a Trash folder named is read, not left out
    folders_left_out = [(name, why) for name, why in folders_left_out if Path(name).resolve() not in named]
    label = " + ".join(paths)
    judge = _not_an_mbox if kind == "mbox" else _empty_message  # a maildir may hold 100,000 files: sizes only
    left_out = tuple(folders_left_out) + tuple((str(p), why) for p in files if (why := judge(p)))
    unusable = {name for name, _ in left_out}
    usable = tuple(p for p in files if str(p) not in unusable)
    if usable:
        return Unit(label, usable, left_out=left_out)
    problems += [f"{name}: {why}" for name, why in left_out]
    if not problems:
        problems = [f"{label}: nothing to import"]
    if len(problems) > 1:
        problems = [f"nothing readable to import ({len(problems)} problems): " + "; ".join(problems[:5])]
    return Unit(label, (), problem=problems[0])


def _empty_message(path: Path) -> str | None:
    """Return why a maildir message file cannot be read, as far as its size tells, or None."""
    try:
        return "the file is empty" if path.stat().st_size == 0 else None
    except OSError as exc:
        return f"cannot read ({exc.strerror})"


def _not_an_mbox(path: Path) -> str | None:
    """Return why a file cannot be read as an mbox (empty, not one), judged by the parser itself, or None."""
    from givefirst.ingest.mbox import scan_mbox

    try:
        with path.open("rb") as stream:
            next(iter(scan_mbox(stream, str(path))), None)
    except OSError as exc:
        return f"cannot read ({exc.strerror})"
    except UnreadableFileError as exc:
        return str(exc).removeprefix(f"{path}: ")
    return None


def _mail_units(kind: str, path: Path) -> list[Unit]:
    if not path.exists():
        raise InvalidInputError(f"{path}: no such file or folder")
    if path.is_dir() and (unreadable := _unreadable_folder(path)):
        return [Unit(str(path), (), problem=unreadable)]
    if kind == "maildir":
        return [_maildir_unit(path)]
    if path.is_dir():
        files = [p for p in _files_under(path, ()) if not p.name.startswith(".") and p.name not in _MAIL_BUNDLE_FILES]
        if not files:
            return [Unit(str(path), (), problem=f"{path}: nothing to import: the folder has no files")]
        return [Unit(str(p), (p,)) for p in files]
    return [Unit(str(path), (path,))]


def _maildir_unit(path: Path) -> Unit:
    """Return the unit of one path named for a maildir import: a maildir (cur/ and new/) with its Maildir++
    subfolders, a folder of maildirs (mbsync, offlineimap, Thunderbird), a folder of message files, or one
    message file; raise InvalidInputError for an mbox."""
    if not path.is_dir():
        if _looks_like_mbox(path):
            raise InvalidInputError(
                f"{path}: an mbox file, not a maildir: perhaps you meant: givefirst import mbox {path}"
            )
        if not _looks_like_message(path):
            raise InvalidInputError(f"{path}: a maildir is a folder (with cur/ and new/ inside)")
        return Unit(str(path), (path,))  # one message (.eml)
    tree = _MailTree()
    tree.visit(path, None)
    if tree.maildirs:
        if tree.messages:
            return Unit(str(path), tuple(tree.messages), left_out=tuple(tree.left_out.items()))
        if tree.left_out:  # said as the reasons nothing was read: "…/Trash: a Trash, … folder, not read"
            return Unit(str(path), (), left_out=tuple(tree.left_out.items()))
        where = "this maildir" if _is_maildir(path) else "its maildirs"
        return Unit(str(path), (), problem=f"{path}: nothing to import: no messages in {where}")
    messages = _files_under(path, ())  # a folder of message files (.eml)
    mboxes = [p for p in messages if p.suffix.lower() != ".eml" and _looks_like_mbox(p)]
    if mboxes:
        more = f" and {len(mboxes) - 1} more" if len(mboxes) > 1 else ""
        raise InvalidInputError(
            f"{path}: not a maildir (no cur/ or new/ folder in it): it holds mbox files ({mboxes[0].name}{more});"
            f" perhaps you meant: givefirst import mbox {path}"
        )
    if not messages:
        return Unit(str(path), (), problem=f"{path}: nothing to import: no messages in this maildir")
    return Unit(str(path), tuple(messages))


_MAILDIR_PARTS = ("cur", "new", "tmp")
_STRAY = "beside the maildir's cur/ and new/, where mail programs never look: not read (name it to import it)"


class _MailTree:
    """What a folder holding maildirs at any depth gives to read, found by walking it once.

    A folder is either a maildir (cur/, new/, tmp/ in it), whose cur/ and new/ are read, or a plain folder
    (mbsync's "Archive" above "Archive/2025", a folder of saved .eml files), whose message files are read. Nothing
    else is: not tmp/ (deliveries not finished), not the files a maildir keeps beside cur/ and new/ (Dovecot's
    dovecot-uidlist and indexes, Courier's courierimapuiddb), not dot files and folders (mbsync's .mbsyncstate
    and .uidvalidity, notmuch's .notmuch), not what does not start like a message (Thunderbird's .msf summaries,
    folderTree.json). Maildir++ subfolders (".Sent") are maildirs like the others, and KMail's ".Name.directory"
    folders are walked like Thunderbird's "Name.sbd". Trash, Junk, Spam and Drafts
    folders are left out whole, by their name anywhere in the path ("Trash/2024", "[Gmail].Spam", Thunderbird's
    "Trash.sbd"), each said once; the folder named on the command line is read whatever its name.
    """

    def __init__(self) -> None:
        self.messages: list[Path] = []
        self.left_out: dict[str, str] = {}  # path -> why, in the order found
        self.maildirs = 0  # found, read or left out: whether the folder is a mail store at all
        self._seen: set[Path] = set()  # real paths walked: a link back up is followed once, never round

    def visit(self, folder: Path, left_out_by: Path | None) -> None:
        """Walk `folder`; `left_out_by` is the Trash (Junk...) folder above it, whose mail is not read."""
        try:
            real = folder.resolve()
            if real in self._seen:
                return
            self._seen.add(real)
            entries = sorted(folder.iterdir())
        except (OSError, RuntimeError) as exc:  # unreadable, or a link to itself: said, the rest still read
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else "a link that leads nowhere"
            self.left_out.setdefault(str(left_out_by or folder), f"cannot read this folder ({why})")
            return
        is_folder = {entry: _is_dir(entry) for entry in entries}
        folders = [entry for entry in entries if is_folder[entry]]
        files = [entry for entry in entries if not is_folder[entry] and not entry.name.startswith(".")]
        maildir = any(entry.name in _MAILDIR_PARTS for entry in folders)
        if maildir:
            self.maildirs += 1
        if left_out_by is not None:  # said once, and only when it holds mail
            if str(left_out_by) not in self.left_out and (maildir or any(map(_looks_like_message, files))):
                self.left_out[str(left_out_by)] = _SKIPPED_FOLDER
        elif maildir:
            self.messages += _maildir_messages(folder)
            # mail lies in cur/ and new/: a message file beside them is named, as no mail program shows it
            self.left_out.update((str(entry), _STRAY) for entry in files if _looks_like_message(entry))
        else:
            for entry in files:
                if _looks_like_mbox(entry):
                    self.left_out[str(entry)] = (
                        f"an mbox file, not a maildir's message: import it with givefirst import mbox {entry}"
                    )
                elif entry.suffix.lower() == ".eml" or _looks_like_message(entry):
                    self.messages.append(entry)
        for sub in folders:
            if maildir and sub.name in _MAILDIR_PARTS:
                continue  # cur/ and new/ read above, tmp/ never
            if sub.name.startswith(".") and not (_is_maildir_plus_folder(sub) or sub.name.endswith(".directory")):
                continue  # .notmuch, .git: no mail; KMail keeps the subfolders of "inbox" in ".inbox.directory"
            self.visit(sub, left_out_by or (sub if _skipped_folder(sub.name) else None))


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _is_maildir(path: Path) -> bool:
    """Return True for a maildir: a folder with cur/, new/ or tmp/ in it (a new maildir may hold only tmp/)."""
    return any(_is_dir(path / sub) for sub in _MAILDIR_PARTS)


def _maildir_messages(folder: Path) -> list[Path]:
    """Return the message files of one maildir: in its cur/ and new/ (tmp/ holds deliveries not finished), less
    the files whose names start with a dot, which maildir readers ignore (.DS_Store)."""
    return [
        p for sub in ("cur", "new") if (folder / sub).is_dir() for p in _files_under(folder / sub, ())
        if not p.name.startswith(".")
    ]  # fmt: skip


def _is_maildir_plus_folder(path: Path) -> bool:
    """Return True for a Maildir++ subfolder of a maildir root: ".Name" (".Sent", ".Archive.2025"), a maildir."""
    if not path.name.startswith(".") or path.name in (".", ".."):
        return False
    try:
        return path.is_dir() and ((path / "cur").is_dir() or (path / "new").is_dir())
    except OSError:  # a folder that cannot be looked into holds nothing to read
        return False


def _skipped_folder(name: str) -> bool:
    """Return True when a Maildir++ folder's name (".Trash", ".Junk", ".Trash.2024", ".[Gmail].Spam") says it
    holds mail a network is not made of: thrown away, spam, unsent."""
    return any(part.strip().lower() in _SKIPPED_MAIL_FOLDERS for part in name.lstrip(".").split("."))


def _head(path: Path, size: int) -> bytes:
    """Return a file's first bytes, b"" when it cannot be read (reading it whole says why, later)."""
    try:
        with path.open("rb") as stream:
            return stream.read(size)
    except OSError:
        return b""


def _looks_like_mbox(path: Path) -> bool:
    """Return True for a file that is an mbox: named so (.mbox, or an Apple Mail bundle's "mbox"), or holding two
    messages or more, each opened by a From_ line, in its first 64 KB. One message under a From_ line is read as
    a message: a maildir file may keep the From_ line it was delivered with."""
    from givefirst.ingest.mbox import looks_like_mbox

    if path.suffix.lower() == ".mbox" or path.name == "mbox":
        return True
    head = _head(path, 5)
    return head.startswith(b"From ") and looks_like_mbox(_head(path, _MBOX_HEAD_BYTES))


def _looks_like_message(path: Path) -> bool:
    """Return True for a file that starts like one mail message: a header field, or a From_ line then one."""
    head = _head(path, 4096)
    if head.startswith(b"From "):
        head = head[head.find(b"\n") + 1 :]
    # A field name as mail programs write them (letters, digits, "-"): JSON ('{"mailbox://…') and other files
    # that merely hold a colon early on do not pass.
    return re.match(rb"[A-Za-z0-9][A-Za-z0-9_-]{0,99}:", head) is not None


def read_unit(unit: Unit) -> Iterator[tuple[str, bytes]]:
    """Yield (name, bytes) for each file of a unit (members of a zip too); an empty file alone is unreadable."""
    if unit.zip_path is not None:
        try:
            with zipfile.ZipFile(unit.zip_path) as archive:
                for info in archive.infolist():
                    if not info.is_dir():
                        yield info.filename, archive.read(info)
        except (zipfile.BadZipFile, OSError) as exc:
            raise InvalidInputError(f"{unit.zip_path}: cannot read the zip archive ({exc})") from None
        return
    for path in unit.paths:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise InvalidInputError(f"{path}: too large to read whole ({path.stat().st_size} bytes)")
            data = path.read_bytes()
        except OSError as exc:
            raise InvalidInputError(f"{path}: cannot read ({exc.strerror})") from None
        if len(unit.paths) == 1 and not data.strip():  # said before a parser guesses at a format from nothing
            raise UnreadableFileError(f"{path}: the file is empty")
        yield str(path), data
