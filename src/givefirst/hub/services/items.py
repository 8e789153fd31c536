"""A member's needs and offers: adding, editing and closing their own, and reading the board.

Every change queues a `match_item` job in the same transaction, so the engine scores the new text against the
other side whether a worker or the web process (after the response) picks it up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from givefirst.errors import NotFoundError
from givefirst.hub.domain import items as rules
from givefirst.hub.domain.access import Visibility, can_see
from givefirst.hub.domain.model import HubItem, Member
from givefirst.hub.services import jobs
from givefirst.hub.services.context import Hub
from givefirst.hub.services.public_ids import new_public_id
from givefirst.hub.store import items as store
from givefirst.hub.store import matching as match_store
from givefirst.hub.store.items import BoardFilter, BoardRow


def add_item(
    hub: Hub,
    member: Member,
    kind: str,
    text: str,
    *,
    tags: Iterable[str] | str = (),
    location: str | None = None,
    visibility: Visibility | str = Visibility.CHAPTER,
) -> HubItem:
    """Add a need or offer of `member` in their own words; its place defaults to the member's location."""
    kind, text = rules.clean_kind(kind), rules.clean_text(text)
    clean_tags, seen_by = rules.clean_tags(tags), rules.clean_visibility(visibility)
    place = rules.clean_location(location) or member.location
    now = hub.now()
    with hub.engine.begin() as conn:
        item_id = store.insert_item(
            conn,
            {"public_id": new_public_id(), "member_id": member.id, "kind": kind, "text": text,
             "tags": ",".join(clean_tags), "location": place, "visibility": seen_by.value, "created_at": now,
             "updated_at": now},
        )  # fmt: skip
        store.replace_terms(conn, item_id, rules.item_terms(text, clean_tags, place))
        jobs.enqueue(hub, "match_item", {"item_id": item_id}, conn=conn)
        found = store.item_by_id(conn, item_id)
    assert found is not None
    return found


def _own(hub: Hub, member: Member, public_id: str) -> HubItem:
    with hub.engine.connect() as conn:
        found = store.item_by_public_id(conn, public_id)
    if found is None or found.member_id != member.id:
        raise NotFoundError(f"you have no need or offer {public_id!r}")
    return found


def edit_item(
    hub: Hub,
    member: Member,
    public_id: str,
    *,
    text: str,
    tags: Iterable[str] | str = (),
    location: str | None = None,
    visibility: Visibility | str = Visibility.CHAPTER,
) -> HubItem:
    """Change one of the member's own open items; it is matched again."""
    item = _own(hub, member, public_id)
    if item.status != "open":
        raise NotFoundError(f"{item.kind} {public_id!r} is closed; add a new one instead")
    text, clean_tags = rules.clean_text(text), rules.clean_tags(tags)
    seen_by, place = rules.clean_visibility(visibility), rules.clean_location(location)
    with hub.engine.begin() as conn:
        store.update_item(conn, item.id, {"text": text, "tags": ",".join(clean_tags), "location": place,
                                          "visibility": seen_by.value, "updated_at": hub.now()})  # fmt: skip
        store.replace_terms(conn, item.id, rules.item_terms(text, clean_tags, place))
        if seen_by is not item.visibility:  # pairs made for the old audience may no longer be seen: made again
            match_store.delete_matches(conn, [item.id])
        jobs.enqueue(hub, "match_item", {"item_id": item.id}, conn=conn)
        found = store.item_by_id(conn, item.id)
    assert found is not None
    return found


def close_item(hub: Hub, member: Member, public_id: str) -> HubItem:
    """Close one of the member's own items: it leaves the board and the engine's pairs."""
    item = _own(hub, member, public_id)
    if item.status == "open":
        with hub.engine.begin() as conn:
            store.update_item(conn, item.id, {"status": "closed", "closed_at": hub.now(), "updated_at": hub.now()})
            match_store.delete_matches(conn, [item.id])
    with hub.engine.connect() as conn:
        found = store.item_by_id(conn, item.id)
    assert found is not None
    return found


def my_items(hub: Hub, member: Member) -> list[HubItem]:
    with hub.engine.connect() as conn:
        return store.items_of(conn, member.id)


def get_item(hub: Hub, viewer: Member, public_id: str) -> HubItem:
    """Return an item the viewer may see; one they may not answers exactly as one that does not exist."""
    with hub.engine.connect() as conn:
        found = store.item_by_public_id(conn, public_id)
    if found is None or not can_see(viewer.viewer, found.member_id, found.member_chapter_id, found.visibility):
        raise NotFoundError(f"there is no need or offer {public_id!r}")
    return found


@dataclass(frozen=True)
class BoardQuery:
    chapter_id: int | None = None
    kind: str | None = None
    tag: str | None = None
    place: str | None = None
    text: str | None = None
    page: int = 1


@dataclass(frozen=True)
class BoardPage:
    rows: list[BoardRow]
    page: int
    has_next: bool


def board(hub: Hub, viewer: Member, query: BoardQuery) -> BoardPage:
    """Return a page (50) of the open needs and offers the viewer may see, newest first, filtered."""
    page = rules.clean_page(query.page)
    terms: list[str] = []
    if query.tag and query.tag.strip():
        terms += [f"t:{t}" for t in rules.clean_tags(query.tag)]
    if query.place and query.place.strip():
        terms.append(rules.place_query(query.place))
    wanted = BoardFilter(
        chapter_id=query.chapter_id,
        kind=rules.clean_kind(query.kind) if query.kind else None,
        terms=tuple(terms),
        prefixes=tuple(rules.query_words(query.text or "")),
    )
    size = rules.PAGE_SIZE
    with hub.engine.connect() as conn:
        rows = store.board(conn, viewer.viewer, wanted, hub.now().date(), limit=size + 1, offset=(page - 1) * size)
    return BoardPage(rows[:size], page, len(rows) > size)
