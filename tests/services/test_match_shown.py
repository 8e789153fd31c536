"""The display rule (`services.match_shown`): every pair from `[plan] match_threshold`, a need's best one from
`match_best_threshold`, on a real database with stored pairs of chosen scores.

Pairs are stored with no signals, so their score at "now" is the stored one (`refresh_score` has nothing to
work out again) and each case says exactly which chance each pair has.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from givefirst.services import matching
from givefirst.services.context import App
from givefirst.services.needs import add_item
from givefirst.services.people import PersonInput, add_person
from givefirst.store import matching as store
from tests.conftest import NOW


def _network(app: App) -> dict[str, int]:
    """Two needs of Ada's, one offer each from Bo, Cy and Di (texts that do not matter: the pairs are set)."""
    ada, bo, cy, di = (str(add_person(app, PersonInput(name=n))) for n in ("Ada", "Bo", "Cy", "Di"))
    return {
        "n1": add_item(app, "need", ada, "Looking for a bookkeeper for my bakery"),
        "n2": add_item(app, "need", ada, "Need a ceramics teacher for weekend classes"),
        "o1": add_item(app, "offer", bo, "Bookkeeping for small food businesses"),
        "o2": add_item(app, "offer", cy, "I teach pottery on Saturdays"),
        "o3": add_item(app, "offer", di, "Accountant for cafés and bakeries"),
        "bo": int(bo),
    }


def _store(app: App, scores: dict[tuple[int, int], float]) -> None:
    with app.begin() as conn:
        store.clear(conn)
        rows = [
            {"need_id": n, "offer_id": o, "score": s, "signals": "[]", "computed_at": NOW}
            for (n, o), s in scores.items()
        ]
        store.replace_suggestions(conn, rows=rows)


def _shown(app: App, **kwargs: object) -> set[tuple[int, int]]:
    with app.begin() as conn:
        return {(need.id, offer.id) for need, offer, _ in matching.cached(conn, app, **kwargs)}  # type: ignore[arg-type]


def test_a_need_s_best_pair_is_shown_from_the_lower_bar_and_the_others_from_the_upper(app: App) -> None:
    ids = _network(app)
    n1, n2, o1, o2, o3 = (ids[k] for k in ("n1", "n2", "o1", "o2", "o3"))
    s = app.plan_settings
    assert (s.match_best_threshold, s.match_threshold) == (0.7, 0.85)
    _store(app, {(n1, o1): 0.75, (n1, o2): 0.73, (n1, o3): 0.90, (n2, o1): 0.71, (n2, o2): 0.50, (n2, o3): 0.705})
    # n1: o3 is above the upper bar (and its best); o1 and o2 are above the lower bar but not n1's best.
    # n2: o1 is its best, above the lower bar; o3 is above it too, but second.
    assert _shown(app) == {(n1, o3), (n2, o1)}
    # Filtered by an offer, a pair is still judged against its need's whole list: o1 is n2's best, not n1's.
    with app.begin() as conn:
        by_offer = matching.for_item(conn, app, "offer", o1)
        by_person = matching.cached(conn, app, person_id=ids["bo"])
    assert {(x.need.id, x.offer.id) for x in by_offer} == {(n2, o1)}
    assert {(need.id, offer.id) for need, offer, _ in by_person} == {(n2, o1)}
    # A plain threshold asked for is a plain threshold.
    assert _shown(app, min_score=0.6) == {(n1, o1), (n1, o2), (n1, o3), (n2, o1), (n2, o3)}
    # A pair already given is no one's best any more: the next one is, if it reaches the lower bar.
    assert _shown(app, given=frozenset({(n2, o1)})) == {(n1, o3), (n2, o3)}
    assert _shown(app, given=frozenset({(n2, o1), (n2, o3)})) == {(n1, o3)}


def test_the_rule_follows_the_settings(app: App) -> None:
    ids = _network(app)
    n1, n2, o1, o2 = (ids[k] for k in ("n1", "n2", "o1", "o2"))
    _store(app, {(n1, o1): 0.70, (n1, o2): 0.60, (n2, o2): 0.86})
    assert _shown(app) == {(n1, o1), (n2, o2)}
    app.settings = replace(app.settings, plan=replace(app.plan_settings, match_best_threshold=0.9))
    assert _shown(app) == {(n2, o2)}  # a lower bar above the upper one changes nothing: the upper one rules
    app.settings = replace(app.settings, plan=replace(app.plan_settings, match_best_threshold=0.55))
    assert _shown(app) == {(n1, o1), (n2, o2)}  # n1's o2 at 0.60 is not its best


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    scores=st.lists(st.sampled_from([0.5, 0.6, 0.65, 0.69, 0.7, 0.7, 0.84, 0.85, 0.9, 0.95]), min_size=6, max_size=6),
    kept=st.lists(st.booleans(), min_size=6, max_size=6),
    given_pairs=st.sets(st.integers(0, 5), max_size=2),
)
def test_the_shown_pairs_are_what_the_rule_says(
    app: App, scores: list[float], kept: list[bool], given_pairs: set[int]
) -> None:
    """Against the rule written out: per need, the best pair not given (highest score, then lowest offer id) from
    the lower bar, every other from the upper one."""
    if not hasattr(app, "_shown_network"):
        app._shown_network = _network(app)  # type: ignore[attr-defined]
    ids = app._shown_network  # type: ignore[attr-defined]
    grid = [(n, o) for n in (ids["n1"], ids["n2"]) for o in (ids["o1"], ids["o2"], ids["o3"])]
    stored = {pair: s for pair, s, k in zip(grid, scores, kept, strict=True) if k}
    _store(app, stored)
    gone = frozenset(grid[i] for i in given_pairs)
    expected = set()
    for need in (ids["n1"], ids["n2"]):
        mine = sorted(((s, o) for (n, o), s in stored.items() if n == need and (n, o) not in gone),
                      key=lambda t: (-t[0], t[1]))  # fmt: skip
        for rank, (s, o) in enumerate(mine):
            if s >= 0.85 or (rank == 0 and s >= 0.7):
                expected.add((need, o))
    assert _shown(app, given=gone) == expected
    assert _shown(app, given=gone, limit=1) <= expected  # a page of the same list
