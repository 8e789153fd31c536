"""Scoring many needs against many offers at once: BM25 (bm25s) and sentence vectors in, explained pairs out.

Pure computation on what it is given (texts' tokens, vectors as arrays, "now", weights): no I/O. numpy and
bm25s are imported inside the functions, so that importing this module (the daily plan does, through the
service) costs nothing when the cached suggestions are fresh.

The work is blocked: for each block of needs the relevance and intent of every offer is an array operation;
only the best `per_item` offers of each need that could still reach the floor are scored exactly (place,
freshness, explanation) in Python.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from givefirst.domain.match_score import DEFAULT_WEIGHTS, Item, MatchScore, MatchWeights, score_pair
from givefirst.domain.match_text import Side, intent_fit, side_of, tokens
from givefirst.domain.model import NeedOrOffer

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float32]

BLOCK = 512
_SIDES = list(Side)
EMPTY_TOKEN = "∅"  # stands for a text without content words, so that every document has a token


def read_item(record: NeedOrOffer) -> Item:
    """Return the item with its market side and place worked out."""
    return Item(record, side_of(record.text))


def item_tokens(record: NeedOrOffer) -> list[str]:
    """Return the words BM25 sees: the text's content words and the tags.

    Place names stay in: a need that says "moving to Orlando" is rightly closer to "Orlando native" (removing
    them scored worse on the dev set); the place signal adds what the words cannot, such as metro areas.
    """
    return tokens(record.text) + [t.lower() for t in record.tags]


class LexicalIndex:
    """BM25 over the offers (bm25s), with each need's score normalised to [0, 1] by its words' idf."""

    def __init__(self, documents: Sequence[list[str]]) -> None:
        import bm25s  # type: ignore[import-untyped]

        self.size = len(documents)
        docs = [d or [EMPTY_TOKEN] for d in documents]
        self.retriever: Any = bm25s.BM25()
        if docs:
            self.retriever.index(docs, show_progress=False)
        self.df: dict[str, int] = {}
        for d in docs:
            for t in set(d):
                self.df[t] = self.df.get(t, 0) + 1

    def idf(self, token: str) -> float:
        df = self.df.get(token, 0)
        return math.log(1.0 + (self.size - df + 0.5) / (df + 0.5))

    def scores(self, query: list[str]) -> FloatArray:
        """Return the lexical signal of every document for one query: √(BM25 / the query's idf sum), in [0, 1]."""
        import numpy as np

        known = [t for t in query if t in self.df]
        if not known or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        ceiling = sum(self.idf(t) for t in set(query))
        raw = np.asarray(self.retriever.get_scores(known), dtype=np.float32)
        out: FloatArray = np.sqrt(np.clip(raw / np.float32(ceiling), 0.0, 1.0))
        return out


def _intent_table() -> FloatArray:
    import numpy as np

    table = np.zeros((len(_SIDES), len(_SIDES)), dtype=np.float32)
    for i, a in enumerate(_SIDES):
        for j, b in enumerate(_SIDES):
            table[i, j] = intent_fit(a, b)[0]
    return table


def score_pairs(
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
) -> list[tuple[int, int, MatchScore]]:
    """Return (need index, offer index, score) for the pairs at or above the floor, at most `per_item` per need.

    Vectors are L2-normalised rows (float32). `index` is the BM25 index of all the offers' tokens (built when
    not given); `columns` limits the offers scored (one new offer against every need) while the BM25 statistics
    stay those of all the offers. Same-person and expired pairs are never returned.
    """
    import numpy as np

    if not needs or not offers:
        return []
    index = index or LexicalIndex([item_tokens(o.record) for o in offers])
    keep = per_item if per_item is not None else w.per_item
    table = _intent_table()
    cols = np.arange(len(offers)) if columns is None else np.asarray(columns, dtype=np.int64)
    offer_vectors = offer_vectors[cols]
    offers = [offers[j] for j in cols.tolist()]
    offer_sides = np.array([_SIDES.index(o.side) for o in offers])
    offer_people = np.array([o.record.person_id for o in offers])
    need_sides = np.array([_SIDES.index(n.side) for n in needs])
    need_people = np.array([n.record.person_id for n in needs])
    span = w.sem_ceiling - w.sem_floor
    out: list[tuple[int, int, MatchScore]] = []
    for start in range(0, len(needs), BLOCK):
        stop = min(start + BLOCK, len(needs))
        cosine = need_vectors[start:stop] @ offer_vectors.T
        lexical = np.vstack([index.scores(item_tokens(needs[i].record))[cols] for i in range(start, stop)])
        semantic = np.clip((cosine - w.sem_floor) / span, 0.0, 1.0)
        bound = (w.semantic * semantic + w.lexical * lexical) * table[need_sides[start:stop, None], offer_sides]
        bound[need_people[start:stop, None] == offer_people[None, :]] = 0.0
        for row in range(stop - start):
            values = bound[row]
            top = np.flatnonzero(values >= w.floor)
            if len(top) > keep:
                top = top[np.argpartition(-values[top], keep - 1)[:keep]]
            i = start + row
            for j in top.tolist():
                scored = score_pair(needs[i], offers[j], float(cosine[row, j]), float(lexical[row, j]), now, w)
                if scored is not None and scored.score >= w.floor:
                    out.append((i, int(cols[j]), scored))
    return out
