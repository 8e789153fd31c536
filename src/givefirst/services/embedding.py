"""Sentence vectors from wordllama's shipped weights, loaded from the installed package with no network.

wordllama ships its token-embedding table (`weights/l2_supercat_256.safetensors`) and its tokenizer
(`tokenizers/l2_supercat_tokenizer_config.json`) inside the wheel, but `WordLlama.load()` can reach for the
Hugging Face hub when it does not find a file where it expects it. So the two files are opened here by path,
and a sentence vector is computed exactly as `WordLlamaInference.embed` computes it: the mean of the text's
token embeddings (no special tokens), L2-normalised. Importing the `wordllama` package itself is avoided: it
costs about 0.3 s of imports the CLI does not need (a test checks that both give the same vectors).

Vectors are cached in the database by the SHA-1 of the text (`text_vectors`): an unchanged text is never
embedded twice.

The table is memory-mapped rather than read (adding one need embeds one text: it reads that text's rows, not
16 MB).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import struct
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from functools import cache
from heapq import heapify, heappop, heappush
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
    return load_tokenizer(), load_table()


@cache
def load_table() -> NDArray[np.float16]:
    """Return the embedding table as shipped (float16), memory-mapped."""
    weights, _ = model_files()
    return _map_table(weights)


@cache
def load_tokenizer() -> Any:
    """Return the shipped tokenizer, set to neither pad nor truncate."""
    from tokenizers import Tokenizer

    _, tokenizer_file = model_files()
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def _map_table(weights: Path) -> NDArray[np.float16]:
    """Return the safetensors file's one tensor, memory-mapped: an 8-byte header length, a JSON header, the data."""
    import numpy as np

    with weights.open("rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
    entry = header.get("embedding.weight") or {}
    if entry.get("dtype") != "F16" or len(entry.get("shape", ())) != 2:
        raise GivefirstError(f"{weights.name} is not the table givefirst expects; reinstall wordllama")
    begin, _ = entry["data_offsets"]
    rows, dim = entry["shape"]
    table: NDArray[np.float16] = np.memmap(weights, dtype="<f2", mode="r", offset=8 + size + begin, shape=(rows, dim))
    return table


# Texts tokenised at once: the tokenizer's batch (its encodings) for 25,000 needs took 55 MB more at its peak and
# kept 37 MB more afterwards than batches of 2,000, for the same CPU time (it still uses every core per batch).
EMBED_CHUNK = 2_000


def embed(texts: Sequence[str]) -> NDArray[np.float32]:
    """Return one L2-normalised float32 row per text (a text with no tokens gives a zero row)."""
    if not texts:
        return _pool([])
    if len(texts) > EMBED_CHUNK:  # each text's row is its own: the same rows, batch by batch
        import numpy as np

        return np.vstack([embed(texts[k : k + EMBED_CHUNK]) for k in range(0, len(texts), EMBED_CHUNK)])
    tokenizer, _ = load_model()
    encoded = tokenizer.encode_batch(list(texts), add_special_tokens=False)
    # The attention mask leaves out padding, should the shared tokenizer ever have been set to pad.
    return _pool([[i for i, m in zip(enc.ids, enc.attention_mask, strict=True) if m] for enc in encoded])


def _pool(token_ids: Sequence[Sequence[int]]) -> NDArray[np.float32]:
    """Return the L2-normalised mean of each text's token embeddings (the texts given as token ids)."""
    import numpy as np

    out = np.zeros((len(token_ids), DIM), dtype=np.float32)
    if not token_ids:
        return out
    table = load_table()
    for i, ids in enumerate(token_ids):
        if ids:
            rows = np.clip(np.asarray(ids, dtype=np.int64), 0, table.shape[0] - 1)
            out[i] = table[rows].astype(np.float32).mean(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


# --- a few texts: the same tokens without parsing the tokenizer ---------------------------------------------------
#
# Parsing the shipped tokenizer (32,000 tokens, 61,249 merges) takes ~50 ms: more than adding a need takes
# otherwise. Its model is byte-level-fallback BPE with no pre-tokenizer (a SentencePiece model converted), so
# tokenising a short text needs only the merges that text meets. The merges are kept in the database cache
# (`text_vectors`, model `wordllama-bpe`) as a sorted array of (left id, right id) pairs, looked up by
# bisection, and `_bpe` below is a line-by-line port of the tokenizers library's `Word::merge_all` (same
# priority order, same stale-entry rule), so the ids are the library's own: a test checks it on every kind of
# text, and a text holding a special token ("<s>") goes to the library.

FEW = 16  # up to this many new texts are tokenised here; more go to the library (its batch is fast once parsed)
BPE_MODEL = "wordllama-bpe"
_BPE_FORMAT = 1
_SPECIAL = ("<unk>", "<s>", "</s>")


class _Merges:
    """The tokenizer's first symbols and merges, as read from the cache."""

    def __init__(self, chars: dict[str, int], pairs: Any, merged: Any) -> None:
        self.chars = chars  # every one-character token and the 256 byte tokens (<0x41>)
        self.pairs = pairs  # sorted array of left * 2**16 + right
        self.merged = merged  # for each pair: rank * 2**16 + the merged token's id

    def get(self, left: int, right: int) -> tuple[int, int] | None:
        """Return (rank, new id) of the merge of these two tokens, or None."""
        key = (left << 16) | right
        i = bisect_left(self.pairs, key)
        if i == len(self.pairs) or self.pairs[i] != key:
            return None
        value = self.merged[i]
        return value >> 16, value & 0xFFFF


def _bpe(text: str, merges: _Merges) -> list[int]:
    """Return the token ids of `text` (no special tokens), as `Tokenizer.encode(text, add_special_tokens=False)`."""
    if not text:
        return []
    symbols: list[int] = []
    for ch in "\u2581" + text.replace(" ", "\u2581"):  # the normalizer: prepend "▁", spaces become "▁"
        found = merges.chars.get(ch)
        if found is not None:
            symbols.append(found)
        else:  # byte fallback
            symbols.extend(merges.chars[f"<0x{b:02X}>"] for b in ch.encode("utf-8"))
    size = len(symbols)
    nxt = [*range(1, size), -1]
    prev = list(range(-1, size - 1))
    alive = [True] * size
    queue = []
    for pos in range(size - 1):
        m = merges.get(symbols[pos], symbols[pos + 1])
        if m is not None:
            queue.append((m[0], pos, m[1]))
    heapify(queue)
    while queue:
        _, pos, new = heappop(queue)
        if not alive[pos] or nxt[pos] == -1:
            continue
        right = nxt[pos]
        m = merges.get(symbols[pos], symbols[right])
        if m is None or m[1] != new:  # an expired entry
            continue
        symbols[pos] = new
        alive[right] = False
        nxt[pos] = nxt[right]
        if nxt[right] != -1:
            prev[nxt[right]] = pos
        if prev[pos] != -1:
            m = merges.get(symbols[prev[pos]], new)
            if m is not None:
                heappush(queue, (m[0], prev[pos], m[1]))
        if nxt[pos] != -1:
            m = merges.get(new, symbols[nxt[pos]])
            if m is not None:
                heappush(queue, (m[0], pos, m[1]))
    return [c for c, live in zip(symbols, alive, strict=True) if live]


def _merges(conn: Connection) -> _Merges:
    """Return the merges from the cache, built from the shipped tokenizer file when missing or outdated."""
    import marshal

    _, tokenizer_file = model_files()
    info = tokenizer_file.stat()
    key = text_hash(f"{_BPE_FORMAT}:{tokenizer_file}:{info.st_size}:{info.st_mtime_ns}")
    blob = store.vectors(conn, BPE_MODEL, {key}).get(key)
    if blob is None:
        blob = marshal.dumps(_build_merges(tokenizer_file))
        store.delete_vectors(conn, BPE_MODEL)
        store.save_vectors(conn, BPE_MODEL, {key: blob})
    chars, pairs, merged = marshal.loads(blob)
    return _Merges(chars, array("q", pairs), array("q", merged))


def _build_merges(tokenizer_file: Path) -> tuple[dict[str, int], bytes, bytes]:
    spec = json.loads(tokenizer_file.read_text(encoding="utf-8"))
    model = spec["model"]
    if model.get("type") != "BPE" or not model.get("byte_fallback") or spec.get("pre_tokenizer") is not None:
        raise GivefirstError(f"{tokenizer_file.name} is not the tokenizer givefirst expects; reinstall wordllama")
    vocab: dict[str, int] = model["vocab"]
    by_pair: dict[int, int] = {}
    for rank, line in enumerate(model["merges"]):
        left, right = line.split(" ") if isinstance(line, str) else line
        by_pair[(vocab[left] << 16) | vocab[right]] = (rank << 16) | vocab[left + right]  # a later duplicate wins
    pairs = sorted(by_pair)
    chars = {t: i for t, i in vocab.items() if len(t) == 1 or (len(t) == 6 and t.startswith("<0x"))}
    return chars, array("q", pairs).tobytes(), array("q", [by_pair[k] for k in pairs]).tobytes()


def _few_token_ids(conn: Connection, texts: Sequence[str]) -> list[list[int]] | None:
    """Return the token ids of a few texts without the tokenizers library, or None to leave them to it."""
    if len(texts) > FEW or any(s in t for t in texts for s in _SPECIAL):
        return None
    merges = _merges(conn)
    return [_bpe(t, merges) for t in texts]


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def vectors_for(conn: Connection, texts: Sequence[str]) -> tuple[NDArray[np.float32], int]:
    """Return the vectors of these texts (cached ones read, the others embedded and cached) and how many were new."""
    import numpy as np

    hashes = [text_hash(t) for t in texts]
    cached = store.vectors(conn, MODEL, set(hashes))
    missing = {h: t for h, t in zip(hashes, texts, strict=True) if h not in cached}
    if missing:
        ids = _few_token_ids(conn, list(missing.values()))
        fresh = embed(list(missing.values())) if ids is None else _pool(ids)
        rows = {h: fresh[i] for i, h in enumerate(missing)}
        store.save_vectors(conn, MODEL, {h: v.astype("<f4").tobytes() for h, v in rows.items()})
        for h, v in rows.items():
            cached[h] = v.astype("<f4").tobytes()
    out = np.empty((len(texts), DIM), dtype=np.float32)
    for i, h in enumerate(hashes):
        out[i] = np.frombuffer(cached[h], dtype="<f4")
    return out, len(missing)
