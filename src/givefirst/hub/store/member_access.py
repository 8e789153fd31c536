"""`hub.domain.members.can_see_member` as an SQL condition on `members`, for the directory, search and pages.

A property test holds it to the domain rule. Deleted accounts are never visible: their page answers like a
missing one.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, or_, select, true
from sqlalchemy.sql import Select

from givefirst.hub.domain.access import Viewer, Visibility
from givefirst.hub.store.schema import introductions, items, members


def _shows_the_association() -> Select[tuple[int]]:
    """Open items of the outer `members` row shown to the whole association.

    Items shown to a chapter or its leads are seen only inside the owner's chapter, whose members see the owner
    anyway; so for anyone else, only these make the owner visible.
    """
    return select(items.c.id).where(
        items.c.member_id == members.c.id,
        items.c.status == "open",
        items.c.visibility == Visibility.ASSOCIATION.value,
    )


def _introduced_to(viewer: Viewer) -> Select[tuple[int]]:
    me, them = viewer.member_id, members.c.id
    sides = (introductions.c.seeker_id, introductions.c.helper_id, introductions.c.proposer_id)
    pairs = [and_(a == me, b == them) for a in sides for b in sides if a is not b]
    return select(introductions.c.id).where(or_(*pairs))


def visible_members(viewer: Viewer) -> ColumnElement[bool]:
    """Return a condition on `members` that keeps the live accounts `viewer` may see."""
    live = members.c.deleted_at.is_(None)
    if viewer.is_admin:
        return and_(live, true())
    return and_(
        live,
        or_(
            members.c.id == viewer.member_id,
            members.c.chapter_id == viewer.chapter_id,
            exists(_shows_the_association()),
            exists(_introduced_to(viewer)),
        ),
    )
