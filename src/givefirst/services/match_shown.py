"""What the app shows of the stored pairs: the display rule (docs/matching.md, "A need's best pair").

A pair is shown when its chance (with freshness, at "now") reaches `[plan] match_threshold` (0.85), or when it is
its need's best pair and reaches `[plan] match_best_threshold` (0.70). Most needs have one useful offer at most
(73–95 % of the needs with one on the five labelled sets), so a need's first suggestion carries most of what a
user gains; the pairs after it keep the strict bar, where a lower one let precision fall below 85 % on networks
the rule was not chosen on.

A need's best pair is the best of the pairs that could be shown for it at all — live, between two people, not
introduced, declined or already given — whatever a caller filters the list by (a person, an offer, a tag): the
best offer for a need does not change with who is looking.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection

from givefirst.domain.match_score import MatchScore
from givefirst.domain.model import NeedOrOffer
from givefirst.domain.plan_model import shown_floor
from givefirst.services.context import App
from givefirst.store import matching as store

Found = tuple[NeedOrOffer, NeedOrOffer, MatchScore]
CHUNK = 5000  # need ids in one query (SQLite's bound on variables is 32,766)


def thresholds(app: App, min_score: float | None) -> tuple[float, float]:
    """Return (the lowest score any shown pair has, the score at which every pair is shown): the display rule's
    two bars, or `min_score` for both when a caller asks for a plain threshold."""
    if min_score is not None:
        return min_score, min_score
    return shown_floor(app.plan_settings), app.plan_settings.match_threshold


def keep_shown(
    conn: Connection,
    app: App,
    found: list[Found],
    bars: tuple[float, float],
    given: frozenset[tuple[int, int]],
    score_of: Callable[[Any], float],
) -> list[Found]:
    """Return the pairs of `found` (each at or above the lower bar) that the display rule shows: those at the
    upper bar (`thresholds`), and below it only a need's best pair. `score_of`: a stored row's score at "now"."""
    floor, every = bars
    doubtful = sorted({need.id for need, _, scored in found if scored.score < every})
    if not doubtful:
        return found
    best = best_offers(conn, app, doubtful, floor, given, score_of)
    return [t for t in found if t[2].score >= every or best.get(t[0].id) == t[1].id]


def best_offers(
    conn: Connection,
    app: App,
    need_ids: Iterable[int],
    floor: float,
    given: frozenset[tuple[int, int]],
    score_of: Callable[[Any], float],
) -> dict[int, int]:
    """Return each need's best showable offer (need id → offer id) among its pairs at or above `floor` at "now":
    the highest score with freshness, then the lowest offer id, as every list is ordered."""
    best: dict[int, tuple[float, int]] = {}
    ids = list(need_ids)
    for start in range(0, len(ids), CHUNK):
        for row in store.suggestion_rows(conn, app.now.date(), need_ids=ids[start : start + CHUNK], min_score=floor):
            need_id, offer_id = int(row.need_id), int(row.offer_id)
            if (need_id, offer_id) in given:
                continue
            score = score_of(row)
            if score < floor:
                continue
            here = best.get(need_id)
            if here is None or (-score, offer_id) < (-here[0], here[1]):
                best[need_id] = (score, offer_id)
    return {need: offer for need, (_, offer) in best.items()}
