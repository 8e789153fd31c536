"""One large cached blob (the offers' vector matrix) read whole: the bytes stored, on SQLite through its
incremental blob interface, and None for a key not stored."""

from __future__ import annotations

import random

from givefirst.services.context import App
from givefirst.store import matching as store


def test_a_large_blob_reads_back_as_stored(app: App) -> None:
    rng = random.Random(7)
    big = rng.randbytes(3_000_000)  # many pages of overflow on SQLite
    with app.begin() as conn:
        store.save_vectors(conn, "offer-vectors", {"k1": big, "k2": b"\x00\x01"})
        store.save_vectors(conn, "other-model", {"k1": b"not this one"})
    with app.begin() as conn:
        assert store.large_vector(conn, "offer-vectors", "k1") == big
        assert store.large_vector(conn, "offer-vectors", "k2") == b"\x00\x01"
        assert store.large_vector(conn, "offer-vectors", "k1") == store.vectors(conn, "offer-vectors", {"k1"})["k1"]
        assert store.large_vector(conn, "offer-vectors", "missing") is None
        assert store.large_vector(conn, "no-such-model", "k1") is None
    with app.begin() as conn:  # inside the transaction that wrote it
        store.delete_vectors(conn, "offer-vectors")
        store.save_vectors(conn, "offer-vectors", {"k3": big[::-1]})
        assert store.large_vector(conn, "offer-vectors", "k3") == big[::-1]
