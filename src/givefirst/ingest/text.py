"""Reading exported text files: decoding their bytes, and the CSV conventions the contact exports share.

Google, Outlook and LinkedIn CSV files all reach givefirst the same ways: as written by their service, or re-saved
by a spreadsheet, which may change the encoding (Windows-1252, UTF-16 with or without a byte-order mark) and the
separator (";" in the locales that write decimal commas, a tab for Excel's "Unicode Text"). The helpers here
read every such form, so each importer recognises its own header the same way.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Sequence
from typing import TypeVar

from givefirst.ingest.records import UnreadableFileError

T = TypeVar("T")

DELIMITERS = (",", ";", "\t")  # comma always; ";" and tab from localised or "Unicode Text" spreadsheet re-saves
# The csv module refuses a field above 128 KB. A long note or message is still valid CSV; only a runaway quote
# would make a field larger than this, and then its row is reported as broken.
FIELD_LIMIT = 16 * 1024 * 1024


def decode_text(data: bytes, name: str, encodings: Sequence[str], again: str) -> str:
    """Return the file's text in the first of `encodings` that decodes it.

    Raises UnreadableFileError for binary data (NUL bytes), an empty file, or bytes no encoding reads; `again`
    ends that last message with what to do ("export the contacts again").
    """
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            raise UnreadableFileError(f"{name}: not a text file (binary data with NUL bytes)")
        if not text.strip():
            raise UnreadableFileError(f"{name}: the file is empty")
        return text
    readable = dict.fromkeys(_FRIENDLY.get(e.lower(), e) for e in encodings)
    raise UnreadableFileError(f"{name}: not text in {' or '.join(readable)}; {again}")


_FRIENDLY = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16",
             "cp1252": "Windows-1252", "latin-1": "Latin-1", "iso-8859-1": "Latin-1"}  # fmt: skip


def decode_export(data: bytes, name: str, encoding: str | None, again: str) -> str:
    """Return an exported CSV file as text: UTF-8 (with or without BOM), else UTF-16, else Windows-1252.

    A byte-order mark settles the encoding; without one, an `encoding` the user named is the only one tried.
    UTF-16 without a BOM is recognised by its zero bytes; Windows-1252 is what a spreadsheet on Windows writes
    for "CSV (Comma delimited)", so accented names arrive that way.
    """
    if data.startswith(codecs.BOM_UTF8):
        encodings: list[str] = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    elif encoding:
        encodings = [encoding]
    else:
        encodings = [utf16_without_bom(data) or "utf-8", "cp1252"]
    return decode_text(data, name, encodings, again)


def utf16_without_bom(data: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" when the start of the bytes is ASCII text in UTF-16 with no BOM."""
    sample = data[:200]
    if len(sample) < 4 or len(sample) % 2:
        return None
    # ASCII in UTF-16 has a zero in every other byte; a header row is all ASCII.
    if all(b == 0 for b in sample[1::2]) and all(b != 0 for b in sample[0::2]):
        return "utf-16-le"
    if all(b == 0 for b in sample[0::2]) and all(b != 0 for b in sample[1::2]):
        return "utf-16-be"
    return None


def allow_large_fields() -> None:
    """Let the csv module read fields up to FIELD_LIMIT (it refuses 128 KB and more by default).

    The limit is the csv module's, for the whole process: it is only ever raised here, never lowered.
    """
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)


def physical_lines(text: str) -> list[str]:
    """Return the lines of a text with their line ends, split only where the csv module ends a line.

    str.splitlines would also split at form feeds, U+2028 and other characters that are text inside a CSV cell.
    """
    return io.StringIO(text, newline="").readlines()


def find_header(
    text: str, recognise: Callable[[list[str]], T | None], search_lines: int = 1
) -> tuple[T, str, int] | None:
    """Return (what `recognise` said, the delimiter, the line index) of the header row of a CSV text, or None.

    The header is looked for on the first `search_lines` non-blank physical lines (a LinkedIn export has a short
    preamble above it), each read with every delimiter of DELIMITERS in turn; `recognise` returns something
    other than None for the cells of a header it knows.
    """
    seen = 0
    for index, line in enumerate(io.StringIO(text, newline="")):
        if not line.strip():
            continue
        for delimiter in DELIMITERS:
            try:
                cells = next(csv.reader([line], delimiter=delimiter), [])
            except csv.Error:
                continue
            found = recognise(cells)
            if found is not None:
                return found, delimiter, index
        seen += 1
        if seen >= search_lines:
            return None
    return None
