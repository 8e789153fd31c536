"""Mail archives read message by message: an mbox streamed in large chunks, a maildir file (or .eml) whole.

`scan_mbox` yields each message's header fields as found (`RawHeaders`), skipping the bodies unread (unless the
source keeps bodies: then each message's first MAX_RAW_BYTES come with it), in memory bounded by one message;
`read_mbox` also decodes them (`MessageHeaders`). The importer scans, and decodes only the messages its skip
rules keep: a mailing list's post is known by its List-Id without reading its
addresses. `scan_maildir_message` and `read_maildir_message` do the same for one maildir message.

A line starting with "From " opens a message only when it looks like a From_ line ("From" an address and a date
with a time) and the next line is a header field, as mboxrd and mboxo readers commonly require: an unescaped
"From " line in a body (mboxo) stays body text. A file whose first From_ line carries no date (some tools write
"From -" alone) is read with the date left out of the rule. Each message's From_ line comes with its headers
(`RawHeaders.envelope`): its date stands in for a missing Date header (`email_headers.parse_headers`).

A file that is not an mbox says what it seems to be instead: compressed (decompress it first), or a single
message (an .eml, which `givefirst import maildir` reads).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import BinaryIO, cast

from givefirst.ingest.email_headers import MessageHeaders, RawHeaders, parse_headers, raw_headers
from givefirst.ingest.mail_body import MAX_RAW_BYTES
from givefirst.ingest.records import ParseIssue, UnreadableFileError

CHUNK_SIZE = 1 << 20
MAX_HEADER_BYTES = 256 * 1024  # real header blocks are a few KB; beyond this the "message" is junk
# A blank line ends the header block; a From_ line starts the next message (a message with no body).
_HEADER_END = re.compile(rb"\n(?:\r?\n|From )")
_TOO_LONG = f"no blank line ends the headers within {MAX_HEADER_BYTES // 1024} KB: not mail"
# A From_ line that opens a message: "From", a sender and a date with a time (asctime, as mbox writers put it,
# or RFC 5322), then a header field on the next line. Bounded, so that whether a candidate is one is known from a
# fixed number of bytes after it (_MboxScanner._undecided): the same verdict at any chunk boundary. (Greedy, not
# lookaheads for the year too: this runs for every message, and the lookaheads took 5 us a message.)
_FROM_LINE_MAX = 2 * 1000 + 10
_FIELD_NAME_MAX = 100
_DATED_FROM = rb"From [^\n]{0,1000}\d:\d\d[^\n]{0,1000}\n"
_NEXT_FIELD = rb"[!-9;-~]{1,%d}[ \t]{0,3}:" % _FIELD_NAME_MAX
_SEPARATOR = re.compile(_DATED_FROM + _NEXT_FIELD)
_UNDATED_SEPARATOR = re.compile(rb"From [^\n]{0,%d}\n" % (_FROM_LINE_MAX - 5) + _NEXT_FIELD)
_DATED = re.compile(_DATED_FROM)
_DECIDED_AFTER = _FIELD_NAME_MAX + 5  # bytes of the line after a From_ line that settle whether it is one
# What a file that is not an mbox may be instead, by its first bytes: compressed (to decompress first), or one
# message on its own (an .eml, an RFC 822 file).
_COMPRESSED = (
    (b"\x1f\x8b", "gzip", "gunzip"),
    (b"BZh", "bzip2", "bunzip2"),
    (b"\xfd7zXZ\x00", "xz", "unxz"),
    (b"\x28\xb5\x2f\xfd", "zstd", "unzstd"),
    (b"PK\x03\x04", "zip", "unzip"),
)
_NOT_MBOX = 'not an mbox file (it does not start with a "From " line)'
_ONE_MESSAGE = 'import it with "givefirst import maildir FILE", or put it in an mbox'
_HEADER_LINE = re.compile(rb"[!-9;-~]{1,%d}[ \t]{0,3}:" % _FIELD_NAME_MAX)


def scan_mbox(stream: BinaryIO, name: str, bodies: bool = False) -> Iterator[RawHeaders | ParseIssue]:
    """Yield the header fields of each message of an mbox (mboxo or mboxrd), or a ParseIssue for a broken one.

    Messages start at lines beginning with "From "; only each header block is read, the body bytes are skipped
    unread, unless `bodies` is set: then each RawHeaders also holds the message as written (headers and body, its
    first MAX_RAW_BYTES), for `mail_body.body_text`. Raises UnreadableFileError when the stream is empty or does
    not start with a From_ line.
    """
    for number, line, data, start, stop, body, envelope in _MboxScanner(stream, name, bodies).messages():
        origin = f"{name}#{number} (line {line})"
        if data is None:
            yield ParseIssue(origin, _TOO_LONG)
        else:
            yield raw_headers(data, origin, start, stop, body, envelope)


def read_mbox(stream: BinaryIO, name: str) -> Iterator[MessageHeaders | ParseIssue]:
    """Yield the decoded headers of each message of an mbox, or a ParseIssue for a broken one (see scan_mbox)."""
    for item in scan_mbox(stream, name):
        yield item if isinstance(item, ParseIssue) else parse_headers(item)


def scan_maildir_message(data: bytes, name: str, bodies: bool = False) -> RawHeaders | ParseIssue:
    """Return the header fields of one maildir (or .eml) message, or a ParseIssue saying why it cannot be read.

    With `bodies`, the RawHeaders also holds the message as written (its first MAX_RAW_BYTES)."""
    if not data or data.isspace():
        return ParseIssue(name, "the file is empty")
    start = data.find(b"\n") + 1 if data.startswith(b"From ") else 0  # some tools keep the mbox From_ line
    head = b"\n" + data[start : start + MAX_HEADER_BYTES]  # "\n": a blank first line (no headers) ends it too
    match = _HEADER_END.search(head)
    if match is None and len(data) - start > MAX_HEADER_BYTES:
        return ParseIssue(name, _TOO_LONG)
    body = data[start : start + MAX_RAW_BYTES] if bodies else None
    envelope = data[: start - 1] if start > 0 else None
    return raw_headers(head, name, 0, match.start() if match else len(head), body, envelope)


def _not_an_mbox(head: bytes | bytearray) -> str:
    """Return why a file is not an mbox, by its first bytes, with what it seems to be instead and what to do."""
    for magic, kind, tool in _COMPRESSED:
        if head.startswith(magic):
            verb = "extract" if kind == "zip" else "decompress"
            return f"not an mbox file but a {kind}-compressed one: {verb} it first (e.g. with {tool})"
    text = head.lstrip(b"\r\n")
    if _HEADER_LINE.match(text) and b"\x00" not in text[:4096]:
        return f"{_NOT_MBOX} but a single message (.eml): {_ONE_MESSAGE}"
    return _NOT_MBOX


def looks_like_mbox(head: bytes | bytearray) -> bool:
    """Return True when these first bytes of a file hold two messages or more, each opened by a From_ line."""
    text = head.lstrip(b"\r\n")
    if not text.startswith(b"From "):
        return False
    separator = _SEPARATOR if _DATED.match(text) else _UNDATED_SEPARATOR
    at = text.find(b"\nFrom ")
    while at >= 0:
        if separator.match(text, at + 1):
            return True
        at = text.find(b"\nFrom ", at + 1)
    return False


def read_maildir_message(data: bytes, name: str) -> MessageHeaders | ParseIssue:
    """Return the decoded headers of one maildir (or .eml) message, or a ParseIssue saying why it cannot be."""
    raw = scan_maildir_message(data, name)
    return raw if isinstance(raw, ParseIssue) else parse_headers(raw)


class _MboxScanner:
    """Walks an mbox stream in large chunks: finds each message's header block and skips its body unread.

    The buffer is one bytearray, read into and trimmed in place: allocating a fresh 1 MB bytes object per chunk
    (and copying the unread tail into it) cost as much as finding every message in it.
    """

    def __init__(self, stream: BinaryIO, name: str, bodies: bool = False) -> None:
        self._stream = stream
        self._bodies = bodies
        self._name = name
        self._buf = bytearray()
        self._chunk = bytearray(CHUNK_SIZE)
        self._readinto = not isinstance(stream, io.TextIOBase)
        self._pos = 0  # bytes before this are consumed
        self._line = 1  # line number at _pos
        self._eof = False
        self._separator = _SEPARATOR  # _UNDATED_SEPARATOR when the file's first From_ line has no date
        self._envelope = b""  # the From_ line of the message _take_header read last

    def messages(self) -> Iterator[tuple[int, int, bytes | bytearray | None, int, int, bytes | None, bytes]]:
        """Yield (message number, line of its From_ line, data, start, stop, message, From_ line) for each message.

        The header block is `data[start:stop]`, starting with the newline before its first field; data is None
        when no blank line ends the headers within MAX_HEADER_BYTES. Data may be the scanner's own buffer, which
        changes once the next message is asked for: read it before. `message` is None unless bodies are read:
        then it is the message's bytes after its From_ line (headers and body), at most MAX_RAW_BYTES.
        """
        self._start()
        number = 0
        separator = self._separator.match
        while self._pos < len(self._buf) or self._fill():
            number += 1
            # The usual case, inline: the header block and the next From_ line are both in the buffer.
            buf, pos = self._buf, self._pos
            limit = pos + MAX_HEADER_BYTES
            eol = buf.find(b"\n", pos, limit)
            end = _HEADER_END.search(buf, eol, limit) if eol >= 0 else None
            if end is not None:
                # from the newline that ends the headers: the next From_ line is the body's first line at the
                # earliest, or the line right after the headers when the message has no body
                after = buf.find(b"\nFrom ", end.start())
                if after >= 0 and not separator(buf, after + 1):  # a "From " line in the body, or undecided
                    after, decided = self._next_from(after)
                    after = after if decided else -1
                if after >= 0:
                    whole = bytes(buf[eol + 1 : min(after + 1, eol + 1 + MAX_RAW_BYTES)]) if self._bodies else None
                    yield number, self._line, buf, eol, end.start(), whole, bytes(buf[pos:eol])
                    self._line += buf.count(b"\n", pos, after + 1)
                    self._pos = after + 1
                    continue
            line = self._line
            block = self._take_header()
            if block is None:
                self._skip_body()
                yield number, line, None, 0, 0, None, b""
                continue
            envelope = self._envelope
            kept = bytearray(bytes(block) + b"\n") if self._bodies else None  # the blank line _take_header passed
            self._skip_body(kept)
            yield number, line, b"\n" + block, 0, len(block) + 1, None if kept is None else bytes(kept), envelope

    def _start(self) -> None:
        """Check that the stream is an mbox and put the cursor on its first From_ line."""
        # reads may be short (pipes): gather the first line whole, or enough of it to judge
        while len(self._buf) < 8192 and b"\n" not in self._buf.lstrip() and self._fill():
            pass
        text = self._buf.lstrip(b"\r\n")
        if self._eof and not text.strip():
            raise UnreadableFileError(f"{self._name}: the file is empty")
        first_line = text[: text.find(b"\n")] if b"\n" in text else text
        if not text.startswith(b"From ") or b"\x00" in first_line or len(first_line) > 4096:
            raise UnreadableFileError(f"{self._name}: {_not_an_mbox(self._buf)}")
        if not _DATED.match(text) and b"\n" in text:
            self._separator = _UNDATED_SEPARATOR
        self._advance(len(self._buf) - len(text))

    def _fill(self) -> bool:
        """Append the next chunk, dropping consumed bytes but one; return False at the end of the stream."""
        if self._eof:
            return False
        chunk: object = None
        try:
            if self._readinto:
                try:
                    readinto = cast(io.RawIOBase, self._stream).readinto  # not in BinaryIO; io streams have it
                    chunk = memoryview(self._chunk)[: readinto(self._chunk) or 0]
                except (AttributeError, NotImplementedError, io.UnsupportedOperation):
                    self._readinto = False  # a stream that can only be read: each chunk a new bytes object
            if chunk is None:
                chunk = self._stream.read(CHUNK_SIZE)
        except (OSError, ValueError) as exc:  # ValueError: the stream was closed under us
            raise UnreadableFileError(f"{self._name}: cannot be read ({exc})") from None
        if not isinstance(chunk, bytes | bytearray | memoryview):
            raise UnreadableFileError(f"{self._name}: opened as text; an mbox must be read as bytes")
        if not chunk:
            self._eof = True
            return False
        keep = max(self._pos - 1, 0)  # the byte before the cursor tells whether it starts a line
        del self._buf[:keep]
        self._buf += chunk
        self._pos -= keep
        return True

    def _next_from(self, start: int) -> tuple[int, bool]:
        """Return (where, decided): the newline before the next From_ line that opens a message, from `start`.

        `where` is -1 when the buffer holds none; `decided` is False when the bytes that settle whether a candidate
        is one have not been read yet (then `where` is that candidate: read more and ask again).
        """
        buf, separator = self._buf, self._separator
        found = buf.find(b"\nFrom ", start)
        while found >= 0:
            if separator.match(buf, found + 1):
                return found, True
            if self._undecided(found + 1):
                return found, False
            found = buf.find(b"\nFrom ", found + 1)  # a "From " line in a body: body text
        return -1, True

    def _undecided(self, at: int) -> bool:
        """Return True when the buffer ends before the bytes that settle whether the line at `at` opens a message."""
        if self._eof:
            return False
        buf = self._buf
        newline = buf.find(b"\n", at, at + _FROM_LINE_MAX + 1)
        if newline < 0:
            return len(buf) < at + _FROM_LINE_MAX + 1
        return len(buf) < newline + 1 + _DECIDED_AFTER and buf.find(b"\n", newline + 1) < 0

    def _advance(self, to: int) -> None:
        """Move the cursor forward, counting the lines passed."""
        self._line += self._buf.count(b"\n", self._pos, to)
        self._pos = to

    def _take_header(self) -> bytes | bytearray | None:
        """Return the header block of the message whose From_ line is at the cursor, None when it is too long."""
        while True:
            buf, pos = self._buf, self._pos
            limit = pos + MAX_HEADER_BYTES
            eol = buf.find(b"\n", pos, limit)
            if eol >= 0:
                end = _HEADER_END.search(buf, eol, limit)
                if end is not None:
                    self._envelope = bytes(buf[pos:eol])
                    block = buf[eol + 1 : end.start() + 1]
                    self._advance(end.start() + 1 if end.group().endswith(b"From ") else end.end())
                    return block
            if len(buf) >= limit:
                self._advance(pos + 1)  # _skip_body looks for the next From_ line from here
                return None
            if not self._fill():
                self._envelope = bytes(buf[pos : eol if eol >= 0 else len(buf)])
                self._advance(len(buf))
                return buf[eol + 1 :] if eol >= 0 else b""

    def _skip_body(self, keep: bytearray | None = None) -> None:
        """Move the cursor to the next From_ line, or to the end of the stream, without decoding anything; with
        `keep`, append the bytes passed to it (up to MAX_RAW_BYTES in all)."""
        while True:
            found, decided = self._next_from(max(self._pos - 1, 0))
            # none: keep the last bytes, a "\nFrom " may straddle two chunks; undecided: stop before it, read more
            to = max(self._pos, len(self._buf) - 5) if found < 0 else found + 1 if decided else max(found, self._pos)
            if keep is not None and len(keep) < MAX_RAW_BYTES:
                keep += self._buf[self._pos : min(to, self._pos + MAX_RAW_BYTES - len(keep))]
            self._advance(to)
            if found >= 0 and decided:
                return
            if not self._fill() and found < 0:  # at the end, an undecided candidate is judged once more
                if keep is not None and len(keep) < MAX_RAW_BYTES:
                    keep += self._buf[self._pos : self._pos + MAX_RAW_BYTES - len(keep)]
                self._advance(len(self._buf))
                return


__all__ = ["looks_like_mbox", "read_maildir_message", "read_mbox", "scan_maildir_message", "scan_mbox"]
