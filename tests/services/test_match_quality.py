"""A smoke test of matching quality on the labelled dev network (skipped when ../shared is absent)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED

EVAL = SHARED / "eval" / "matching-dev.jsonl"
SECOND = Path(__file__).resolve().parents[2] / "benchmarks" / "eval" / "matching-second.jsonl"


def _match_quality() -> Any:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    try:
        import match_quality
    finally:
        sys.path.pop(0)
    return match_quality


@pytest.mark.skipif(not EVAL.exists(), reason="the evaluation set (../shared/eval) is absent")
def test_quality_on_the_dev_set(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    try:
        import match_quality
    finally:
        sys.path.pop(0)
    result = match_quality.evaluate(EVAL, tmp_path / "eval.db")
    assert result["needs_with_matches"] > 50 and result["needs_without"] > 5
    assert result["ndcg@5"] >= 0.75  # the target is 0.80; a little room for the order items arrive in
    assert result["false_suggestion_rate"] <= 0.15
    assert result["mrr"] >= 0.7


def test_metrics_follow_the_readme_definitions() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    try:
        import match_quality
    finally:
        sys.path.pop(0)
    labels = {"n1": {"o1": 2, "o2": 1}, "n2": {}, "n3": {}}
    perfect = match_quality.metrics({"n1": ["o1", "o2"]}, {"n2": False, "n3": True}, labels)
    assert perfect["ndcg@5"] == 1.0 and perfect["mrr"] == 1.0 and perfect["recall@5"] == 1.0
    assert perfect["false_suggestion_rate"] == 0.5
    swapped = match_quality.metrics({"n1": ["o9", "o2", "o1"]}, {}, labels)
    assert swapped["mrr"] == 0.5 and 0.0 < swapped["ndcg@5"] < 1.0


def test_shown_figures_judge_only_what_is_shown() -> None:
    mq = _match_quality()
    labels = {"n1": {"o1": 2, "o2": 1}, "n2": {}}
    result = mq.metrics({"n1": ["o3", "o1", "o2"], "n2": ["o1"]}, {"n1": ["o3", "o1"], "n2": []}, labels)
    assert result["shown_precision"] == 0.5  # o3 is not useful, o1 is
    assert result["false_suggestion_rate"] == 0.0
    assert 0.0 < result["ndcg@5_shown"] < result["ndcg@5"] < 1.0  # o2 is kept but not shown


def test_the_second_set_is_measured_with_the_baselines(tmp_path: Path) -> None:
    mq = _match_quality()
    result = mq.evaluate(SECOND, tmp_path / "eval.db", with_baselines=True)
    assert result["needs_with_matches"] >= 80 and result["needs_without"] >= 10
    assert set(result["baselines"]) == {"bm25s", "wordllama", "fusion (RRF)"}
    fusion = result["baselines"]["fusion (RRF)"]
    assert 0.3 < fusion["ndcg@5"] < 1.0 and fusion["false_suggestion_rate"] is None
    assert result["ndcg@5"] >= 0.75 and result["shown_precision"] is not None
    assert "engine" in mq.table(SECOND.name, result) and "fusion (RRF)" in mq.table(SECOND.name, result)


def test_calibration_bins_count_the_share_labelled_useful() -> None:
    mq = _match_quality()
    scored = [(0.1, 0), (0.15, 1), (0.45, 2), (0.55, 1), (0.58, 0), (1.0, 2)]
    bins = mq.calibration(scored, (0.0, 0.2, 0.5, 1.0))
    assert bins == [(0.0, 0.2, 2, 0.5), (0.2, 0.5, 1, 1.0), (0.5, 1.0, 3, 2 / 3)]


def test_the_calibration_is_fitted_and_its_threshold_chosen_on_one_set() -> None:
    """On a made-up set where pairs are useful when their semantic signal is high: the fit weighs semantic
    positively, and the threshold it chooses shows ≥ 85 % useful pairs on that set."""
    mq = _match_quality()
    pairs, labels = [], {}
    for n in range(60):
        need = f"n{n}"
        labels[need] = {}
        for k in range(4):
            sem = ((n * 7 + k * 13) % 20) / 20
            offer = f"o{n}-{k}"
            if sem + 0.1 * (k % 2) > 0.6:
                labels[need][offer] = 1
            pairs.append((need, offer, sem, 0.2, 1.0, 0.9, 1.0, float(k == 3), 0.0))
    calibration = mq.fit_calibration(pairs, labels, "made-up")
    assert calibration.semantic > 1.0 and calibration.lexical >= 0.0 and calibration.fitted_on == "made-up"
    threshold = mq.choose_threshold(pairs, labels, calibration)
    ranked, chances = mq.recalibrated(pairs, calibration)
    shown = mq.metrics(ranked, mq.shown_at(ranked, chances, threshold), labels)
    assert shown["shown_precision"] >= 0.85 and shown["shown_pairs"] > 0
    assert mq.metrics(ranked, mq.shown_at(ranked, chances, 0.0), labels)["shown_precision"] < 0.85


def test_the_named_place_input_is_fitted_with_a_weight_that_lowers_a_pair_away() -> None:
    """Made up: at equal signals, pairs whose need names its place and whose offer is elsewhere (place factor 0.86)
    are useful one time in four, the others three times in four; the fit gives the named-place input a positive
    weight (times place factor − 1: the chance falls), and a pair at the need's place loses nothing."""
    mq = _match_quality()
    pairs, labels = [], {}
    for n in range(80):
        need, named = f"n{n}", n % 2 == 0
        labels[need] = {}
        for k in range(4):
            offer = f"o{n}-{k}"
            if (k == 0) if named else (k != 0):
                labels[need][offer] = 1
            pairs.append((need, offer, 0.6, 0.3, 1.0, 0.8625, 1.0, 0.0, float(named)))
    calibration = mq.fit_calibration(pairs, labels, "made-up")
    assert calibration.named_place > 1.0
    assert calibration.chance(0.6, 0.3, 1.0, 0.8625, False, True) < calibration.chance(0.6, 0.3, 1.0, 0.8625)
    assert calibration.chance(0.6, 0.3, 1.0, 1.0, False, True) == calibration.chance(0.6, 0.3, 1.0, 1.0)


class _ChanceIsSemantic:
    """A stand-in calibration whose chance is the pair's semantic value, to test the threshold rule alone."""

    def chance(self, semantic: float, *_: object) -> float:
        return semantic


def test_the_threshold_rule_asks_a_margin_pooled_and_the_goal_on_each_fitting_set() -> None:
    """Rule m8: ≥ 90 % useful pooled (85 % plus a margin) and ≥ 85 % on each fitting set at the chosen step."""
    mq = _match_quality()

    def pair(need: str, chance: float) -> tuple[str, str, float, float, float, float, float, float, float]:
        return (need, f"o-{need}", chance, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0)

    # set A: 20 pairs at a chance of 0.52, all useful; set B: 4 at 0.52, half useful; both: 5 useful pairs at 0.72
    a = {f"a{k}": {"o-a" + str(k): 1} for k in range(25)}
    b = {f"b{k}": ({"o-b" + str(k): 1} if k % 2 or k >= 4 else {}) for k in range(9)}
    pairs = [pair(f"a{k}", 0.52 if k < 20 else 0.72) for k in range(25)]
    pairs += [pair(f"b{k}", 0.52 if k < 4 else 0.72) for k in range(9)]
    labels = {**a, **b}
    calibration = _ChanceIsSemantic()
    # pooled, 32 of 34 shown at 0.5 are useful (94 %): enough alone; set B shows 2 of 4 there, so the step is 0.55
    assert mq.choose_threshold(pairs, labels, calibration) == 0.1
    assert mq.choose_threshold(pairs, labels, calibration, [a, b]) == 0.55
    # 20 of 23 useful pooled (87 %) meets the goal of 85 % but not the margin: the threshold rises past those pairs
    c = {f"c{k}": ({"o-c" + str(k): 1} if k >= 3 else {}) for k in range(23)}
    mixed = [pair(f"c{k}", 0.52 if k < 20 else 0.72) for k in range(23)]
    assert mq.metrics(*_ranked_shown(mq, mixed, calibration, 0.5), c)["shown_precision"] == 20 / 23
    assert mq.choose_threshold(mixed, c, calibration) == 0.55


def _ranked_shown(mq: Any, pairs: list[Any], calibration: Any, t: float) -> tuple[Any, Any]:
    ranked, chances = mq.recalibrated(pairs, calibration)
    return ranked, mq.shown_at(ranked, chances, t)


def test_the_best_first_rule_and_its_bar_chosen_on_other_sets() -> None:
    mq = _match_quality()
    mm = sys.modules["match_metrics"]
    ranked = {"n1": ["o1", "o2"], "n2": ["o3"], "n3": ["o4"]}
    scores = {"n1": [0.7, 0.68], "n2": [0.9], "n3": [0.62]}
    assert mm.shown_best_first(ranked, scores, 0.65, 0.85) == {"n1": ["o1"], "n2": ["o3"], "n3": []}
    assert mm.shown_best_first(ranked, scores, 0.6, 0.65) == {"n1": ["o1", "o2"], "n2": ["o3"], "n3": ["o4"]}
    # n3 has no useful offer: its pair at 0.62 is a false suggestion, so the bar stops above it.
    labels = {"n1": {"o1": 2}, "n2": {"o3": 1}, "n3": {}}
    one = {"ranked": ranked, "scores": scores, "labels": labels}
    assert mq.metrics(ranked, mm.shown_best_first(ranked, scores, 0.65, 0.85), labels)["shown_precision"] == 1.0
    # 0.65 and 0.70 show the same (n1's o1 at 0.7): the higher bar; 0.60 would show n3's pair.
    assert mm.choose_best_bar([one, one], 0.85) == 0.7
    lines = mm.best_bar_leave_one_out({"a": one, "b": one}, 0.85)
    assert len(lines) == 2 and "best pair from 0.70" in lines[0]
    assert (
        mm.choose_best_bar([{"ranked": ranked, "scores": scores, "labels": {"n1": {}, "n2": {}, "n3": {}}}], 0.85)
        is None
    )
