"""The matcher's full pass on both cores: the needs split in two, the second half scored in a forked process.

A full pass (the first `today` after an import) scores every need against every offer: at 20,000 people about
3 s of CPU, nearly all of it Python per need (exact scores, `combine`) that one core runs while the other is
idle. Each need's pairs depend only on that need's row of the block arrays, so the needs can be scored apart:
the parent scores the first half, a child made by `os.fork` the second half (it shares the items, the vectors
and the index without copying or pickling them) and sends its pairs back through a pipe, already in
the form they are stored in (`marshal`: numbers and strings; pickling `MatchScore`s cost 0.5 s at 20,000).

The halves are cut at a multiple of `match_engine.BLOCK`, so each need sits in the same block of the cosine
product as in one pass: every pair, score and signal is the one `score_pairs` gives alone
(`tests/services/test_match_workers.py`).

Forked only where that is safe and worth it: on Linux (macOS's frameworks are not fork-safe, Windows has no
fork), from a process with no other Python thread (a lock held by one would stay held in the child: the web
server's threads score sequentially), with at least two CPUs available and two blocks of needs. The child
never touches the database connection and leaves by `os._exit` (no exit handlers, no buffers flushed, no
socket closed as the parent's connection). If the child fails, the parent scores its half too: the same result.
`GIVEFIRST_MATCH_WORKERS=1` turns it off.
"""

from __future__ import annotations

import gc
import marshal
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from givefirst.domain.match_score import DEFAULT_WEIGHTS, Item, MatchScore, MatchWeights

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float32]

Pairs = list[tuple[int, int, MatchScore]]
Stored = TypeVar("Stored", bound=tuple[Any, ...])  # (need index, offer index, ...) as `convert` makes it


# At most this many need × offer cells are split across two processes unless asked (`GIVEFIRST_MATCH_WORKERS=2`):
# the child's block arrays and the pages it copies from the parent add to the memory of the pass (PSS of both
# processes at 20,000 people, 25 million cells: 350 MB against 295 MB in one; at 100,000, 625 million cells:
# 889 MB against 585 MB, past the 500 MB budget), while the wall time it saves is a sixth to a fifth.
SPLIT_CELLS = 50_000_000


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


def split_at(needs: int, block: int) -> int | None:
    """Return where to cut `needs` needs in two (a multiple of `block`, the halves as even as blocks allow), or
    None when there are fewer than two blocks."""
    blocks = -(-needs // block)
    if blocks < 2:
        return None
    return (blocks + 1) // 2 * block


def read_offers(offers: Sequence[Item]) -> None:
    """Read every offer as the exact scores will (side, place, constraints, words) before forking, so that the
    child finds them read instead of reading them again."""
    for offer in offers:
        _ = offer.reading, offer.place, offer.constraints, offer.phrases


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
) -> list[Stored]:
    """Return `convert(match_engine.score_pairs(needs, …))` (every need against every offer, converted a block at
    a time), computed by two processes when `processes` (default `workers(cells)`) allows it and forking is safe,
    else by this one.

    `convert` turns (need index, offer index, score) into plain tuples that start with the two indexes
    (numbers and strings: what `marshal` sends from the child at little cost); each process converts its own.
    `sink`, when given, takes the converted pairs a block at a time instead (this process's blocks as they are
    scored, then the child's half), and nothing is returned: a pass that stores its pairs as it goes never holds
    them all (at 100,000 people 129,000 pairs, their signals 65 MB).
    """
    from givefirst.domain.match_engine import BLOCK, score_blocks

    share = 1.0

    def part(lo: int, hi: int, into: Callable[[list[Stored]], None] | None = None) -> list[Stored]:
        # Converted block by block: the `MatchScore`s of one block are held at a time, not a whole half's.
        blocks = score_blocks(needs[lo:hi], need_vectors[lo:hi], offers, offer_vectors, now, w, index=index,
                              share=share)  # fmt: skip
        kept: list[Stored] = []
        for block in blocks:
            converted = convert([(i + lo, j, s) for i, j, s in block])
            if into is None:
                kept += converted
            else:
                into(converted)
        return kept

    cut = split_at(len(needs), BLOCK)
    wanted = processes if processes is not None else workers(len(needs) * len(offers))
    if cut is None or wanted < 2 or not can_fork():
        return part(0, len(needs), sink)
    read_offers(offers)
    share = 0.5  # two processes' block arrays at once: each uses half as many cells as one process would
    read_end, write_end = os.pipe()
    # The objects made so far go to the collector's permanent generation: a collection in the child would
    # otherwise write to every one of them (their headers) and so copy nearly every page it shares with us.
    gc.freeze()
    try:
        pid = os.fork()
    except BaseException:
        gc.unfreeze()
        raise
    if pid != 0:
        gc.unfreeze()
    if pid == 0:  # the child: score the second half, send it, leave without running anything of the parent's
        try:
            gc.disable()  # it lives for one half of one pass: its few cycles go with it
            os.close(read_end)
            try:
                payload = marshal.dumps(("ok", part(cut, len(needs))))
            except BaseException as exc:  # reported to the parent, which scores the half itself
                payload = marshal.dumps(("failed", repr(exc)))
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
        finally:
            os._exit(0)
    os.close(write_end)
    reader = os.fdopen(read_end, "rb")
    done = False
    try:
        first = part(0, cut, sink)
        sent = reader.read()
        done = True
    finally:
        reader.close()
        if not done:  # the parent failed (or was interrupted): the child's work is of no use
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    received = _received(sent)
    # the child failed (or died): score its half here
    second = part(cut, len(needs)) if received is None else cast("list[Stored]", received)
    if sink is not None:
        sink(second)
        return []
    return first + second


def _received(sent: bytes) -> list[Any] | None:
    """Return the child's converted pairs, or None when it did not send them."""
    try:
        status, pairs = marshal.loads(sent)
    except Exception:  # nothing or a partial message: the child died
        return None
    return list(pairs) if status == "ok" else None
