"""Issue 13: the faster full pass (`match_exact`, lists instead of numpy scalars, BM25 by fancy indexing) returns
exactly what the straightforward one did (`match_reference`): the same pairs, the same scores and signals, bit
for bit, on the labelled evaluation sets and on seeded random networks built from their sentences."""

from __future__ import annotations

import json
import random
import zlib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from givefirst.domain import match_cosines, match_engine
from givefirst.domain.match_engine import item_tokens, read_item, score_pairs
from givefirst.domain.match_lexical import LexicalIndex
from givefirst.domain.match_score import DEFAULT_WEIGHTS, Item
from givefirst.domain.match_text import Phrases, head_clash, tokens
from givefirst.domain.model import NeedOrOffer
from tests.conftest import SHARED
from tests.domain.match_reference import reference_head_clash, reference_score_pairs

ROOT = Path(__file__).resolve().parents[2]
SETS = sorted(p for p in (ROOT / "benchmarks" / "eval").glob("matching-*.jsonl") if ".labels." not in p.name)
SETS += sorted(p for p in (SHARED / "eval").glob("matching-*.jsonl") if ".labels." not in p.name)
# The random networks draw their sentences from a fixed list of sets: a set added later must not change every network
# the tests were written against (tests/services/test_match_depth.py needs one with enough strong pairs).
_POOLED = (
    "dev second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth"
)
POOL = [p for p in SETS if p.stem.removeprefix("matching-") in _POOLED.split()]
NOW = datetime(2026, 11, 2, 12, 0)
DIM = 48
PLACES = ["Tampa, FL", "Austin, TX", "Denver, CO", "Boise ID", "London, UK", "remote", None, "Sacramento, CA"]
EXTRAS = ["", " Onsite only.", " Remote is fine.", " We're hiring.", " Looking for my next role.",
          " Licensed only in Florida.", " Working Asia-Pacific hours.", " Near Tampa."]  # fmt: skip


def _vectors(items: list[NeedOrOffer]) -> np.ndarray:
    """Sentence vectors stand-in: the normalised sum of a fixed random vector per word (texts sharing words are
    close, as with real embeddings), so that cosines spread from unrelated to near-paraphrases."""
    rows = []
    for item in items:
        v = np.zeros(DIM)
        for word in tokens(item.text) or ["∅"]:
            v += np.random.default_rng(zlib.crc32(word.encode())).standard_normal(DIM)
        rows.append(v / (np.linalg.norm(v) or 1.0))
    return np.asarray(rows, dtype=np.float32)


def _both(needs: list[NeedOrOffer], offers: list[NeedOrOffer], **kw: object) -> tuple[list[Any], list[Any]]:
    """Return the pairs of the engine and of the reference (`match_reference`) for the same inputs."""
    nv, ov = _vectors(needs), _vectors(offers)
    index = LexicalIndex([item_tokens(o) for o in offers])
    new = score_pairs([read_item(n) for n in needs], nv, [read_item(o) for o in offers], ov, NOW, index=index, **kw)  # type: ignore[arg-type]
    old = reference_score_pairs(
        [Item(n) for n in needs],
        nv,
        [Item(o) for o in offers],
        ov,
        NOW,
        index=index,
        **kw,  # type: ignore[arg-type]
    )
    return new, old


def _read_set(path: Path) -> tuple[list[NeedOrOffer], list[NeedOrOffer]]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    people = {p: k for k, p in enumerate(sorted({r["person"] for r in rows}))}
    items = [
        NeedOrOffer(id=k, person_id=people[r["person"]], text=r["text"], location=r.get("location"))
        for k, r in enumerate(rows)
    ]
    kinds = [r["kind"] for r in rows]
    return [i for i, k in zip(items, kinds, strict=True) if k == "need"], [
        i for i, k in zip(items, kinds, strict=True) if k == "offer"
    ]


@pytest.mark.parametrize("path", SETS, ids=[p.name for p in SETS])
@pytest.mark.parametrize("per_item", [1, 3, 8])
def test_eval_set_pairs_identical(path: Path, per_item: int) -> None:
    needs, offers = _read_set(path)
    new, old = _both(needs, offers, per_item=per_item)
    assert new == old  # MatchScore and Signal compare every float exactly
    assert new, "the comparison must cover some pairs"


def _random_network(seed: int) -> tuple[list[NeedOrOffer], list[NeedOrOffer]]:
    """Items from the sets' sentences, mixed with places, side cues, constraints, ages, expiries and repeated
    people, so that every branch of the exact score (clash, same person, expired, vetoes) comes up."""
    rng = random.Random(seed)
    sentences = [i.text for path in POOL for part in _read_set(path) for i in part]
    assert sentences

    def item(k: int) -> NeedOrOffer:
        text = rng.choice(sentences)
        if rng.random() < 0.3:  # two sentences joined: more shared words, more clashes and aliases
            text += " " + rng.choice(sentences)
        created = NOW - timedelta(days=rng.choice([0, 10, 45, 200, 800]))
        expires = rng.choice([None, None, None, date(2026, 10, 1), date(2027, 1, 1)])
        return NeedOrOffer(id=k, person_id=rng.randrange(25), text=text + rng.choice(EXTRAS),
                           tags=tuple(rng.sample(["nurse", "cpa", "remote", "grant"], rng.randrange(3))),
                           location=rng.choice(PLACES), created_at=created, expires_on=expires)  # fmt: skip

    return [item(k) for k in range(rng.randrange(40, 160))], [item(1000 + k) for k in range(rng.randrange(40, 220))]


@pytest.mark.parametrize("seed", range(8))
def test_random_network_pairs_identical(seed: int) -> None:
    needs, offers = _random_network(seed)
    per_item = [1, 2, 8][seed % 3]
    new, old = _both(needs, offers, per_item=per_item)
    assert new == old  # MatchScore and Signal compare every float exactly
    assert new, "the comparison must cover some pairs"


@pytest.mark.parametrize("seed", range(3))
def test_new_offers_against_every_need_identical(seed: int) -> None:
    needs, offers = _random_network(100 + seed)
    columns = sorted(random.Random(seed).sample(range(len(offers)), 5))
    new, old = _both(needs, offers, per_item=DEFAULT_WEIGHTS.per_item, columns=columns)
    assert new == old  # MatchScore and Signal compare every float exactly
    assert new, "the comparison must cover some pairs"


def test_postings_out_of_order_keep_add_at() -> None:
    """A matrix whose token entries are not ascending (not bm25s's) is summed with `np.add.at`, as before."""
    index = LexicalIndex([["nurse", "nurse", "night"], ["nurse"], ["cook"]])
    want = index.scores(["nurse", "night"])
    index.indices = index.indices.copy()
    i = index.vocab["nurse"]
    start, stop = index.indptr[i], index.indptr[i + 1]
    index.indices[start:stop] = index.indices[start:stop][::-1]
    index.data[start:stop] = index.data[start:stop][::-1]
    index._unique = None
    assert not index._unique_postings()
    assert np.array_equal(index.scores(["nurse", "night"]), want)


def test_head_clash_as_before() -> None:
    """`head_clash` settles most pairs on the first shared word that modifies nothing: the same answer."""
    rng = random.Random(7)
    words = [
        "landscape",
        "architect",
        "photographer",
        "wedding",
        "planner",
        "tax",
        "accountant",
        "nurse",
        "night",
        "software",
        "engineer",
        "developer",
        "dental",
        "hygienist",
        "grant",
        "writer",
        "and",
        "for",
        ".",
    ]
    clashes = 0
    for _ in range(3000):
        a, b = (Phrases.of(" ".join(rng.choices(words, k=rng.randrange(1, 9)))) for _ in range(2))
        found = head_clash(a, b)
        assert found == reference_head_clash(a, b)
        clashes += bool(found)
    assert clashes > 50  # the comparison covers clashes, not only their absence


def test_smaller_blocks_against_many_offers_identical(monkeypatch: pytest.MonkeyPatch) -> None:
    """Against many offers a block holds fewer needs (memory at 100,000 people): the pairs stay the same."""
    monkeypatch.setattr(match_engine, "CELLS", 1)  # 64 needs a block
    needs, offers = _random_network(200)
    needs = needs + _random_network(201)[0] + _random_network(202)[0]
    assert len(needs) > 64
    new, old = _both(needs, offers, per_item=3)
    assert new == old  # MatchScore and Signal compare every float exactly
    assert new, "the comparison must cover some pairs"


@given(st.randoms(use_true_random=False), st.sampled_from([False, True]))
@settings(max_examples=40, deadline=None)
def test_a_restricted_index_scores_its_columns_as_the_whole_index_does(rng: random.Random, loaded: bool) -> None:
    """The full pass leaves expired offers out of its blocks through `LexicalIndex.restricted`: each kept
    column's lexical signal must be the whole row's value, bit for bit, with the statistics of every offer."""
    needs, offers = _random_network(rng.randrange(1000))
    whole = LexicalIndex([item_tokens(o) for o in offers])
    if loaded:  # an index read back from the cache counts document frequencies from its matrix
        whole = LexicalIndex.load(whole.dump())
    columns = sorted(rng.sample(range(len(offers)), rng.randrange(1, len(offers) + 1)))
    view = whole.restricted(columns)
    assert view.width == len(columns) and view.size == whole.size
    for need in needs[:25]:
        query = match_engine.query_tokens(need)
        assert np.array_equal(view.scores(query), whole.scores(query)[columns])
        assert [view.idf(t) for t in query] == [whole.idf(t) for t in query]


def _brute_force(needs: list[NeedOrOffer], offers: list[NeedOrOffer], keep: int) -> dict[int, list[int]]:
    """Each live need's top `keep` offers by exact chance (ties by offer), every pair scored exactly."""
    from givefirst.domain.match_exact import ExactScorer
    from givefirst.domain.match_score import fresh_factor, freshness, is_live, semantic_values

    w = DEFAULT_WEIGHTS
    need_items, offer_items = [read_item(n) for n in needs], [read_item(o) for o in offers]
    cosine = _vectors(needs) @ _vectors(offers).T
    semantic = semantic_values(cosine, w)
    index = LexicalIndex([item_tokens(o) for o in offers])
    exact = ExactScorer(offer_items, w).exact
    found: dict[int, list[int]] = {}
    for i, need in enumerate(need_items):
        if not is_live(need.record, NOW):
            continue
        lexical = index.scores(match_engine.query_tokens(need.record))
        bound = np.float32(w.semantic) * semantic[i] + np.float32(w.lexical) * lexical
        fresh_part = fresh_factor(freshness(need.record.created_at, NOW, w), w)
        scored = []
        for j, offer in enumerate(offers):
            if offer.person_id == need.record.person_id or not is_live(offer, NOW):
                continue
            r = exact(need, j, float(bound[j]), float(cosine[i, j]), float(lexical[j]), fresh_part)
            if r is not None:
                scored.append((r[0], -j))
        best = sorted(scored, reverse=True)[:keep]
        if best:
            found[i] = [-j for _, j in best]
    return found


@pytest.mark.parametrize("path", SETS[:4], ids=[p.name for p in SETS[:4]])
def test_a_full_pass_gives_every_needs_exact_top_k(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The caps only decide which pairs need not be scored: with no limit on how many a need may score
    (`WIDEST`), each need's list is the top k of every pair scored exactly, short-list or not."""
    monkeypatch.setattr(match_engine, "WIDEST", 10_000)
    needs, offers = _read_set(path)
    keep = 3
    pairs = score_pairs([read_item(n) for n in needs], _vectors(needs), [read_item(o) for o in offers],
                        _vectors(offers), NOW, per_item=keep)  # fmt: skip
    got: dict[int, list[int]] = {}
    for i, j, _ in pairs:
        got.setdefault(i, []).append(j)
    assert got == _brute_force(needs, offers, keep)
    assert len(got) > 20


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.integers(1, 5000), st.integers(0, 2**32 - 1))
def test_a_few_needs_get_the_cosines_of_a_whole_block_bit_for_bit(needs: int, offers: int, seed: int) -> None:
    """A need added alone converts the offers to float64 a slice at a time (`few_cosines`); a full pass converts them
    all once (`cosines`): the same float64 sums rounded once, so the same float32 bits."""
    rng = np.random.default_rng(seed)
    rows = rng.standard_normal((needs, 256)).astype(np.float32)
    columns = rng.standard_normal((offers, 256)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    columns /= np.linalg.norm(columns, axis=1, keepdims=True)
    whole = match_cosines.cosines(rows, columns.astype(np.float64), np.empty((needs, offers), dtype=np.float32))
    assert np.array_equal(match_cosines.few_cosines(rows, columns), whole)
