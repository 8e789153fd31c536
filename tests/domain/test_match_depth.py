"""Issue 13: a full pass made only as deep as its reader needs (`score_pairs`'s `depth` and `top`) returns, for
every need, exactly the pairs of its whole list that reach the depth it reports — on the labelled sets and on
seeded random networks, with the running depth moving from block to block."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from givefirst.domain import match_engine
from givefirst.domain.match_engine import item_tokens, read_item, score_pairs, shallow_depth
from givefirst.domain.match_lexical import LexicalIndex
from givefirst.domain.model import NeedOrOffer
from tests.domain.test_match_exact import NOW, SETS, _random_network, _read_set, _vectors


def _passes(
    needs: list[NeedOrOffer], offers: list[NeedOrOffer], depth: float, top: int, per_item: int = 8
) -> tuple[list[Any], list[Any]]:
    """Return the whole pass's pairs and the pass at `depth` and `top`, on the same inputs."""
    nv, ov = _vectors(needs), _vectors(offers)
    index = LexicalIndex([item_tokens(o) for o in offers])

    def run(**kw: Any) -> list[Any]:
        return score_pairs([read_item(n) for n in needs], nv, [read_item(o) for o in offers], ov, NOW, index=index,
                           per_item=per_item, **kw)  # fmt: skip

    return run(), run(depth=depth, top=top)


def _check(whole: list[Any], part: list[Any], depth: float, top: int) -> float:
    """Assert that `part` is `whole` cut at the depth it reports, with extra pairs of `whole` only above that
    depth's reach; return the depth."""
    made_to = shallow_depth((s.score for _, _, s in part), depth, top)
    assert made_to >= depth
    assert set(part) <= set(whole)  # the same pairs, scores and signals, bit for bit (MatchScore compares floats)
    assert all(s.score >= depth for _, _, s in part)
    wanted = [p for p in whole if p[2].score >= made_to]
    assert [p for p in part if p[2].score >= made_to] == wanted
    if not top:  # a fixed depth: exactly the whole pass's pairs that reach it, in its order
        assert part == [p for p in whole if p[2].score >= depth]
    return made_to


@pytest.mark.parametrize("path", SETS[:5], ids=[p.name for p in SETS[:5]])
@pytest.mark.parametrize(("depth", "top"), [(0.3, 0), (0.7, 0), (0.0, 10), (0.7, 25)])
def test_a_pass_cut_at_a_depth_is_the_whole_pass_cut_there(path: Path, depth: float, top: int) -> None:
    needs, offers = _read_set(path)
    whole, part = _passes(needs, offers, depth, top)
    assert whole and part, "the comparison must cover some pairs"
    made_to = _check(whole, part, depth, top)
    if made_to > depth:  # cut above the depth asked for: only where `top` pairs reach it
        assert len([p for p in part if p[2].score >= made_to]) >= top


@given(st.integers(0, 10_000), st.sampled_from([0.0, 0.05, 0.4, 0.8]), st.sampled_from([0, 1, 7, 60]))
@settings(max_examples=25, deadline=None)
def test_random_networks_in_small_blocks(seed: int, depth: float, top: int) -> None:
    # Blocks of 64 needs against the offers: the running depth of `top` moves between them.
    original = match_engine.CELLS
    match_engine.CELLS = 64 * 10  # rows_per_block falls to its least, 64
    try:
        needs, offers = _random_network(seed % 50)
        whole, part = _passes(needs, offers, depth, top, per_item=random.Random(seed).choice([1, 3, 8]))
    finally:
        match_engine.CELLS = original
    _check(whole, part, depth, top)


def test_shallow_depth_is_the_top_th_best_score_or_the_depth() -> None:
    assert shallow_depth([0.9, 0.5, 0.99, 0.7], 0.3, 2) == 0.9
    assert shallow_depth([0.9, 0.5], 0.95, 2) == 0.95  # never below the depth asked for
    assert shallow_depth([0.9], 0.3, 2) == 0.3  # fewer than `top`: as deep as asked
    assert shallow_depth([0.9, 0.8], 0.3, 0) == 0.3
