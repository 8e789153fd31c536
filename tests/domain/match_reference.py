"""The match engine's full pass as it was before issue 13's speed work (engine m7, 2026-12-03): every
short-listed pair scored by `pair_intent`, `pair_place` and the calibration one at a time, BM25 summed with
`np.add.at`. `tests/domain/test_match_exact.py` checks that `match_engine.score_pairs` returns exactly this.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np

from givefirst.domain.match_engine import (
    BLOCK,
    CANDIDATES,
    CAP_MARGIN,
    WIDEST,
    _chance_of,
    _logit_of,
    item_tokens,
    query_tokens,
)
from givefirst.domain.match_lexical import LexicalIndex
from givefirst.domain.match_score import (
    DEFAULT_WEIGHTS,
    NAMED_PLACE_NOTE,
    Item,
    MatchScore,
    MatchWeights,
    combine,
    fresh_factor,
    freshness,
    is_live,
    pair_intent,
    pair_place,
    place_factor,
    semantic_value,
)
from givefirst.domain.match_text import _AGENT, ALIAS, NO_SIDE_NOTE, Phrases

Ranked = tuple[float, int, float, float, tuple[float, str], tuple[float, str]]
FloatArray = Any


def semantic_values(cosine: Any, w: MatchWeights = DEFAULT_WEIGHTS) -> Any:
    """`match_score.semantic_values` as it was (new arrays at every step)."""
    x = (cosine - np.float32(w.sem_floor)) / np.float32(w.sem_ceiling - w.sem_floor)
    out = np.maximum(x, np.float32(0.0)).astype(np.float32)
    high = x > w.sem_knee
    if high.any():
        rest = np.float32(1.0 - w.sem_knee)
        out[high] = np.float32(w.sem_knee) + rest * (1.0 - np.exp(-(x[high] - np.float32(w.sem_knee)) / rest))
    return out


def _cap_logits(semantic: Any, lexical: Any, w: MatchWeights) -> Any:
    """`match_engine._cap_logits` as it was."""
    c = w.calibration
    z = np.float32(c.semantic) * semantic + np.float32(c.lexical) * lexical
    z += np.float32(c.best_case() + CAP_MARGIN)
    return z


def _lexical(index: LexicalIndex, query: list[str]) -> Any:
    """`LexicalIndex.scores` as it was: each token's weights added with `np.add.at`."""
    known = [t for t in query if index.doc_freq(t)]
    if not known or not index.size:
        return np.zeros(index.size, dtype=np.float32)
    ceiling = sum(index.idf(t) for t in set(query) if not t.startswith(ALIAS)) or 1.0
    raw = np.zeros(index.size, dtype=np.float32)
    for token in known:
        i = index.vocab[token]
        start, stop = index.indptr[i], index.indptr[i + 1]
        np.add.at(raw, index.indices[start:stop], index.data[start:stop])
    return np.sqrt(np.clip(raw / np.float32(ceiling), 0.0, 1.0))


def _exact(
    need: Item, offer: Item, j: int, bound: float, cos: float, lex: float, fresh_part: float, w: MatchWeights
) -> Ranked | None:
    """Return a short-listed pair scored exactly (intent, place, freshness, its calibrated chance), or None when
    its uncalibrated product is below the floor."""
    if bound < w.floor:
        return None
    clash = reference_head_clash(need.phrases, offer.phrases) if lex > 0.0 else ""
    if clash:  # the shared words only modify different heads: no lexical evidence (it can only lower the pair)
        lex = 0.0
        bound = w.semantic * semantic_value(cos, w)
    intent = pair_intent(need, offer, cos, lex, w, clash=clash)
    place = pair_place(need, offer)
    factor = place_factor(place[0], w)
    if bound * intent[0] * factor * fresh_part < w.floor:
        return None
    no_side, named = intent[1] == NO_SIDE_NOTE, place[1].endswith(NAMED_PLACE_NOTE)
    chance = w.calibration.chance(semantic_value(cos, w), lex, intent[0], factor, no_side, named)
    chance *= fresh_part
    return chance, j, cos, lex, intent, place


def reference_score_pairs(
    needs: Sequence[Item],
    need_vectors: FloatArray,
    offers: Sequence[Item],
    offer_vectors: FloatArray,
    now: datetime,
    w: MatchWeights = DEFAULT_WEIGHTS,
    *,
    index: LexicalIndex | None = None,
    per_item: int | None = None,
    columns: Sequence[int] | None = None,
    offer_people: Sequence[int] | None = None,
    offer_live: Sequence[bool] | None = None,
) -> list[tuple[int, int, MatchScore]]:
    """Return (need index, offer index, score) for the pairs at or above the floor, at most `per_item` per need.

    Vectors are L2-normalised rows (float32). `index` is the BM25 index of all the offers' tokens (built when
    not given); `columns` limits the offers scored (one new offer against every need) while the BM25 statistics
    stay those of all the offers. Same-person and expired pairs are never returned. `offer_people` and
    `offer_live` (every offer's person id and whether it is live at `now`) spare reading every offer's record:
    then only the offers short-listed for a need are looked up in `offers`.
    """
    if not needs or not offers:
        return []
    index = index or LexicalIndex([item_tokens(o.record) for o in offers])
    keep = per_item if per_item is not None else w.per_item
    # Intent, place and freshness can only lower a pair's relevance: the best few by relevance are scored exactly.
    shortlist = CANDIDATES * keep
    cols = np.arange(len(offers)) if columns is None else np.asarray(columns, dtype=np.int64)
    offer_vectors = offer_vectors[cols]
    all_cols: list[int] = cols.tolist()
    people = (
        np.array([offers[j].record.person_id for j in all_cols])
        if offer_people is None
        else np.asarray(offer_people)[cols]
    )
    # An item already expired never comes back unless edited (which re-scores it): leave it out now.
    live = (
        np.array([is_live(offers[j].record, now) for j in all_cols], dtype=bool)
        if offer_live is None
        else np.asarray(offer_live, dtype=bool)[cols]
    )
    need_people = np.array([n.record.person_id for n in needs])
    need_live = np.array([is_live(n.record, now) for n in needs])
    out: list[tuple[int, int, MatchScore]] = []
    for start in range(0, len(needs), BLOCK):
        stop = min(start + BLOCK, len(needs))
        # Every need of the block against every offer asked for, summed in float64 and rounded once to float32 (the
        # engine's cosines: the same bits whatever the product's shape).
        cosine = (need_vectors[start:stop].astype(np.float64) @ offer_vectors.astype(np.float64).T).astype(np.float32)
        if columns is None:
            lexical = np.vstack([_lexical(index, query_tokens(needs[i].record)) for i in range(start, stop)])
        else:  # a few offers (a new one) against every need: only their entries are read
            lexical = index.scores_at([query_tokens(needs[i].record) for i in range(start, stop)], all_cols)
        semantic = semantic_values(cosine, w)
        bound = w.semantic * semantic + w.lexical * lexical
        bound[need_people[start:stop, None] == people[None, :]] = 0.0
        bound[:, ~live] = 0.0
        bound[~need_live[start:stop], :] = 0.0
        fresh_parts = np.array([fresh_factor(freshness(needs[i].record.created_at, now, w), w)
                                for i in range(start, stop)])  # fmt: skip
        # The chance a pair could reach at best, as a logit; -inf for a pair whose product cannot reach the floor.
        zcap = _cap_logits(semantic, lexical, w)
        zcap[bound * fresh_parts[:, None].astype(np.float32) < w.floor] = -np.inf
        # The best few offers of every need in the block by that cap, as plain lists (no numpy per element).
        k = min(shortlist, zcap.shape[1])
        picked = (
            np.argpartition(-zcap, k - 1, axis=1)[:, :k]
            if zcap.shape[1] > k
            else np.tile(np.arange(zcap.shape[1]), (stop - start, 1))
        )
        rows = zip(
            picked.tolist(),
            np.take_along_axis(bound, picked, axis=1).tolist(),
            np.take_along_axis(zcap, picked, axis=1).tolist(),
            np.take_along_axis(cosine, picked, axis=1).tolist(),
            np.take_along_axis(lexical, picked, axis=1).tolist(),
            strict=True,
        )
        for row, (cands, bounds, zs, cosines, lexicals) in enumerate(rows):
            i = start + row
            need = needs[i]
            fresh = freshness(need.record.created_at, now, w)
            fresh_part = fresh_factor(fresh, w)
            scored = (
                _exact(need, offers[all_cols[c]], all_cols[c], b, cos, lex, fresh_part, w)
                for c, b, z, cos, lex in zip(cands, bounds, zs, cosines, lexicals, strict=True)
                if z != -math.inf
            )
            ranked = [r for r in scored if r is not None]
            # Intent and place only lower a pair's chance: its cap bounds its exact score. When the short-list's
            # weakest cap is below the k-th exact score, no offer left out could enter the top k. Else score on,
            # best cap first, until none can: the lists are an exact top k whatever the short-list's size (and
            # the same as one offer at a time gives) as long as it settles within WIDEST · k candidates; past
            # them the cost of a full pass would grow with the network.
            top = heapq.nlargest(keep, ((r[0], -r[1]) for r in ranked))
            kth = top[-1][0] if len(top) == keep else 0.0
            weakest = _chance_of(min(zs), fresh_part) if zs else 0.0
            if len(cands) < zcap.shape[1] and weakest >= kth and weakest > 0.0:
                zrow = zcap[row]
                more = np.flatnonzero(zrow >= np.float32(max(_logit_of(kth / fresh_part), -1e30)))
                taken = set(cands)
                heapq.heapify(top)
                budget = WIDEST * keep - len(cands)
                for c in more[np.argsort(-zrow[more], kind="stable")].tolist():
                    if (len(top) == keep and _chance_of(float(zrow[c]), fresh_part) < top[0][0]) or budget <= 0:
                        break
                    if c in taken:
                        continue
                    budget -= 1  # offers scored: WIDEST · k in all
                    j = all_cols[c]
                    b = float(bound[row, c])
                    found = _exact(need, offers[j], j, b, float(cosine[row, c]), float(lexical[row, c]), fresh_part, w)
                    if found is not None:
                        ranked.append(found)
                        if len(top) < keep:
                            heapq.heappush(top, (found[0], -j))
                        elif (found[0], -j) > top[0]:
                            heapq.heapreplace(top, (found[0], -j))
            ranked.sort(key=lambda t: (-t[0], t[1]))
            for _, j, cos, lex, intent, place in ranked[:keep]:
                out.append((i, j, combine(semantic_value(cos, w), lex, intent, place, fresh, w)))
    return out


def reference_head_clash(a: Phrases, b: Phrases) -> str:
    """Return why two texts' only shared words name different things ("landscape: architect / photographer"),
    or "" when they share a word that is not such a modifier (or nothing at all)."""
    shared = a.words & b.words
    if not shared:
        return ""
    clashes = []
    for word in sorted(shared):
        mine, theirs = a.heads.get(word, frozenset()), b.heads.get(word, frozenset())
        if not mine or not theirs or (mine | theirs) & shared or word.isdigit():
            return ""
        if not all(_AGENT.match(h) for h in mine | theirs) or any(x in y or y in x for x in mine for y in theirs):
            return ""
        clashes.append(f"{word}: {'/'.join(sorted(mine))} ≠ {'/'.join(sorted(theirs))}")
    return "; ".join(clashes)
