"""The matcher's full pass on both cores: the blocks of needs taken by two processes, one of them forked.

A full pass (the first `today` after an import) scores every need against every offer: at 20,000 people about
3 s of CPU, nearly all of it Python per need (exact scores, `combine`) that one core runs while the other is
idle. Each need's pairs depend only on that need's row of the block arrays, so the needs can be scored apart:
the parent takes blocks of needs from the first up, a child made by `os.fork` from the last down (it shares the
items, the vectors and the index without copying or pickling them), until they meet (`Claims`). The child sends
its pairs back through a pipe block by block, already in the form they are stored in (`marshal`: numbers and
strings; pickling `MatchScore`s cost 0.5 s at 20,000). A thread of the parent reads them as they come, and the
parent stores them between its own blocks: neither process holds its pairs, and nothing is left to store when
the last block is done. The parent, which also stores, takes fewer blocks; with a fixed half each, it finished
about a second after the child at 100,000 people.

The blocks are those of `match_engine.BLOCK`, so each need sits in the same block of the cosine product as in
one pass: every pair, score and signal is the one `score_pairs` gives alone (`tests/services/test_match_workers.py`).

Forked only where that is safe and worth it: on Linux (macOS's frameworks are not fork-safe, Windows has no
fork), from a process with no other Python thread (a lock held by one would stay held in the child: the web
server's threads score sequentially), with at least two CPUs available and two blocks of needs. The child
never touches the database connection and leaves by `os._exit` (no exit handlers, no buffers flushed, no
socket closed as the parent's connection). If the child fails, the parent scores the blocks it took and did not
send: the same result.
`GIVEFIRST_MATCH_WORKERS=1` turns it off.
"""

from __future__ import annotations

import fcntl
import gc
import marshal
import os
import queue
import signal
import struct
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from givefirst.domain.match_score import DEFAULT_WEIGHTS, Item, MatchScore, MatchWeights

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float32]

Pairs = list[tuple[int, int, MatchScore]]
Stored = TypeVar("Stored", bound=tuple[Any, ...])  # (need index, offer index, ...) as `convert` makes it


# At most this many need × offer cells are split across two processes unless asked (`GIVEFIRST_MATCH_WORKERS=2`):
# the child's block arrays and the pages it copies from the parent add to the memory of the pass. At 100,000
# people (625 million cells) the two processes' PSS sums to 482-485 MB against 380 MB for one process, inside the
# 500 MB budget, for 14.4 s of wall time instead of 21.8 s; beyond it the pass runs in one process.
SPLIT_CELLS = 650_000_000


def workers(cells: int = 0) -> int:
    """Return how many processes a full pass of `cells` need × offer cells uses: `GIVEFIRST_MATCH_WORKERS` (1 or
    2) when set, else 2 when this process may run on two CPUs and the pass is at most `SPLIT_CELLS`, else 1."""
    chosen = os.environ.get("GIVEFIRST_MATCH_WORKERS", "").strip()
    if chosen.isdigit():
        return max(1, min(int(chosen), 2))
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        available = os.cpu_count() or 1
    return 2 if available >= 2 and cells <= SPLIT_CELLS else 1


def can_fork() -> bool:
    """Return whether forking here is safe: Linux, and no Python thread but this one."""
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


class Claims:
    """The blocks of a pass, taken one at a time by two processes: this one from the first block up, a forked
    child from the last block down, until they meet.

    Whichever process is slower (the parent also stores every pair, its own and the child's) takes fewer blocks,
    so both finish together instead of one waiting for the other's fixed half. The two counters live in an
    unnamed temporary file that both processes have open, changed under a POSIX record lock (`fcntl.lockf`):
    the kernel releases it when its holder dies, so a child killed while taking a block cannot leave the parent
    waiting. A block is never taken twice.
    """

    COUNTERS = struct.Struct("<qq")  # the next block from the front; one past the next block from the back

    def __init__(self, blocks: int) -> None:
        self.blocks = blocks
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - kept open across the fork, closed by `close`
        os.pwrite(self._file.fileno(), self.COUNTERS.pack(0, blocks), 0)

    def _take(self, front: bool) -> int | None:
        fd = self._file.fileno()
        fcntl.lockf(fd, fcntl.LOCK_EX)
        try:
            low, high = (int(n) for n in self.COUNTERS.unpack(os.pread(fd, self.COUNTERS.size, 0)))
            if low >= high:
                return None
            taken = low if front else high - 1
            os.pwrite(fd, self.COUNTERS.pack(low + front, high - (not front)), 0)
            return taken
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN)

    def front(self) -> Iterator[int]:
        """Yield the blocks this process takes from the front, one at a time, until none is left."""
        while (taken := self._take(front=True)) is not None:
            yield taken

    def back(self) -> Iterator[int]:
        """Yield the blocks taken from the back, one at a time, until none is left."""
        while (taken := self._take(front=False)) is not None:
            yield taken

    def taken_from_back(self) -> range:
        """Return the blocks taken from the back so far."""
        _, high = self.COUNTERS.unpack(os.pread(self._file.fileno(), self.COUNTERS.size, 0))
        return range(int(high), self.blocks)

    def close(self) -> None:
        self._file.close()


def score_pairs_split(
    needs: Sequence[Item],
    need_vectors: FloatArray,
    offers: Sequence[Item],
    offer_vectors: FloatArray,
    now: datetime,
    convert: Callable[[Pairs], list[Stored]],
    w: MatchWeights = DEFAULT_WEIGHTS,
    *,
    index: Any,
    processes: int | None = None,
    sink: Callable[[list[Stored]], None] | None = None,
    depth: float = 0.0,
    top: int = 0,
) -> list[Stored]:
    """Return `convert(match_engine.score_pairs(needs, …))` (every need against every offer, converted a block at
    a time), computed by two processes when `processes` (default `workers(cells)`) allows it and forking is safe,
    else by this one.

    `convert` turns (need index, offer index, score) into plain tuples that start with the two indexes
    (numbers and strings: what `marshal` sends from the child at little cost); each process converts its own.
    `sink`, when given, takes the converted pairs a block at a time instead, as they come (this process's blocks
    and the child's, interleaved), and nothing is returned: a pass that stores its pairs as it goes never holds
    them all (at 100,000 people 129,000 pairs, their signals 65 MB), and the child holds one block at a time.
    Without a sink the pairs are returned in the order of the needs, as one process gives them.
    `depth`, `top`: only the pairs scoring at least `depth`, and with `top` (`match_engine.score_blocks`) those that
    could be among the best `top` (each process keeps its own count of the best: the depth it reaches is never above
    that of one process scoring every need).
    """
    import numpy as np

    from givefirst.domain.match_engine import BLOCK, score_blocks
    from givefirst.domain.match_score import is_live

    share = 1.0
    # Which offers are live, and their vectors, worked out once: a child shares them instead of making its own.
    live = [is_live(offer.record, now) for offer in offers]
    live_vectors = None if all(live) else offer_vectors[np.flatnonzero(live)]
    found: dict[int, list[Stored]] = {}  # block → its pairs, when there is no sink

    def part(blocks: Iterable[int], into: Callable[[int, list[Stored]], None]) -> None:
        # Converted block by block: the `MatchScore`s of one block are held at a time, not all of a process's.
        # `into` gets each block's number with its pairs; the blocks are taken as the pass comes to them.
        taken: list[int] = []

        def outers() -> Iterator[int]:
            for block in blocks:
                taken.append(block)
                yield block * BLOCK

        scored = score_blocks(needs, need_vectors, offers, offer_vectors, now, w, index=index, offer_live=live,
                              share=share, live_vectors=live_vectors, forget_needs=True, outers=outers(),
                              depth=depth, top=top)  # fmt: skip
        for pairs in scored:
            into(taken[-1], convert(pairs))

    def keep(block: int, pairs: list[Stored]) -> None:
        if sink is not None:
            sink(pairs)
        else:
            found[block] = pairs

    def in_order() -> list[Stored]:
        return [pair for block in sorted(found) for pair in found[block]]

    blocks = -(-len(needs) // BLOCK)
    wanted = processes if processes is not None else workers(len(needs) * len(offers))
    if blocks < 2 or wanted < 2 or not can_fork():
        part(range(blocks), keep)
        return in_order()
    # The offers are read (side, place, words) by each process as it needs them, not by this one before forking:
    # read here, the child would write to most of their pages (reference counts) and so copy them, and reading
    # them is then done on both cores instead of before the split.
    share = 0.5  # two processes' block arrays at once: each uses half as many cells as one process would
    claims = Claims(blocks)
    read_end, write_end = os.pipe()
    # The objects made so far go to the collector's permanent generation: a collection in the child would
    # otherwise write to every one of them (their headers) and so copy nearly every page it shares with us.
    gc.freeze()
    try:
        pid = os.fork()
    except BaseException:
        gc.unfreeze()
        claims.close()
        raise
    if pid != 0:
        gc.unfreeze()
    if pid == 0:  # the child: score blocks from the back, send each as it is done, leave without running the parent's
        try:
            gc.disable()  # it lives for one part of one pass: its few cycles go with it
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                try:
                    part(claims.back(), lambda block, pairs: _send(out, ("block", block, pairs)))
                    _send(out, ("done",))
                except BaseException as exc:  # reported to the parent, which scores the blocks it did not send
                    _send(out, ("failed", repr(exc)))
        finally:
            os._exit(0)
    os.close(write_end)
    inbox = _Inbox(read_end)
    sent: set[int] = set()  # the child's blocks received

    def receive(wait: bool) -> None:
        """Pass on the child's blocks received so far (`wait`: and the rest of them, until the pipe ends)."""
        for message in inbox.messages(wait=wait):
            if message[0] == "block":
                _, block, pairs = message
                sent.add(block)
                keep(block, list(pairs))

    def own(block: int, pairs: list[Stored]) -> None:
        keep(block, pairs)
        receive(wait=False)  # the child's blocks stored as they come, between this process's own

    done = False
    try:
        part(claims.front(), own)
        receive(wait=True)
        done = True
    finally:
        if not done:  # the parent failed (or was interrupted): the child's work is of no use
            os.kill(pid, signal.SIGKILL)
        inbox.close()
        os.waitpid(pid, 0)
        missing = [block for block in claims.taken_from_back() if block not in sent]
        claims.close()
    if missing:  # a child that failed (or died) part way took blocks it did not send: they are scored here
        part(missing, keep)
    return in_order()


HEADER = struct.Struct("<Q")  # a message's length, before it


def _send(out: BinaryIO, message: tuple[Any, ...]) -> None:
    data = marshal.dumps(message)
    out.write(HEADER.pack(len(data)) + data)
    out.flush()


class _Inbox:
    """The child's messages, read from the pipe by a thread as they come: the child never waits for the parent
    to be between two of its own blocks (a block's pairs are more than a pipe holds). Only whole messages are
    passed on; a message cut short (the child died writing it) ends the inbox."""

    def __init__(self, fd: int) -> None:
        self._pipe = os.fdopen(fd, "rb")
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._ended = False
        self._reader = threading.Thread(target=self._read, name="givefirst-match-child", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            while True:
                head = self._pipe.read(HEADER.size)
                if len(head) < HEADER.size:
                    break
                (size,) = HEADER.unpack(head)
                data = self._pipe.read(size)
                if len(data) < size:
                    break
                self._queue.put(data)
        except (OSError, ValueError):  # the pipe closed under the reader (the parent gave up)
            pass
        finally:
            self._queue.put(None)

    def messages(self, *, wait: bool) -> Iterator[tuple[Any, ...]]:
        """Yield the messages received (`wait`: and those still to come, until the pipe ends)."""
        while not self._ended:
            try:
                data = self._queue.get() if wait else self._queue.get_nowait()
            except queue.Empty:
                return
            if data is None:
                self._ended = True
                return
            try:
                yield marshal.loads(data)
            except (EOFError, ValueError, TypeError):  # not a message of ours: nothing more is trusted
                self._ended = True
                return

    def close(self) -> None:
        self._reader.join()
        self._pipe.close()
