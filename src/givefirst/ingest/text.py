"""Decoding an exported file's bytes: the first of the plausible encodings that reads it, or a clear error."""

from __future__ import annotations

from collections.abc import Sequence

from givefirst.ingest.records import UnreadableFileError


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
