"""Who may see what on the hub: roles, visibilities and the one rule that joins them.

Every list, count, search, page and JSON route asks this rule (or its SQL twin, `hub.store.access`, which a
property test holds to it) — never a rule of its own — so that a hidden item cannot leak through a side door.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a member may do: a lead runs one chapter; an admin runs the association."""

    MEMBER = "member"
    LEAD = "lead"
    ADMIN = "admin"


class Visibility(StrEnum):
    """Who a member lets see one of their needs or offers."""

    CHAPTER = "chapter"  # the members of my chapter
    ASSOCIATION = "association"  # every member of the association
    LEADS = "leads"  # only my chapter's leads (and the association's admins)


VISIBILITY_LABELS = {
    Visibility.CHAPTER: "my chapter",
    Visibility.ASSOCIATION: "the whole association",
    Visibility.LEADS: "leads only",
}
DEFAULT_VISIBILITY = Visibility.CHAPTER  # the smallest circle that still lets the chapter help


@dataclass(frozen=True, slots=True)
class Viewer:
    """The member looking: their id, their chapter and their role."""

    member_id: int
    chapter_id: int
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def leads(self, chapter_id: int) -> bool:
        """Return True when this viewer leads `chapter_id` (admins lead every chapter)."""
        return self.is_admin or (self.role is Role.LEAD and self.chapter_id == chapter_id)


def can_see(viewer: Viewer, owner_id: int, owner_chapter_id: int, visibility: Visibility) -> bool:
    """Return True when `viewer` may see an item of `owner_id` (of `owner_chapter_id`) shown to `visibility`."""
    if viewer.member_id == owner_id or viewer.is_admin:
        return True
    if visibility is Visibility.ASSOCIATION:
        return True
    if visibility is Visibility.CHAPTER:
        return viewer.chapter_id == owner_chapter_id
    return viewer.leads(owner_chapter_id)


def can_manage_chapter(viewer: Viewer, chapter_id: int) -> bool:
    """Return True when `viewer` may invite into, plan events for and read the dashboard of `chapter_id`."""
    return viewer.leads(chapter_id)
