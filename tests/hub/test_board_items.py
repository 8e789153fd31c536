"""Needs and offers: a member adds, edits and closes their own; the board shows what each viewer may see."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.hub.domain.access import Role, Visibility
from givefirst.hub.services import items
from givefirst.hub.services.context import Hub
from givefirst.hub.store import members as stored_members
from givefirst.hub.store.schema import item_terms, jobs
from tests.hub import factory


def _member(hub: Hub, chapter_id: int, **values: object):  # type: ignore[no-untyped-def]
    member_id = factory.member(hub, chapter_id, **values)
    with hub.engine.connect() as conn:
        found = stored_members.member_by_id(conn, member_id)
    assert found is not None
    return found


def test_add_edit_close_own_item_and_its_terms(hub: Hub) -> None:
    ny = factory.chapter(hub)
    ann = _member(hub, ny, location="Brooklyn, NY")
    need = items.add_item(
        hub, ann, "need", "  Looking for an accountant for my bakery  ", tags="Tax, tax, Small business"
    )
    assert need.text == "Looking for an accountant for my bakery"
    assert need.tags == ("tax", "small business") and need.location == "Brooklyn, NY"
    assert need.visibility is Visibility.CHAPTER and need.status == "open"
    with hub.engine.connect() as conn:
        terms = set(conn.scalars(select(item_terms.c.term).where(item_terms.c.item_id == need.id)))
        queued = conn.execute(select(jobs.c.kind, jobs.c.payload)).all()
    assert {"t:tax", "w:accountant", "p:city:brooklyn", "p:metro:new york", "p:state:ny"} <= terms
    assert ("match_item", f'{{"item_id":{need.id}}}') in [tuple(q) for q in queued]
    edited = items.edit_item(hub, ann, need.public_id, text="Need a bookkeeper", tags=["books"], location="Tampa, FL",
                             visibility="association")  # fmt: skip
    assert edited.text == "Need a bookkeeper" and edited.visibility is Visibility.ASSOCIATION
    with hub.engine.connect() as conn:
        terms = set(conn.scalars(select(item_terms.c.term).where(item_terms.c.item_id == need.id)))
    assert "w:accountant" not in terms and {"w:bookkeeper", "t:books", "p:metro:tampa"} <= terms
    closed = items.close_item(hub, ann, need.public_id)
    assert closed.status == "closed"
    assert items.board(hub, ann, items.BoardQuery()).rows == []
    with pytest.raises(NotFoundError, match="closed"):
        items.edit_item(hub, ann, need.public_id, text="again")


def test_nobody_else_changes_an_item(hub: Hub) -> None:
    ny = factory.chapter(hub)
    ann, bob = _member(hub, ny), _member(hub, ny, role=Role.LEAD)
    need = items.add_item(hub, ann, "need", "A plumber")
    with pytest.raises(NotFoundError):
        items.close_item(hub, bob, need.public_id)
    with pytest.raises(NotFoundError):
        items.edit_item(hub, bob, need.public_id, text="mine now")


@pytest.mark.parametrize(
    ("kind", "text", "tags", "message"),
    [("wish", "x", "", "kind must be"), ("need", "   ", "", "own words"), ("need", "x" * 2001, "", "2000"),
     ("need", "ok", "<script>", "tag"), ("need", "ok", ",".join(f"t{i}" for i in range(11)), "at most 10")],
)  # fmt: skip
def test_bad_input_is_named(hub: Hub, kind: str, text: str, tags: str, message: str) -> None:
    ann = _member(hub, factory.chapter(hub))
    with pytest.raises(InvalidInputError, match=message):
        items.add_item(hub, ann, kind, text, tags=tags)
    with pytest.raises(InvalidInputError, match="visibility"):
        items.add_item(hub, ann, "need", "ok", visibility="everyone")


def test_board_respects_visibility_and_filters(hub: Hub) -> None:
    ny, fl = factory.chapter(hub, "New York"), factory.chapter(hub, "Florida", "Tampa, FL")
    ann, bob = _member(hub, ny), _member(hub, ny)
    lead_ny, carl = _member(hub, ny, role=Role.LEAD), _member(hub, fl)
    public = items.add_item(hub, ann, "need", "An accountant for my bakery", tags="tax", location="Clearwater, FL",
                            visibility="association")  # fmt: skip
    local = items.add_item(hub, ann, "offer", "I can review business plans", location="Brooklyn")
    secret = items.add_item(hub, ann, "need", "Quietly looking for a new job", visibility="leads")
    theirs = items.add_item(hub, carl, "offer", "Bookkeeping and tax returns", tags="tax", location="St. Petersburg")

    def seen(viewer, **query):  # type: ignore[no-untyped-def]
        return [r.item.public_id for r in items.board(hub, viewer, items.BoardQuery(**query)).rows]

    assert set(seen(bob)) == {public.public_id, local.public_id}
    assert set(seen(lead_ny)) == {public.public_id, local.public_id, secret.public_id}
    assert set(seen(carl)) == {public.public_id, theirs.public_id}
    assert set(seen(ann)) == {public.public_id, local.public_id, secret.public_id}
    assert set(seen(carl, tag="TAX")) == {public.public_id, theirs.public_id}
    assert set(seen(carl, place="Tampa")) == {public.public_id, theirs.public_id}  # a metro finds its towns
    assert seen(carl, place="Clearwater") == [public.public_id]
    assert set(seen(bob, place="Florida")) == {public.public_id}
    assert seen(carl, kind="offer") == [theirs.public_id]
    assert seen(carl, text="account") == [public.public_id]  # a word's beginning finds it
    assert seen(carl, text="bookkeeping returns") == [theirs.public_id]
    assert seen(bob, text="job") == []  # a hidden item is not found by its words either
    assert seen(lead_ny, chapter_id=fl) == []  # Carl's offer is for his chapter only
    assert seen(carl, chapter_id=fl) == [theirs.public_id] and seen(carl, chapter_id=ny) == [public.public_id]
    with pytest.raises(InvalidInputError, match="does not know"):
        seen(bob, place="Atlantis")
    with pytest.raises(NotFoundError):
        items.get_item(hub, bob, secret.public_id)
    assert items.get_item(hub, lead_ny, secret.public_id).id == secret.id


def test_board_pages_by_fifty(hub: Hub) -> None:
    ny = factory.chapter(hub)
    ann, bob = _member(hub, ny), _member(hub, ny)
    for n in range(53):
        factory.item(hub, ann.id, "offer", f"offer number {n}")
    first = items.board(hub, bob, items.BoardQuery())
    second = items.board(hub, bob, items.BoardQuery(page=2))
    assert len(first.rows) == 50 and first.has_next and len(second.rows) == 3 and not second.has_next
    assert not {r.item.id for r in first.rows} & {r.item.id for r in second.rows}
