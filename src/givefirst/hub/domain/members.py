"""The rules of getting in and being seen: signed invite links, passwords, the sign-in rate limit, who may see a
member, and when a sponsor is prompted. Pure: the secret and "now" are passed in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from givefirst.errors import GivefirstError, InvalidInputError
from givefirst.hub.domain.access import Role, Viewer

INVITE_DAYS = 14  # how long an invite link works unless the lead says otherwise
MIN_PASSWORD = 10  # long enough to resist guessing; the rate limit does the rest
MAX_PASSWORD = 1000  # Argon2 would hash a megabyte, but nobody types one: refuse rather than burn CPU
FORMER_MEMBER = "a former member"  # what others see where a deleted account's name was
FIRST_GIVE_DAYS = 90  # a sponsor is prompted about a new member without a first give for this long


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most `failures` failed sign-ins per `window` for one key (an e-mail, or a client address)."""

    failures: int
    window: timedelta


EMAIL_LIMIT = RateLimit(5, timedelta(minutes=15))
# A chapter meeting shares one Wi-Fi address: a looser limit per address, still far below guessing speed.
ADDRESS_LIMIT = RateLimit(20, timedelta(minutes=15))


# --- invite links ---------------------------------------------------------------------------------------------


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _signature(secret: bytes, nonce: str) -> str:
    return _b64(hmac.new(secret, b"invite:" + nonce.encode(), hashlib.sha256).digest()[:18])


def new_invite_token(secret: bytes) -> str:
    """Return a fresh invite token: a random nonce and its HMAC under the hub's key, so forgeries are told apart."""
    nonce = _b64(secrets.token_bytes(18))
    return f"{nonce}.{_signature(secret, nonce)}"


def invite_token_is_signed(secret: bytes, token: str) -> bool:
    """Return True when `token` was signed with `secret` (it may still be used, expired or unknown)."""
    nonce, dot, signature = token.partition(".")
    if not dot or not nonce or len(token) > 100:
        return False
    return hmac.compare_digest(_signature(secret, nonce).encode(), signature.encode())


def token_hash(token: str) -> str:
    """The hash stored for a secret handed out (invite links): the database never holds the link itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def invite_problem(expires_at: datetime, used_at: datetime | None, now: datetime) -> str | None:
    """Return why an invite can no longer be used, or None when it can."""
    if used_at is not None:
        return "this invitation has already been used; ask your chapter lead for a new link"
    if now >= expires_at:
        return f"this invitation expired on {expires_at:%Y-%m-%d}; ask your chapter lead for a new link"
    return None


FORGED_INVITE = "this invitation link is not valid (mistyped, cut short, or not issued by this hub)"


def may_invite(by: Viewer, chapter_id: int, role: Role) -> str | None:
    """Return why `by` may not invite someone into `chapter_id` as `role`, or None when they may."""
    if not by.leads(chapter_id):
        return "only the chapter's leads and the association's admins can invite into a chapter"
    if role is not Role.MEMBER and not by.is_admin:
        return f"only an admin can invite a {role.value}"
    return None


# --- passwords and the sign-in rate limit ---------------------------------------------------------------------


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return f"choose a password of at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"a password of at most {MAX_PASSWORD} characters, please"
    return None


def retry_after(failures: Iterable[datetime], limit: RateLimit, now: datetime) -> int | None:
    """Return in how many minutes a key may try again, or None when its recent failures are under the limit."""
    recent = sorted(at for at in failures if at > now - limit.window)
    if len(recent) < limit.failures:
        return None
    # The oldest failure that still counts leaves the window first; then the key is under the limit again.
    frees_at = recent[-limit.failures] + limit.window
    return max(1, math.ceil((frees_at - now).total_seconds() / 60))


# --- who may see a member -------------------------------------------------------------------------------------


def can_see_member(
    viewer: Viewer, member_id: int, member_chapter_id: int, *, shows_viewer_an_item: bool, introduced: bool
) -> bool:
    """Return True when `viewer` may see the member's page and name.

    A member is seen by their own chapter, by admins, and by anyone they showed an open need or offer to or were
    introduced to; never by counting: other chapters' directories are not listed to members.
    """
    if viewer.member_id == member_id or viewer.is_admin or viewer.chapter_id == member_chapter_id:
        return True
    return shows_viewer_an_item or introduced


def needs_first_give_prompt(joined_at: datetime, first_give_at: datetime | None, now: datetime) -> bool:
    """Return True while a new member has not given yet and joined recently enough for a sponsor to step in."""
    return first_give_at is None and now - joined_at <= timedelta(days=FIRST_GIVE_DAYS)


# --- setting a hub up -----------------------------------------------------------------------------------------


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not slug:
        raise InvalidInputError(f"chapter name {name!r} has no letters or digits to make its short name from")
    return slug[:80]


def parse_chapter_spec(spec: str) -> tuple[str, str]:
    """Return (name, region) of `--chapter "New York=New York, NY"`; without `=`, the region is the name."""
    name, _, region = spec.partition("=")
    name, region = name.strip(), region.strip()
    if not name:
        raise InvalidInputError(f'--chapter {spec!r}: give the chapter as NAME or "NAME=REGION"')
    return name, region or name


class NotAllowedError(GivefirstError):
    """The member may not do this (a page answers 403). Hidden records answer NotFoundError instead."""
