"""The plan's chapter step: needs from a chapter hub the user's own or a contact's offer meets, as give items."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from givefirst.domain.model import Direction, InteractionKind, ItemKind, NeedOrOffer, TieStats
from givefirst.domain.plan import (
    CHAPTER_MESSAGE,
    ChapterGive,
    PersonView,
    PlanInput,
    PlanSettings,
    build_plan,
)
from tests.domain.helpers import NOW, W, ago, empty, history

ME = 0
WELL_KNOWN, STRANGER = 1, 2


def warm() -> TieStats:
    return history([(ago(d), InteractionKind.MEETING, Direction.MUTUAL) for d in range(2, 200, 10)])


def network() -> dict[int, PersonView]:
    return {
        WELL_KNOWN: PersonView(WELL_KNOWN, "Ray Cole", warm()),
        STRANGER: PersonView(STRANGER, "Zed Unknown", empty()),  # met once, long ago: not someone to vouch for
    }


def offer(offer_id: int, person: int, text: str = "Realtor in South Tampa") -> NeedOrOffer:
    return NeedOrOffer(offer_id, person, text)


def give(board_id: int, offer_of: NeedOrOffer, score: float, note: str | None = None) -> ChapterGive:
    return ChapterGive(board_id, "New York", "Pat Mover", "A realtor in Tampa", offer_of, score, note)


# The plan's rules at a fixed threshold, whatever the default (0.85 since engine m8): these scores are made up.
THRESHOLD = 0.6


def plan(gives: list[ChapterGive], size: int = 7, **kw: object) -> list:  # type: ignore[type-arg]
    data = PlanInput(me_id=ME, people=network(), chapter_gives=gives, **kw)  # type: ignore[arg-type]
    return build_plan(data, NOW, W, PlanSettings(size=size, match_threshold=THRESHOLD))


def test_own_and_contact_offers_become_chapter_give_items_marked_as_the_chapters() -> None:
    items = plan([give(7, offer(3, ME, "My own data team"), 0.9), give(8, offer(4, WELL_KNOWN), 0.8)])
    chapter = {i.key: i for i in items if i.key.startswith("chapter:")}
    assert set(chapter) == {"chapter:7:3", "chapter:8:4"}
    assert all(i.kind is ItemKind.GIVE and "from the New York chapter" in i.title for i in chapter.values())
    assert chapter["chapter:7:3"].people == ()  # the needer is a hub member, not a local person
    assert chapter["chapter:8:4"].people == ((WELL_KNOWN, "Ray Cole"),)
    # What goes to the hub by default names nobody and quotes no offer.
    assert {i.message for i in chapter.values()} == {CHAPTER_MESSAGE}


def test_a_stranger_below_the_broker_strength_and_a_weak_match_are_left_out() -> None:
    items = plan([give(7, offer(3, STRANGER), 0.95), give(8, offer(4, WELL_KNOWN), 0.3)])
    assert not [i for i in items if i.key.startswith("chapter:")]


def test_one_item_per_chapter_need_its_best_offer_and_a_failed_sync_is_said() -> None:
    items = plan([give(7, offer(3, WELL_KNOWN), 0.7), give(7, offer(5, ME), 0.9, note="timed out")])
    (item,) = [i for i in items if i.key.startswith("chapter:")]
    assert item.key == "chapter:7:5"
    assert any("did not answer the last sync (timed out)" in w for w in item.why)


def test_one_offer_meets_one_chapter_need_a_plan_the_best() -> None:
    mine = offer(3, ME, "A mock interview for a procurement director role")
    items = plan([give(7, mine, 0.8), give(8, mine, 0.95), give(9, mine, 0.9), give(10, offer(4, ME), 0.7)])
    assert sorted(i.key for i in items if i.key.startswith("chapter:")) == ["chapter:10:4", "chapter:8:3"]


def test_a_snoozed_chapter_item_is_not_shown() -> None:
    items = plan([give(7, offer(3, ME), 0.9)], snoozed_items=frozenset({"chapter:7:3"}))
    assert not [i for i in items if i.key.startswith("chapter:")]


@settings(max_examples=60, deadline=None)
@given(
    scores=st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=12),
    size=st.integers(min_value=1, max_value=30),
)
def test_own_chapter_gives_fill_the_plan_best_match_first_above_the_threshold(scores: list[float], size: int) -> None:
    items = plan([give(n, offer(100 + n, ME), s) for n, s in enumerate(scores)], size=size)
    chapter = [i for i in items if i.key.startswith("chapter:")]
    threshold = THRESHOLD
    eligible = sorted((s for s in scores if s >= threshold), reverse=True)
    # Nothing else competes for the plan here: past the give quota, the leftovers fill it up to its size.
    assert len(chapter) == min(len(eligible), size)
    assert sorted((scores[int(i.key.split(":")[1])] for i in chapter), reverse=True) == eligible[: len(chapter)]


@settings(max_examples=60, deadline=None)
@given(scores=st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=12))
def test_a_contact_is_suggested_once_a_day_whatever_the_chapter_needs(scores: list[float]) -> None:
    items = plan([give(n, offer(100 + n, WELL_KNOWN), s) for n, s in enumerate(scores)], size=12)
    chapter = [i for i in items if i.key.startswith("chapter:")]
    threshold = THRESHOLD
    assert len(chapter) == (1 if max(scores) >= threshold else 0)
    assert all(scores[int(i.key.split(":")[1])] == max(scores) for i in chapter)
