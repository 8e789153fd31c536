"""Issue 13: a block cut at a depth takes its cosines as a float32 product and makes exact only the cells that
reach the cut (`match_cosines.upper_block_cosines`, `match_engine._exact_reach`). The float32 cells must be within
`product_error` of the exact ones, the exact cells must be those `cosines` gives, and a pass cut so must return
exactly the pairs of the whole pass."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from givefirst.domain import match_cosines, match_engine
from givefirst.domain.match_cosines import cosines, largest_norm, pair_cosines, product_error
from givefirst.domain.match_score import DEFAULT_WEIGHTS, semantic_values
from tests.domain.test_match_depth import _check, _passes
from tests.domain.test_match_exact import _random_network


def _vectors(rng: np.random.Generator, rows: int, dim: int, scale: float) -> Any:
    out = rng.standard_normal((rows, dim)).astype(np.float32)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    out *= np.float32(scale) * rng.random((rows, 1)).astype(np.float32)  # norms up to `scale`, some near 0
    return out


@settings(max_examples=60)
@given(st.integers(1, 40), st.integers(1, 600), st.sampled_from([1, 7, 64, 256, 300]), st.sampled_from([1.0, 3.0]),
       st.integers(0, 2**32 - 1))  # fmt: skip
def test_a_float32_product_is_within_the_bound_of_the_exact_cosines(
    rows: int, columns: int, dim: int, scale: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    a, b = _vectors(rng, rows, dim, scale), _vectors(rng, columns, dim, scale)
    exact = cosines(a, b.astype(np.float64), np.empty((rows, columns), dtype=np.float32))
    fast = a @ b.T
    bound = product_error(dim, largest_norm(a), largest_norm(b))
    assert np.all(np.abs(fast.astype(np.float64) - exact.astype(np.float64)) <= bound)
    # Read as that much higher, every semantic value is at least the exact cosine's.
    assert np.all(semantic_values(fast, DEFAULT_WEIGHTS, lift=bound) >= semantic_values(exact, DEFAULT_WEIGHTS))


@settings(max_examples=40)
@given(st.integers(1, 40), st.integers(1, 600), st.integers(0, 2**32 - 1))
def test_cells_made_exact_one_by_one_have_the_bits_of_the_whole_product(rows: int, columns: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = _vectors(rng, rows, 256, 1.0), _vectors(rng, columns, 256, 1.0)
    whole = cosines(a, b.astype(np.float64), np.empty((rows, columns), dtype=np.float32))
    i, j = rng.integers(0, rows, 9000), rng.integers(0, columns, 9000)  # (more than one gather)
    assert np.array_equal(pair_cosines(a, b, i, j), whole[i, j])


def test_the_largest_norm_and_the_bound_grow_with_the_vectors() -> None:
    assert largest_norm(np.zeros((0, 4), dtype=np.float32)) == 0.0
    assert largest_norm(np.array([[3.0, 4.0], [0.0, 1.0]], dtype=np.float32)) == pytest.approx(5.0)
    assert 0 < product_error(256, 1.0, 1.0) < 1e-4  # far below any cosine a score tells apart
    assert product_error(256, 2.0, 1.0) == pytest.approx(2 * product_error(256, 1.0, 1.0))


@pytest.mark.parametrize("seed", range(12))
def test_a_cut_pass_in_float32_blocks_is_the_whole_pass_cut(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # Blocks of 32 needs: `top`'s running depth is set after the first and every later block is read in float32.
    monkeypatch.setattr(match_engine, "BLOCK", 32)
    calls: list[int] = []
    real = match_cosines.upper_block_cosines

    def counted(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(match_engine, "upper_block_cosines", counted)
    needs, offers = _random_network(seed)
    depth, top = [(0.0, 5), (0.3, 0), (0.05, 40), (0.4, 3)][seed % 4]
    whole, part = _passes(needs, offers, depth, top, per_item=[1, 3, 8][seed % 3])
    assert calls, "some block must be read in float32"
    _check(whole, part, depth, top)
    assert part, "the comparison must cover some pairs"
