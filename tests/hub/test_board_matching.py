"""Matching on the hub: the engine's pairs only between items each side may see, full and incremental passes."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from givefirst.hub.domain.access import Role, Viewer, Visibility, can_see
from givefirst.hub.domain.matching import Group, blocks, may_meet
from givefirst.hub.services import items, jobs, matching
from givefirst.hub.services.context import Hub
from givefirst.hub.store import members as stored_members
from givefirst.hub.store.schema import declined_pairs, item_vectors, matches
from givefirst.hub.store.schema import items as items_table
from tests.hub import factory


def _member(hub: Hub, chapter_id: int, **values: object):  # type: ignore[no-untyped-def]
    member_id = factory.member(hub, chapter_id, **values)
    with hub.engine.connect() as conn:
        found = stored_members.member_by_id(conn, member_id)
    assert found is not None
    return found


def _pairs(hub: Hub) -> set[tuple[int, int]]:
    with hub.engine.connect() as conn:
        return {(r.need_id, r.offer_id) for r in conn.execute(select(matches.c.need_id, matches.c.offer_id))}


GROUPS = [Group(c, r, v) for c in (1, 2) for r in Role for v in Visibility]


def test_blocks_give_each_need_exactly_the_offers_it_may_meet() -> None:
    needs, offers = GROUPS * 2, GROUPS
    found = blocks(needs, offers)
    seen = sorted(i for need_idx, _ in found for i in need_idx)
    assert seen == sorted(i for i, g in enumerate(needs) if any(may_meet(g, h) for h in offers))
    for need_idx, offer_idx in found:
        for i in need_idx:
            assert offer_idx == [j for j, h in enumerate(offers) if may_meet(needs[i], h)]


def test_may_meet_is_the_access_rule_both_ways() -> None:
    for a, b in itertools.product(GROUPS, GROUPS):
        both = can_see(Viewer(1, a.chapter_id, a.role), 2, b.chapter_id, b.visibility) and can_see(
            Viewer(2, b.chapter_id, b.role), 1, a.chapter_id, a.visibility
        )
        assert may_meet(a, b) == both


def test_full_pass_pairs_related_items_that_may_meet(hub: Hub) -> None:
    ny, fl = factory.chapter(hub, "New York"), factory.chapter(hub, "Florida")
    ann, bob, carl = _member(hub, ny), _member(hub, ny), _member(hub, fl)
    need = items.add_item(hub, ann, "need", "Looking for an accountant to help with my bakery's taxes", tags="tax")
    near = items.add_item(hub, bob, "offer", "I am an accountant; happy to help small businesses with taxes")
    far = items.add_item(hub, carl, "offer", "Accountant helping small businesses with their taxes", tags="tax",
                         visibility="association")  # fmt: skip
    unrelated = items.add_item(hub, bob, "offer", "I walk dogs in the park on weekends")
    report = matching.match_all(hub)
    assert report.needs == 1 and report.offers == 3 and report.embedded == 4 and report.pairs >= 1
    pairs = _pairs(hub)
    assert (need.id, near.id) in pairs
    assert (need.id, far.id) not in pairs  # Carl (Florida) may not see Ann's chapter-only need
    assert (need.id, unrelated.id) not in pairs
    with hub.engine.connect() as conn:
        explanation = conn.execute(select(matches.c.explanation).where(matches.c.offer_id == near.id)).scalar_one()
    assert '"semantic"' in explanation and '"lexical"' in explanation
    again = matching.match_all(hub)
    assert again.embedded == 0 and _pairs(hub) == pairs  # unchanged texts are not embedded again
    items.edit_item(hub, ann, need.public_id, text=need.text, tags="tax", visibility="association")
    assert matching.match_all(hub).embedded == 0
    assert (need.id, far.id) in _pairs(hub)


def test_incremental_pass_for_a_new_need_and_a_new_offer(hub: Hub) -> None:
    ny = factory.chapter(hub)
    ann, bob, dee = _member(hub, ny), _member(hub, ny), _member(hub, ny)
    offer = items.add_item(hub, bob, "offer", "Experienced wedding photographer, portraits and events")
    matching.match_all(hub)
    need = items.add_item(hub, ann, "need", "We need a photographer for our wedding in June")
    report = matching.match_item(hub, need.id)
    assert report.pairs == 1 and (need.id, offer.id) in _pairs(hub)
    other = items.add_item(hub, dee, "offer", "Photographer for weddings and family portraits")
    assert matching.match_item(hub, other.id).pairs == 1
    assert {(need.id, offer.id), (need.id, other.id)} <= _pairs(hub)
    items.close_item(hub, dee, other.public_id)
    assert (need.id, other.id) not in _pairs(hub)


def test_leads_only_items_meet_only_leads(hub: Hub) -> None:
    ny = factory.chapter(hub)
    ann, bob, lead = _member(hub, ny), _member(hub, ny), _member(hub, ny, role=Role.LEAD)
    need = items.add_item(hub, ann, "need", "Quietly looking for a new job as a product manager", visibility="leads")
    members_offer = items.add_item(hub, bob, "offer", "I can refer product managers to open jobs at my company")
    leads_offer = items.add_item(hub, lead, "offer", "Happy to refer product managers to jobs at our company")
    matching.match_all(hub)
    pairs = _pairs(hub)
    assert (need.id, leads_offer.id) in pairs and (need.id, members_offer.id) not in pairs
    assert matching.match_item(hub, need.id).pairs == 1


def test_declined_members_are_not_paired_again(hub: Hub) -> None:
    ny = factory.chapter(hub)
    ann, bob = _member(hub, ny), _member(hub, ny)
    need = items.add_item(hub, ann, "need", "Need a photographer for a wedding")
    offer = items.add_item(hub, bob, "offer", "Wedding photographer")
    with hub.engine.begin() as conn:
        conn.execute(declined_pairs.insert().values(need_id=need.id, offer_id=offer.id, member_low=min(ann.id, bob.id),
                                                    member_high=max(ann.id, bob.id), declined_by=ann.id,
                                                    at=hub.now()))  # fmt: skip
    assert matching.match_all(hub).pairs == 0
    assert matching.match_item(hub, need.id).pairs == 0


def test_jobs_run_match_item_once_and_record_failures(hub: Hub) -> None:
    ny = factory.chapter(hub)
    ann, bob = _member(hub, ny), _member(hub, ny)
    items.add_item(hub, bob, "offer", "Wedding photographer")
    need = items.add_item(hub, ann, "need", "Need a photographer for a wedding")
    assert jobs.run_pending(hub, "test", limit=10) == 2
    assert jobs.run_pending(hub, "test", limit=10) == 0
    assert len(_pairs(hub)) == 1 and need.id in {n for n, _ in _pairs(hub)}
    with hub.engine.connect() as conn:
        assert conn.execute(select(item_vectors.c.item_id)).all()
    jobs.enqueue(hub, "no_such_kind", {})
    jobs.enqueue(hub, "match_item", {"nothing": 1})
    assert jobs.run_pending(hub, "test") == 2
    status = jobs.status(hub)
    assert status["failed"] == 1 and status["waiting"] == 1  # the broken payload waits to be tried again


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=st.lists(st.tuples(st.sampled_from(list(Role)), st.integers(0, 1), st.sampled_from(list(Visibility)),
                                 st.booleans()), min_size=2, max_size=6))  # fmt: skip
def test_every_stored_pair_is_visible_both_ways(hub: Hub, layout: list[tuple[Role, int, Visibility, bool]]) -> None:
    with hub.engine.begin() as conn:  # hypothesis runs every example on the same hub: start each afresh
        conn.execute(items_table.delete())
    chapters = [factory.chapter(hub, f"Chapter {i}") for i in range(2)]
    made = {}
    for role, chapter, visibility, is_need in layout:
        owner = _member(hub, chapters[chapter], role=role)
        text = "Looking for a photographer for a wedding" if is_need else "Wedding photographer for hire"
        item = items.add_item(hub, owner, "need" if is_need else "offer", text, visibility=visibility)
        made[item.id] = (owner, item)
    matching.match_all(hub)
    for need_id, offer_id in _pairs(hub):
        (a, need), (b, offer) = made[need_id], made[offer_id]
        assert can_see(a.viewer, b.id, b.chapter_id, offer.visibility)
        assert can_see(b.viewer, a.id, a.chapter_id, need.visibility)
    expected = {
        (n.id, o.id)
        for (a, n), (b, o) in itertools.product(made.values(), made.values())
        if n.kind == "need" and o.kind == "offer" and a.id != b.id
        and can_see(a.viewer, b.id, b.chapter_id, o.visibility) and can_see(b.viewer, a.id, a.chapter_id, n.visibility)
    }  # fmt: skip
    assert _pairs(hub) == expected  # these texts are close: every pair that may meet is kept
    with hub.engine.begin() as conn:
        conn.execute(matches.delete())
    for item_id in made:
        matching.match_item(hub, item_id)
    assert _pairs(hub) == expected


@pytest.mark.parametrize("kind", ["need", "offer"])
def test_a_closed_or_missing_item_has_no_pairs(hub: Hub, kind: str) -> None:
    assert matching.match_item(hub, 12345).pairs == 0


def test_many_unembedded_counterparts_wait_for_the_full_pass(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    ny = factory.chapter(hub)
    ann, bob = _member(hub, ny), _member(hub, ny)
    offer = items.add_item(hub, bob, "offer", "Wedding photographer")  # never embedded: no pass has run
    need = items.add_item(hub, ann, "need", "Need a photographer for a wedding")
    monkeypatch.setattr(matching, "EMBED_BATCH", 0)
    assert matching.match_item(hub, need.id).pairs == 0  # it meets only counterparts already embedded
    with hub.engine.connect() as conn:
        from givefirst.hub.store.schema import jobs as jobs_table

        assert "match_all" in set(conn.scalars(select(jobs_table.c.kind)))
    monkeypatch.setattr(matching, "EMBED_BATCH", 2000)
    matching.match_all(hub)
    assert (need.id, offer.id) in _pairs(hub)


def test_a_new_offer_pushes_out_a_needs_weakest_pair(hub: Hub) -> None:
    from givefirst.hub.store import matching as store

    ny = factory.chapter(hub)
    ann, bob = _member(hub, ny), _member(hub, ny)
    need = items.add_item(hub, ann, "need", "Need a photographer")
    weak, strong = (items.add_item(hub, bob, "offer", t) for t in ("Photos", "Photographer"))
    row = {"need_id": need.id, "explanation": "[]", "computed_at": hub.now()}
    with hub.engine.begin() as conn:
        assert store.add_offer_matches(conn, weak.id, [{**row, "offer_id": weak.id, "score": 0.3}], keep=1) == 1
        assert store.add_offer_matches(conn, strong.id, [{**row, "offer_id": strong.id, "score": 0.9}], keep=1) == 1
    assert _pairs(hub) == {(need.id, strong.id)}
