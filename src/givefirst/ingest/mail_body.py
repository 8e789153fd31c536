"""The words a person wrote in an email: its plain-text body, without what it quotes or signs off with.

Read only for the sources the user turned bodies on for (`--bodies`); headers-only stays the default. From the
raw message (header block and body, at most MAX_RAW_BYTES of it), `body_text` returns:

- the text/plain part (the first one that is not an attachment), else the text/html part turned into text;
  decoded with the part's transfer encoding and charset (an unknown or wrong charset: UTF-8, then Latin-1);
- without the quoted reply: lines starting with ">", and everything from the "On … wrote:" line, an
  "-----Original Message-----" line or a forwarded/Outlook "From: … Sent: …" block on;
- without the signature: everything from the "-- " delimiter, a "Sent from my iPhone" line, or a sign-off line
  ("Best,", "Thanks,", "Cheers") followed by a few short lines only (a name, a title, a number);
- with its white space tidied, capped at MAX_CHARS (cut at a sentence's end where there is one).

It is a parser: bytes in, text out, no I/O. An undecodable message gives "" (no body), never an error: the
message's headers are still imported. The usual shapes (one text/plain part; multipart plain and HTML, with
attachments) are read by a small MIME reader of its own; anything else goes to the email package, which reads
them alike but takes 2-3 times as long.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from email import message_from_bytes, policy
from email.message import Message
from html.parser import HTMLParser

MAX_RAW_BYTES = 256 * 1024  # read of a message: its first 256 KB (attachments come after the text, mostly)
MAX_CHARS = 4000  # kept of a body: a personal message's text is far shorter; a longer one is a newsletter

_HEAD_END = re.compile(rb"\r?\n\r?\n")
_HEAD_FIELD = re.compile(
    rb"\n(content-type|content-transfer-encoding|content-disposition)[ \t]*:[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)", re.I
)
_FOLD = re.compile(rb"\r?\n[ \t]+")
_BOUNDARY = re.compile(rb"""boundary\s*=\s*(?:"([^"]+)"|([^\s;"]+))""", re.IGNORECASE)
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_QUOTE_HEADER = re.compile(
    r"^\s*(?:On\s.{3,200}?\bwrote:|Le\s.{3,200}?\ba écrit\s?:|Am\s.{3,200}?\bschrieb\b.*:|El\s.{3,200}?\bescribió:"
    r"|-{2,}\s*(?:Original Message|Forwarded message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}"
    r"|_{10,})\s*$",
    re.IGNORECASE | re.DOTALL,
)
_OUTLOOK_FROM = re.compile(r"^\s*\*?(?:From|De|Von)\s*:\*?\s+\S")
_OUTLOOK_NEXT = re.compile(r"^\s*\*?(?:Sent|Date|Envoyé|Gesendet|To|Subject)\s*:", re.IGNORECASE)
_SIGNATURE = re.compile(r"^(?:--|-- |__)\s*$")
_SENT_FROM = re.compile(r"^\s*(?:Sent from my \w+|Sent from (?:Mail|Outlook|Yahoo Mail)|Get Outlook for)\b", re.I)
_SIGN_OFF = re.compile(
    r"^\s*(?:best(?: regards| wishes)?|regards|kind regards|warm(?:est)? regards|thanks(?: again| so much)?|thank you"
    r"|many thanks|cheers|all the best|sincerely|yours|talk soon|speak soon|take care|warmly|best,? \w+)\s*[,.!]?\s*$",
    re.IGNORECASE,
)
_SIGNATURE_TAIL = 6  # at most this many short lines after a sign-off: a name, a title, a phone number
_SHORT_LINE = 60
_SENTENCE_END = re.compile(r"[.!?](?=\s)")
_BLANK_RUN = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\u00a0]+")
_HTML_SPACE = re.compile(r"\s+")


def body_text(raw: bytes | bytearray) -> str:
    """Return the plain text a person wrote in this message (see the module's docstring), or ""."""
    data = bytes(raw[:MAX_RAW_BYTES])
    try:
        text = _quick_text(data)
        if text is None:
            text = _best_text(message_from_bytes(data, policy=policy.compat32))
    except (ValueError, LookupError, TypeError, AssertionError, IndexError):  # a broken MIME structure
        return ""
    return _cap(_tidy(_cut_signature(_cut_quoted(text.replace("\r\n", "\n").replace("\r", "\n")))))


def _quick_text(data: bytes) -> str | None:
    """Return the text `_best_text` would, read without the email package's parser, or None for a message this
    reading leaves to it (a forwarded message inside, RFC 2231 parameters, an unknown transfer encoding, deeper
    nesting). Most personal mail is one text/plain part or a multipart/alternative (or mixed) of plain and HTML;
    reading those here takes a fraction of the time (the tests check both readings agree)."""
    found = _quick_parts(data, 0)
    if found is None:
        return None
    plain, html = found
    return plain if plain is not None else (html_to_text(html) if html is not None else "")


def _quick_parts(data: bytes, depth: int) -> tuple[str | None, str | None] | None:
    """Return (the first text/plain part's text, the first text/html part's text) of a part, depth first."""
    fields, body = _head_and_body(data)
    disposition = fields.get(b"content-disposition", b"").split(b";")[0].strip().lower()
    if disposition == b"attachment":
        return None, None
    kind = fields.get(b"content-type", b"text/plain")
    main = kind.split(b";")[0].strip().lower()
    if b"*=" in kind or b"/" not in main or main.startswith(b"message/"):
        return None
    if main in (b"text/plain", b"text/html"):
        text = _quick_decoded(fields, body, kind)
        if text is None:
            return None
        return (text, None) if main == b"text/plain" else (None, text)
    if not main.startswith(b"multipart/"):
        return None, None  # an image, a PDF…: no text
    boundary = _BOUNDARY.search(kind)
    parts = _split_parts(body, b"--" + (boundary[1] or boundary[2])) if boundary and depth < 3 else None
    if parts is None:
        return None
    html: str | None = None
    for part in parts:
        found = _quick_parts(part, depth + 1)
        if found is None:
            return None
        if found[0] is not None:
            return found[0], None
        html = html if html is not None else found[1]
    return None, html


def _head_and_body(data: bytes) -> tuple[dict[bytes, bytes], bytes]:
    """Return a part's MIME fields (unfolded, the first of each) and its body."""
    if data.startswith((b"\n", b"\r\n")):  # a part with no header at all
        return {}, data[data.find(b"\n") + 1 :]
    end = _HEAD_END.search(data)
    head, body = (data[: end.start()], data[end.end() :]) if end else (data, b"")
    fields: dict[bytes, bytes] = {}
    for match in _HEAD_FIELD.finditer(b"\n" + head):
        fields.setdefault(match[1].lower(), _FOLD.sub(b" ", match[2]).strip())
    return fields, body


def _split_parts(body: bytes, delimiter: bytes) -> list[bytes] | None:
    """Return the parts of a multipart body (without the line break before each delimiter line), or None when a
    delimiter line is not one."""
    pieces = (b"\n" + body).split(b"\n" + delimiter)
    parts: list[bytes] = []
    for piece in pieces[1:]:
        if piece.startswith(b"--"):
            break  # the close delimiter: what follows is the epilogue
        eol = piece.find(b"\n")
        if eol < 0 or piece[:eol].strip():
            return None
        part = piece[eol + 1 :]
        parts.append(part[:-1] if part.endswith(b"\r") else part)
    return parts


def _quick_decoded(fields: dict[bytes, bytes], body: bytes, kind: bytes) -> str | None:
    encoding = fields.get(b"content-transfer-encoding", b"7bit").strip().lower()
    if encoding in (b"7bit", b"8bit", b"binary", b""):
        payload = body
    elif encoding == b"quoted-printable":
        payload = quopri.decodestring(body)
    elif encoding == b"base64":
        try:
            payload = base64.b64decode(body, validate=False)
        except binascii.Error:
            return None
    else:
        return None
    found = _CHARSET.search(kind)
    charset = found[1].decode("ascii").lower() if found else "utf-8"
    for codec in (charset, "utf-8"):
        try:
            return payload.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1")


def _best_text(message: Message) -> str:
    """Return the first text/plain part that is no attachment, else the first text/html part as text."""
    html: str | None = None
    for part in message.walk():
        if part.is_multipart() or (part.get_content_disposition() or "") == "attachment":
            continue
        kind = part.get_content_type()
        if kind == "text/plain":
            return _decoded(part)
        if kind == "text/html" and html is None:
            html = _decoded(part)
    return html_to_text(html) if html is not None else ""


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    for encoding in (charset, "utf-8"):
        try:
            return payload.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1")  # every byte is a character: garbled at worst, never an error


class _HtmlText(HTMLParser):
    """HTML to text: blocks become lines; scripts, styles and quoted replies (blockquote, Gmail's quote) dropped."""

    _BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"})
    _SKIPPED = frozenset({"script", "style", "head", "title", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []  # the open elements whose content is dropped

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = next((v or "" for k, v in attrs if k == "class"), "")
        if self._skipping or tag in self._SKIPPED or "gmail_quote" in classes or "gmail_signature" in classes:
            if tag not in ("br", "img", "hr", "meta", "link", "input"):  # void elements never close
                self._skipping.append(tag)
            return
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.pop()
            return
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(_HTML_SPACE.sub(" ", data))  # in HTML, a line break in the source is a space


def html_to_text(html: str) -> str:
    """Return the text of an HTML body, one line per block."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def _cut_quoted(text: str) -> str:
    """Return the text before the quoted message it answers, without quoted (">") lines."""
    lines = text.split("\n")
    kept: list[str] = []
    for n, line in enumerate(lines):
        if line.lstrip().startswith(">"):
            continue
        # "On Tue, 3 May 2022 at 10:02, Ana <ana@example.com> wrote:" is often wrapped over two lines
        joined = line if n + 1 >= len(lines) else f"{line} {lines[n + 1]}"
        if _QUOTE_HEADER.match(line) or (line.strip().startswith("On ") and _QUOTE_HEADER.match(joined)):
            break
        if _OUTLOOK_FROM.match(line) and any(_OUTLOOK_NEXT.match(x) for x in lines[n + 1 : n + 3]):
            break
        kept.append(line)
    return "\n".join(kept)


def _cut_signature(text: str) -> str:
    """Return the text before its signature."""
    lines = text.rstrip().split("\n")
    for n, line in enumerate(lines):
        if _SIGNATURE.match(line) or _SENT_FROM.match(line):
            return "\n".join(lines[:n])
    # a sign-off after some text, near the end, followed only by a few short lines that are no sentences (a
    # name, a title, a phone number): it and they are the signature. "Thanks!" opening a message is no sign-off.
    first = next((n for n, line in enumerate(lines) if line.strip()), 0)
    for n in range(max(first + 1, len(lines) - _SIGNATURE_TAIL - 1), len(lines)):
        if _SIGN_OFF.match(lines[n]):
            tail = [x.strip() for x in lines[n + 1 :] if x.strip()]
            if len(tail) <= _SIGNATURE_TAIL and not any(len(x) > _SHORT_LINE or _is_sentence(x) for x in tail):
                return "\n".join(lines[:n])
    return "\n".join(lines)


def _is_sentence(line: str) -> bool:
    """Return True when a line reads as a sentence (a few words ending in . ? or !), not a signature's line."""
    return line[-1] in ".?!" and len(line.split()) >= 4


def _tidy(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()


def _cap(text: str) -> str:
    """Return the text cut to MAX_CHARS, at the last sentence's end before it when there is one."""
    if len(text) <= MAX_CHARS:
        return text
    head = text[:MAX_CHARS]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    return head[: ends[-1]] if ends and ends[-1] > MAX_CHARS // 2 else head.rstrip() + "…"


__all__ = ["MAX_CHARS", "MAX_RAW_BYTES", "body_text", "html_to_text"]
