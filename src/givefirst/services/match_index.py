"""The offers' BM25 index and vector matrix, cached beside the texts' vectors, and the stamp that lets adding a
need trust every offer's mark (moved out of `services.matching`, which re-exports these names)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from givefirst.domain.match_score import ENGINE_VERSION
from givefirst.domain.model import NeedOrOffer
from givefirst.store import matching as store

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float32]

INDEX_MODEL = "bm25s-index"  # the offers' BM25 index, cached in text_vectors
OFFER_VECTORS = "offer-vectors"  # the offers' sentence vectors as one matrix, cached beside the index
OFFER_TOKENS = "offer-tokens"  # the offers' fingerprints and BM25 words, to build the next index from
STAMP = "stamp"  # marks 0 and 1: the offers' version at which every offer's mark was current, and their index key


def _offers_key(prints: Sequence[str]) -> str:
    """Return the key of the offers' cached index: 32 hex digits of SHA-1 (it fits in a mark beside the version)."""
    return hashlib.sha1("\n".join(prints).encode("utf-8")).hexdigest()[:32]


def _checked_key(conn: Connection, version: int | None) -> str | None:
    """Return the key of the offers' cached index when every open offer's mark was found current at this
    `version` of the offers (so they still are: any write to offers bumps it), else None."""
    if version is None:
        return None
    found = store.marks(conn, STAMP)
    prefix = f"{ENGINE_VERSION}:"
    if found.get(0) != f"{prefix}{version}" or not found.get(1, "").startswith(prefix):
        return None
    return found[1].removeprefix(prefix)


def _cached_offer_index(conn: Connection, key: str) -> tuple[Any, FloatArray] | None:
    """Return the offers' BM25 index and vector matrix cached under `key`, or None."""
    import numpy as np

    from givefirst.domain.match_lexical import LexicalIndex
    from givefirst.services.embedding import DIM

    index = store.vectors(conn, INDEX_MODEL, {key}).get(key)
    matrix = store.large_vector(conn, OFFER_VECTORS, key)
    if index is None or matrix is None:
        return None
    return LexicalIndex.load(index), np.frombuffer(matrix, dtype="<f4").reshape(-1, DIM)


def _offer_index(conn: Connection, offers: list[NeedOrOffer], prints: list[str]) -> tuple[Any, FloatArray, int]:
    """Return the offers' BM25 index, their vectors (one row each) and how many texts were embedded now.

    Cached beside the texts' vectors (`text_vectors`, models `bm25s-index`, `offer-vectors` and `offer-tokens`),
    keyed by the SHA-1 of every offer's fingerprint in order (only the newest are kept): a new need needs no new
    index and reads the offers' vectors as one matrix. When the offers changed (one was added), the index is
    built again, but the unchanged offers' words and vectors are taken from the previous entry by fingerprint.
    """
    import marshal

    import numpy as np

    from givefirst.domain.match_engine import item_tokens, topic_text
    from givefirst.domain.match_lexical import LexicalIndex
    from givefirst.services.embedding import DIM, vectors_for

    key = _offers_key(prints)
    found = _cached_offer_index(conn, key)
    if found is not None:
        return found[0], found[1], 0
    before: dict[str, int] = {}
    old_tokens: list[list[str]] = []
    old_matrix = np.zeros((0, DIM), dtype=np.float32)
    saved, matrix = store.any_vector(conn, OFFER_TOKENS), store.any_vector(conn, OFFER_VECTORS)
    if saved is not None and matrix is not None:
        old_prints, old_tokens = marshal.loads(saved)
        old_matrix = np.frombuffer(matrix, dtype="<f4").reshape(-1, DIM)
        if len(old_prints) == len(old_tokens) == len(old_matrix):
            before = {f: i for i, f in enumerate(old_prints)}
    # A fingerprint covers the text and the tags: the same fingerprint, the same words and the same vector.
    tokens = [old_tokens[before[f]] if f in before else item_tokens(r) for r, f in zip(offers, prints, strict=True)]
    new = [k for k, f in enumerate(prints) if f not in before]
    vectors = np.empty((len(offers), DIM), dtype=np.float32)
    kept = [k for k, f in enumerate(prints) if f in before]
    vectors[kept] = old_matrix[[before[prints[k]] for k in kept]]
    fresh, embedded = vectors_for(conn, [topic_text(offers[k]) for k in new])
    vectors[new] = fresh
    index = LexicalIndex(tokens)
    blobs = {INDEX_MODEL: index.dump(), OFFER_VECTORS: vectors.astype("<f4").tobytes(),
             OFFER_TOKENS: marshal.dumps((list(prints), tokens))}  # fmt: skip
    for model, blob in blobs.items():
        store.delete_vectors(conn, model)
        store.save_vectors(conn, model, {key: blob})
    return index, vectors, embedded
