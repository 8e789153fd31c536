"""The access rule of `hub.domain.access.can_see` as an SQL condition, for lists, counts and search.

A property test checks that both give the same answer for every role, visibility and pair of chapters.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, true

from givefirst.hub.domain.access import Role, Viewer, Visibility
from givefirst.hub.store.schema import items, members


def visible_items(viewer: Viewer, item: Any = items, owner: Any = members) -> ColumnElement[bool]:
    """Return a condition on `items` joined to their owner in `members` that keeps what `viewer` may see.

    `item` and `owner` may be aliases of those tables (a second item and its owner in the same query): built on
    them directly, which costs a fraction of rewriting the condition onto them (`ClauseAdapter`) on every request.
    """
    if viewer.is_admin:
        return true()
    own = item.c.member_id == viewer.member_id
    association = item.c.visibility == Visibility.ASSOCIATION.value
    chapter = and_(item.c.visibility == Visibility.CHAPTER.value, owner.c.chapter_id == viewer.chapter_id)
    leads = (
        and_(item.c.visibility == Visibility.LEADS.value, owner.c.chapter_id == viewer.chapter_id)
        if viewer.role is Role.LEAD
        else false()
    )
    return or_(own, association, chapter, leads)
