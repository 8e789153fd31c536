"""How deep the stored lists are (docs/matching.md, "Lists as deep as the reader needs").

A need's list is whole when it holds its best `per_item` pairs above the floor. The first `today` after an import
reads only the best 150 pairs of the whole network, so its full pass keeps only the pairs that could be among them
(`match_engine.score_blocks`, `top`): every need's list then holds its pairs from some score up, and the rest of
the pass, most of its cost, is left until a caller reads deeper (`match`, a person's matches, an event's).

What is remembered: mark 0 of kind `DEPTH`, "<engine>:<score>", the score down to which every list is at least
whole (absent: every list is whole), and the ids of the needs scored that way (a blob beside the vectors: one row,
not 18,000 marks at 100,000 people). A reader that has a few needs' lists made whole (`matching.deepen_needs`: a
person's page) takes their ids out (`made_whole`), so the next reader of them reads and writes nothing. A need
scored whole otherwise (edited) may still be among the ids: deepening scores it again, which is only work. A mark
of another engine means nothing: every need is scored again anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection

from givefirst.domain.match_score import ENGINE_VERSION, MatchScore
from givefirst.domain.model import NeedOrOffer
from givefirst.services.context import App
from givefirst.store import matching as store

DEPTH = "depth"  # match_marks kind; mark 0 holds "<engine>:<score>"
SHALLOW_NEEDS = "shallow-needs"  # text_vectors model: the needs' ids as little-endian int64, under `_KEY`
_KEY = "ids"


def _depth_of(mark: str | None) -> float | None:
    """Return the score a `DEPTH` mark holds; None for none, or for one of another engine."""
    if mark is None or not mark.startswith(f"{ENGINE_VERSION}:"):
        return None
    try:
        return float(mark.removeprefix(f"{ENGINE_VERSION}:"))
    except ValueError:
        return None


def made_to(conn: Connection) -> float | None:
    """Return the score down to which every stored list is whole, or None when every list is whole."""
    return _depth_of(store.mark_of(conn, DEPTH, 0))


def left_by_another_engine(conn: Connection) -> bool:
    """Return whether the depth was recorded by another engine (its needs are all scored again)."""
    mark = store.mark_of(conn, DEPTH, 0)
    return mark is not None and _depth_of(mark) is None


def shallow_ids(conn: Connection) -> list[int]:
    """Return the ids of the needs whose lists may stop above their floor (none when every list is whole)."""
    return _ids(conn) if made_to(conn) is not None else []


def _ids(conn: Connection) -> list[int]:
    import numpy as np

    blob = store.vectors(conn, SHALLOW_NEEDS, {_KEY}).get(_KEY)
    return [] if blob is None else np.frombuffer(blob, dtype="<i8").astype(np.int64).tolist()


def note(conn: Connection, app: App, need_ids: Iterable[int], depth: float) -> None:
    """Record that these needs' lists were just made whole only down to `depth` (nothing at 0)."""
    import numpy as np

    if depth <= 0.0:
        return
    before = made_to(conn)
    ids = sorted(set(need_ids) | set(_ids(conn) if before is not None else ()))
    store.delete_vectors(conn, SHALLOW_NEEDS)
    store.save_vectors(conn, SHALLOW_NEEDS, {_KEY: np.asarray(ids, dtype="<i8").tobytes()})
    store.set_marks(conn, DEPTH, {0: f"{ENGINE_VERSION}:{max(depth, before or 0.0)!r}"}, app.now)


def made_whole(conn: Connection, need_ids: Iterable[int]) -> None:
    """Record that these needs' lists were just scored whole: they are no longer among the shallow ones (when no
    need is left there, every list is whole)."""
    import numpy as np

    if made_to(conn) is None:
        return
    whole = set(need_ids)
    before = _ids(conn)
    ids = [i for i in before if i not in whole]
    if not ids:
        forget(conn)
    elif len(ids) < len(before):
        store.delete_vectors(conn, SHALLOW_NEEDS)
        store.save_vectors(conn, SHALLOW_NEEDS, {_KEY: np.asarray(ids, dtype="<i8").tobytes()})


def forget(conn: Connection) -> None:
    """Record that every list is whole."""
    store.delete_marks(conn, DEPTH, [0])
    store.delete_vectors(conn, SHALLOW_NEEDS)


def deep_enough(
    conn: Connection, found: Sequence[tuple[NeedOrOffer, NeedOrOffer, MatchScore]], limit: int, floor: float
) -> bool:
    """Return whether the best `limit` pairs at or above `floor` read (`matching.cached`, best first) are the best
    of all.

    They are when every list is whole down to `floor`, or when `limit` pairs were read and the last of them scores
    at least the depth the lists were made to: a pair left out of a list scored below that depth when it was
    scored, and freshness only lowers a score since.
    """
    mark = store.mark_of(conn, DEPTH, 0)
    depth = _depth_of(mark)
    if depth is None:
        return mark is None  # whole, or recorded by another engine (then scored again first)
    return depth <= floor or (len(found) >= limit and found[limit - 1][2].score >= depth)
