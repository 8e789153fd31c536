"""Choosing each need's best few offers by their caps, without sorting or partitioning every offer of a row.

A full pass short-lists, for each need, the `k` offers with the highest cap (the chance a pair could reach at
best) among tens of thousands. `np.argpartition` over each whole row was a tenth of the pass at 100,000 people
(20 ms for a block of 100 needs against 18,000 offers); the caps' maxima over a few dozen runs of columns bound
the k-th highest cap from below, so only the few columns at or above that bound are sorted (4 ms).

Ties are broken by column, lowest first: the order a stable sort of the whole row gives. (`argpartition` left
tied offers in an order of its own; the lists of a full pass are its exact top k either way, as long as the
short-list settles within its window — `match_engine.score_blocks`.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float32]

RUNS_PER_PICK = 4  # runs of columns per column picked: the bound is the k-th highest of their maxima


def best_in_rows(z: FloatArray, k: int) -> tuple[Any, Any]:
    """Return (rows, columns): for each row of `z` in turn, the columns of its `k` highest finite values,
    highest first, ties by column. A row with fewer than `k` finite values gives all of them (-inf is never
    picked)."""
    import numpy as np

    n_rows, width = z.shape
    if n_rows == 0 or k <= 0 or width == 0:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty
    runs = k * RUNS_PER_PICK
    if width >= 2 * runs:
        # The k-th highest of the runs' maxima: k different columns reach it, so the k-th highest value of the
        # row is at least as high, and every column of the top k (ties included) is at or above it.
        starts = (np.arange(runs, dtype=np.intp) * width) // runs
        maxima = np.maximum.reduceat(z, starts, axis=1)
        bound = np.partition(maxima, runs - k, axis=1)[:, runs - k]
        # A row whose bound is -inf (fewer than k runs hold a finite value) takes every finite value.
        np.maximum(bound, np.finfo(np.float32).min, out=bound)
        rows, cols = np.nonzero(z >= bound[:, None])
    else:
        rows, cols = np.nonzero(z > -np.inf)
    return first_in_rows(rows, cols, z[rows, cols], n_rows, k)


def first_in_rows(rows: Any, cols: Any, values: Any, n_rows: int, k: int) -> tuple[Any, Any]:
    """Return (rows, columns) of the `k` highest of these cells (rows numbered below `n_rows`) in each row, as
    `best_in_rows` orders them: by row, highest first, ties by column."""
    import numpy as np

    order = np.lexsort((cols, -values, rows))  # by row, then highest first, then lowest column
    rows, cols = rows[order], cols[order]
    first = np.searchsorted(rows, np.arange(n_rows))  # where each row's columns start
    rank = np.arange(len(rows)) - first[rows]
    kept = rank < k
    return rows[kept], cols[kept]


def best_first(zrow: FloatArray, more: Any, count: int) -> Any:
    """Return the first `count` of `more` (column numbers) by their cap, highest first, ties by column: the
    order a stable sort of all of them gives, without sorting them all (a need can have thousands)."""
    import numpy as np

    if len(more) > 4 * count > 0:  # only those at or above the count-th highest cap can be among the first
        caps = zrow[more]
        least = np.partition(caps, len(caps) - count)[len(caps) - count]
        more = more[caps >= least]
    return more[np.argsort(-zrow[more], kind="stable")][:count]
