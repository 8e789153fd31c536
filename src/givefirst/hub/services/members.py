"""Getting in: setting a hub up, invite links, joining, signing in (rate-limited) and roles.

Passwords are hashed with Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 40 ms on an
idle core, where argon2-cffi's default (64 MiB, 3 passes, 4 lanes) took six times as long on the 2-core server it
was measured on and would let a few dozen simultaneous sign-ins exhaust a worker's memory; the rate limit is what
stops guessing. Older hashes are upgraded at the next sign-in. A wrong password and an unknown e-mail get the
same answer after the same work, so the sign-in form does not tell who is a member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.exc import IntegrityError

from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.hub.domain.access import Role
from givefirst.hub.domain.members import (
    ADDRESS_LIMIT,
    EMAIL_LIMIT,
    FORGED_INVITE,
    INVITE_DAYS,
    NotAllowedError,
    invite_problem,
    invite_token_is_signed,
    may_invite,
    new_invite_token,
    parse_chapter_spec,
    password_problem,
    retry_after,
    slugify,
    token_hash,
)
from givefirst.hub.domain.model import Chapter, Member
from givefirst.hub.services import audit
from givefirst.hub.services.context import Hub
from givefirst.hub.services.public_ids import new_public_id
from givefirst.hub.store import invites as stored_invites
from givefirst.hub.store import login_attempts
from givefirst.hub.store import members as stored_members
from givefirst.hub.store import settings as stored_settings
from givefirst.ingest.identity import normalize_email

DEFAULT_BASE_URL = "http://127.0.0.1:8780"  # `hub serve`'s default address
WRONG_CREDENTIALS = "that e-mail and password do not match an account here"
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


class SignInRefused(InvalidInputError):
    """Signing in failed: wrong e-mail or password (`retry_minutes` None), or too many failures."""

    def __init__(self, message: str, retry_minutes: int | None = None) -> None:
        super().__init__(message)
        self.retry_minutes = retry_minutes


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    """A hash to check unknown e-mails against, so they cost the same time as a wrong password."""
    return _hasher.hash("not a password anybody has: the e-mail is unknown")


def _email(text: str) -> str:
    if not text.strip():
        raise InvalidInputError("give an e-mail address")
    return normalize_email(text)


# --- setting a hub up ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Setup:
    association: str
    chapters: list[Chapter]
    admin_token: str


def init_hub(
    hub: Hub, association: str, chapter_specs: list[str], admin_email: str, *, base_url: str | None = None
) -> Setup:
    """Name the association, create its chapters and an admin's invite (into the first chapter)."""
    association = association.strip()
    if not association:
        raise InvalidInputError("--association: give the association's name")
    if not chapter_specs:
        raise InvalidInputError('give at least one chapter: --chapter "New York=New York, NY"')
    specs = [parse_chapter_spec(spec) for spec in chapter_specs]
    slugs = [slugify(name) for name, _ in specs]
    if len(set(slugs)) != len(slugs):
        raise InvalidInputError("two --chapter options name the same chapter")
    email = _email(admin_email)
    now = hub.now()
    with hub.engine.begin() as conn:
        existing = stored_settings.get(conn, "association")
        if existing is not None:
            raise InvalidInputError(
                f"this hub is already set up for {existing}; invite people with `givefirst hub invite`"
            )
        stored_settings.put(conn, "association", association)
        if base_url:
            stored_settings.put(conn, "base_url", base_url.rstrip("/"))
        made = []
        for (name, region), slug in zip(specs, slugs, strict=True):
            if stored_members.chapter_by_slug(conn, slug) is not None:
                raise InvalidInputError(f"a chapter {slug!r} exists already")
            made.append(Chapter(stored_members.add_chapter(conn, slug, name, region, now), slug, name, region, "UTC"))
        audit.record(conn, None, "hub.init", association, {"chapters": slugs, "admin": email}, at=now)
    token = create_invite(hub, None, made[0].id, role=Role.ADMIN, email=email)
    return Setup(association, made, token)


def association_name(hub: Hub) -> str:
    with hub.engine.connect() as conn:
        return stored_settings.get(conn, "association") or "givefirst hub"


def invite_url(hub: Hub, token: str, seen_at: str | None = None) -> str:
    """The join link: on the hub's configured address (`hub init --url`), else where the lead reached it
    (`seen_at`, a page's base URL, whose host the web guard checked), else `hub serve`'s default."""
    with hub.engine.connect() as conn:
        base = stored_settings.get(conn, "base_url") or (seen_at or "").rstrip("/") or DEFAULT_BASE_URL
    return f"{base}/join/{token}"


def chapter_by_slug(hub: Hub, slug: str) -> Chapter:
    with hub.engine.connect() as conn:
        found = stored_members.chapter_by_slug(conn, slug)
        names = [c.slug for c in stored_members.all_chapters(conn)] if found is None else []
    if found is None:
        raise NotFoundError(f"no chapter {slug!r}; the chapters are: {', '.join(names) or 'none yet (hub init)'}")
    return found


# --- invites -------------------------------------------------------------------------------------------------


def create_invite(
    hub: Hub,
    by: Member | None,
    chapter_id: int,
    *,
    role: Role = Role.MEMBER,
    email: str | None = None,
    sponsor_id: int | None = None,
    days: int = INVITE_DAYS,
) -> str:
    """Issue an invite link's token into `chapter_id`; `by` None is the server's operator (the command line).

    Only the chapter's leads and admins may invite, and only admins may invite leads and admins. The link works
    once, for `days` days; with `email`, only for that address; with `sponsor_id`, the new member is shown as
    brought in by that member.
    """
    if not 1 <= days <= 365:
        raise InvalidInputError("an invitation lasts between 1 and 365 days")
    address = _email(email) if email else None
    now = hub.now()
    with hub.engine.begin() as conn:
        chapter = stored_members.chapter_by_id(conn, chapter_id)
        if chapter is None:
            raise NotFoundError("no such chapter")
        if by is not None and (problem := may_invite(by.viewer, chapter_id, role)) is not None:
            raise NotAllowedError(problem)
        if address is not None and stored_members.member_by_email(conn, address) is not None:
            raise InvalidInputError(f"{address} is already a member of this hub")
        sponsor = stored_members.member_by_id(conn, sponsor_id) if sponsor_id is not None else None
        if sponsor_id is not None and (sponsor is None or sponsor.deleted):
            raise NotFoundError("no such member to sponsor the invitation")
        token = new_invite_token(hub.secret)
        stored_invites.add(
            conn,
            token_hash=token_hash(token),
            chapter_id=chapter_id,
            role=role.value,
            email=address,
            sponsor_id=sponsor_id,
            created_by=by.id if by is not None else None,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        detail = {"role": role.value, "email": address, "sponsor": sponsor.public_id if sponsor else None}
        audit.record(
            conn,
            by.id if by else None,
            "invite.create",
            f"chapter:{chapter.slug}",
            detail,
            chapter_id=chapter_id,
            at=now,
        )
    return token


@dataclass(frozen=True, slots=True)
class InviteInfo:
    """What the join page tells the person holding a working link."""

    chapter: str
    role: Role
    email: str | None
    sponsor: str | None
    expires_at: datetime


def check_invite(hub: Hub, token: str) -> InviteInfo:
    """Return what a working invite offers; raise InvalidInputError saying why a link does not work."""
    if not invite_token_is_signed(hub.secret, token):
        raise InvalidInputError(FORGED_INVITE)
    with hub.engine.connect() as conn:
        row = stored_invites.by_hash(conn, token_hash(token))
        if row is None:
            raise InvalidInputError(FORGED_INVITE)
        if (problem := invite_problem(row.expires_at, row.used_at, hub.now())) is not None:
            raise InvalidInputError(problem)
        chapter = stored_members.chapter_by_id(conn, row.chapter_id)
        sponsor = stored_members.member_by_id(conn, row.sponsor_id) if row.sponsor_id is not None else None
    return InviteInfo(
        chapter=chapter.name if chapter else "?",
        role=Role(row.role),
        email=row.email,
        sponsor=sponsor.name if sponsor is not None and not sponsor.deleted else None,
        expires_at=row.expires_at,
    )


def join(hub: Hub, token: str, name: str, email: str, password: str) -> Member:
    """Accept an invite: make the member (signed in by the caller), and use the link up."""
    info = check_invite(hub, token)
    name = " ".join(name.split())
    if not name:
        raise InvalidInputError("give your name as the chapter will know it")
    if len(name) > 200:
        raise InvalidInputError("a name of at most 200 characters, please")
    address = _email(email)
    if info.email is not None and address != info.email:
        raise InvalidInputError(f"this invitation is for {info.email}; join with that address")
    if (problem := password_problem(password)) is not None:
        raise InvalidInputError(problem)
    hashed = _hasher.hash(password)  # outside the transaction: it takes tens of milliseconds on purpose
    now = hub.now()
    try:
        with hub.engine.begin() as conn:
            row = stored_invites.by_hash(conn, token_hash(token))
            if stored_members.member_by_email(conn, address) is not None:
                raise InvalidInputError("there is already an account with that e-mail: sign in instead")
            member_id = stored_members.add_member(
                conn,
                public_id=new_public_id(),
                email=address,
                name=name,
                password_hash=hashed,
                role=row.role,
                chapter_id=row.chapter_id,
                sponsor_id=row.sponsor_id,
                joined_at=now,
                last_seen_at=now,
            )
            if not stored_invites.mark_used(conn, row.id, member_id, now):
                raise InvalidInputError(invite_problem(row.expires_at, now, now) or FORGED_INVITE)
            member = stored_members.member_by_id(conn, member_id)
    except IntegrityError:
        raise InvalidInputError("there is already an account with that e-mail: sign in instead") from None
    assert member is not None
    return member


# --- signing in ----------------------------------------------------------------------------------------------


def login(hub: Hub, email: str, password: str, client: str) -> Member:
    """Return the member whose e-mail and password these are, or raise SignInRefused.

    Failures are counted per e-mail and per client address in the database (shared by every worker); past the
    limit the answer is "try again in N minutes" whatever the password, so guessing stops there.
    """
    address = email.strip().lower()
    keys = [f"email:{address}"[:400], f"client:{client}"[:400]]
    now = hub.now()
    with hub.engine.begin() as conn:
        window = max(EMAIL_LIMIT.window, ADDRESS_LIMIT.window)
        login_attempts.forget_before(conn, now - window)
        waits = [
            retry_after(login_attempts.failures(conn, key, now - limit.window), limit, now)
            for key, limit in zip(keys, (EMAIL_LIMIT, ADDRESS_LIMIT), strict=True)
        ]
        found = stored_members.password_hash_of(conn, address)
    wait = max((w for w in waits if w is not None), default=None)
    if wait is not None:
        raise SignInRefused(
            f"too many failed sign-ins; try again in {wait} minute{'s' if wait != 1 else ''}", retry_minutes=wait
        )
    if _verify(found[1] if found is not None else None, password) and found is not None:
        with hub.engine.begin() as conn:
            login_attempts.clear(conn, keys[0])
            assert found[1] is not None
            values: dict[str, object] = {"last_seen_at": now}
            if _hasher.check_needs_rehash(found[1]):
                values["password_hash"] = _hasher.hash(password)
            stored_members.update_member(conn, found[0], **values)
            member = stored_members.member_by_id(conn, found[0])
        assert member is not None
        return member
    with hub.engine.begin() as conn:
        login_attempts.add(conn, keys, now)
    raise SignInRefused(WRONG_CREDENTIALS)


def _verify(hashed: str | None, password: str) -> bool:
    if len(password) > 4096:
        return False
    try:
        return _hasher.verify(hashed or _decoy_hash(), password) and hashed is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# --- roles ---------------------------------------------------------------------------------------------------


def set_role(hub: Hub, by: Member, public_id: str, role: Role) -> Member:
    """An admin makes a member a lead (of their chapter), an admin, or a member again. Audited."""
    if not by.viewer.is_admin:
        raise NotAllowedError("only an admin can change a member's role")
    with hub.engine.begin() as conn:
        target = stored_members.member_by_public_id(conn, public_id)
        if target is None or target.deleted:
            raise NotFoundError("no such member")
        if target.role is Role.ADMIN and role is not Role.ADMIN and stored_members.count_admins(conn) <= 1:
            raise InvalidInputError("this is the last admin: make another member an admin first")
        if target.role is not role:
            stored_members.update_member(conn, target.id, role=role.value)
            audit.record(
                conn,
                by.id,
                "role.set",
                f"member:{target.public_id}",
                {"name": target.name, "from": target.role.value, "to": role.value},
                chapter_id=target.chapter_id,
                at=hub.now(),
            )
        changed = stored_members.member_by_id(conn, target.id)
    assert changed is not None
    return changed


# --- the lead's invites page ---------------------------------------------------------------------------------


def invite_chapters(hub: Hub, by: Member, slug: str = "") -> tuple[Chapter, list[Chapter]]:
    """The chapter `by` invites into now (`slug`, for an admin) and the chapters they may choose from."""
    with hub.engine.connect() as conn:
        everything = stored_members.all_chapters(conn)
    if by.viewer.is_admin:
        if not everything:
            raise NotFoundError("this hub has no chapter yet (givefirst hub init)")
        chosen = next((c for c in everything if c.slug == slug), everything[0])
        return chosen, everything
    if by.role is not Role.LEAD:
        raise NotAllowedError("only the chapter's leads and the association's admins can invite into a chapter")
    own = next(c for c in everything if c.id == by.chapter_id)
    return own, [own]


@dataclass(frozen=True, slots=True)
class InviteLine:
    created_at: datetime
    expires_at: datetime
    role: str
    email: str | None
    sponsor: str | None
    used_by: str | None
    used_at: datetime | None


def recent_invites(hub: Hub, by: Member, chapter_id: int) -> list[InviteLine]:
    """The chapter's latest invites, for its leads and the admins."""
    if not by.viewer.leads(chapter_id):
        raise NotAllowedError("only the chapter's leads and the association's admins see its invitations")
    with hub.engine.connect() as conn:
        rows = stored_invites.of_chapter(conn, chapter_id)
        ids = {r.sponsor_id for r in rows} | {r.used_by for r in rows}
        names = {i: m.name for i in ids if i is not None and (m := stored_members.member_by_id(conn, i)) is not None}
    return [
        InviteLine(
            created_at=r.created_at,
            expires_at=r.expires_at,
            role=r.role,
            email=r.email,
            sponsor=names.get(r.sponsor_id) if r.sponsor_id is not None else None,
            used_by=names.get(r.used_by) if r.used_by is not None else None,
            used_at=r.used_at,
        )
        for r in rows
    ]


def member_by_email(hub: Hub, email: str) -> Member | None:
    """The live member with this e-mail (for the operator's command line; pages never look members up by it)."""
    with hub.engine.connect() as conn:
        found = stored_members.member_by_email(conn, _email(email))
    return found if found is not None and not found.deleted else None
