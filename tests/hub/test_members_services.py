"""Getting in: setting a hub up, invite links, joining, the sign-in rate limit, roles and the audit log."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import select

from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.hub.domain.access import Role
from givefirst.hub.domain.members import NotAllowedError, new_invite_token
from givefirst.hub.services import audit, members
from givefirst.hub.services.context import Hub
from givefirst.hub.store import members as stored_members
from givefirst.hub.store.schema import invites, login_attempts
from tests.conftest import NOW
from tests.hub import factory

PASSWORD = "correct horse battery"


def at(hub: Hub, delta: timedelta) -> Hub:
    """The same hub, its clock moved by `delta`."""
    return dataclasses.replace(hub, clock=lambda: NOW + delta)


def member(hub: Hub, member_id: int):  # type: ignore[no-untyped-def]
    with hub.engine.connect() as conn:
        return stored_members.member_by_id(conn, member_id)


def test_init_makes_chapters_and_an_admin_link_that_works_once(hub: Hub) -> None:
    setup = members.init_hub(hub, "Project Managers United", ["New York=New York, NY", "Florida"], "ana@example.org")
    assert [(c.slug, c.region) for c in setup.chapters] == [("new-york", "New York, NY"), ("florida", "Florida")]
    assert members.invite_url(hub, setup.admin_token).startswith("http://127.0.0.1:8780/join/")
    info = members.check_invite(hub, setup.admin_token)
    assert info.role is Role.ADMIN and info.email == "ana@example.org" and info.chapter == "New York"
    with pytest.raises(InvalidInputError, match=r"this invitation is for ana@example\.org"):
        members.join(hub, setup.admin_token, "Ana", "someone@example.org", PASSWORD)
    ana = members.join(hub, setup.admin_token, "  Ana   Admin ", "ANA@example.org", PASSWORD)
    assert ana.name == "Ana Admin" and ana.role is Role.ADMIN and ana.email == "ana@example.org"
    with pytest.raises(InvalidInputError, match="already been used"):
        members.join(hub, setup.admin_token, "Eve", "ana@example.org", PASSWORD)
    with pytest.raises(InvalidInputError, match="already set up for Project Managers United"):
        members.init_hub(hub, "Other", ["X"], "x@example.org")
    assert members.association_name(hub) == "Project Managers United"


def test_forged_expired_and_cut_links_say_so(hub: Hub) -> None:
    chapter = factory.chapter(hub)
    token = members.create_invite(hub, None, chapter, days=3)
    nonce, signature = token.split(".")
    # the signature's last character changed (to another one: a signature ending in "x" failed 1 run in 64)
    forged = f"{nonce}.{signature[:-1]}{'y' if signature.endswith('x') else 'x'}"
    for bad in (forged, nonce, new_invite_token(b"another hub's key" * 2), "", "." * 300):
        with pytest.raises(InvalidInputError, match="not valid"):
            members.check_invite(hub, bad)
    # signed by this hub but not in its database (say, restored from an older backup): not valid either
    with pytest.raises(InvalidInputError, match="not valid"):
        members.check_invite(hub, new_invite_token(hub.secret))
    later = at(hub, timedelta(days=3))
    with pytest.raises(InvalidInputError, match=r"expired on 2026-11-28"):
        members.join(later, token, "Late", "late@example.org", PASSWORD)
    assert members.check_invite(at(hub, timedelta(days=2, hours=23)), token).role is Role.MEMBER


def test_join_checks_its_fields_and_a_used_link_cannot_be_reused(hub: Hub) -> None:
    chapter = factory.chapter(hub)
    token = members.create_invite(hub, None, chapter)
    with pytest.raises(InvalidInputError, match="at least 10 characters"):
        members.join(hub, token, "Bo", "bo@example.org", "short")
    with pytest.raises(InvalidInputError, match="your name"):
        members.join(hub, token, "   ", "bo@example.org", PASSWORD)
    with pytest.raises(InvalidInputError, match="invalid email"):
        members.join(hub, token, "Bo", "not an address", PASSWORD)
    taken = factory.member(hub, chapter)
    with pytest.raises(InvalidInputError, match="already an account"):
        members.join(hub, token, "Bo", member(hub, taken).email, PASSWORD)
    bo = members.join(hub, token, "Bo", "bo@example.org", PASSWORD)
    with hub.engine.connect() as conn:
        row = conn.execute(select(invites)).one()
    assert row.used_by == bo.id and row.used_at == NOW and token not in str(row)  # only the hash is stored


def test_who_may_invite(hub: Hub) -> None:
    here, there = factory.chapter(hub, "Here"), factory.chapter(hub, "There")
    plain = member(hub, factory.member(hub, here))
    lead = member(hub, factory.member(hub, here, role=Role.LEAD))
    admin = member(hub, factory.member(hub, there, role=Role.ADMIN))
    with pytest.raises(NotAllowedError, match="only the chapter's leads"):
        members.create_invite(hub, plain, here)
    with pytest.raises(NotAllowedError, match="only the chapter's leads"):
        members.create_invite(hub, lead, there)
    with pytest.raises(NotAllowedError, match="only an admin can invite a lead"):
        members.create_invite(hub, lead, here, role=Role.LEAD)
    assert members.create_invite(hub, lead, here, sponsor_id=plain.id)
    assert members.create_invite(hub, admin, here, role=Role.LEAD, email="new.lead@example.org")
    with pytest.raises(InvalidInputError, match="already a member"):
        members.create_invite(hub, admin, here, email=plain.email)
    with pytest.raises(NotFoundError):
        members.create_invite(hub, admin, here, sponsor_id=99999)
    # both invites are in the audit log, which the chapter's lead reads and a plain member may not
    target = "chapter:" + _slug(hub, here)
    actions = [(e.actor, e.action, e.target) for e in audit.entries(hub, lead)]
    assert actions == [(admin.name, "invite.create", target), (lead.name, "invite.create", target)]
    assert audit.entries(hub, member(hub, factory.member(hub, there, role=Role.LEAD))) == []
    with pytest.raises(NotAllowedError):
        audit.entries(hub, plain)


def _slug(hub: Hub, chapter_id: int) -> str:
    with hub.engine.connect() as conn:
        found = stored_members.chapter_by_id(conn, chapter_id)
    assert found is not None
    return found.slug


def _joined(hub: Hub, chapter_id: int, email: str, role: Role = Role.MEMBER) -> int:
    token = members.create_invite(hub, None, chapter_id, role=role)
    return members.join(hub, token, email.split("@")[0].title(), email, PASSWORD).id


def test_sign_in_gives_one_answer_for_unknown_and_wrong(hub: Hub) -> None:
    chapter = factory.chapter(hub)
    me = _joined(hub, chapter, "me@example.org")
    assert members.login(hub, " ME@example.org ", PASSWORD, "10.0.0.1").id == me
    with pytest.raises(members.SignInRefused) as wrong:
        members.login(hub, "me@example.org", PASSWORD + "!", "10.0.0.1")
    with pytest.raises(members.SignInRefused) as unknown:
        members.login(hub, "nobody@example.org", PASSWORD, "10.0.0.1")
    pending = factory.member(hub, chapter)  # a row without a password (never joined) cannot sign in either
    with pytest.raises(members.SignInRefused) as no_password:
        members.login(hub, member(hub, pending).email, "", "10.0.0.1")
    assert str(wrong.value) == str(unknown.value) == str(no_password.value) == members.WRONG_CREDENTIALS


def test_five_failures_lock_the_address_for_fifteen_minutes_on_every_worker(hub: Hub) -> None:
    chapter = factory.chapter(hub)
    me = _joined(hub, chapter, "me@example.org")
    for minute in range(5):
        with pytest.raises(members.SignInRefused, match="do not match"):
            members.login(at(hub, timedelta(minutes=minute)), "me@example.org", "guess number " + str(minute), "a")
    # the right password does not get through either: guessing stops here
    with pytest.raises(members.SignInRefused, match="try again in 11 minutes") as locked:
        members.login(at(hub, timedelta(minutes=4)), "me@example.org", PASSWORD, "another address")
    assert locked.value.retry_minutes == 11
    with pytest.raises(members.SignInRefused, match=r"try again in 1 minute$"):
        members.login(at(hub, timedelta(minutes=14, seconds=30)), "me@example.org", PASSWORD, "b")
    # a second hub on the same database (another worker) counts the same failures
    with pytest.raises(members.SignInRefused, match="try again"):
        members.login(dataclasses.replace(hub, clock=lambda: NOW + timedelta(minutes=6)), "me@example.org", "x", "c")
    assert members.login(at(hub, timedelta(minutes=15)), "me@example.org", PASSWORD, "b").id == me
    with hub.engine.connect() as conn:  # success forgets the e-mail's failures; the old ones are pruned
        keys = [r.key for r in conn.execute(select(login_attempts))]
    assert not any(k.startswith("email:") for k in keys)


def test_one_client_address_trying_many_e_mails_is_limited_too(hub: Hub) -> None:
    for n in range(20):
        with pytest.raises(members.SignInRefused, match="do not match"):
            members.login(hub, f"guess{n}@example.org", "whatever123", "203.0.113.9")
    with pytest.raises(members.SignInRefused, match="try again in 15 minutes"):
        members.login(hub, "guess99@example.org", "whatever123", "203.0.113.9")
    with pytest.raises(members.SignInRefused, match="do not match"):
        members.login(hub, "guess99@example.org", "whatever123", "198.51.100.1")


def test_an_admin_makes_a_lead_and_it_is_audited(hub: Hub) -> None:
    here = factory.chapter(hub)
    admin = member(hub, _joined(hub, here, "admin@example.org", Role.ADMIN))
    ben = member(hub, _joined(hub, here, "ben@example.org"))
    with pytest.raises(NotAllowedError):
        members.set_role(hub, ben, admin.public_id, Role.MEMBER)
    assert members.set_role(hub, admin, ben.public_id, Role.LEAD).role is Role.LEAD
    with pytest.raises(InvalidInputError, match="last admin"):
        members.set_role(hub, admin, admin.public_id, Role.MEMBER)
    with pytest.raises(NotFoundError):
        members.set_role(hub, admin, "no-such-member", Role.LEAD)
    entry = audit.entries(hub, admin)[0]
    assert (entry.actor, entry.action, entry.target) == ("Admin", "role.set", f"member:{ben.public_id}")
    assert '"from": "member", "to": "lead"' in entry.detail
    lead = member(hub, ben.id)
    assert audit.entries(hub, lead)[0].action == "role.set"  # the new lead reads their chapter's log


def test_an_older_hash_is_upgraded_at_sign_in(hub: Hub) -> None:
    from argon2 import PasswordHasher

    chapter = factory.chapter(hub)
    old = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(PASSWORD)
    me = factory.member(hub, chapter, password_hash=old)
    email = member(hub, me).email
    assert members.login(hub, email, PASSWORD, "x").id == me
    with hub.engine.connect() as conn:
        now_stored = stored_members.password_hash_of(conn, email)
    assert now_stored is not None and now_stored[1] is not None and now_stored[1] != old
    assert now_stored[1].startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert members.login(hub, email, PASSWORD, "x").id == me
