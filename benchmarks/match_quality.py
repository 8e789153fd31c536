"""Matching quality on the labelled evaluation networks, the engine beside three baselines in one table per set.

    python benchmarks/match_quality.py [--eval FILE ...] [--fit-on NAME ...] [--leave-one-out NAME ...]
        [--json OUT] [--misses] [--plot PNG]

The sets: the dev set (`../shared/eval/matching-dev.jsonl`, when present; `GIVEFIRST_EVAL_DIR` names another
folder holding it) and every set of this project (`benchmarks/eval/matching-second.jsonl` …
`matching-ninth.jsonl`, in the order they were written); `--eval` names the ones to run instead. `--fit-on NAME`
(repeatable) also fits the calibration on those sets pooled and reports every set at it; `--leave-one-out NAME`
(repeatable) fits it, for each of those sets, on the others pooled and reports the set left out; `--best-bar`
chooses the bar of a need's best pair on all sets but one and reports the one left out, in turn. Each network
goes into a fresh temporary database through the real services (people with their locations, needs and offers
as `givefirst need` / `offer` record them, which scores them incrementally); then, for every need, the engine's
suggestions are read back as `givefirst match` reads them. Metrics, as the eval README defines them:

* over needs with at least one relevant offer: nDCG@5 (gain 2^grade − 1, ideal DCG from the need's own
  labels), MRR at the first offer of grade ≥ 1, Recall@5 of the graded offers — on the ranked list of every
  pair the engine keeps (its floor), so the ranking is judged apart from the threshold; and nDCG@5 of the
  shown list (only the pairs at or above the display threshold, `[plan] match_threshold`): what a user sees;
* shown precision: the share of all pairs shown (every need) that are labelled useful (grade ≥ 1);
* over needs with none: the false-suggestion rate — the share of them with at least one suggestion shown.

Baselines, ranking every offer of another person for each need on the raw texts: `bm25s` (its own tokenizer
with English stop words, default BM25), `wordllama` (cosine of the shipped model's sentence vectors) and their
reciprocal rank fusion (Σ 1/(60 + rank), Cormack et al. 2009). They have no threshold, so no shown figures.

The engine's score is a calibrated chance (`domain/match_calibration.py`): the script
also fits that calibration on each set, chooses the display threshold there (rule m8 in
`match_metrics.choose_threshold`: the lowest chance at which ≥ 90 % of the shown pairs pooled and ≥ 85 % on each
fitting set are useful) and reports every set at it — both directions of the tune/report split
(`--fit-calibration` with a single set). `--plot` draws the calibration: for bins of the engine's score, the
share of pairs labelled useful (the diagonal is perfect calibration).
When no evaluation file exists the run is skipped (exit 0).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from match_metrics import (  # noqa: F401 (re-exported: the tests and notebooks reach them through this script)
    GOAL_PRECISION,
    Labels,
    Pair,
    _cell,
    best_bar_leave_one_out,
    choose_threshold,
    cross_calibration,
    fit_calibration,
    leave_one_out,
    metrics,
    pooled,
    pooled_calibration,
    recalibrated,
    shown_at,
)

HERE = Path(__file__).resolve().parent
SHARED_EVAL = Path(os.environ.get("GIVEFIRST_EVAL_DIR", HERE.parent.parent / "shared" / "eval"))
DEFAULT_EVAL = SHARED_EVAL / "matching-dev.jsonl"
# This project's sets in the order they were written (each README section says what it holds and what it was for).
_OWN = "second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth"
_OWN += " sixteenth seventeenth eighteenth nineteenth twentieth twentyfirst twentysecond twentythird twentyfourth"
_OWN += " twentyfifth twentysixth twentyseventh twentyeighth twentyninth thirtieth thirtyfirst thirtysecond"
_OWN += " thirtythird thirtyfourth thirtyfifth thirtysixth thirtyseventh"
OWN_EVALS = tuple(HERE / "eval" / f"matching-{n}.jsonl" for n in _OWN.split(" "))
TARGET_NDCG, TARGET_FALSE, TARGET_PRECISION, TARGET_LEAD = 0.85, 0.10, 0.85, 0.10
NOW = datetime(2026, 11, 25, 12, 0)
RRF_K = 60
THRESHOLDS = (0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)  # compared (the plan shows 0.85, the hub 0.7)


def load(path: Path) -> tuple[list[dict[str, Any]], Labels]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    labels_path = path.with_name(path.name.replace(".jsonl", ".labels.jsonl"))
    labels = {}
    for line in labels_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            labels[entry["need"]] = {k: int(v) for k, v in entry["relevant"].items()}
    return rows, labels


def baselines(rows: list[dict[str, Any]], labels: Labels) -> dict[str, dict[str, Any]]:
    """Return the figures of bm25s, wordllama and their rank fusion on the raw texts."""
    import bm25s  # type: ignore[import-untyped]
    import numpy as np

    from givefirst.services.embedding import embed

    needs = [r for r in rows if r["kind"] == "need"]
    offers = [r for r in rows if r["kind"] == "offer"]
    retriever: Any = bm25s.BM25()
    retriever.index(bm25s.tokenize([o["text"] for o in offers], stopwords="en", show_progress=False),
                    show_progress=False)  # fmt: skip
    need_vectors, offer_vectors = embed([n["text"] for n in needs]), embed([o["text"] for o in offers])
    cosines = need_vectors @ offer_vectors.T
    rankings: dict[str, dict[str, list[str]]] = {"bm25s": {}, "wordllama": {}, "fusion (RRF)": {}}
    for i, need in enumerate(needs):
        words = bm25s.tokenize([need["text"]], stopwords="en", return_ids=False, show_progress=False)[0]
        lexical = np.asarray(retriever.get_scores(words))
        others = [j for j, o in enumerate(offers) if o["person"] != need["person"]]
        by_lex = sorted(others, key=lambda j: (-lexical[j], j))
        by_cos = sorted(others, key=lambda j: (-cosines[i, j], j))
        fused: dict[int, float] = {}
        for order in (by_lex, by_cos):
            for rank, j in enumerate(order):
                fused[j] = fused.get(j, 0.0) + 1.0 / (RRF_K + rank + 1)
        by_rrf = sorted(others, key=lambda j: (-fused[j], j))
        for name, order in (("bm25s", by_lex), ("wordllama", by_cos), ("fusion (RRF)", by_rrf)):
            rankings[name][need["id"]] = [offers[j]["id"] for j in order]
    return {name: metrics(ranking, None, labels) for name, ranking in rankings.items()}


def evaluate(path: Path, db: Path, *, with_baselines: bool = False) -> dict[str, Any]:
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
        scores: dict[str, list[float]] = {}
        shown: dict[str, list[str]] = {}
        scored: list[tuple[float, int]] = []  # (score, grade) of every kept pair, for the calibration
        pairs: list[Pair] = []  # every kept pair with its signal values, to fit and judge a calibration on
        threshold = app.plan_settings.match_threshold
        for ext, item in need_ids.items():
            found = matching.for_need(app, item, min_score=0.0, limit=50)
            ranked[ext] = [ids[("offer", s.offer.id)] for s in found]
            scores[ext] = [s.match.score for s in found]
            # What the app shows for the need, by its display rule (`services.match_shown`).
            shown[ext] = [ids[("offer", s.offer.id)] for s in matching.for_need(app, item, limit=50)]
            scored += [(s.match.score, labels.get(ext, {}).get(ids[("offer", s.offer.id)], 0)) for s in found]
            pairs += [(ext, ids[("offer", s.offer.id)], *signal_values(s.match)) for s in found]
        result = metrics(ranked, shown, labels)
        result.update(threshold=threshold, best_threshold=app.plan_settings.match_best_threshold,
                      load_s=round(loaded, 2), items=len(rows), scored=scored, pairs=pairs, ranked=ranked,
                      scores=scores)  # fmt: skip
        result["labels"] = labels
        result["by_threshold"] = {
            t: metrics(ranked, {n: [o for o, v in zip(ranked[n], scores[n], strict=True) if v >= t] for n in ranked},
                       labels)
            for t in THRESHOLDS
        }  # fmt: skip
        result["misses"] = {
            need: {"top": ranked.get(need, [])[:5], "relevant": rel}
            for need, rel in labels.items()
            if (rel and not set(ranked.get(need, [])[:5]) & set(rel)) or (not rel and shown.get(need))
        }
        if with_baselines:
            result["baselines"] = baselines(rows, labels)
        return result
    finally:
        app.close()


def signal_values(match: Any) -> tuple[float, float, float, float, float, float, float]:
    """Return a scored pair's semantic, lexical, intent, place factor, freshness factor, no-market flag and
    named-place flag."""
    from givefirst.domain.match_score import DEFAULT_WEIGHTS, NAMED_PLACE_NOTE, fresh_factor, place_factor
    from givefirst.domain.match_text import NO_SIDE_NOTE

    value = {s.name: s.value for s in match.signals}
    none = float(match.signal("intent").note == NO_SIDE_NOTE)
    named = float(match.signal("place").note.endswith(NAMED_PLACE_NOTE))
    place, fresh = place_factor(value["place"], DEFAULT_WEIGHTS), fresh_factor(value["freshness"], DEFAULT_WEIGHTS)
    return value["semantic"], value["lexical"], value["intent"], place, fresh, none, named


COLUMNS: tuple[tuple[str, str], ...] = (
    ("ndcg@5", "nDCG@5"),
    ("ndcg@5_shown", "nDCG@5 shown"),
    ("mrr", "MRR"),
    ("recall@5", "Recall@5"),
    ("shown_precision", "shown precision"),
    ("false_suggestion_rate", "false rate"),
)


def table(name: str, result: dict[str, Any]) -> str:
    """Return the set's table: the engine and each baseline, a row each, and the targets."""
    rows: list[tuple[str, dict[str, Any]]] = [("engine", result), *result.get("baselines", {}).items()]
    lines = [
        f"match quality on {name} ({result['items']} needs and offers, {result['needs_with_matches']} needs with a "
        f"match, {result['needs_without']} without; threshold {result['threshold']}; loaded in {result['load_s']} s)",
        "  " + f"{'':14}" + "".join(f"{title:>17}" for _, title in COLUMNS),
    ]
    for label, figures in rows:
        lines.append("  " + f"{label:14}" + "".join(f"{_cell(figures.get(key)):>17}" for key, _ in COLUMNS))
    fusion = result.get("baselines", {}).get("fusion (RRF)")
    checks: list[tuple[str, float | None, Callable[[float], bool], str]] = [
        ("nDCG@5", result["ndcg@5"], lambda v: v >= TARGET_NDCG, f"≥ {TARGET_NDCG}"),
        ("false rate", result["false_suggestion_rate"], lambda v: v <= TARGET_FALSE, f"≤ {TARGET_FALSE}"),
        ("shown precision", result["shown_precision"], lambda v: v >= TARGET_PRECISION, f"≥ {TARGET_PRECISION}"),
    ]
    if fusion:
        lead = result["ndcg@5"] - fusion["ndcg@5"]
        result["lead_over_fusion"] = lead
        checks.append(("lead over fusion", lead, lambda v: v >= TARGET_LEAD, f"≥ +{TARGET_LEAD}"))
    for title, value, ok, target in checks:
        verdict = "—" if value is None else ("ok" if ok(value) else "MISSED")
        lines.append(f"  {title:18} {_cell(value):>7}  target {target}  {verdict}")
    lines.append(f"  shown pairs {result['shown_pairs']}")
    return "\n".join(lines)


def calibration(scored: list[tuple[float, int]], edges: tuple[float, ...]) -> list[tuple[float, float, int, float]]:
    """Return (low, high, pairs, share useful) for each score bin."""
    out = []
    for low, high in itertools.pairwise(edges):
        grades = [g for s, g in scored if low <= s < high or (high == edges[-1] and s == high)]
        out.append((low, high, len(grades), sum(1 for g in grades if g >= 1) / len(grades) if grades else 0.0))
    return out


def plot(results: dict[str, dict[str, Any]], out: Path) -> None:
    """Draw the calibration of every set into `out` (matplotlib, when installed)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("--plot needs matplotlib (pip install matplotlib)")
        return
    edges = tuple(round(0.1 * i, 1) for i in range(11))
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey")
    for name, result in results.items():
        bins = [b for b in calibration(result["scored"], edges) if b[2]]
        ax.plot([(lo + hi) / 2 for lo, hi, _, _ in bins], [share for *_, share in bins], marker="o", label=name)
    ax.set_xlabel("engine score (the calibrated chance)")
    ax.set_ylabel("share of pairs labelled useful")
    ax.legend()
    fig.savefig(out, dpi=120, bbox_inches="tight")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval", type=Path, action="append", help="a labelled set (repeatable); default all of them")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--misses", action="store_true", help="list the needs the matcher got wrong")
    parser.add_argument("--no-baselines", action="store_true", help="the engine alone (faster)")
    parser.add_argument("--plot", type=Path, help="draw the calibration of the engine's score into this PNG")
    parser.add_argument(
        "--fit-on",
        action="append",
        metavar="NAME",
        help="also fit the calibration on these sets pooled (file names, repeatable) and report every set at it",
    )
    parser.add_argument(
        "--leave-one-out",
        action="append",
        metavar="NAME",
        help="for each of these sets (repeatable), fit the calibration on the others pooled and report it",
    )
    parser.add_argument(
        "--best-bar",
        action="store_true",
        help="for each set, choose the bar of a need's best pair on the others and report the set left out",
    )
    parser.add_argument(
        "--fit-calibration",
        action="store_true",
        help="fit the calibration on each set and report it on the others (on by default with 2 sets)",
    )
    args = parser.parse_args(argv)
    sets = [p for p in (args.eval or [DEFAULT_EVAL, *OWN_EVALS]) if p.exists()]
    if not sets:
        print("match quality: skipped (no evaluation file found)")
        return 0
    results: dict[str, dict[str, Any]] = {}
    for path in sets:
        with tempfile.TemporaryDirectory() as tmp:
            result = evaluate(path, Path(tmp) / "eval.db", with_baselines=not args.no_baselines)
        results[path.name] = result
        print(table(path.name, result))
        edges = (0.0, 0.1, 0.2, 0.4, 0.6, 0.7, 0.8, 0.9, 1.0)
        for t, at in result["by_threshold"].items():
            precision, false, seen = at["shown_precision"], at["false_suggestion_rate"], at["ndcg@5_shown"]
            print(f"  at {t:.2f}: shown precision {_cell(precision)} of {at['shown_pairs']} pairs, "
                  f"false rate {_cell(false)}, nDCG@5 shown {_cell(seen)}")  # fmt: skip
        bins = calibration(result["scored"], edges)
        shares = (f"[{lo:.1f},{hi:.1f}) {share:.2f} of {n}" for lo, hi, n, share in bins if n)
        print("  calibration: " + ", ".join(shares))
        if args.misses:
            for need, miss in result["misses"].items():
                print(f"  miss {need}: top {miss['top']} relevant {miss['relevant']}")
        print()
    if len(results) > 1 or args.fit_calibration:
        print("\n".join(cross_calibration(results)))
    if args.leave_one_out:
        missing = [name for name in args.leave_one_out if name not in results]
        if missing:
            parser.error(f"--leave-one-out: no set named {', '.join(missing)} was evaluated")
        print("\n".join(leave_one_out(results, args.leave_one_out)))
    if args.fit_on:
        missing = [name for name in args.fit_on if name not in results]
        if missing:
            parser.error(f"--fit-on: no set named {', '.join(missing)} was evaluated")
        print("\n".join(pooled_calibration(results, args.fit_on)))
    if args.best_bar:
        every = next(iter(results.values()))["threshold"]
        print("\n".join(best_bar_leave_one_out(results, every)))
    if args.plot:
        plot(results, args.plot)
    if args.json:
        drop = {"misses", "scored", "pairs", "labels", "ranked", "scores"}
        keep = {name: {k: v for k, v in r.items() if k not in drop} for name, r in results.items()}
        args.json.write_text(json.dumps(keep, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
