"""Sentence vectors from wordllama's shipped weights, loaded from the installed package with no network.

wordllama ships its token-embedding table (`weights/l2_supercat_256.safetensors`) and its tokenizer
(`tokenizers/l2_supercat_tokenizer_config.json`) inside the wheel, but `WordLlama.load()` can reach for the
Hugging Face hub when it does not find a file where it expects it. So the two files are opened here by path,
and a sentence vector is computed exactly as `WordLlamaInference.embed` computes it: the mean of the text's
token embeddings (no special tokens), L2-normalised. Importing the `wordllama` package itself is avoided: it
costs about 0.3 s of imports the CLI does not need (a test checks that both give the same vectors).

Vectors are cached in the database by the SHA-1 of the text (`text_vectors`): an unchanged text is never
embedded twice.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from givefirst.errors import GivefirstError
from givefirst.store import matching as store

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

MODEL = "wordllama-l2-supercat-256"
DIM = 256
_WEIGHTS = "weights/l2_supercat_256.safetensors"
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"


def package_dir() -> Path:
    """Return where wordllama is installed, without importing it."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise GivefirstError("the wordllama package is not installed (pip install wordllama)")
    return Path(next(iter(spec.submodule_search_locations)))


def model_files() -> tuple[Path, Path]:
    """Return the paths of the shipped weights and tokenizer; a clear error when either is missing."""
    base = package_dir()
    weights, tokenizer = base / _WEIGHTS, base / _TOKENIZER
    for path in (weights, tokenizer):
        if not path.is_file():
            raise GivefirstError(f"wordllama is installed without {path.name}; reinstall it (pip install wordllama)")
    return weights, tokenizer


@cache
def load_model() -> tuple[Any, NDArray[np.float16]]:
    """Return (tokenizer, embedding table as shipped, float16), read from the installed files only."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    weights, tokenizer_file = model_files()
    table = load_file(str(weights))["embedding.weight"]  # rows are widened to float32 when used
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer, table


def embed(texts: Sequence[str]) -> NDArray[np.float32]:
    """Return one L2-normalised float32 row per text (a text with no tokens gives a zero row)."""
    import numpy as np

    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not texts:
        return out
    tokenizer, table = load_model()
    encoded = tokenizer.encode_batch(list(texts), add_special_tokens=False)
    for i, enc in enumerate(encoded):
        # The attention mask leaves out padding, should the shared tokenizer ever have been set to pad.
        ids = np.clip(np.asarray(enc.ids, dtype=np.int64)[np.asarray(enc.attention_mask, dtype=bool)], 0,
                      table.shape[0] - 1)  # fmt: skip
        if len(ids):
            out[i] = table[ids].astype(np.float32).mean(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def vectors_for(conn: Connection, texts: Sequence[str]) -> tuple[NDArray[np.float32], int]:
    """Return the vectors of these texts (cached ones read, the others embedded and cached) and how many were new."""
    import numpy as np

    hashes = [text_hash(t) for t in texts]
    cached = store.vectors(conn, MODEL, set(hashes))
    missing = {h: t for h, t in zip(hashes, texts, strict=True) if h not in cached}
    if missing:
        fresh = embed(list(missing.values()))
        rows = {h: fresh[i] for i, h in enumerate(missing)}
        store.save_vectors(conn, MODEL, {h: v.astype("<f4").tobytes() for h, v in rows.items()})
        for h, v in rows.items():
            cached[h] = v.astype("<f4").tobytes()
    out = np.empty((len(texts), DIM), dtype=np.float32)
    for i, h in enumerate(hashes):
        out[i] = np.frombuffer(cached[h], dtype="<f4")
    return out, len(missing)
