"""Matching quality on the labelled evaluation network (../shared/eval/matching-dev.jsonl).

    python benchmarks/match_quality.py [--eval FILE] [--json OUT]

The network goes into a fresh temporary database through the real services (people with their locations,
needs and offers as `givefirst need` / `offer` record them, which scores them incrementally); then, for every
need, the engine's suggestions are read back as `givefirst match` reads them. Metrics, as the eval README
defines them:

* over needs with at least one relevant offer: nDCG@5 (gain 2^grade − 1, ideal DCG from the need's own
  labels), MRR at the first offer of grade ≥ 1, Recall@5 of the graded offers — on the ranked list of every
  pair the engine keeps (its floor), so the ranking is judged apart from the threshold;
* over needs with none: the false-suggestion rate — the share of them with at least one suggestion at the
  default threshold (`[plan] match_threshold`).

Targets: nDCG@5 ≥ 0.80, false-suggestion rate ≤ 0.15. When the evaluation file is absent the run is skipped
(exit 0).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_EVAL = HERE.parent.parent / "shared" / "eval" / "matching-dev.jsonl"
TARGET_NDCG, TARGET_FALSE = 0.80, 0.15
NOW = datetime(2026, 11, 25, 12, 0)


def load(path: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, int]]]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    labels_path = path.with_name(path.name.replace(".jsonl", ".labels.jsonl"))
    labels = {}
    for line in labels_path.read_text().splitlines():
        if line.strip():
            entry = json.loads(line)
            labels[entry["need"]] = {k: int(v) for k, v in entry["relevant"].items()}
    return rows, labels


def dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades))


def metrics(ranked: dict[str, list[str]], shown: dict[str, bool], labels: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Return nDCG@5, MRR, Recall@5 (needs with matches) and the false-suggestion rate (needs without)."""
    ndcgs, rrs, recalls, false = [], [], [], []
    for need, relevant in labels.items():
        ranking = ranked.get(need, [])
        if relevant:
            ideal = dcg(sorted(relevant.values(), reverse=True)[:5])
            ndcgs.append(dcg([relevant.get(o, 0) for o in ranking[:5]]) / ideal)
            first = next((r for r, o in enumerate(ranking) if relevant.get(o, 0) >= 1), None)
            rrs.append(0.0 if first is None else 1.0 / (first + 1))
            recalls.append(sum(1 for o in ranking[:5] if o in relevant) / len(relevant))
        else:
            false.append(1.0 if shown.get(need) else 0.0)
    mean = lambda xs: sum(xs) / len(xs) if xs else 0.0  # noqa: E731
    return {
        "ndcg@5": mean(ndcgs),
        "mrr": mean(rrs),
        "recall@5": mean(recalls),
        "false_suggestion_rate": mean(false),
        "needs_with_matches": len(ndcgs),
        "needs_without": len(false),
    }


def evaluate(path: Path, db: Path) -> dict[str, Any]:
    """Load the network through the services into `db` and return the metrics with the misses."""
    from givefirst.config import Settings
    from givefirst.services import matching
    from givefirst.services.context import open_app
    from givefirst.services.needs import add_item
    from givefirst.services.people import PersonInput, add_person

    rows, labels = load(path)
    app = open_app(Settings(database=str(db), today=NOW.date()), now=NOW)
    try:
        started = time.perf_counter()
        people: dict[str, int] = {}
        ids: dict[tuple[str, int], str] = {}
        for row in rows:
            if row["person"] not in people:
                people[row["person"]] = add_person(app, PersonInput(name=row["name"], location=row["location"] or None))
            item = add_item(app, row["kind"], str(people[row["person"]]), row["text"])
            ids[(row["kind"], item)] = row["id"]
        loaded = time.perf_counter() - started
        need_ids = {ext: item for (kind, item), ext in ids.items() if kind == "need"}
        ranked: dict[str, list[str]] = {}
        shown: dict[str, bool] = {}
        threshold = app.plan_settings.match_threshold
        for ext, item in need_ids.items():
            found = matching.for_need(app, item, min_score=0.0, limit=50)
            ranked[ext] = [ids[("offer", s.offer.id)] for s in found]
            shown[ext] = any(s.match.score >= threshold for s in found)
        result = metrics(ranked, shown, labels)
        result.update(threshold=threshold, load_s=round(loaded, 2), items=len(rows))
        result["misses"] = {
            need: {"top": ranked.get(need, [])[:5], "relevant": rel}
            for need, rel in labels.items()
            if (rel and not set(ranked.get(need, [])[:5]) & set(rel)) or (not rel and shown.get(need))
        }
        return result
    finally:
        app.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--misses", action="store_true", help="list the needs the matcher got wrong")
    args = parser.parse_args(argv)
    if not args.eval.exists():
        print(f"match quality: skipped ({args.eval} is absent)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        result = evaluate(args.eval, Path(tmp) / "eval.db")
    print(f"match quality on {args.eval.name} ({result['items']} needs and offers, loaded in {result['load_s']} s)")
    print(f"  nDCG@5                 {result['ndcg@5']:.3f}   target ≥ {TARGET_NDCG:.2f}  "
          f"{'ok' if result['ndcg@5'] >= TARGET_NDCG else 'MISSED'}")  # fmt: skip
    print(f"  MRR                    {result['mrr']:.3f}")
    print(f"  Recall@5               {result['recall@5']:.3f}")
    fsr = result["false_suggestion_rate"]
    verdict = "ok" if fsr <= TARGET_FALSE else "MISSED"
    print(f"  false-suggestion rate  {fsr:.3f}   target ≤ {TARGET_FALSE:.2f}  {verdict}"
          f"  (threshold {result['threshold']}, {result['needs_without']} needs without a match)")  # fmt: skip
    if args.misses:
        for need, miss in result["misses"].items():
            print(f"  miss {need}: top {miss['top']} relevant {miss['relevant']}")
    if args.json:
        args.json.write_text(json.dumps({k: v for k, v in result.items() if k != "misses"}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
