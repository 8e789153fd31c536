"""The access rule and its SQL twin agree for every role, visibility and pair of chapters."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from givefirst.hub.domain.access import Role, Viewer, Visibility, can_see
from givefirst.hub.services.context import Hub
from givefirst.hub.store.access import visible_items
from givefirst.hub.store.schema import items, members
from tests.hub import factory


def test_the_rule_by_hand() -> None:
    owner, chapter, other = 1, 10, 20
    member_here = Viewer(2, chapter, Role.MEMBER)
    member_there = Viewer(3, other, Role.MEMBER)
    lead_here, lead_there = Viewer(4, chapter, Role.LEAD), Viewer(5, other, Role.LEAD)
    admin = Viewer(6, other, Role.ADMIN)
    assert can_see(member_here, owner, chapter, Visibility.CHAPTER)
    assert not can_see(member_there, owner, chapter, Visibility.CHAPTER)
    assert can_see(member_there, owner, chapter, Visibility.ASSOCIATION)
    assert not can_see(member_here, owner, chapter, Visibility.LEADS)
    assert can_see(lead_here, owner, chapter, Visibility.LEADS)
    assert not can_see(lead_there, owner, chapter, Visibility.LEADS)
    assert not can_see(lead_there, owner, chapter, Visibility.CHAPTER)
    assert can_see(admin, owner, chapter, Visibility.LEADS)
    assert can_see(Viewer(owner, chapter, Role.MEMBER), owner, chapter, Visibility.LEADS)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    layout=st.lists(
        st.tuples(st.sampled_from(list(Role)), st.integers(0, 2), st.sampled_from(list(Visibility))),
        min_size=1,
        max_size=6,
    )
)
def test_sql_and_rule_agree(hub: Hub, layout: list[tuple[Role, int, Visibility]]) -> None:
    chapter_ids = [factory.chapter(hub, f"Chapter {i}") for i in range(3)]
    people = []
    for role, chapter_index, visibility in layout:
        member_id = factory.member(hub, chapter_ids[chapter_index], role=role)
        item_id = factory.item(hub, member_id, "need", "a need", visibility)
        people.append((member_id, chapter_ids[chapter_index], role, item_id, visibility))
    mine = {p[3] for p in people}
    for member_id, chapter_id, role, _item, _vis in people:
        viewer = Viewer(member_id, chapter_id, role)
        expected = {
            item_id for owner, owner_chapter, _r, item_id, vis in people if can_see(viewer, owner, owner_chapter, vis)
        }
        with hub.engine.connect() as conn:
            found = set(
                conn.scalars(
                    select(items.c.id)
                    .join(members, members.c.id == items.c.member_id)
                    .where(visible_items(viewer), items.c.id.in_(mine))
                )
            )
        assert found == expected
