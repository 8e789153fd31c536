"""Address lists and display names from mail headers: who is on a message, as people to know.

`address_list` reads one From, To or Cc value into Participants (lower-cased addresses, each once, with a usable
name or none), quickly for the usual shapes and with the email package's `getaddresses` for the rest;
`decode_words` decodes RFC 2047 encoded words ("=?utf-8?q?Ren=C3=A9e?=") in names and subjects.
"""

from __future__ import annotations

import functools
import re
from email.header import decode_header
from email.utils import getaddresses

from givefirst.ingest.records import Participant

_MAX_CACHED = 1000  # characters: longer address lists and names are read every time
# An address list of the common shapes ("Name" <a@b>, Name <a@b>, a@b), read without getaddresses, whose
# character-by-character parser costs 10-40 us an address; anything else (comments, groups, quoted local parts,
# "a@b <c@d>") falls back to it. The tests check both agree on what this pattern accepts.
_ATOM = r"[^<>\x00-\x20\x7f@\",;:()\\\[\]]+"
_ANGLED = rf'[ \t]*(?:"([^"\\]*)"|([^"<>()@,;:\\\[\]]*?))[ \t]*<({_ATOM}@{_ATOM})>[ \t]*'  # "Name" <a@b>
_BARE = rf"[ \t]*({_ATOM}@{_ATOM})[ \t]*"  # a@b
_SIMPLE_ADDRESS = re.compile(rf"{_ANGLED}(?:,|$)|{_BARE}(?:,|$)|[ \t]*,|[ \t]+$")  # one entry of a list, its comma
_ONE_ADDRESS = re.compile(f"{_ANGLED}|{_BARE}")  # one entry, its commas taken out
_ENTRIES: dict[str, Participant | bool] = {}  # an entry as written -> its person, or False when it holds none
_MAX_ENTRIES = 50_000  # about 10 MB; a mailbox with more distinct entries starts the table afresh
_ADDRESS = re.compile(r"^[^@\x00-\x20\x7f<>(),;:\"\\\ufffd]+@[^@\x00-\x20\x7f<>(),;:\"\\\ufffd]+$")
# Pipermail archives hide addresses as "andy at example.com (Andy Grunwald)".
_OBFUSCATED = re.compile(r"^\s*([\w.+-]+) at ([\w-]+(?:\.[\w-]+)+)(?=\s*(?:\(|$))")
# "alice@example.com <bob@example.com>": getaddresses splits this into two addresses; quoted, it is one.
_BARE_AT_NAME = re.compile(r'(^|,)(\s*)([^,"<>()]*@[^,"<>()]*?)(\s*<[^<>]*>)')
# Mail labelled with a charset often uses its superset (Windows and GBK mailers); the superset decodes both.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "iso-8859-1": "cp1252", "latin1": "cp1252", "euc-kr": "cp949"}


def address_list(text: str) -> tuple[Participant, ...]:
    """Return the people of one address list, each address once: lower-cased, with a usable name or None."""
    if "@" in text:  # most lists: entries of the simple shapes, each read once per mailbox and remembered
        found: dict[str | None, Participant] = {}
        for entry in text.split(","):
            person = _ENTRIES.get(entry)
            if person is None:
                person = _read_entry(entry)
                if person is None:
                    break  # a comma inside quotes, a comment, a group: the list is read whole below
                if len(_ENTRIES) >= _MAX_ENTRIES:
                    _ENTRIES.clear()
                _ENTRIES[entry] = person
            if isinstance(person, Participant) and person.email not in found:
                found[person.email] = person
        else:
            return tuple(found.values())
    # the same From and To lines recur across a mailbox: cached, unless long enough to make the cache a hog
    return _read_address_list(text) if len(text) <= _MAX_CACHED else _read_address_list.__wrapped__(text)


@functools.lru_cache(maxsize=8192)  # Participants are frozen, so sharing them between messages is safe
def _read_address_list(text: str) -> tuple[Participant, ...]:
    """Return the people of one address list, each address once."""
    if "@" not in text:
        text = _OBFUSCATED.sub(r"\1@\2", text)
    pairs = _simple_addresses(text)
    if pairs is None:
        try:
            pairs = getaddresses([_BARE_AT_NAME.sub(r'\1\2"\3"\4', text)])
        except Exception:  # getaddresses is lenient, but never let one header sink the file
            return ()
    found: dict[str, Participant] = {}
    for name, address in pairs:
        address = address.strip().strip("'").lower()
        if address not in found and _ADDRESS.match(address):
            shown = _display_name(name) if len(name) <= _MAX_CACHED else None  # a 1,000-character name is junk
            found[address] = Participant(name=shown, email=address)
    return tuple(found.values())


def _read_entry(entry: str) -> Participant | bool | None:
    """Return the person of one entry of the simple shapes, False for a blank or unusable one, None otherwise."""
    if not entry or entry.isspace():
        return False
    match = _ONE_ADDRESS.fullmatch(entry)
    if match is None:
        return None
    quoted, plain, angled, bare = match.groups()
    name = quoted if quoted is not None else " ".join(plain.split()) if angled is not None else ""
    address = (angled if angled is not None else bare).strip().strip("'").lower()
    if not _ADDRESS.match(address):
        return False
    return Participant(name=_display_name(name) if len(name) <= _MAX_CACHED else None, email=address)


def _simple_addresses(text: str) -> list[tuple[str, str]] | None:
    """Return (name, address) pairs as getaddresses would, or None when the list is not of the common shapes."""
    pairs: list[tuple[str, str]] = []
    pos, end = 0, len(text)
    while pos < end:
        match = _SIMPLE_ADDRESS.match(text, pos)
        if match is None:
            return None
        quoted, plain, angled, bare = match.groups()
        if angled is not None:
            pairs.append((quoted if quoted is not None else " ".join(plain.split()), angled))
        elif bare is not None:
            pairs.append(("", bare))
        pos = match.end()
    return pairs


@functools.lru_cache(maxsize=8192)  # correspondents recur, and decoding encoded words is the slow part
def _display_name(name: str) -> str | None:
    """Return a person's display name, or None when it is empty, garbled or merely an address."""
    if not name:
        return None
    text = decode_words(name).strip("\"' ")
    if not text or "\ufffd" in text or _ADDRESS.match(text):
        return None
    return text


def decode_words(text: str) -> str:
    """Return text with its RFC 2047 encoded words decoded and its white space collapsed."""
    if "=?" in text:
        try:
            parts = decode_header(text)
        except Exception:  # a malformed encoded word: keep the text as written
            parts = [(text, None)]
        # joined by hand rather than with make_header, which raises on the first wrong or unknown charset
        text = "".join(_decode_part(part, charset) for part, charset in parts)
    return " ".join(text.split())


def _decode_part(part: bytes | str, charset: str | None) -> str:
    """Return one piece of decode_header's output as text, replacing what its charset cannot decode."""
    if isinstance(part, str):
        return part
    if charset is None:  # text between encoded words, which decode_header escapes this way
        try:
            return part.decode("raw-unicode-escape")
        except UnicodeDecodeError:
            return part.decode("latin-1")
    charset = charset.lower()
    try:
        return part.decode(_SUPERSETS.get(charset, charset), "replace")
    except LookupError:
        return part.decode("utf-8", "replace")


__all__ = ["address_list", "decode_words"]
