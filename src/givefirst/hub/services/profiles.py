"""Profiles: my own (/me), another member's page, the chapter directory, and the sponsor's prompts.

What others see of a member: name, chapter, headline, location, "moving to", sponsor and the open needs and
offers the member lets them see. Never the e-mail: contact details pass only through an accepted introduction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.hub.domain.members import FORMER_MEMBER, needs_first_give_prompt
from givefirst.hub.domain.model import Chapter, Member
from givefirst.hub.services.context import Hub
from givefirst.hub.store import members as stored_members
from givefirst.hub.store import profiles as stored

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class Sponsor:
    name: str
    public_id: str | None  # None when the viewer may not open the sponsor's page (or the account is gone)


@dataclass(frozen=True, slots=True)
class ItemLine:
    public_id: str
    kind: str
    text: str
    tags: tuple[str, ...]
    location: str | None


@dataclass(frozen=True, slots=True)
class Profile:
    member: Member
    chapter: Chapter
    sponsor: Sponsor | None
    items: list[ItemLine]


def _sponsor(conn: Any, viewer: Member, sponsor_id: int | None) -> Sponsor | None:
    if sponsor_id is None:
        return None
    sponsor = stored_members.member_by_id(conn, sponsor_id)
    if sponsor is None:
        return None
    if sponsor.deleted:
        return Sponsor(FORMER_MEMBER, None)
    if stored.can_see(conn, viewer.viewer, sponsor.id):
        return Sponsor(sponsor.name, sponsor.public_id)
    return Sponsor("a member of another chapter", None)


def _item_line(row: Any) -> ItemLine:
    tags = tuple(t for t in (row.tags or "").split(",") if t)
    return ItemLine(row.public_id, row.kind, row.text, tags, row.location)


def profile(hub: Hub, viewer: Member, public_id: str) -> Profile:
    """Return the member page of `public_id` as `viewer` sees it; NotFoundError when hidden, gone or missing."""
    with hub.engine.connect() as conn:
        member = stored.visible_member(conn, viewer.viewer, public_id)
        if member is None:
            raise NotFoundError("there is no such member")
        chapter = stored_members.chapter_by_id(conn, member.chapter_id)
        assert chapter is not None
        sponsor = _sponsor(conn, viewer, member.sponsor_id)
        lines = [_item_line(row) for row in stored.open_items_of(conn, viewer.viewer, member.id)]
    return Profile(member, chapter, sponsor, lines)


def my_profile(hub: Hub, me: Member) -> Profile:
    return profile(hub, me, me.public_id)


@dataclass(frozen=True, slots=True)
class Directory:
    members: list[Member]
    total: int
    chapter: Chapter | None  # None: every chapter (admins only)
    chapters: list[Chapter]  # what the viewer may choose between (admins: all; others: their own)
    chapter_names: dict[int, str]
    query: str
    page: int
    pages: int


def directory(
    hub: Hub, viewer: Member, *, chapter_slug: str = "", query: str = "", page: int = 1, page_size: int = PAGE_SIZE
) -> Directory:
    """The members a viewer may list: their own chapter; an admin, any chapter or all of them.

    Members of other chapters are not listed even when a member could open their page (because they showed the
    association an offer): a directory of every chapter would let anyone count and harvest the association.
    """
    page = max(1, page)
    with hub.engine.connect() as conn:
        everything = stored_members.all_chapters(conn)
        names = {c.id: c.name for c in everything}
        if viewer.viewer.is_admin:
            chosen = next((c for c in everything if c.slug == chapter_slug), None) if chapter_slug else None
            choices = everything
        else:
            chosen = next(c for c in everything if c.id == viewer.chapter_id)
            choices = [chosen]
        found, total = stored.directory(
            conn, viewer.viewer, chosen.id if chosen else None, query[:200], page_size, (page - 1) * page_size
        )
    return Directory(found, total, chosen, choices, names, query[:200], page, max(1, -(-total // page_size)))


# --- my profile ----------------------------------------------------------------------------------------------


def _text(value: str | None, limit: int, what: str) -> str | None:
    cleaned = " ".join((value or "").split())
    if len(cleaned) > limit:
        raise InvalidInputError(f"{what}: at most {limit} characters, please")
    return cleaned or None


def update_profile(
    hub: Hub,
    me: Member,
    *,
    name: str,
    headline: str,
    location: str | None,
    moving_to: str | None,
    moving_on: date | None,
    digest_opt_out: bool,
) -> Member:
    """Change what I tell the chapter about myself (and whether I get the weekly digest)."""
    clean_name = _text(name, 200, "name")
    if clean_name is None:
        raise InvalidInputError("name: the chapter needs a name to know you by")
    moving = _text(moving_to, 200, "moving to")
    if moving_on is not None and moving is None:
        raise InvalidInputError("moving date: say where you are moving to as well")
    with hub.engine.begin() as conn:
        stored_members.update_member(
            conn,
            me.id,
            name=clean_name,
            headline=_text(headline, 500, "headline") or "",
            location=_text(location, 200, "location"),
            moving_to=moving,
            moving_on=moving_on,
            digest_opt_out=digest_opt_out,
        )
        changed = stored_members.member_by_id(conn, me.id)
    assert changed is not None
    if changed.moving_to != me.moving_to or changed.location != me.location:
        from givefirst.hub.services import moving as handoffs  # a move into another chapter's region: propose it now

        handoffs.refresh(hub, changed)
    return changed


@dataclass(frozen=True, slots=True)
class TokenLine:
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


def tokens(hub: Hub, me: Member) -> list[TokenLine]:
    with hub.engine.connect() as conn:
        return [TokenLine(r.id, r.name, r.created_at, r.last_used_at) for r in stored.tokens_of(conn, me.id)]


# --- sponsors ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SponsorPrompt:
    """A member I sponsored who has not given yet: help them make a first give."""

    name: str
    public_id: str
    joined_on: date
    open_offers: int  # their open offers I may see (0: help them post one)
    open_needs: int

    @property
    def suggestion(self) -> str:
        if self.open_offers == 0:
            return f"Help {self.name} post a first offer: what could they give the chapter this month?"
        return (
            f"{self.name} offers {self.open_offers} thing{'s' if self.open_offers != 1 else ''}: "
            "introduce them to a member who needs it, so their first give happens soon."
        )


def sponsor_prompts(hub: Hub, member: Member) -> list[SponsorPrompt]:
    """The members `member` sponsored who joined recently and have not given yet, newest first.

    For the board, today and /me pages. Counts only include items the sponsor may see.
    """
    now = hub.now()
    with hub.engine.connect() as conn:
        recruits = stored.sponsored_by(conn, member.id)
        given = stored.first_gives(conn, [m.id for m in recruits])
        prompts = [
            SponsorPrompt(
                name=m.name,
                public_id=m.public_id,
                joined_on=m.joined_at.date(),
                open_offers=stored.count_open_items(conn, member.viewer, m.id, "offer"),
                open_needs=stored.count_open_items(conn, member.viewer, m.id, "need"),
            )
            for m in recruits
            if needs_first_give_prompt(m.joined_at, given.get(m.id), now)
        ]
    return prompts
