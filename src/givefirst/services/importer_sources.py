"""Opening what the user points an import at: files, folders, zips and archives, as parser inputs."""

from __future__ import annotations

import os
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
    return units


def _mail_unit(kind: str, paths: list[str]) -> Unit:
    """Mail named in one command is one unit: whether a correspondent is two-way is only known across all of it
    (a Sent folder and an Inbox are often separate files). Files that are not mail are left out and reported;
    the unit fails only when nothing in it is readable."""
    files: list[Path] = []
    problems: list[str] = []
    for unit in (u for raw in paths for u in _mail_units(kind, Path(raw).expanduser())):
        files.extend(unit.paths)
        problems.extend([unit.problem] if unit.problem else [])
    label = " + ".join(paths)
    judge = _not_an_mbox if kind == "mbox" else _empty_message  # a maildir may hold 100,000 files: sizes only
    left_out = tuple((str(p), why) for p in files if (why := judge(p)))
    usable = tuple(p for p in files if str(p) not in dict(left_out))
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
        if not path.is_dir():
            raise InvalidInputError(f"{path}: a maildir is a folder (with cur/ and new/ inside)")
        messages = [p for sub in ("cur", "new") if (path / sub).is_dir() for p in _files_under(path / sub, ())]
        if not messages and not any((path / sub).is_dir() for sub in ("cur", "new", "tmp")):
            messages = _files_under(path, ())  # a folder of message files
        if not messages:
            return [Unit(str(path), (), problem=f"{path}: nothing to import: no messages in this maildir")]
        return [Unit(str(path), tuple(messages))]
    if path.is_dir():
        files = [p for p in _files_under(path, ()) if not p.name.startswith(".")]
        if not files:
            return [Unit(str(path), (), problem=f"{path}: nothing to import: the folder has no files")]
        return [Unit(str(p), (p,)) for p in files]
    return [Unit(str(path), (path,))]


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
