"""The cosines of needs' and offers' sentence vectors, the same float32 bits whatever the product's shape.

A full pass takes a block of needs against every live offer, a need added alone takes one row, a cut pass takes a
block in float32 and makes exact only the cells that may matter: each must give, for every pair it reports, the
bits the others give, or one need's list would differ between a full rescore and the need added alone
(issue 11's pattern 10).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float32]

ROWS_AT_ONCE = 32  # need rows per float64 product: its scratch stays small (6 MB against 25,000 offers)


def cosines(rows: FloatArray, columns64: Any, out: FloatArray) -> FloatArray:
    """Write the cosines of the float32 vectors `rows` against the float64 vectors `columns64` into `out`, summed in
    float64 and rounded once to float32.

    A float32 product's last bits depend on its shape: BLAS sums each cell in an order set by the matrix sizes and
    the processor's kernels (on an AMD EPYC a cell changed with the number of columns; on the Intel machines of
    earlier runs only with a dozen rows or fewer). Summed in float64, 256 terms differ between orders by far less
    than half a float32 step, so the rounded cosine is the same whatever the shape: a need scored alone, in a block,
    or against a few offers gets the bits a full pass gives, on any machine.
    """
    import numpy as np

    for start in range(0, len(rows), ROWS_AT_ONCE):
        chunk = rows[start : start + ROWS_AT_ONCE].astype(np.float64)
        np.copyto(out[start : start + len(chunk)], chunk @ columns64.T, casting="same_kind")
    return out


COLUMNS_AT_ONCE = 2048  # offers converted to float64 at a time by `few_cosines` (4 MB: it stays in cache)


def few_cosines(rows: FloatArray, columns: FloatArray) -> FloatArray:
    """`cosines` of a few float32 rows (one product's worth) against float32 `columns`, each slice of the columns
    converted to float64 only for its part of the product.

    A need added alone would otherwise convert every live offer to float64 first (36 MB at 100,000 people, with the
    live rows copied out before it: about 15 ms, most of it fresh memory), for a product of one row. The cells are
    the same float64 sums rounded once (`cosines`), so the same bits."""
    import numpy as np

    rows64 = rows.astype(np.float64)
    out = np.empty((len(rows), len(columns)), dtype=np.float32)
    for start in range(0, len(columns), COLUMNS_AT_ONCE):
        part = columns[start : start + COLUMNS_AT_ONCE].astype(np.float64)
        np.copyto(out[:, start : start + len(part)], rows64 @ part.T, casting="same_kind")
    return out


def block_cosines(
    need_vectors: FloatArray,
    outer: int,
    end: int,
    live_rows: list[int],
    offer_vectors: Any,
    live_vectors: Any,
    live_at: Any,
    buffer: FloatArray,
) -> FloatArray:
    """Return the cosines of the live needs `live_rows` (of the needs `outer:end`) against the live offers, a row
    per live need (`cosines`; written into `buffer`). `offer_vectors`: a callable giving every offer asked for as
    float64 rows; `live_vectors`: the live ones among them (the rows `live_at`, or all when `live_at` is None), or
    None when there are not two of them."""
    import numpy as np

    m = len(live_rows)
    if live_vectors is not None and len(live_vectors) >= 2:
        n = len(live_vectors)
        whole = m == end - outer  # every need of the block is live: their rows as they are, no copy
        wanted = need_vectors[outer:end] if whole else need_vectors[live_rows]
        return cosines(wanted, live_vectors, buffer[: m * n].reshape(m, n))
    every = offer_vectors()
    rows = np.asarray(live_rows, dtype=np.intp)
    product = cosines(need_vectors[rows], every, np.empty((m, len(every)), dtype=np.float32))
    return product if live_at is None else product[:, live_at]


def upper_block_cosines(
    need_vectors: FloatArray, outer: int, end: int, live_rows: list[int], live_vectors: FloatArray, buffer: FloatArray
) -> FloatArray:
    """Return the float32 product of the live needs `live_rows` (of the needs `outer:end`) against the float32
    `live_vectors`, a row per live need (written into `buffer`): each cell within `product_error` of the one
    `cosines` gives, in about a third of its time (no float64 on this path)."""
    import numpy as np

    m, n = len(live_rows), len(live_vectors)
    wanted = need_vectors[outer:end] if m == end - outer else need_vectors[live_rows]
    return np.matmul(wanted.astype(np.float32, copy=False), live_vectors.T, out=buffer[: m * n].reshape(m, n))


def product_error(dim: int, row_norm: float, column_norm: float) -> float:
    """Return a bound, with room to spare, on how far a float32 product's cell is from the cell `cosines` gives,
    for vectors of `dim` numbers and norms at most `row_norm` and `column_norm`.

    Summed in any order, n float32 products are within γₙ·Σ|aᵢbᵢ| of the exact dot product (γₙ = n·u / (1 − n·u),
    u = 2⁻²⁴: Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., §3.1), and Σ|aᵢbᵢ| ≤ ‖a‖·‖b‖
    (Cauchy–Schwarz). `cosines` is within half a float32 step (u·‖a‖·‖b‖) of it, its float64 sum far closer.
    Four times the sum of the two, with two more terms in n for the rounding of the caller's own steps."""
    u = 2.0**-24
    n = dim + 2
    return 4.0 * (n * u / (1.0 - n * u) + u) * row_norm * column_norm


def largest_norm(vectors: Any) -> float:
    """Return the largest L2 norm of the rows of `vectors` (summed in float64)."""
    import numpy as np

    if not len(vectors):
        return 0.0
    return float(np.sqrt(np.max(np.einsum("ij,ij->i", vectors, vectors, dtype=np.float64))))


PAIRS_AT_ONCE = 4096  # cells made exact at a time by `pair_cosines`: their two gathered rows stay at 8 MB


def pair_cosines(rows: FloatArray, columns: FloatArray, row_at: Any, column_at: Any) -> FloatArray:
    """Return the cosines of the cells (`row_at[k]`, `column_at[k]`) of the float32 vectors `rows` against
    `columns`, summed in float64 and rounded once: the bits `cosines` gives those cells in a product of any shape.

    The vectors of a few thousand cells are gathered at a time: a block cut low can make exact a large share of
    its cells, and gathering them all at once took hundreds of MB."""
    import numpy as np

    out: FloatArray = np.empty(len(row_at), dtype=np.float32)
    for start in range(0, len(row_at), PAIRS_AT_ONCE):
        a = rows[row_at[start : start + PAIRS_AT_ONCE]]
        b = columns[column_at[start : start + PAIRS_AT_ONCE]]
        # (float32 products are exact in float64: the same sums as converting the vectors first)
        np.copyto(out[start : start + len(a)], np.einsum("ij,ij->i", a, b, dtype=np.float64), casting="same_kind")
    return out
