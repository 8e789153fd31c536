"""BM25 over the offers' words (bm25s), each need's score normalised to [0, 1] by its words' idf: the lexical
signal of the matcher (`match_engine`).

Pure computation on what it is given; numpy and bm25s are imported inside the methods, so that importing this
module costs nothing when the cached suggestions are fresh.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from givefirst.domain.match_text import ALIAS

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float32]

EMPTY_TOKEN = "∅"  # stands for a text without content words, so that every document has a token


class LexicalIndex:
    """BM25 over the offers (bm25s), with each need's score normalised to [0, 1] by its words' idf.

    bm25s builds the index (its score matrix: one column of precomputed BM25 weights per token); scoring a
    query sums the query's columns, as bm25s's own `get_scores` does (`np.add.at`, token by token, in
    float32), so that an index read back from the cache needs no bm25s at all (its import costs ~50 ms).
    """

    def __init__(self, documents: Sequence[list[str]]) -> None:
        import bm25s  # type: ignore[import-untyped]
        import numpy as np
        import tqdm  # type: ignore[import-untyped]

        # bm25s makes (disabled) progress bars; tqdm would start its monitor thread for them, and a process with
        # a second thread does not fork (the full pass splits its needs across two processes)
        tqdm.tqdm.monitor_interval = 0
        self.size = len(documents)
        docs = [d or [EMPTY_TOKEN] for d in documents]
        df: dict[str, int] = {}
        for d in docs:
            for t in set(d):
                df[t] = df.get(t, 0) + 1
        self._df: dict[str, int] | None = df
        if docs:
            retriever: Any = bm25s.BM25()
            retriever.index(docs, show_progress=False)
            assert retriever.nonoccurrence_array is None  # the Lucene variant has none
            matrix = retriever.scores
            self._matrix(matrix["data"], matrix["indices"], matrix["indptr"], retriever.vocab_dict)
        else:
            self._matrix(np.zeros(0, np.float32), np.zeros(0, np.int32), np.zeros(1, np.int64), {})

    def _matrix(self, data: Any, indices: Any, indptr: Any, vocab: dict[str, int]) -> None:
        self.data, self.indices, self.indptr, self.vocab = data, indices, indptr, vocab
        self.width = self.size  # the documents a row of scores holds (fewer in a `restricted` index)
        self._counted = indptr  # the matrix each token's document frequency is read from
        self._unique: bool | None = None  # whether no document appears twice in one token's entries

    def restricted(self, columns: Any) -> LexicalIndex:
        """Return this index scoring only the documents `columns` (ascending): entry k of a row of scores is
        document `columns[k]`'s, the same float32 sum as in the whole row, while the statistics (idf, document
        frequency, the number of documents) stay those of every document.

        A full pass leaves the expired offers out of its blocks (they can pair with nothing) but not out of
        BM25's corpus, so that an offer's lexical signal does not depend on which others are still live.
        """
        import copy

        import numpy as np

        cols = np.asarray(columns, dtype=np.int64)
        renumber = np.full(self.width, -1, dtype=np.int64)
        renumber[cols] = np.arange(len(cols))
        moved = renumber[self.indices]
        kept = moved >= 0
        before = np.concatenate((np.zeros(1, dtype=np.int64), np.cumsum(kept)))  # kept entries before each one
        view = copy.copy(self)
        view._matrix(self.data[kept], moved[kept].astype(self.indices.dtype), before[self.indptr], self.vocab)
        view.width, view._counted = len(cols), self._counted
        return view

    def _unique_postings(self) -> bool:
        """Return whether every token's entries name each document once (ascending, as bm25s writes them).

        Then adding a token's weights by fancy indexing gives what `np.add.at` gives, float32 sum for sum, at a
        fraction of its cost; a matrix that is not so keeps `np.add.at`.
        """
        import numpy as np

        if self._unique is None:
            steps = np.diff(self.indices.astype(np.int64)) > 0
            starts = np.asarray(self.indptr[1:-1], dtype=np.int64) - 1  # where one token's entries end
            steps[starts[(starts >= 0) & (starts < len(steps))]] = True
            self._unique = bool(steps.all())
        return self._unique

    def dump(self) -> bytes:
        """Return the index as bytes (the score matrix and vocabulary), for `load`."""
        import io
        import json

        import numpy as np

        vocab = json.dumps(self.vocab, ensure_ascii=False).encode("utf-8")
        buffer = io.BytesIO()
        np.savez(buffer, data=self.data, indices=self.indices, indptr=self.indptr,
                 size=np.array([self.size]), vocab=np.frombuffer(vocab, dtype=np.uint8))  # fmt: skip
        return buffer.getvalue()

    @classmethod
    def load(cls, blob: bytes) -> LexicalIndex:
        """Return an index saved by `dump`, without tokenising or indexing the documents again."""
        import io
        import json

        import numpy as np

        saved = np.load(io.BytesIO(blob))
        self = cls.__new__(cls)
        self.size = int(saved["size"][0])
        self._df = None  # read from the matrix when asked (`doc_freq`)
        vocab: dict[str, int] = json.loads(saved["vocab"].tobytes().decode("utf-8"))
        self._matrix(saved["data"], saved["indices"], saved["indptr"], vocab)
        return self

    def doc_freq(self, token: str) -> int:
        """Return how many offers hold the token (its number of entries in the matrix)."""
        if self._df is not None:
            return self._df.get(token, 0)
        i = self.vocab.get(token)
        # bm25s keeps an empty token in its vocabulary with no postings
        if i is None or not token or i >= len(self._counted) - 1:
            return 0
        return int(self._counted[i + 1] - self._counted[i])

    def idf(self, token: str) -> float:
        df = self.doc_freq(token)
        return math.log(1.0 + (self.size - df + 0.5) / (df + 0.5))

    def scores(self, query: list[str], out: FloatArray | None = None) -> FloatArray:
        """Return the lexical signal of every document for one query: √(BM25 / the query's idf sum), in [0, 1].

        `out`: a float32 row to write it into (a row of a block) instead of a new array.
        """
        import numpy as np

        known = [t for t in query if self.doc_freq(t)]
        raw = np.zeros(self.width, dtype=np.float32) if out is None else out
        if out is not None:
            raw.fill(0.0)
        if not known or not self.size:
            return raw
        ceiling = sum(self.idf(t) for t in set(query) if not t.startswith(ALIAS)) or 1.0
        unique = self._unique_postings()
        for token in known:  # repeated words count again, as in bm25s
            i = self.vocab[token]
            start, stop = self.indptr[i], self.indptr[i + 1]
            if unique:
                raw[self.indices[start:stop]] += self.data[start:stop]
            else:
                np.add.at(raw, self.indices[start:stop], self.data[start:stop])
        raw /= np.float32(ceiling)  # √(clip(raw / ceiling, 0, 1)), in place
        np.clip(raw, 0.0, 1.0, out=raw)
        return np.sqrt(raw, out=raw)

    def scores_at(self, queries: Sequence[list[str]], columns: Sequence[int]) -> FloatArray:
        """Return `scores(query)[columns]` for each query (a row each), reading only these documents' entries.

        For one new offer against every need: the same float32 sums in the same order, without summing a
        score for every document per need.
        """
        import numpy as np

        cols = list(columns)
        where = np.flatnonzero(np.isin(self.indices, cols))
        token_of = np.searchsorted(self.indptr, where, side="right") - 1
        entries = zip(token_of.tolist(), where.tolist(), strict=True)
        weight = {(t, int(self.indices[p])): self.data[p] for t, p in entries}  # (token id, document): its weight
        raws = np.zeros((len(queries), len(cols)), dtype=np.float32)
        ceilings = np.ones((len(queries), 1), dtype=np.float32)
        for row, query in enumerate(queries):
            known = [t for t in query if self.doc_freq(t)]
            if not known or not self.size:
                continue
            ceilings[row, 0] = np.float32(sum(self.idf(t) for t in set(query) if not t.startswith(ALIAS)) or 1.0)
            for k, j in enumerate(cols):
                raw = np.float32(0.0)
                for token in known:  # in the query's order, as `scores` adds them
                    w = weight.get((self.vocab[token], j))
                    if w is not None:
                        raw = raw + w
                raws[row, k] = raw
        out: FloatArray = np.sqrt(np.clip(raws / ceilings, 0.0, 1.0))
        return out
