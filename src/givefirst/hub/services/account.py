"""My data: export all of it as JSON, or delete my account. Both are written to the audit log.

Deleting anonymises rather than erases: the name becomes "a former member" and the e-mail, password,
sessions, tokens and passkeys go, my open needs and offers close; introductions with others stay (they are the other
member's history too), showing "a former member" on their side.
"""

from __future__ import annotations

from typing import Any

from givefirst.errors import InvalidInputError
from givefirst.hub.domain.members import FORMER_MEMBER
from givefirst.hub.domain.model import Member
from givefirst.hub.services import audit, passkeys
from givefirst.hub.services.context import Hub
from givefirst.hub.store import members as stored_members
from givefirst.hub.store import passkeys as stored_passkeys
from givefirst.hub.store import profiles as stored

CONFIRM_WORD = "delete"
EXPORT_VERSION = 1


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export(hub: Hub, me: Member) -> dict[str, Any]:
    """Everything the hub keeps about me: profile, needs and offers, introductions, RSVPs, API tokens, passkeys."""
    now = hub.now()
    with hub.engine.begin() as conn:
        chapter = stored_members.chapter_by_id(conn, me.chapter_id)
        sponsor = stored_members.member_by_id(conn, me.sponsor_id) if me.sponsor_id is not None else None
        my_items = stored.own_items(conn, me.id)
        intros = stored.own_introductions(conn, me.id)
        attending = stored.own_rsvps(conn, me.id)
        tokens = stored.tokens_of(conn, me.id)
        others = {getattr(r, side) for r in intros for side in ("seeker_id", "helper_id", "proposer_id")}
        names = stored.names_of(conn, {o for o in others if o is not None and o != me.id})
        audit.record(conn, me.id, "account.export", f"member:{me.public_id}", {}, at=now)

    def intro(row: Any) -> dict[str, Any]:
        role = "seeker" if row.seeker_id == me.id else "helper" if row.helper_id == me.id else "introducer"
        connected = row.connected_at is not None or row.proposer_id == me.id

        def who(member_id: int | None) -> str | None:
            if member_id is None:
                return None
            if member_id == me.id:
                return me.name
            # Before both sides accept, the other side's name is theirs to give: it is left out.
            return names.get(member_id) if connected else None

        return {
            "id": row.public_id,
            "kind": row.kind,
            "my_role": role,
            "seeker": who(row.seeker_id),
            "helper": who(row.helper_id),
            "introducer": who(row.proposer_id) if row.proposer_id is not None else "the hub",
            "seeker_answer": row.seeker_answer,
            "helper_answer": row.helper_answer,
            "message": row.message,
            "created_at": _iso(row.created_at),
            "connected_at": _iso(row.connected_at),
            "outcome": row.outcome,
            "outcome_note": row.outcome_note,
            "outcome_at": _iso(row.outcome_at),
        }

    return {
        "format": "givefirst-hub-export",
        "version": EXPORT_VERSION,
        "exported_at": now.isoformat(),
        "profile": {
            "id": me.public_id,
            "name": me.name,
            "email": me.email,
            "role": me.role.value,
            "chapter": chapter.name if chapter else None,
            "sponsor": sponsor.name if sponsor is not None else None,
            "headline": me.headline,
            "location": me.location,
            "moving_to": me.moving_to,
            "moving_on": _iso(me.moving_on),
            "digest_opt_out": me.digest_opt_out,
            "joined_at": _iso(me.joined_at),
        },
        "items": [
            {
                "id": r.public_id,
                "kind": r.kind,
                "text": r.text,
                "tags": [t for t in (r.tags or "").split(",") if t],
                "location": r.location,
                "visibility": r.visibility,
                "status": r.status,
                "created_at": _iso(r.created_at),
                "closed_at": _iso(r.closed_at),
                "expires_on": _iso(r.expires_on),
            }
            for r in my_items
        ],
        "introductions": [intro(r) for r in intros],
        "rsvps": [
            {
                "event": r.event_public_id,
                "title": r.title,
                "starts_at": _iso(r.starts_at),
                "answer": r.answer,
                "answered_at": _iso(r.answered_at),
                "checked_in_at": _iso(r.checked_in_at),
            }
            for r in attending
        ],
        "api_tokens": [{"name": r.name, "created_at": _iso(r.created_at)} for r in tokens],
        "passkeys": passkeys.export_rows(hub, me),
    }


def delete_account(hub: Hub, me: Member, confirm: str) -> None:
    """Delete my account (anonymised: see the module's note); `confirm` must be the word "delete"."""
    if confirm.strip().lower() != CONFIRM_WORD:
        raise InvalidInputError(f'type "{CONFIRM_WORD}" to confirm that the account should go')
    if me.deleted:
        return
    now = hub.now()
    with hub.engine.begin() as conn:
        if me.role.value == "admin" and stored_members.count_admins(conn) <= 1:
            raise InvalidInputError("you are the last admin: make another member an admin before you leave")
        stored.anonymise(conn, me.id, me.public_id, FORMER_MEMBER, now)
        stored_passkeys.remove_member(conn, me.id)
        audit.record(conn, me.id, "account.delete", f"member:{me.public_id}", {}, chapter_id=me.chapter_id, at=now)
