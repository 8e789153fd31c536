"""The daily plan: sections, keys, quotas, and snoozes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from givefirst.domain.model import (
    Direction,
    ExchangeDirection,
    ExchangeKind,
    InteractionKind,
    ItemKind,
    NeedOrOffer,
    Tier,
    TieStats,
)
from givefirst.domain.plan import PersonView, PlanInput, PlanItem, PlanSettings, Promise, Touchpoint, build_plan
from givefirst.domain.strength import tie_strength, tier_for
from tests.domain.helpers import EPOCH, NOW, W, ago, empty, history

ME = 0
TODAY = NOW.date()
SECTION_ORDER = [ItemKind.OWE, ItemKind.GIVE, ItemKind.KEEP_IN_TOUCH, ItemKind.DORMANT, ItemKind.UPCOMING]
NAMES = [
    "Ana Ruiz",
    "Ben Okafor",
    "Chloe Park",
    "Dev Patel",
    "Eve Martin",
    "Farah Haddad",
    "Gus Lindqvist",
    "Hana Sato",
    "Ivo Novak",
    "Jun Tanaka",
]

CFO_NEED_TEXT = "Looking for a fractional CFO who knows 3PL contracts, Tampa or remote"
CFO_OFFER_TEXT = "Fractional CFO for logistics companies"
FIN_TAGS = ("finance", "logistics")


# builders --------------------------------------------------------------------------------------------------------


def warm() -> TieStats:
    """Recent, regular, two-way: strong and not due."""
    return history([(ago(d), InteractionKind.MEETING, Direction.MUTUAL) for d in range(2, 200, 10)])


def overdue() -> TieStats:
    """Weekly calls that stopped 100 days ago: due and at risk."""
    return history([(ago(d), InteractionKind.CALL, Direction.MUTUAL) for d in range(100, 400, 7)])


def dormant() -> TieStats:
    """Years of two-way contact that ended more than four years ago."""
    return history([(ago(4 * 365 + d), InteractionKind.MEETING, Direction.MUTUAL) for d in range(30, 2500, 60)])


def one_way_stranger() -> TieStats:
    return history([(ago(3), InteractionKind.EMAIL, Direction.OUTBOUND)])


def person(pid: int, stats: TieStats | None = None, **overrides: Any) -> PersonView:
    return PersonView(pid, NAMES[pid - 1], stats if stats is not None else empty(NOW), **overrides)


def need(id: int, pid: int, text: str = CFO_NEED_TEXT, tags: tuple[str, ...] = FIN_TAGS, **kw: Any) -> NeedOrOffer:
    return NeedOrOffer(id, pid, text, tags, **kw)


def offer(id: int, pid: int, text: str = CFO_OFFER_TEXT, tags: tuple[str, ...] = FIN_TAGS, **kw: Any) -> NeedOrOffer:
    return NeedOrOffer(id, pid, text, tags, **kw)


def matched(data: PlanInput) -> PlanInput:
    """Return the input with the matching engine's suggestions for its needs and offers (as the service adds them)."""
    if data.suggestions or not data.needs or not data.offers:
        return data
    from givefirst.domain.match_engine import read_item, score_pairs, topic_text
    from givefirst.services.embedding import embed

    needs, offers = [read_item(n) for n in data.needs], [read_item(o) for o in data.offers]
    vectors = embed([topic_text(n) for n in data.needs]), embed([topic_text(o) for o in data.offers])
    pairs = score_pairs(needs, vectors[0], offers, vectors[1], NOW)
    found = sorted(((data.needs[i], data.offers[j], s) for i, j, s in pairs), key=lambda t: -t[2].score)
    return replace(data, suggestions=found)


# The CFO texts below are a fair match, a chance of 0.65 since engine m8 (0.73 with m7): the plan's rules are
# tested at engine m7's default threshold, 0.6, unless a test sets another; the default (0.85) hides this pair.
FAIR_THRESHOLD = 0.6


def plan(data: PlanInput, **settings: Any) -> list[PlanItem]:
    return build_plan(matched(data), NOW, W, PlanSettings(**{"match_threshold": FAIR_THRESHOLD, **settings}))


def keys(items: list[PlanItem]) -> list[str]:
    return [i.key for i in items]


def by_key(items: list[PlanItem]) -> dict[str, PlanItem]:
    return {i.key: i for i in items}


def check_well_formed(items: list[PlanItem], size: int) -> None:
    assert len(items) <= size
    assert len(set(keys(items))) == len(items)
    positions = [SECTION_ORDER.index(i.kind) for i in items]
    assert positions == sorted(positions)
    for i in items:
        assert i.title.strip() and i.message.strip()
        assert i.why and all(w.strip() for w in i.why)
        assert i.command == f"givefirst done {i.key}"


def test_fixtures_are_what_they_claim() -> None:
    assert tie_strength(warm(), NOW, W).score >= W.tier_thresholds[1]
    assert tier_for(tie_strength(dormant(), NOW, W).score, dormant(), NOW, W) is Tier.DORMANT
    assert tie_strength(one_way_stranger(), NOW, W).score < W.tier_thresholds[2]


def test_empty_network_has_an_empty_plan() -> None:
    assert plan(PlanInput(ME, {})) == []
    quiet = {1: person(1, warm()), 2: person(2)}  # warm and not due; never in touch
    assert plan(PlanInput(ME, quiet)) == []


# 1. owe ----------------------------------------------------------------------------------------------------------


def test_promised_give_is_owed() -> None:
    promise = Promise(7, 1, "the 3PL contract template", ago(10), due_on=TODAY - timedelta(days=3), requested=True)
    items = plan(PlanInput(ME, {1: person(1, warm())}, promises=[promise]))
    assert keys(items) == ["promise:7"]
    item = items[0]
    assert item.kind is ItemKind.OWE
    assert item.command == "givefirst done promise:7"
    assert item.people == ((1, "Ana Ruiz"),)
    assert "the 3PL contract template" in item.title
    assert "Ana asked you for it" in item.why
    assert any("3 days late" in w for w in item.why)
    assert item.message.startswith("Hi Ana")


def test_later_promises_rank_first_within_owe() -> None:
    people = {1: person(1), 2: person(2)}
    on_time = Promise(1, 1, "an intro", ago(2), due_on=TODAY + timedelta(days=5))
    late = Promise(2, 2, "a lead", ago(40), due_on=TODAY - timedelta(days=20))
    assert keys(plan(PlanInput(ME, people, promises=[on_time, late]))) == ["promise:2", "promise:1"]


@pytest.mark.parametrize(("offset", "shown"), [(-10, True), (0, True), (1, True), (2, False), (30, False)])
def test_follow_up_shows_when_due(offset: int, shown: bool) -> None:
    fu = Touchpoint(11, ago(7), (1,), "coffee at Buddy Brew", follow_up_on=TODAY + timedelta(days=offset))
    items = plan(PlanInput(ME, {1: person(1, warm())}, follow_ups=[fu]))
    assert ("followup:11" in keys(items)) is shown
    if shown:
        item = by_key(items)["followup:11"]
        assert item.kind is ItemKind.OWE
        assert item.title == "Follow up with Ana Ruiz"
        assert "after: coffee at Buddy Brew" in item.why


def test_follow_up_without_a_date_is_not_shown() -> None:
    fu = Touchpoint(11, ago(7), (1,), "coffee")
    assert plan(PlanInput(ME, {1: person(1, warm())}, follow_ups=[fu])) == []


def test_planned_touchpoint_in_the_past_is_confirmed() -> None:
    met = Touchpoint(21, ago(2), (1, 2), "chapter lunch")
    items = plan(PlanInput(ME, {1: person(1, warm()), 2: person(2, warm())}, planned=[met]))
    assert keys(items) == ["confirm:21"]
    assert items[0].kind is ItemKind.OWE
    assert items[0].people == ((1, "Ana Ruiz"), (2, "Ben Okafor"))
    assert items[0].title == "Confirm: chapter lunch"


def test_planned_touchpoint_soon_is_upcoming_and_names_helpable_people() -> None:
    soon = Touchpoint(22, NOW + timedelta(days=3), (1, 2, 3), "AFP Tampa chapter meeting")
    later = Touchpoint(23, NOW + timedelta(days=20), (1, 2), "annual conference")
    people = {1: person(1, warm()), 2: person(2, warm()), 3: person(3, warm())}
    data = PlanInput(ME, people, planned=[soon, later], needs=[need(31, 2, "Needs a pastry chef for a café")])
    items = plan(data)
    assert keys(items) == ["upcoming:22"]  # 20 days ahead is past upcoming_days
    item = items[0]
    assert item.kind is ItemKind.UPCOMING
    assert {pid for pid, _ in item.people} == {1, 2, 3}
    assert "Ben Okafor" in item.message  # Ben has an open need
    assert "Ana Ruiz" not in item.message and "Chloe Park" not in item.message
    assert any("Ben Okafor needs: Needs a pastry chef" in w for w in item.why)
    assert keys(plan(data, upcoming_days=30)) == ["upcoming:22", "upcoming:23"]


def test_upcoming_without_helpable_people_still_shows() -> None:
    soon = Touchpoint(22, NOW + timedelta(days=1), (1,), "meetup")
    items = plan(PlanInput(ME, {1: person(1, warm())}, planned=[soon]))
    assert keys(items) == ["upcoming:22"]
    assert "say hello" in items[0].message


# 2. give ---------------------------------------------------------------------------------------------------------


def test_need_served_by_my_own_offer() -> None:
    data = PlanInput(ME, {1: person(1, warm())}, needs=[need(31, 1)], offers=[offer(41, ME)])
    items = plan(data)
    assert keys(items) == ["give:31:41"]
    item = items[0]
    assert item.kind is ItemKind.GIVE
    assert item.people == ((1, "Ana Ruiz"),)
    assert item.title == f"Give Ana Ruiz: {CFO_OFFER_TEXT}"
    assert item.why[0] == f"Ana needs: {CFO_NEED_TEXT}"


def test_need_served_by_a_contact_is_an_introduction() -> None:
    people = {1: person(1, warm()), 2: person(2, warm())}
    items = plan(PlanInput(ME, people, needs=[need(31, 1)], offers=[offer(42, 2)]))
    assert keys(items) == ["give:31:42"]
    item = items[0]
    assert item.title == "Offer Ana Ruiz an introduction to Ben Okafor"
    assert item.people == ((1, "Ana Ruiz"), (2, "Ben Okafor"))
    assert item.why[1] == f"Ben offers: {CFO_OFFER_TEXT}"
    assert "introduction" in item.message


BROKER_MIN = PlanSettings().broker_min_strength


@pytest.mark.parametrize(
    ("override", "shown"), [(BROKER_MIN, True), (0.9, True), (BROKER_MIN - 0.001, False), (0.0, False)]
)
def test_introductions_need_a_known_offerer(override: float, shown: bool) -> None:
    people = {1: person(1, warm()), 2: person(2, warm(), strength_override=override)}
    items = plan(PlanInput(ME, people, needs=[need(31, 1)], offers=[offer(42, 2)]))
    assert ("give:31:42" in keys(items)) is shown


def test_broker_min_strength_is_a_setting() -> None:
    people = {1: person(1, warm()), 2: person(2, one_way_stranger())}
    data = PlanInput(ME, people, needs=[need(31, 1)], offers=[offer(42, 2)])
    offerer = tie_strength(one_way_stranger(), NOW, W).score
    assert "give:31:42" not in keys(plan(data, broker_min_strength=offerer + 0.01))
    assert "give:31:42" in keys(plan(data, broker_min_strength=offerer - 0.01))


def test_given_pairs_are_not_suggested_again() -> None:
    people = {1: person(1, warm()), 2: person(2, warm())}
    data = PlanInput(ME, people, needs=[need(31, 1)], offers=[offer(42, 2), offer(41, ME)])
    # the default CFO texts are a fair match (a calibrated chance of 0.6): shown here at a lower threshold
    assert "give:31:42" in keys(plan(data, match_threshold=0.4)) or "give:31:41" in keys(
        plan(data, match_threshold=0.4)
    )
    done = replace(data, given_pairs=frozenset({(31, 42), (31, 41)}))
    assert not [k for k in keys(plan(done, match_threshold=0.4)) if k.startswith("give:")]
    only_one = replace(data, given_pairs=frozenset({(31, 41)}))
    assert "give:31:42" in keys(plan(only_one, match_threshold=0.4))


def test_one_give_item_per_need() -> None:
    people = {1: person(1, warm()), 2: person(2, warm()), 3: person(3, warm())}
    data = PlanInput(ME, people, needs=[need(31, 1)], offers=[offer(42, 2), offer(43, 3), offer(41, ME)])
    # the default CFO texts are a fair match (a calibrated chance of 0.5): shown here at a lower threshold
    gives = [k for k in keys(plan(data, size=10, match_threshold=0.4)) if k.startswith("give:31:")]
    assert len(gives) == 1


def test_unrelated_or_expired_offers_give_nothing() -> None:
    people = {1: person(1, warm()), 2: person(2, warm())}
    photo = offer(42, 2, "Wedding photography", ("photography",))
    expired = offer(43, 2, expires_on=TODAY - timedelta(days=1))
    assert plan(PlanInput(ME, people, needs=[need(31, 1)], offers=[photo, expired])) == []
    stale_need = need(32, 1, expires_on=TODAY - timedelta(days=1))
    assert plan(PlanInput(ME, people, needs=[stale_need], offers=[offer(41, ME)])) == []


def test_my_own_needs_are_not_give_opportunities() -> None:
    data = PlanInput(ME, {2: person(2, warm())}, needs=[need(31, ME)], offers=[offer(42, 2)])
    assert plan(data) == []


# 3. keep in touch ------------------------------------------------------------------------------------------------


def test_due_tie_is_kept_in_touch_with_an_opener() -> None:
    people = {1: person(1, overdue()), 2: person(2)}  # Ben: never in touch, not due
    data = PlanInput(ME, people, needs=[need(31, 1, "Wants a good Python contractor", ("tech",))])
    items = plan(data)
    assert keys(items) == ["touch:1"]
    item = items[0]
    assert item.kind is ItemKind.KEEP_IN_TOUCH
    assert any(w.startswith("at risk") for w in item.why)
    assert "Wants a good Python contractor" in item.message


def test_cadence_override_makes_a_tie_due() -> None:
    stats = history([(ago(20), InteractionKind.CALL, Direction.MUTUAL)])
    assert plan(PlanInput(ME, {1: person(1, stats)})) == []
    assert keys(plan(PlanInput(ME, {1: person(1, stats, cadence_override=7)}))) == ["touch:1"]


# 4. dormant ------------------------------------------------------------------------------------------------------


def test_dormant_tie_is_revived() -> None:
    items = plan(PlanInput(ME, {1: person(1, dormant())}))
    assert keys(items) == ["revive:1"]
    assert items[0].kind is ItemKind.DORMANT
    assert "a few years" in items[0].message


@pytest.mark.parametrize(("revived", "shown"), [(0, True), (2, True), (3, False), (5, False)])
def test_revivals_stop_at_dormant_per_week(revived: int, shown: bool) -> None:
    items = plan(PlanInput(ME, {1: person(1, dormant())}, revivals_this_week=revived))
    assert ("revive:1" in keys(items)) is shown
    items = plan(PlanInput(ME, {1: person(1, dormant())}, revivals_this_week=revived), dormant_per_week=10)
    assert "revive:1" in keys(items)


def test_one_way_silence_is_not_dormant() -> None:
    old_emails = history([(ago(5 * 365 + d), InteractionKind.EMAIL, Direction.OUTBOUND) for d in range(0, 300, 30)])
    # Not a tie to revive (one-way); past its 180-day cadence but far too weak to be due (docs/scores.md).
    assert keys(plan(PlanInput(ME, {1: person(1, old_emails)}))) == []
    items = plan(PlanInput(ME, {1: person(1, old_emails, tier_override=Tier.ACQUAINTANCE)}))
    assert keys(items) == ["touch:1"]  # a tier the user chose keeps it due, weak or not
    assert items[0].why[0].startswith("acquaintance tie")


def test_revivals_never_exceed_the_weekly_allowance() -> None:
    people = {pid: person(pid, dormant()) for pid in range(1, 6)}
    items = plan(PlanInput(ME, people, revivals_this_week=2))
    assert sum(i.kind is ItemKind.DORMANT for i in items) <= 3 - 2


# the whole plan --------------------------------------------------------------------------------------------------


def full_network() -> PlanInput:
    people = {
        1: person(1, warm()),  # needs a CFO
        2: person(2, warm()),  # offers CFO work
        3: person(3, overdue()),
        4: person(4, dormant()),
        5: person(5, warm()),  # owed a promise
        6: person(6, warm()),  # at an upcoming meeting, with a need
        7: person(7, overdue()),
    }
    return PlanInput(
        ME,
        people,
        promises=[Promise(1, 5, "the deck", ago(3))],
        follow_ups=[Touchpoint(2, ago(5), (5,), "lunch", follow_up_on=TODAY)],
        planned=[Touchpoint(3, ago(1), (5,), "call"), Touchpoint(4, NOW + timedelta(days=2), (6,), "chapter mixer")],
        needs=[need(31, 1), need(32, 6, "Needs a pastry chef", ("food",))],
        offers=[offer(42, 2)],
    )


def test_full_plan_has_every_section_in_order() -> None:
    items = plan(full_network(), size=10)
    check_well_formed(items, 10)
    assert keys(items) == [
        "promise:1",
        "followup:2",
        "confirm:3",
        "give:31:42",
        "ask:3",  # strong ties with no need known: the give-first question (issue 14)
        "ask:7",
        "revive:4",
        "upcoming:4",
    ]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7])
def test_plan_never_exceeds_its_size(size: int) -> None:
    items = plan(full_network(), size=size)
    check_well_formed(items, size)
    assert len(items) == size  # there is more than enough to do
    assert items[0].kind is ItemKind.OWE


def test_one_suggestion_per_person() -> None:
    people = {1: person(1, overdue()), 2: person(2, overdue())}
    data = PlanInput(ME, people, needs=[need(31, 1)], offers=[offer(42, 2)])
    items = plan(data, size=10)
    assert keys(items) == ["give:31:42"]  # the introduction covers both; no separate check-ins today


def test_snoozes_in_a_small_network() -> None:
    data = full_network()
    snoozed = replace(data, snoozed_people=frozenset({2, 5}), snoozed_items=frozenset({"revive:4", "touch:3"}))
    got = keys(plan(snoozed, size=10))
    assert got == ["ask:7", "upcoming:4"]


# property: snoozes are always respected -------------------------------------------------------------------------

VOCAB = [
    "fractional",
    "cfo",
    "logistics",
    "3pl",
    "contracts",
    "python",
    "developer",
    "tampa",
    "grant",
    "writer",
    "investor",
    "marketing",
    "looking",
    "for",
    "a",
]
TAGS = ["finance", "logistics", "tech", "design"]
days_back = st.floats(min_value=0, max_value=3_000)


@st.composite
def person_views(draw: st.DrawFn, pid: int) -> PersonView:
    evs = draw(
        st.lists(
            st.tuples(days_back, st.sampled_from(list(InteractionKind)), st.sampled_from(list(Direction))), max_size=8
        )
    )
    led = draw(
        st.lists(
            st.tuples(days_back, st.sampled_from(list(ExchangeDirection)), st.sampled_from(list(ExchangeKind))),
            max_size=3,
        )
    )
    as_of = draw(st.sampled_from([EPOCH, NOW]))
    stats = history([(ago(d), k, d_) for d, k, d_ in evs], [(ago(d), d_, k) for d, d_, k in led], as_of=as_of)
    return PersonView(
        pid,
        NAMES[pid - 1],
        stats,
        strength_override=draw(st.one_of(st.none(), st.floats(min_value=0, max_value=1))),
        tier_override=draw(st.one_of(st.none(), st.none(), st.sampled_from(list(Tier)))),
        cadence_override=draw(st.one_of(st.none(), st.none(), st.integers(min_value=1, max_value=60))),
    )


@st.composite
def networks(draw: st.DrawFn) -> PlanInput:
    n = draw(st.integers(min_value=1, max_value=len(NAMES)))
    ids = list(range(1, n + 1))
    people = {pid: draw(person_views(pid)) for pid in ids}
    anyone = st.sampled_from([ME, *ids, 99])  # 99: not in the network
    contact = st.sampled_from(ids)
    texts = st.lists(st.sampled_from(VOCAB), min_size=1, max_size=5).map(" ".join)
    tags = st.lists(st.sampled_from(TAGS), max_size=2).map(tuple)
    expiry = st.one_of(st.none(), st.dates(min_value=TODAY - timedelta(days=5), max_value=TODAY + timedelta(days=30)))

    def needs_or_offers(base: int, who: st.SearchStrategy[int]) -> list[NeedOrOffer]:
        raw = draw(st.lists(st.tuples(who, texts, tags, expiry), max_size=6))
        return [NeedOrOffer(base + i, p, t, g, expires_on=e) for i, (p, t, g, e) in enumerate(raw)]

    def touchpoints(base: int, at: st.SearchStrategy[datetime], follow: bool) -> list[Touchpoint]:
        raw = draw(
            st.lists(
                st.tuples(st.lists(st.one_of(contact, anyone), min_size=1, max_size=3, unique=True), at), max_size=4
            )
        )
        fu_on: st.SearchStrategy[date | None] = (
            st.one_of(st.none(), st.dates(min_value=TODAY - timedelta(days=20), max_value=TODAY + timedelta(days=5)))
            if follow
            else st.none()
        )
        return [Touchpoint(base + i, when, tuple(pids), "meeting", draw(fu_on)) for i, (pids, when) in enumerate(raw)]

    promises = [
        Promise(100 + i, pid, "a promised intro", ago(d), due_on=due, requested=req)
        for i, (pid, d, due, req) in enumerate(
            draw(st.lists(st.tuples(st.one_of(contact, anyone), days_back, expiry, st.booleans()), max_size=4))
        )
    ]
    around_now = st.floats(min_value=-30, max_value=30).map(lambda d: NOW + timedelta(days=d))
    return PlanInput(
        ME,
        people,
        promises=promises,
        follow_ups=touchpoints(200, around_now, follow=True),
        planned=touchpoints(300, around_now, follow=False),
        needs=needs_or_offers(400, st.one_of(contact, anyone)),
        offers=needs_or_offers(500, st.one_of(contact, anyone)),
        revivals_this_week=draw(st.integers(min_value=0, max_value=4)),
    )


def candidate_keys(data: PlanInput) -> list[str]:
    found = [f"promise:{p.exchange_id}" for p in data.promises]
    found += [f"followup:{t.interaction_id}" for t in data.follow_ups]
    found += [f"{kind}:{t.interaction_id}" for t in data.planned for kind in ("confirm", "upcoming")]
    found += [f"{kind}:{pid}" for pid in data.people for kind in ("touch", "revive")]
    found += [f"give:{n.id}:{o.id}" for n in data.needs for o in data.offers]
    return found


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(networks(), st.data())
def test_plan_never_names_a_snoozed_person_or_item(data: PlanInput, draw: st.DataObject) -> None:
    size = draw.draw(st.integers(min_value=1, max_value=12), label="size")
    unsnoozed = plan(data, size=12)
    check_well_formed(unsnoozed, 12)
    # snooze some of what would have been shown, and some of anything else
    shown = sorted(set(keys(unsnoozed)))
    items = set(draw.draw(st.lists(st.sampled_from(shown), unique=True), label="snoozed shown")) if shown else set()
    items |= set(draw.draw(st.lists(st.sampled_from(candidate_keys(data)), max_size=6), label="snoozed other"))
    people = frozenset(draw.draw(st.lists(st.sampled_from(sorted(data.people)), unique=True), label="snoozed people"))
    snoozed = replace(data, snoozed_people=people, snoozed_items=frozenset(items))

    result = plan(snoozed, size=size)

    check_well_formed(result, size)
    snoozed_names = {data.people[pid].name for pid in people}
    for item in result:
        assert item.key not in items
        assert not {pid for pid, _ in item.people} & people
        text = " ".join([item.title, item.message, *item.why])
        assert not any(name in text for name in snoozed_names), (item, snoozed_names)
    # every item names only people in the network, never the user
    assert all(pid in data.people for item in result for pid, _ in item.people)
    # one suggestion per person among the optional kinds
    optional = [pid for i in result if i.kind not in (ItemKind.OWE, ItemKind.UPCOMING) for pid, _ in i.people]
    assert len(optional) == len(set(optional))


def test_a_strong_tie_with_nothing_known_gets_the_give_first_question() -> None:
    from datetime import timedelta

    [item] = plan(PlanInput(ME, {1: person(1, overdue())}), size=5)
    assert item.key == "ask:1" and item.title.startswith("Ask ") and "how you could help" in item.title
    assert "what are you working on" in item.message and "could help" in item.message
    assert any("a give of attention, not an ask" in w for w in item.why)
    fresh = need(31, 1, created_at=NOW - timedelta(days=10))
    [known] = plan(PlanInput(ME, {1: person(1, overdue())}, needs=[fresh]), size=5)
    assert known.key == "touch:1" and "you mentioned" in known.message  # a fresh need: open with it instead
    stale = need(31, 1, created_at=NOW - timedelta(days=200))
    [again] = plan(PlanInput(ME, {1: person(1, overdue())}, needs=[stale]), size=5)
    assert again.key == "ask:1"  # nothing said in months: ask again
    assert plan(replace(PlanInput(ME, {1: person(1, overdue())}), snoozed_items=frozenset({"ask:1"})), size=5) == []
