"""Issue 13: each need's best few offers by their caps (`match_topk.best_in_rows`) are those a stable sort of the
whole row gives: the k highest finite values, highest first, ties by the lowest column, -inf never picked."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from givefirst.domain.match_topk import best_first, best_in_rows

# Few distinct values (many ties), -inf (below the floor) and plain floats, in rows narrow and wide enough for
# the runs' bound to be used.
VALUES = st.one_of(
    st.sampled_from([-np.inf, 0.5, 1.0, 2.0]),
    st.floats(min_value=-50, max_value=50, width=32),
)


def _sorted_whole(z: np.ndarray, k: int) -> list[list[int]]:
    out = []
    for row in z:
        order = np.argsort(-row, kind="stable")  # highest first, ties by column
        out.append([int(c) for c in order if row[c] > -np.inf][:k])
    return out


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=6).flatmap(
        lambda rows: st.integers(min_value=1, max_value=400).flatmap(
            lambda width: arrays(np.float32, (rows, width), elements=VALUES)
        )
    ),
    st.integers(min_value=1, max_value=20),
)
def test_the_best_of_each_row_are_a_stable_sort_s_first(z: np.ndarray, k: int) -> None:
    rows, cols = best_in_rows(z, k)
    assert list(rows) == sorted(rows)
    got = [[int(c) for c in cols[rows == r]] for r in range(z.shape[0])]
    assert got == _sorted_whole(z, k)


def test_a_wide_row_with_few_finite_values_in_few_runs_gives_them_all() -> None:
    z = np.full((2, 1000), -np.inf, dtype=np.float32)
    z[0, 10:40] = np.arange(30, dtype=np.float32)  # 30 finite values, all in the first run of columns
    rows, cols = best_in_rows(z, 16)
    assert list(rows) == [0] * 16
    assert list(cols) == list(range(39, 23, -1))


@settings(max_examples=200, deadline=None)
@given(arrays(np.float32, st.integers(1, 300), elements=VALUES), st.integers(0, 40))
def test_best_first_is_a_stable_sort_s_first(zrow: np.ndarray, count: int) -> None:
    more = np.flatnonzero(zrow > -np.inf)
    expected = more[np.argsort(-zrow[more], kind="stable")][:count]
    assert best_first(zrow, more, count).tolist() == expected.tolist()
