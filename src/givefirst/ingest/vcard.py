"""vCard files (2.1, 3.0 and 4.0): one ContactRecord per card, a ParseIssue for each card that cannot be read.

vobject stops at the first broken card of a file, so the file is first cut here into BEGIN:VCARD…END:VCARD
chunks (nested cards, as vCard 2.1 allows, become cards of their own) and each chunk is read on its own. A chunk
is decoded in the character set its CHARSET parameters declare, else in the caller's default, else UTF-8; then it
is trimmed to the properties givefirst keeps (photos and the rest never reach vobject) and parsed by
`vobject.readComponents`.

A card's external id is its UID when it has one, else "<file name>#<n>", n being the card's 1-based position
in the file (counted by BEGIN:VCARD lines); its origin is always "<file name>#<n>". Issues point at a line:
"<file name>:<line>".
"""

from __future__ import annotations

import codecs
import heapq
import io
import quopri
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from email.utils import parseaddr
from typing import Any

import vobject
from vobject.base import VObjectError, getLogicalLines, parseLine, textLineToContentLine

from givefirst.ingest.records import ContactRecord, Labeled, ParseIssue, Record, UnreadableFileError

SOURCE = "vcard"

# The properties a ContactRecord is made of; everything else (PHOTO, LOGO, SOUND, KEY, AGENT, PROFILE, X-...)
# is dropped before vobject sees it: it is never stored, and several of those make vobject fail a whole card.
_KEPT = frozenset(
    {"VERSION", "UID", "FN", "N", "ORG", "TITLE", "EMAIL", "TEL", "ADR", "NOTE", "URL", "BDAY", "CATEGORIES",
     "X-ABLABEL"}
)  # fmt: skip
# Single-valued text properties: vobject splits their value at unescaped commas and keeps only the first part,
# but many exporters (Outlook's 2.1, Gmail's "FN:Doe, John") write commas bare, so they are escaped first.
_SINGLE_TEXT = frozenset({"UID", "FN", "TITLE", "EMAIL", "TEL", "NOTE", "URL", "BDAY", "X-ABLABEL"})
# TYPE values that say nothing a person would call a label (the network, the preference, the default kind).
_NOT_LABELS = frozenset({"pref", "internet", "voice", "msg", "x400", "text", "8bit", "7bit"})
# Google's system groups, which every contact of an export carries: not tags anyone chose.
_SYSTEM_GROUPS = frozenset({"my contacts", "mycontacts", "starred", "system group: my contacts"})
# Labels of numbers that are not the person's own: an assistant's phone is shared with others and would wrongly
# merge everyone who has that assistant. Faxes (TYPE=fax) are left out too: no way to reach anyone today.
_NOT_PERSONAL_PHONES = frozenset({"assistant", "assistantphone", "x-assistant"})

_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")  # Apple wraps its built-in labels: "_$!<HomePage>!$_"
_NOT_PHONE_URI = re.compile(r"^(?:sips?|mailto|xmpp|https?):", re.IGNORECASE)
# The value ends at the ":" before the property's value: "FN;CHARSET=Windows-1252:Jürgen" names Windows-1252.
_CHARSET_PARAM = re.compile(rb";\s*CHARSET\s*=\s*\"?([A-Za-z0-9._+-]+)", re.IGNORECASE)
_BINARY = re.compile(rb"(?:[A-Za-z0-9_-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)
# What vobject's line pattern accepts before the value ("item1.TEL;TYPE=a,\"b\";PREF:"), written so that it
# cannot backtrack (its own nests repetitions, and takes exponential time to reject a line with many "=").
_NAME = r"[A-Za-z0-9_-]+"
_LINE_START = re.compile(rf'(?:{_NAME}\.)?{_NAME};?(?:;{_NAME}(?:[=,](?:"[^"]*+"|[^";:,=]*+))*+)*+:')
_FULL_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
_ESCAPE_OR_COMMA = re.compile(r"\\.|,", re.DOTALL)
_SPACES = re.compile(r"\s+")
_BLANK = b" \t\x00\x1a"  # what may stand on a line between cards without being content (\x1a: DOS end of file)
# UTF-32 first: its little-endian mark starts with UTF-16's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip


class _CardError(Exception):
    """A card that cannot be read; the message says why, as a sentence for the import report."""


@dataclass
class _Chunk:
    """The lines of one card between its BEGIN:VCARD and END:VCARD, nested cards left out."""

    number: int  # 1-based position of its BEGIN:VCARD line among all cards of the file
    line: int  # the line number of that BEGIN:VCARD
    lines: list[bytes] = field(default_factory=list)
    closed: bool = False


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
    if all(isinstance(text, _CardError) for text in texts):
        raise UnreadableFileError(
            f"{name}: not valid {charset} text; import it again naming the character set it was saved in, "
            "for example --encoding cp1252"
        )
    cards = ((chunk.line, _card(chunk, text, name, charset)) for chunk, text in zip(chunks, texts, strict=True))
    # Both are in line order: merged, the report follows the file.
    for _, record in heapq.merge(_stray_issues(strays, name), cards, key=lambda item: item[0]):
        yield record


def _card(chunk: _Chunk, text: str | _CardError, name: str, default: str) -> Record:
    """Return the record of one card, or the issue that says why it has none."""
    issue = f"{name}:{chunk.line}"
    if not chunk.closed:
        return ParseIssue(issue, f"card #{chunk.number} has no END:VCARD line (is the file cut short?); skipped")
    if isinstance(text, _CardError):
        return ParseIssue(issue, f"card #{chunk.number} {text}")
    # A blank line between properties ends a quoted-printable value for certain (one may end in a soft break).
    source = "\r\n\r\n".join(["BEGIN:VCARD", *_kept_lines(text, default), "END:VCARD"]) + "\r\n"
    try:
        (component,) = vobject.readComponents(source, ignoreUnreadable=True, allowQP=True)
    except Exception as exc:  # vobject raises ParseError, ValueError, binascii.Error... for what it cannot read
        return ParseIssue(issue, f"card #{chunk.number} could not be read ({_short(exc)}); fix or remove it")
    try:
        return _record(component, f"{name}#{chunk.number}")
    except _CardError as exc:
        return ParseIssue(issue, f"card #{chunk.number} {exc}")


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


def _decode(chunk: _Chunk, default: str, declared_ok: bool) -> str | _CardError:
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
    return _CardError(
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


# --- component to record -----------------------------------------------------------------------------------------


def _record(card: Any, origin: str) -> ContactRecord:
    """Return the ContactRecord of a vobject card, or raise _CardError when it names nobody."""
    labels = {str(line.group).lower(): _ab_label(_single(line)) for line in _lines(card, "x-ablabel") if line.group}
    emails = _dedupe([Labeled(_email(_single(line)), _label(line, labels)) for line in _lines(card, "email")])
    phones = [Labeled(_phone(_single(line)), _label(line, labels)) for line in _lines(card, "tel")]
    phones = [p for p, line in zip(phones, _lines(card, "tel"), strict=True) if "fax" not in _types(line)]
    phones = _dedupe([phone for phone in phones if phone.label not in _NOT_PERSONAL_PHONES])
    organization = _first(_org(line.value) for line in _lines(card, "org"))
    name = (
        _first(_clean(_single(line)) for line in _lines(card, "fn"))
        or _first(_assembled(line.value) for line in _lines(card, "n"))
        or organization
        or _first(email.value for email in emails if "@" in email.value)
    )
    if not name:
        raise _CardError("has no name: no FN, N or ORG, and no email address; add an FN line or remove the card")
    notes = dict.fromkeys("\n".join(_single(line).splitlines()).strip() for line in _lines(card, "note"))
    return ContactRecord(
        source=SOURCE,
        external_id=_first(_clean(_single(line)) for line in _lines(card, "uid")) or origin,
        origin=origin,
        name=name,
        emails=tuple(emails),
        phones=tuple(phones),
        urls=tuple(dict.fromkeys(url for line in _lines(card, "url") if (url := _clean(_single(line))))),
        organization=organization,
        title=_first(_clean(_single(line)) for line in _lines(card, "title")),
        location=_location(_lines(card, "adr")),
        notes="\n".join(note for note in notes if note) or None,
        birthday=_first(_birthday(line) for line in _lines(card, "bday")),
        tags=_tags(_lines(card, "categories")),
    )


def _lines(card: Any, key: str) -> list[Any]:
    """Return a card's content lines of one property, in file order (vobject keys them in lower case)."""
    return list(card.contents.get(key, []))


def _first(values: Iterable[Any]) -> Any:
    """Return the first value that is neither empty nor None, else None."""
    return next((value for value in values if value), None)


def _text(value: Any) -> str:
    """Return a property value as text: lists (vobject splits some values) joined back with commas."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, list | tuple):
        return ",".join(_text(item) for item in value)
    return "" if value is None else str(value)


def _single(line: Any) -> str:
    """Return a single-valued text property's value; Apple escapes colons ("http\\://"), which vobject keeps."""
    return _text(line.value).replace("\\:", ":")


def _clean(text: str) -> str:
    """Return text on one line, with single spaces."""
    return _SPACES.sub(" ", text).strip()


def _types(line: Any) -> list[str]:
    """Return a property's types in lower case and file order: TYPE=a,b and TYPE="a,b" (3.0, 4.0), bare (2.1)."""
    written = [*line.params.get("TYPE", []), *line.singletonparams]
    return [kind.strip().lower() for value in written for kind in str(value).split(",") if kind.strip()]


def _ab_label(raw: str) -> str | None:
    """Return an Apple X-ABLabel as a label: "_$!<HomePage>!$_" → "homepage", "CustomType" → "customtype"."""
    match = _APPLE_LABEL.match(raw.strip())
    label = _clean(match.group(1) if match else raw).lower()
    return label or None


def _label(line: Any, labels: dict[str, str | None]) -> str | None:
    """Return a value's label: its group's X-ABLabel (the user's own words), else its first meaningful type."""
    if line.group and labels.get(str(line.group).lower()):
        return labels[str(line.group).lower()]
    return next((kind for kind in _types(line) if kind not in _NOT_LABELS and not kind.isdigit()), None)


def _email(text: str) -> str:
    """Return an email value as written, without a "mailto:" or a display name around it."""
    value = _clean(text)
    if value.lower().startswith("mailto:"):
        value = value[len("mailto:") :]
    if "<" in value and ">" in value:
        value = parseaddr(value)[1] or value  # '"Omega" <omega@example.com>' (Android's v2.1 test card)
    return value


def _phone(text: str) -> str:
    """Return a phone value as written, without a "tel:" scheme; "" for another URI (a SIP address)."""
    value = _clean(text)
    if value.lower().startswith("tel:"):
        return value[len("tel:") :]
    return "" if _NOT_PHONE_URI.match(value) else value


def _dedupe(values: list[Labeled]) -> list[Labeled]:
    """Return the non-empty values in order without repeats (compared case-insensitively), first label kept."""
    first: dict[str, Labeled] = {}
    for item in values:
        if item.value:
            first.setdefault(item.value.lower(), item)
    return list(first.values())


def _org(value: Any) -> str | None:
    """Return the first component of an ORG (the organization; the rest are its units)."""
    parts = value if isinstance(value, list) and value else [value]
    return _clean(_text(parts[0])) or None


def _assembled(value: Any) -> str:
    """Return a name assembled from an N value: prefix, given, additional, family, suffix."""
    if isinstance(value, vobject.vcard.Name):
        parts = [value.prefix, value.given, value.additional, value.family, value.suffix]
        return _clean(" ".join(" ".join(_text(q) for q in p) if isinstance(p, list) else _text(p) for p in parts))
    return _clean(_text(value).replace(";", " "))


def _location(lines: list[Any]) -> str | None:
    """Return where a card's addresses place the person: "City, Region", else the country, else what is there.

    An address naming a city or region wins over one naming only a country, which wins over a bare street;
    among equals the preferred one (PREF, TYPE=pref, PREF=1) wins, then the first.
    """
    best: tuple[int, int, int, str] | None = None
    for index, line in enumerate(lines):
        address = line.value
        if not isinstance(address, vobject.vcard.Address):
            continue
        candidates = (
            _joined(address.city, address.region),
            _joined(address.country),
            _joined(address.box, address.extended, address.street, address.code),
        )
        for rank, text in enumerate(candidates):
            if text:
                key = (rank, 0 if _is_pref(line) else 1, index, text)
                best = key if best is None or key < best else best
                break
    return best[3] if best else None


def _joined(*parts: Any) -> str:
    """Return address parts joined with ", ", each part's own lines too ("Street 4\\nBuilding 6")."""
    lines = (_clean(line) for part in parts for line in _text(part).splitlines())
    return ", ".join(line for line in lines if line)


def _is_pref(line: Any) -> bool:
    """Return whether a property is marked preferred (2.1 PREF, 3.0 TYPE=pref, 4.0 PREF=1)."""
    return "pref" in _types(line) or "PREF" in line.params


def _birthday(line: Any) -> date | None:
    """Return a BDAY as a date; None for partial dates ("--0415", "1996-04") or a year Apple marks unknown."""
    text = _text(line.value).strip().split("T")[0]
    match = _FULL_DATE.match(text)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if year == 1604 or str(year) in line.params.get("X-APPLE-OMIT-YEAR", []):
        return None  # Apple writes a birthday without a year as 1604-MM-DD, with X-APPLE-OMIT-YEAR=1604
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _tags(lines: list[Any]) -> tuple[str, ...]:
    """Return the CATEGORIES of a card, split at "," (3.0, 4.0) and ";" (2.1), without Google's system groups."""
    values = (value for line in lines for value in (line.value if isinstance(line.value, list) else [line.value]))
    tags = (_clean(tag) for value in values for tag in _text(value).split(";"))
    return tuple(dict.fromkeys(tag for tag in tags if tag and tag.lower() not in _SYSTEM_GROUPS))
