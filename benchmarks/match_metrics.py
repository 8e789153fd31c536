"""Ranking metrics and the calibration's fitting, shared by `match_quality.py` (which re-exports them).

The metrics follow the eval README (nDCG@5 with gain 2^grade − 1, MRR, Recall@5, shown precision, the false-suggestion
rate). The calibration is a logistic regression of "labelled useful" on a kept pair's signals; the display threshold
is chosen on the sets it was fitted on by the rule in `choose_threshold` (docs/matching.md, "Engine m8").
"""

from __future__ import annotations

import math
from typing import Any

Labels = dict[str, dict[str, int]]
Pair = tuple[str, str, float, float, float, float, float, float, float]  # need, offer, semantic, lexical, intent,
# place, fresh, no market side (1.0 or 0.0), the need names where and the offer is not there (1.0 or 0.0)
GOAL_PRECISION = 0.85  # the share of shown pairs that must be useful on a set not fitted on
# Rule m8's margin, decided before any held-out figure of m8 was read: fitted on one set (or two), the threshold
# chosen there showed 0.05–0.10 fewer useful pairs on another set (docs/matching.md, engines m6 and m7), so the
# pooled fitting sets must reach GOAL_PRECISION + MARGIN.
MARGIN = 0.05
FALSE_MAX = 0.10  # the false-suggestion rate a set may have at a chosen display rule (the goal of issue 11)


def dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades))


def ndcg5(ranking: list[str], relevant: dict[str, int]) -> float:
    ideal = dcg(sorted(relevant.values(), reverse=True)[:5])
    return dcg([relevant.get(o, 0) for o in ranking[:5]]) / ideal


def metrics(
    ranked: dict[str, list[str]],
    shown: dict[str, bool] | dict[str, list[str]] | None,
    labels: Labels,
) -> dict[str, Any]:
    """Return the figures of one ranker on one set.

    `ranked`: every need's ranked offers (all kept pairs). `shown`: per need, the offers shown at the display
    threshold (a prefix of its ranking), or only whether anything was shown; None for a baseline (no threshold).
    """
    ndcgs, shown_ndcgs, rrs, recalls, false = [], [], [], [], []
    shown_pairs = shown_good = 0
    for need, relevant in labels.items():
        ranking = ranked.get(need, [])
        seen = None if shown is None else shown.get(need, [])
        shown_list = seen if isinstance(seen, list) else None
        if shown_list is not None:
            shown_pairs += len(shown_list)
            shown_good += sum(1 for o in shown_list if relevant.get(o, 0) >= 1)
        if relevant:
            ndcgs.append(ndcg5(ranking, relevant))
            if shown_list is not None:
                shown_ndcgs.append(ndcg5(shown_list, relevant))
            first = next((r for r, o in enumerate(ranking) if relevant.get(o, 0) >= 1), None)
            rrs.append(0.0 if first is None else 1.0 / (first + 1))
            recalls.append(sum(1 for o in ranking[:5] if o in relevant) / len(relevant))
        elif seen is not None:
            false.append(1.0 if seen else 0.0)
    mean = lambda xs: sum(xs) / len(xs) if xs else 0.0  # noqa: E731
    return {
        "ndcg@5": mean(ndcgs),
        "ndcg@5_shown": mean(shown_ndcgs) if shown_ndcgs else None,
        "mrr": mean(rrs),
        "recall@5": mean(recalls),
        "shown_precision": shown_good / shown_pairs if shown_pairs else None,
        "shown_pairs": shown_pairs if shown is not None and shown_ndcgs else None,
        "false_suggestion_rate": mean(false) if shown is not None else None,
        "needs_with_matches": len(ndcgs),
        "needs_without": sum(1 for rel in labels.values() if not rel),
    }


def fit_calibration(pairs: list[Pair], labels: Labels, name: str = "") -> Any:
    """Return the logistic regression of "labelled useful" on the signal values of every kept pair.

    Newton's method (IRLS) with a light L2 penalty on the weights (not the intercept). A weight that comes out
    negative is dropped and the rest fitted again: the engine needs a chance that rises with every signal (the
    named-place input is named flag × (place factor − 1), so its weight too must be positive).
    """
    import numpy as np

    from givefirst.domain.match_calibration import Calibration

    live = [p for p in pairs if p[4] > 0.0 and p[5] > 0.0]  # vetoed pairs have no chance whatever the weights
    x = np.array([(*p[2:6], p[7], p[8] * (p[5] - 1.0)) for p in live], dtype=np.float64)
    y = np.array([labels.get(p[0], {}).get(p[1], 0) >= 1 for p in live], dtype=np.float64)
    used = [True] * x.shape[1]
    while True:
        cols = [k for k, u in enumerate(used) if u]
        design = np.c_[np.ones(len(x)), x[:, cols]]
        weights = np.zeros(design.shape[1])
        penalty = 1e-2 * np.diag(np.r_[0.0, np.ones(len(cols))])
        for _ in range(100):
            p = 1.0 / (1.0 + np.exp(-(design @ weights)))
            gradient = design.T @ (p - y) + penalty @ weights
            hessian = design.T @ (design * (p * (1.0 - p))[:, None]) + penalty
            step = np.linalg.solve(hessian, gradient)
            weights -= step
            if np.abs(step).max() < 1e-10:
                break
        # the no-market weight may be negative: the engine's cap takes the better case of the two
        negative = [c for c, v in zip(cols, weights[1:], strict=True) if v < 0.0 and c != 4]
        if not negative:
            break
        used[negative[0]] = False
    full = [0.0] * x.shape[1]
    for c, v in zip(cols, weights[1:], strict=True):
        full[c] = float(v)
    return Calibration(round(float(weights[0]), 3), *(round(v, 3) for v in full), fitted_on=name)


def recalibrated(pairs: list[Pair], calibration: Any) -> tuple[dict[str, list[str]], dict[str, list[float]]]:
    """Return every need's kept offers ranked by another calibration's chance, with the chances."""
    by_need: dict[str, list[tuple[float, str]]] = {}
    for need, offer, sem, lex, intent, place, fresh, none, named in pairs:
        chance = calibration.chance(sem, lex, intent, place, none > 0, named > 0)
        by_need.setdefault(need, []).append((chance * fresh, offer))
    ranked, chances = {}, {}
    for need, found in by_need.items():
        found.sort(key=lambda t: -t[0])
        ranked[need], chances[need] = [o for _, o in found], [c for c, _ in found]
    return ranked, chances


def shown_at(ranked: dict[str, list[str]], chances: dict[str, list[float]], t: float) -> dict[str, list[str]]:
    return {n: [o for o, c in zip(ranked[n], chances[n], strict=True) if c >= t] for n in ranked}


def choose_threshold(pairs: list[Pair], labels: Labels, calibration: Any, groups: list[Labels] | None = None) -> float:
    """Return the display threshold by rule m8: the lowest chance, in steps of 0.05, at which

    * ≥ GOAL_PRECISION + MARGIN of the pairs shown on the fitting sets pooled are useful, at that step and at every
      higher step that still shows something, and
    * each fitting set on its own (`groups`: its needs' labels; by default the pool is one set) shows
      ≥ GOAL_PRECISION useful pairs at that step, or nothing.
    """
    ranked, chances = recalibrated(pairs, calibration)
    steps = [round(0.05 * k, 2) for k in range(2, 20)]
    pooled_ok = [metrics(ranked, shown_at(ranked, chances, t), labels)["shown_precision"] for t in steps]
    for k, t in enumerate(steps):
        if not all(v is None or v >= GOAL_PRECISION + MARGIN for v in pooled_ok[k:]):
            continue
        shown = shown_at(ranked, chances, t)
        each = [metrics(ranked, shown, group)["shown_precision"] for group in groups or [labels]]
        if all(v is None or v >= GOAL_PRECISION for v in each):
            return t
    return steps[-1]


def cross_calibration(results: dict[str, dict[str, Any]]) -> list[str]:
    """Fit the calibration on each set, choose the threshold there, and report both sets at it: both directions."""
    lines = []
    for fit_name, fit_result in results.items():
        calibration = fit_calibration(fit_result["pairs"], fit_result["labels"], fit_name)
        threshold = choose_threshold(fit_result["pairs"], fit_result["labels"], calibration)
        lines.append(f"calibration fitted on {fit_name}: {calibration}; display threshold chosen there {threshold}")
        for name, result in results.items():
            ranked, chances = recalibrated(result["pairs"], calibration)
            m = metrics(ranked, shown_at(ranked, chances, threshold), result["labels"])
            role = "fitted on" if name == fit_name else "reported on"
            lines.append(figures_line(f"{role} {name}", result, m))
    return lines


def pooled(results: dict[str, dict[str, Any]], names: list[str]) -> tuple[list[Pair], Labels]:
    """Return the kept pairs and labels of several sets as one, each id prefixed with its set's name."""
    pairs: list[Pair] = []
    labels: Labels = {}
    for name in names:
        result = results[name]
        pairs += [(f"{name}:{p[0]}", f"{name}:{p[1]}", *p[2:]) for p in result["pairs"]]
        labels.update({f"{name}:{n}": {f"{name}:{o}": g for o, g in r.items()} for n, r in result["labels"].items()})
    return pairs, labels


def pooled_calibration(results: dict[str, dict[str, Any]], names: list[str]) -> list[str]:
    """Fit the calibration on several sets pooled, choose the threshold on them, and report every set at it."""
    pairs, labels = pooled(results, names)
    fitted_on = " + ".join(names)
    calibration = fit_calibration(pairs, labels, fitted_on)
    threshold = choose_threshold(pairs, labels, calibration, [pooled(results, [name])[1] for name in names])
    lines = [f"calibration fitted on {fitted_on} pooled: {calibration}; display threshold chosen there {threshold}"]
    for name, result in results.items():
        ranked, chances = recalibrated(result["pairs"], calibration)
        m = metrics(ranked, shown_at(ranked, chances, threshold), result["labels"])
        role = "fitted on" if name in names else "reported on"
        lines.append(figures_line(f"{role} {name}", result, m))
    return lines


def leave_one_out(results: dict[str, dict[str, Any]], names: list[str]) -> list[str]:
    """For each of `names`, fit the calibration on the others pooled, choose the threshold there by rule m8 and
    report the set left out (its kept pairs re-ranked by that chance)."""
    lines = []
    for held in names:
        rest = [name for name in names if name != held]
        pairs, labels = pooled(results, rest)
        calibration = fit_calibration(pairs, labels, " + ".join(rest))
        threshold = choose_threshold(pairs, labels, calibration, [pooled(results, [name])[1] for name in rest])
        lines.append(f"left out {held}: fitted on {calibration.fitted_on} pooled: {calibration}; threshold {threshold}")
        for name in [held, *rest]:
            ranked, chances = recalibrated(results[name]["pairs"], calibration)
            m = metrics(ranked, shown_at(ranked, chances, threshold), results[name]["labels"])
            lines.append(figures_line(f"{'reported on' if name == held else 'fitted on'} {name}", results[name], m))
    return lines


def shown_best_first(ranked: dict[str, list[str]], scores: dict[str, list[float]], best: float,
                     every: float) -> dict[str, list[str]]:  # fmt: skip
    """Return what the display rule shows of each need's ranked offers (`services.match_shown`): the best one from
    `best`, every one from `every`."""
    out = {}
    for n in ranked:
        pairs = enumerate(zip(ranked[n], scores[n], strict=True))
        out[n] = [o for k, (o, c) in pairs if c >= every or (k == 0 and c >= best)]
    return out


def choose_best_bar(results: list[dict[str, Any]], every: float) -> float | None:
    """Return the bar of a need's best pair chosen on these sets (engine scores as shipped, every other pair at
    `every`), by rule m8's conditions with the false rate added (docs/matching.md, "A need's best pair"): among
    the steps of 0.05 up to `every` at which ≥ GOAL_PRECISION + MARGIN of the pairs shown on the sets pooled are
    useful, and on each set alone ≥ GOAL_PRECISION (or nothing shown) with a false rate ≤ 0.10, the one with the
    highest shown nDCG@5 over the needs of all sets (ties: the higher bar). None when no step passes."""
    best_step: tuple[float, float] | None = None  # (nDCG, bar)
    for step in [round(0.05 * k, 2) for k in range(2, 20) if 0.05 * k <= every + 1e-9]:
        shown_good = shown_all = 0
        ndcg_sum = needs = 0.0
        ok = True
        for r in results:
            m = metrics(r["ranked"], shown_best_first(r["ranked"], r["scores"], step, every), r["labels"])
            if m["shown_pairs"]:
                shown_all += m["shown_pairs"]
                shown_good += round(m["shown_precision"] * m["shown_pairs"])
            ok = ok and (m["shown_precision"] is None or m["shown_precision"] >= GOAL_PRECISION)
            ok = ok and (m["false_suggestion_rate"] or 0.0) <= FALSE_MAX
            ndcg_sum += (m["ndcg@5_shown"] or 0.0) * m["needs_with_matches"]
            needs += m["needs_with_matches"]
        if not ok or not shown_all or shown_good / shown_all < GOAL_PRECISION + MARGIN:
            continue
        candidate = (ndcg_sum / needs, step)
        if best_step is None or candidate >= best_step:
            best_step = candidate
    return None if best_step is None else best_step[1]


def best_bar_leave_one_out(results: dict[str, dict[str, Any]], every: float) -> list[str]:
    """For each set, choose the best pair's bar on the others (`choose_best_bar`) and report the set left out
    with it, beside the same set at `every` alone."""
    lines = []
    for held, result in results.items():
        rest = [r for name, r in results.items() if name != held]
        bar = choose_best_bar(rest, every)
        if bar is None:
            lines.append(f"left out {held}: no bar passes on the others")
            continue
        ranked, scores, labels = result["ranked"], result["scores"], result["labels"]
        m = metrics(ranked, shown_best_first(ranked, scores, bar, every), labels)
        plain = metrics(ranked, shown_best_first(ranked, scores, every, every), labels)
        lines.append(
            f"left out {held}: best pair from {bar:.2f} (chosen on the others), every pair from {every:.2f}: "
            f"shown precision {_cell(m['shown_precision'])} of {m['shown_pairs']}, false rate "
            f"{_cell(m['false_suggestion_rate'])}, shown nDCG@5 {_cell(m['ndcg@5_shown'])} "
            f"(all at {every:.2f}: {_cell(plain['shown_precision'])} of {plain['shown_pairs']}, "
            f"{_cell(plain['false_suggestion_rate'])}, {_cell(plain['ndcg@5_shown'])})"
        )
    return lines


def figures_line(role: str, result: dict[str, Any], m: dict[str, Any]) -> str:
    """Return one line of every figure of a recalibrated ranking (the lead over the set's fusion baseline if run)."""
    fusion = result.get("baselines", {}).get("fusion (RRF)")
    lead = "" if not fusion else f", lead over fusion {m['ndcg@5'] - fusion['ndcg@5']:+.3f}"
    return (
        f"  {role}: nDCG@5 {_cell(m['ndcg@5'])}, shown nDCG@5 {_cell(m['ndcg@5_shown'])}, MRR {_cell(m['mrr'])}, "
        f"Recall@5 {_cell(m['recall@5'])}, shown precision {_cell(m['shown_precision'])} of {m['shown_pairs']}, "
        f"false rate {_cell(m['false_suggestion_rate'])}{lead}"
    )


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
