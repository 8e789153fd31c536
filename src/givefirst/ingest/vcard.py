"""vCard files (2.1, 3.0 and 4.0): one ContactRecord per card, a ParseIssue for each card that cannot be read.

vobject stops at the first broken card of a file, so the file is first cut here into BEGIN:VCARD…END:VCARD
chunks (nested cards, as vCard 2.1 allows, become cards of their own) and each chunk is read on its own. A chunk
is decoded in the character set its CHARSET parameters declare, else in the caller's default, else UTF-8; then it
is trimmed to the properties givefirst keeps (photos and the rest never reach vobject) and parsed by
`vobject.readComponents`; `vcard_values.contact_record` makes the record of it.

A card's external id is its UID when it has one, else "<file name>#<n>", n being the card's 1-based position
in the file (counted by BEGIN:VCARD lines); its origin is always "<file name>#<n>". Issues point at a line:
"<file name>:<line>".

A contact group (vCard 4's KIND:group, Apple's X-ADDRESSBOOKSERVER-KIND:group, which iCloud and DAVx5 write) is
no person: it becomes an issue saying so, and its name a tag of the members it lists that are in the same file
(MEMBER:urn:uuid:<their UID>, or mailto:<an email of theirs>). Groups are found before any record is made, since
a group may stand after its members.
"""

from __future__ import annotations

import codecs
import heapq
import io
import quopri
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import vobject
from vobject.base import VObjectError, getLogicalLines, parseLine, textLineToContentLine

from givefirst.ingest.records import ParseIssue, Record, UnreadableFileError
from givefirst.ingest.vcard_values import (
    CardError,
    assembled,
    clean,
    contact_record,
    first_of,
    lines_of,
    member_key,
    single,
)

# The properties a ContactRecord is made of; everything else (PHOTO, LOGO, SOUND, KEY, AGENT, PROFILE, X-...)
# is dropped before vobject sees it: it is never stored, and several of those make vobject fail a whole card.
_KEPT = frozenset(
    {"VERSION", "UID", "FN", "N", "ORG", "TITLE", "EMAIL", "TEL", "ADR", "NOTE", "URL", "BDAY", "CATEGORIES",
     "X-ABLABEL", "MEMBER", "X-ADDRESSBOOKSERVER-MEMBER"}
)  # fmt: skip
# Single-valued text properties: vobject splits their value at unescaped commas and keeps only the first part,
# but many exporters (Outlook's 2.1, Gmail's "FN:Doe, John") write commas bare, so they are escaped first.
_SINGLE_TEXT = frozenset({"UID", "FN", "TITLE", "EMAIL", "TEL", "NOTE", "URL", "BDAY", "X-ABLABEL"})
# The value ends at the ":" before the property's value: "FN;CHARSET=Windows-1252:Jürgen" names Windows-1252.
_CHARSET_PARAM = re.compile(rb";\s*CHARSET\s*=\s*\"?([A-Za-z0-9._+-]+)", re.IGNORECASE)
_BINARY = re.compile(rb"(?:[A-Za-z0-9_-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)
# What vobject's line pattern accepts before the value ("item1.TEL;TYPE=a,\"b\";PREF:"), written so that it
# cannot backtrack (its own nests repetitions, and takes exponential time to reject a line with many "=").
_NAME = r"[A-Za-z0-9_-]+"
_LINE_START = re.compile(rf'(?:{_NAME}\.)?{_NAME};?(?:;{_NAME}(?:[=,](?:"[^"]*+"|[^";:,=]*+))*+)*+:')
_ESCAPE_OR_COMMA = re.compile(r"\\.|,", re.DOTALL)
# A card that is a group of other cards: vCard 4's KIND, or Apple's own property for vCard 3.
_GROUP_KIND = re.compile(
    r"^(?:[A-Za-z0-9_-]+\.)?(?:X-ADDRESSBOOKSERVER-)?KIND(?:;[^:\n]*)?:[ \t]*group[ \t]*$", re.IGNORECASE | re.MULTILINE
)
_BLANK = b" \t\x00\x1a"  # what may stand on a line between cards without being content (\x1a: DOS end of file)
# UTF-32 first: its little-endian mark starts with UTF-16's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip


@dataclass
class _Chunk:
    """The lines of one card between its BEGIN:VCARD and END:VCARD, nested cards left out."""

    number: int  # 1-based position of its BEGIN:VCARD line among all cards of the file
    line: int  # the line number of that BEGIN:VCARD
    lines: list[bytes] = field(default_factory=list)
    closed: bool = False


@dataclass(frozen=True)
class _Group:
    """A contact group card: its name, and how it names its members (see `vcard_values.member_key`)."""

    name: str | None
    members: tuple[str, ...]


def parse_vcards(data: bytes, name: str, default_charset: str = "utf-8") -> Iterator[Record]:
    """Return a ContactRecord for every card of a vCard file, or a ParseIssue for a card that cannot be read.

    Raises UnreadableFileError when the file is empty, not text, holds no card, or none of its cards is valid
    text in its declared charset, `default_charset` or UTF-8.
    """
    default = _usable_charset(default_charset)
    if default is None:
        raise UnreadableFileError(f"{name}: {default_charset!r} is not a character set a vCard can be read in")
    data, forced = _without_bom(data, name)
    if not data.strip(_BLANK + b"\r\n"):
        raise UnreadableFileError(f"{name}: the file is empty")
    if b"\x00" in data:
        raise UnreadableFileError(f"{name}: not a text file (it holds NUL bytes; UTF-16 needs a byte-order mark)")
    chunks, strays = _split(data)
    if not chunks:
        raise UnreadableFileError(f"{name}: not a vCard file (no BEGIN:VCARD line)")
    charset = forced or default
    texts = [_decode(chunk, charset, forced is None) for chunk in chunks]
    if all(isinstance(text, CardError) for text in texts):
        raise UnreadableFileError(
            f"{name}: not valid {charset} text; import it again naming the character set it was saved in, "
            "for example --encoding cp1252"
        )
    groups = _groups(chunks, texts, charset)
    tagged = _memberships(groups)
    cards = (
        (chunk.line, _card(chunk, text, name, charset, groups.get(chunk.number), tagged))
        for chunk, text in zip(chunks, texts, strict=True)
    )
    # Both are in line order: merged, the report follows the file.
    for _, record in heapq.merge(_stray_issues(strays, name), cards, key=lambda item: item[0]):
        yield record


def _card(
    chunk: _Chunk,
    text: str | CardError,
    name: str,
    default: str,
    group: _Group | None,
    tagged: Mapping[str, tuple[str, ...]],
) -> Record:
    """Return the record of one card, or the issue that says why it has none."""
    issue = f"{name}:{chunk.line}"
    if not chunk.closed:
        return ParseIssue(issue, f"card #{chunk.number} has no END:VCARD line (is the file cut short?); skipped")
    if isinstance(text, CardError):
        return ParseIssue(issue, f"card #{chunk.number} {text}")
    if group is not None:
        return ParseIssue(issue, _group_note(chunk.number, group))
    try:
        component = _component(text, default)
    except Exception as exc:  # vobject raises ParseError, ValueError, binascii.Error... for what it cannot read
        return ParseIssue(issue, f"card #{chunk.number} could not be read ({_short(exc)}); fix or remove it")
    try:
        return contact_record(component, f"{name}#{chunk.number}", tagged)
    except CardError as exc:
        return ParseIssue(issue, f"card #{chunk.number} {exc}")


def _component(text: str, default: str) -> Any:
    """Return the vobject card of a card's text; raises whatever vobject raises for what it cannot read."""
    # A blank line between properties ends a quoted-printable value for certain (one may end in a soft break).
    source = "\r\n\r\n".join(["BEGIN:VCARD", *_kept_lines(text, default), "END:VCARD"]) + "\r\n"
    (component,) = vobject.readComponents(source, ignoreUnreadable=True, allowQP=True)
    return component


# --- contact groups ----------------------------------------------------------------------------------------------


def _groups(chunks: list[_Chunk], texts: list[str | CardError], default: str) -> dict[int, _Group]:
    """Return the group cards of a file by card number (only they are read here: a regular card costs a search)."""
    found: dict[int, _Group] = {}
    for chunk, text in zip(chunks, texts, strict=True):
        if chunk.closed and isinstance(text, str) and _GROUP_KIND.search(text):
            found[chunk.number] = _group(text, default)
    return found


def _group(text: str, default: str) -> _Group:
    """Return a group card's name and members; a group vobject cannot read is still a group, without either."""
    try:
        card = _component(text, default)
    except Exception:  # as in _card: vobject raises many kinds of errors
        return _Group(None, ())
    name = first_of(clean(single(line)) for line in lines_of(card, "fn")) or first_of(
        assembled(line.value) for line in lines_of(card, "n")
    )
    lines = [*lines_of(card, "member"), *lines_of(card, "x-addressbookserver-member")]
    return _Group(name, tuple(dict.fromkeys(key for line in lines if (key := member_key(single(line))))))


def _memberships(groups: dict[int, _Group]) -> dict[str, tuple[str, ...]]:
    """Return {member key: the names of the groups listing it}, in file order."""
    found: dict[str, list[str]] = {}
    for group in groups.values():
        if group.name:  # a group without a name gives its members no tag
            for key in group.members:
                found.setdefault(key, []).append(group.name)
    return {key: tuple(names) for key, names in found.items()}


def _group_note(number: int, group: _Group) -> str:
    """Return the issue that says a card is a group, and what became of its members."""
    if not group.name:
        return f"card #{number} is a contact group, not a person; skipped"
    note = f'card #{number} is a contact group ("{group.name}"), not a person; skipped'
    if group.members:
        note += f'; the people it lists who are in this file are tagged "{group.name}"'
    return note


# --- bytes to chunks of text -------------------------------------------------------------------------------------


def _usable_charset(label: str) -> str | None:
    """Return the codec name for a charset label, or None if unknown, not text, or not ASCII-compatible.

    A vCard's structure (BEGIN:VCARD, names, ";", ":") is ASCII, so a CHARSET naming UTF-16 or a bytes codec
    such as "base64" can only be a mistake.
    """
    try:
        info = codecs.lookup(label)
        ascii_compatible = "BEGIN:VCARD;=\r\n".encode(info.name) == b"BEGIN:VCARD;=\r\n"
    except (LookupError, UnicodeError, ValueError, TypeError):
        return None
    return info.name if ascii_compatible and getattr(info, "_is_text_encoding", True) else None


def _without_bom(data: bytes, name: str) -> tuple[bytes, str | None]:
    """Return the bytes without a byte-order mark, and "utf-8" when there was one (else None).

    A byte-order mark settles the encoding: UTF-16 and UTF-32 are re-encoded as UTF-8, and CHARSET parameters,
    which cannot describe such bytes, are then ignored.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec).encode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                raise UnreadableFileError(f"{name}: not valid {codec} text despite its byte-order mark") from None
    return data, None


def _split(data: bytes) -> tuple[list[_Chunk], list[tuple[int, int]]]:
    """Return the cards in the order of their BEGIN:VCARD lines, and the (first, last) lines of stray text."""
    # Lines end in CRLF, LF, CR alone (old Macs) or even CR CR LF (iOS 6 exports).
    lines = [line.rstrip(b"\r") for line in data.split(b"\n" if b"\n" in data else b"\r")]
    chunks: list[_Chunk] = []
    open_chunks: list[_Chunk] = []
    strays: list[tuple[int, int]] = []
    run: list[int] = []
    in_binary = False
    for number, line in enumerate(lines, 1):
        marker = line.rstrip(b" \t").upper()
        if marker == b"BEGIN:VCARD":
            if run:
                strays.append((run[0], run[-1]))
                run = []
            chunk = _Chunk(len(chunks) + 1, number)
            chunks.append(chunk)
            open_chunks.append(chunk)
        elif marker == b"END:VCARD" and open_chunks:
            open_chunks.pop().closed = True
        elif open_chunks:
            # Photos, logos, sounds and keys are never stored: skipping their (often huge) base64 here spares
            # decoding it and vobject's line unfolding, which copies a logical line once per physical line.
            if _BINARY.match(line):
                in_binary = True
            elif not (in_binary and line[:1] in (b" ", b"\t")):
                in_binary = False
                open_chunks[-1].lines.append(line)
        elif line.strip(_BLANK):
            run.append(number)
    if run:
        strays.append((run[0], run[-1]))
    return chunks, strays


def _stray_issues(strays: list[tuple[int, int]], name: str) -> Iterator[tuple[int, Record]]:
    """Return (line, issue) for every run of text found outside the cards (lost cards, or junk around them)."""
    for first, last in strays:
        lines = f"line {first}" if first == last else f"lines {first}-{last}"
        reason = f"{lines} stand outside any BEGIN:VCARD…END:VCARD block and were ignored; if they are a contact, "
        yield first, ParseIssue(f"{name}:{first}", reason + "add the missing BEGIN:VCARD or END:VCARD")


def _decode(chunk: _Chunk, default: str, declared_ok: bool) -> str | CardError:
    """Return a card's text, decoded in the first charset that fits: declared (if `declared_ok`), default, UTF-8."""
    raw = b"\n".join(chunk.lines)
    tried: list[str] = []
    declared = [m.group(1).decode("ascii") for line in chunk.lines for m in _CHARSET_PARAM.finditer(line)]
    for label in [*(declared if declared_ok else []), default, "utf-8"]:
        charset = _usable_charset(label)
        if charset is None or charset in tried:
            continue
        tried.append(charset)
        try:
            return raw.decode(charset)
        except UnicodeDecodeError:
            continue
    return CardError(
        f"is not valid text in {' or '.join(tried)}; import the file again naming the character set it was saved in "
        "(--encoding)"
    )


# --- text to content lines vobject reads whole -------------------------------------------------------------------


def _kept_lines(text: str, default: str) -> Iterator[str]:
    """Return the card's logical lines that givefirst uses, each rewritten so that vobject reads it whole."""
    for line, _ in getLogicalLines(io.StringIO(text), allowQP=True):
        if not _LINE_START.match(line):
            continue  # vobject's own pattern backtracks for ages on some malformed lines; this one cannot
        try:
            prop, params, value, group = parseLine(line)
        except VObjectError:
            continue  # "# comments", garbage, 2.1 backslash continuations: skipped, as vobject's tolerant mode does
        prop = prop.upper()
        encodings = _encodings(params)
        if prop not in _KEPT or encodings & {"B", "BASE64"}:
            continue  # not used, or a binary value: nothing a person wrote
        quoted_printable = "QUOTED-PRINTABLE" in encodings
        rebuilt = _line(group, prop, params, _escaped(prop, value), quoted_printable)
        if quoted_printable and not _vobject_reads(rebuilt):
            # vobject decodes quoted-printable strictly in the declared CHARSET, which may be unknown or wrong.
            declared = next((p[1] for p in params if p[0].upper() == "CHARSET" and len(p) > 1), None)
            decoded = _quoted_printable(value, declared, default)
            rebuilt = _line(group, prop, params, _escaped(prop, decoded), False)
        if _vobject_reads(rebuilt):
            yield rebuilt
        # else: a line vobject cannot read for another reason; skipped like an unparseable line


def _encodings(params: list[list[str]]) -> set[str]:
    """Return a line's encodings in capitals: 2.1 writes "ENCODING=QUOTED-PRINTABLE" or a bare "QUOTED-PRINTABLE"."""
    found: set[str] = set()
    for param in params:
        if param[0].upper() == "ENCODING":
            found.update(value.upper() for value in param[1:])
        elif len(param) == 1:
            found.add(param[0].upper())
    return found


def _escaped(prop: str, value: str) -> str:
    """Return a value with the commas of a single-valued text property escaped (vobject would cut it there)."""
    if prop not in _SINGLE_TEXT:
        return value
    return _ESCAPE_OR_COMMA.sub(lambda m: "\\," if m.group() == "," else m.group(), value)


def _line(group: str | None, prop: str, params: list[list[str]], value: str, quoted_printable: bool) -> str:
    """Return a content line rebuilt from its parts, its encoding written the one way vobject understands.

    vobject decodes quoted-printable only when the parameter is in capitals, and base64-decodes a value with any
    other ENCODING (2.1's "8BIT" among them); CHARSET matters to it only for quoted-printable.
    """
    parts = [f"{group}.{prop}" if group else prop]
    for param in params:
        key = param[0].upper()
        if key == "ENCODING" or (len(param) == 1 and key in {"QUOTED-PRINTABLE", "8BIT", "7BIT"}):
            continue
        if key == "CHARSET" and not quoted_printable:
            continue
        values = [f'"{v}"' if any(c in v for c in ",;:") else v for v in param[1:]]
        parts.append(param[0] if len(param) == 1 else f"{param[0]}={','.join(values)}")
    if quoted_printable:
        parts.append("ENCODING=QUOTED-PRINTABLE")
    else:
        # vobject joins a line ending in "=" to the next whenever "quoted-printable" appears anywhere in it; such
        # a join inside a line that is not quoted-printable must stay one line when vobject reads it again.
        value = value.replace("\n", "\\n")
    return ";".join(parts) + ":" + value


def _vobject_reads(line: str) -> bool:
    """Return whether vobject can make a content line of it (it decodes quoted-printable there)."""
    try:
        textLineToContentLine(line)
    except (VObjectError, UnicodeError, LookupError, ValueError, TypeError):
        return False
    return True


def _quoted_printable(value: str, declared: str | None, default: str) -> str:
    """Return a quoted-printable value decoded in the first charset that fits, newlines escaped as vCard text.

    Bytes that fit none (a stray byte in an otherwise good value) become U+FFFD rather than cost the contact.
    """
    try:
        raw = quopri.decodestring(value.encode("utf-8"))
    except ValueError:
        return value
    charsets = [c for c in (_usable_charset(declared or ""), default, "utf-8") if c]
    for charset in charsets:
        try:
            text = raw.decode(charset)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = raw.decode(charsets[0], "replace")
    return "\\n".join(text.splitlines())


def _short(exc: BaseException) -> str:
    """Return an exception as one short line (vobject's messages can quote the whole input)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."
