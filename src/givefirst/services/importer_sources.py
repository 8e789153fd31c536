"""Opening what the user points an import at: files, folders, zips and archives, as parser inputs."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from givefirst.errors import InvalidInputError

KINDS = ("linkedin", "vcard", "google", "outlook", "csv", "ics", "mbox", "maildir")
# An import unit lands whole or not at all: one file, or one folder/zip that belongs together.
MAX_FILE_BYTES = 512 * 1024 * 1024  # files read whole (not mbox, which streams)


@dataclass(frozen=True)
class Unit:
    """What one transaction imports: a label for the report and the files in it."""

    label: str
    paths: tuple[Path, ...]
    zip_path: Path | None = None


def _files_under(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and (not suffixes or p.suffix.lower() in suffixes))


def plan_units(kind: str, paths: list[str]) -> list[Unit]:
    """Return the import units for these paths, or raise InvalidInputError naming a path that cannot be used."""
    if kind not in KINDS:
        raise InvalidInputError(f"unknown import kind {kind!r}: choose one of {', '.join(KINDS)}")
    if not paths:
        raise InvalidInputError("name at least one file or folder to import")
    units: list[Unit] = []
    if kind in ("mbox", "maildir"):
        # Mail named in one command is one unit: whether a correspondent is two-way is only known across all of
        # it (a Sent folder and an Inbox are often separate files).
        files: list[Path] = []
        for unit in (u for raw in paths for u in _mail_units(kind, Path(raw).expanduser())):
            files.extend(unit.paths)
        return [Unit(" + ".join(paths), tuple(files))]
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            raise InvalidInputError(f"{path}: no such file or folder")
        if kind == "linkedin":
            if path.is_dir():
                units.append(Unit(str(path), tuple(_files_under(path, (".csv",)))))
            elif zipfile.is_zipfile(path):
                units.append(Unit(str(path), (), zip_path=path))
            else:
                units.append(Unit(str(path), (path,)))
        elif path.is_dir():
            suffixes = {"vcard": (".vcf", ".vcard"), "ics": (".ics", ".ical", ".ifb"), "mbox": (".mbox", "")}.get(
                kind, (".csv",)
            )
            units.extend(Unit(str(p), (p,)) for p in _files_under(path, suffixes))
        else:
            units.append(Unit(str(path), (path,)))
    return units


def _mail_units(kind: str, path: Path) -> list[Unit]:
    if not path.exists():
        raise InvalidInputError(f"{path}: no such file or folder")
    if kind == "maildir":
        if not path.is_dir():
            raise InvalidInputError(f"{path}: a maildir is a folder (with cur/ and new/ inside)")
        messages = [p for sub in ("cur", "new") if (path / sub).is_dir() for p in _files_under(path / sub, ())]
        if not messages and not any((path / sub).is_dir() for sub in ("cur", "new", "tmp")):
            messages = _files_under(path, ())  # a folder of message files
        return [Unit(str(path), tuple(messages))]
    if path.is_dir():
        return [Unit(str(p), (p,)) for p in _files_under(path, ()) if not p.name.startswith(".")]
    return [Unit(str(path), (path,))]


def read_unit(unit: Unit) -> Iterator[tuple[str, bytes]]:
    """Yield (name, bytes) for each file of a unit (members of a zip too)."""
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
            yield str(path), path.read_bytes()
        except OSError as exc:
            raise InvalidInputError(f"{path}: cannot read ({exc.strerror})") from None
