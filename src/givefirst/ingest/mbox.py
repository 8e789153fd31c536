"""Mail archives read message by message: an mbox streamed in large chunks, a maildir file (or .eml) whole.

`scan_mbox` yields each message's header fields as found (`RawHeaders`), skipping the bodies unread (unless the
source keeps bodies: then each message's first MAX_RAW_BYTES come with it), in memory bounded by one message;
`read_mbox` also decodes them (`MessageHeaders`). The importer scans, and decodes only the messages its skip
rules keep: a mailing list's post is known by its List-Id without reading its
addresses. `scan_maildir_message` and `read_maildir_message` do the same for one maildir message.
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


def scan_mbox(stream: BinaryIO, name: str, bodies: bool = False) -> Iterator[RawHeaders | ParseIssue]:
    """Yield the header fields of each message of an mbox (mboxo or mboxrd), or a ParseIssue for a broken one.

    Messages start at lines beginning with "From "; only each header block is read, the body bytes are skipped
    unread, unless `bodies` is set: then each RawHeaders also holds the message as written (headers and body, its
    first MAX_RAW_BYTES), for `mail_body.body_text`. Raises UnreadableFileError when the stream is empty or does
    not start with a From_ line.
    """
    for number, line, data, start, stop, body in _MboxScanner(stream, name, bodies).messages():
        origin = f"{name}#{number} (line {line})"
        if data is None:
            yield ParseIssue(origin, _TOO_LONG)
        else:
            yield raw_headers(data, origin, start, stop, body)


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
    return raw_headers(head, name, 0, match.start() if match else len(head), body)


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

    def messages(self) -> Iterator[tuple[int, int, bytes | bytearray | None, int, int, bytes | None]]:
        """Yield (message number, line of its From_ line, data, start, stop, message) for each message.

        The header block is `data[start:stop]`, starting with the newline before its first field; data is None
        when no blank line ends the headers within MAX_HEADER_BYTES. Data may be the scanner's own buffer, which
        changes once the next message is asked for: read it before. `message` is None unless bodies are read:
        then it is the message's bytes after its From_ line (headers and body), at most MAX_RAW_BYTES.
        """
        self._start()
        number = 0
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
                if after >= 0:
                    whole = bytes(buf[eol + 1 : min(after + 1, eol + 1 + MAX_RAW_BYTES)]) if self._bodies else None
                    yield number, self._line, buf, eol, end.start(), whole
                    self._line += buf.count(b"\n", pos, after + 1)
                    self._pos = after + 1
                    continue
            line = self._line
            block = self._take_header()
            if block is None:
                self._skip_body()
                yield number, line, None, 0, 0, None
                continue
            kept = bytearray(bytes(block) + b"\n") if self._bodies else None  # the blank line _take_header passed
            self._skip_body(kept)
            yield number, line, b"\n" + block, 0, len(block) + 1, None if kept is None else bytes(kept)

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
            raise UnreadableFileError(f'{self._name}: not an mbox file (it does not start with a "From " line)')
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
                    block = buf[eol + 1 : end.start() + 1]
                    self._advance(end.start() + 1 if end.group().endswith(b"From ") else end.end())
                    return block
            if len(buf) >= limit:
                self._advance(pos + 1)  # _skip_body looks for the next From_ line from here
                return None
            if not self._fill():
                self._advance(len(buf))
                return buf[eol + 1 :] if eol >= 0 else b""

    def _skip_body(self, keep: bytearray | None = None) -> None:
        """Move the cursor to the next From_ line, or to the end of the stream, without decoding anything; with
        `keep`, append the bytes passed to it (up to MAX_RAW_BYTES in all)."""
        while True:
            found = self._buf.find(b"\nFrom ", max(self._pos - 1, 0))
            # keep the last bytes: a "\nFrom " may straddle two chunks
            to = found + 1 if found >= 0 else max(self._pos, len(self._buf) - 5)
            if keep is not None and len(keep) < MAX_RAW_BYTES:
                keep += self._buf[self._pos : min(to, self._pos + MAX_RAW_BYTES - len(keep))]
            self._advance(to)
            if found >= 0:
                return
            if not self._fill():
                if keep is not None and len(keep) < MAX_RAW_BYTES:
                    keep += self._buf[self._pos : self._pos + MAX_RAW_BYTES - len(keep)]
                self._advance(len(self._buf))
                return


__all__ = ["read_maildir_message", "read_mbox", "scan_maildir_message", "scan_mbox"]
