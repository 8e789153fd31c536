"""The access rule of `hub.domain.access.can_see` as an SQL condition, for lists, counts and search.

A property test checks that both give the same answer for every role, visibility and pair of chapters.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, true

from givefirst.hub.domain.access import Role, Viewer, Visibility
from givefirst.hub.store.schema import items, members


def visible_items(viewer: Viewer) -> ColumnElement[bool]:
    """Return a condition on `items` joined to their owner in `members` that keeps what `viewer` may see."""
    if viewer.is_admin:
        return true()
    own = items.c.member_id == viewer.member_id
    association = items.c.visibility == Visibility.ASSOCIATION.value
    chapter = and_(items.c.visibility == Visibility.CHAPTER.value, members.c.chapter_id == viewer.chapter_id)
    leads = (
        and_(items.c.visibility == Visibility.LEADS.value, members.c.chapter_id == viewer.chapter_id)
        if viewer.role is Role.LEAD
        else false()
    )
    return or_(own, association, chapter, leads)
