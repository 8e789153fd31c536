"""Sentence vectors from wordllama's shipped files: no network, the same vectors as wordllama's own code."""

from __future__ import annotations

import socket
from typing import Any

import numpy as np
import pytest

from givefirst.services import embedding


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_the_model_loads_and_embeds_with_no_network(no_network: None) -> None:
    embedding.load_model.cache_clear()
    vectors = embedding.embed(["We're hiring a data engineer in Tampa", "Data engineer looking for a role", ""])
    assert vectors.shape == (3, embedding.DIM) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-5)
    assert not vectors[2].any()  # no tokens, no direction
    assert float(vectors[0] @ vectors[1]) > 0.4


def test_vectors_are_wordllamas_own(no_network: None) -> None:
    from tokenizers import Tokenizer
    from wordllama.inference import WordLlamaInference

    _, table = embedding.load_model()
    tokenizer = Tokenizer.from_file(str(embedding.model_files()[1]))  # its own: WordLlamaInference sets padding
    texts = ["Looking for a fractional CFO, Tampa or remote", "Spare ticket to ProMat", "Java developer"]
    theirs = WordLlamaInference(table.astype(np.float32), tokenizer).embed(texts, norm=True)
    assert np.allclose(embedding.embed(texts), theirs, atol=1e-5)


def test_a_missing_model_file_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    from givefirst.errors import GivefirstError

    monkeypatch.setattr(embedding, "package_dir", lambda: tmp_path)
    with pytest.raises(GivefirstError, match="reinstall"):
        embedding.model_files()


def test_texts_embedded_in_batches_get_the_rows_of_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many texts are tokenised a batch at a time (memory): every row is the one a single batch gives."""
    texts = [f"{word} wanted in Tampa, {n} days a week" for n, word in enumerate(["nurse", "", "CPA", "editor"] * 4)]
    whole = embedding.embed(texts)
    monkeypatch.setattr(embedding, "EMBED_CHUNK", 3)
    assert np.array_equal(embedding.embed(texts), whole) and whole.shape == (16, embedding.DIM)
