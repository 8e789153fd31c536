"""Passkeys: adding one and signing in with it, verified by py_webauthn against a software authenticator that signs
like a real one (ES256, "none" attestation) — no verification is mocked — and each usual failure's message."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.hub.services import account, passkeys
from givefirst.hub.services.context import Hub
from givefirst.hub.services.members import SignInRefused
from givefirst.hub.store import members as stored_members
from givefirst.hub.store import settings as stored_settings
from givefirst.hub.store.schema import audit_log, passkey_challenges
from givefirst.hub.store.schema import passkeys as passkeys_table
from tests.conftest import NOW
from tests.hub import factory
from tests.hub.authenticator import SoftAuthenticator, b64url, unb64url

ORIGIN = "http://127.0.0.1:8780"


def at(hub: Hub, delta: timedelta) -> Hub:
    return dataclasses.replace(hub, clock=lambda: NOW + delta)


def me(hub: Hub, member_id: int):  # type: ignore[no-untyped-def]
    with hub.engine.connect() as conn:
        return stored_members.member_by_id(conn, member_id)


def site(hub: Hub) -> passkeys.Site:
    return passkeys.site(hub, ORIGIN + "/")


def enrolled(hub: Hub, device: SoftAuthenticator | None = None) -> tuple[Any, SoftAuthenticator]:
    """A member with one passkey on `device`."""
    member = me(hub, factory.member(hub, factory.chapter(hub)))
    device = device or SoftAuthenticator()
    options = passkeys.registration_options(hub, member, site(hub))
    passkeys.register(hub, member, site(hub), "my phone", device.create(options, ORIGIN))
    return member, device


def sign_in(hub: Hub, device: SoftAuthenticator, origin: str = ORIGIN, client: str = "10.0.0.1") -> Any:
    options = passkeys.authentication_options(hub, site(hub), client)
    return passkeys.authenticate(hub, site(hub), device.get(options, origin), client)


def test_add_a_passkey_then_sign_in_with_it(hub: Hub) -> None:
    member, device = enrolled(hub)
    [stored] = passkeys.passkeys_of(hub, member)
    assert stored.name == "my phone" and stored.transports == ("internal",) and stored.last_used_at is None
    assert stored.credential_id == b64url(device.credentials[0].credential_id)
    later = at(hub, timedelta(minutes=1))
    assert sign_in(later, device).id == member.id
    assert sign_in(later, device).id == member.id  # the counter rose again: fine
    [used] = passkeys.passkeys_of(hub, member)
    assert used.sign_count == 2 and used.last_used_at == NOW + timedelta(minutes=1)
    # the next registration's options exclude the passkey already there, so a device does not enroll twice
    options = passkeys.registration_options(hub, member, site(hub))
    assert [c["id"] for c in options["excludeCredentials"]] == [stored.credential_id]
    assert options["rp"] == {"id": "127.0.0.1", "name": "givefirst hub"}
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert unb64url(options["user"]["id"]) == member.public_id.encode()


def test_a_device_without_a_counter_signs_in_every_time(hub: Hub) -> None:
    member, device = enrolled(hub, SoftAuthenticator(counting=False))
    assert sign_in(hub, device).id == member.id and sign_in(hub, device).id == member.id


def test_the_relying_party_is_the_configured_address(hub: Hub) -> None:
    assert site(hub) == passkeys.Site("127.0.0.1", ORIGIN, "givefirst hub")
    with hub.engine.begin() as conn:
        stored_settings.put(conn, "base_url", "https://Hub.Example.org")
    assert passkeys.site(hub, ORIGIN) == passkeys.Site("hub.example.org", "https://hub.example.org", "givefirst hub")
    with hub.engine.begin() as conn:
        stored_settings.put(conn, "base_url", "https://hub.example.org:443/chapter")
    assert passkeys.site(hub, ORIGIN).origin == "https://hub.example.org"
    assert passkeys.site(hub, ORIGIN.replace("8780", "80")).origin == "https://hub.example.org"
    with hub.engine.begin() as conn:
        stored_settings.put(conn, "base_url", "not a url")
    with pytest.raises(InvalidInputError, match="is not a URL"):
        passkeys.site(hub, ORIGIN)


def test_registration_failures_say_why(hub: Hub) -> None:
    member = me(hub, factory.member(hub, factory.chapter(hub)))
    other = me(hub, factory.member(hub, member.chapter_id))
    device = SoftAuthenticator()
    options = passkeys.registration_options(hub, member, site(hub))
    with pytest.raises(InvalidInputError, match="name the passkey"):
        passkeys.register(hub, member, site(hub), "  ", device.create(options, ORIGIN))
    with pytest.raises(InvalidInputError, match="at most 100 characters"):
        passkeys.register(hub, member, site(hub), "x" * 101, device.create(options, ORIGIN))
    with pytest.raises(passkeys.PasskeyRefused, match=r"made on https://evil\.example, not on this hub"):
        passkeys.register(hub, member, site(hub), "phone", device.create(options, "https://evil.example"))
    options = passkeys.registration_options(hub, member, site(hub))  # that answer, refused, spent its challenge
    # another member cannot use my challenge: it is bound to who asked for it
    with pytest.raises(passkeys.PasskeyRefused, match="did not ask for that passkey answer"):
        passkeys.register(hub, other, site(hub), "phone", device.create(options, ORIGIN))
    answer = device.create(options, ORIGIN)
    passkeys.register(hub, member, site(hub), "phone", answer)
    with pytest.raises(passkeys.PasskeyRefused, match="already used once"):
        passkeys.register(hub, member, site(hub), "phone", answer)
    options = passkeys.registration_options(hub, member, site(hub))
    with pytest.raises(passkeys.PasskeyRefused, match=r"expired \(after 5 minutes\)"):
        passkeys.register(at(hub, timedelta(minutes=6)), member, site(hub), "phone", device.create(options, ORIGIN))
    # a login answer offered as a registration, and the same credential registered twice
    options = passkeys.registration_options(hub, member, site(hub))
    assertion = device.get({"challenge": options["challenge"]}, ORIGIN)
    with pytest.raises(passkeys.PasskeyRefused, match=r"is a 'webauthn\.get'"):
        passkeys.register(hub, member, site(hub), "phone", assertion)
    for bad in ("not json", "[]", {"response": {"clientDataJSON": "%%%"}}):
        with pytest.raises(passkeys.PasskeyRefused):
            passkeys.register(hub, member, site(hub), "phone", bad)  # type: ignore[arg-type]


def test_a_forged_signature_or_rp_does_not_verify(hub: Hub) -> None:
    _, device = enrolled(hub)
    options = passkeys.authentication_options(hub, site(hub), "10.0.0.1")
    answer = device.get(options, ORIGIN)
    signature = bytearray(unb64url(answer["response"]["signature"]))
    signature[-1] ^= 1
    answer["response"]["signature"] = b64url(bytes(signature))
    with pytest.raises(SignInRefused, match="did not verify"):
        passkeys.authenticate(hub, site(hub), answer, "10.0.0.1")
    options = passkeys.authentication_options(hub, site(hub), "10.0.0.1")
    with pytest.raises(SignInRefused, match="did not verify"):
        passkeys.authenticate(hub, site(hub), device.get({**options, "rpId": "evil.example"}, ORIGIN), "10.0.0.1")


def test_sign_in_failures_say_why(hub: Hub) -> None:
    member, device = enrolled(hub)
    options = passkeys.authentication_options(hub, site(hub), "10.0.0.1")
    # wrong challenge: one this hub never issued
    with pytest.raises(SignInRefused, match="did not ask for that passkey answer"):
        passkeys.authenticate(hub, site(hub), device.get({"challenge": b64url(b"x" * 32)}, ORIGIN), "10.0.0.1")
    # wrong origin
    with pytest.raises(SignInRefused, match=r"made on https://phish\.example"):
        passkeys.authenticate(hub, site(hub), device.get(options, "https://phish.example"), "10.0.0.1")
    # replayed: a challenge works once, even for an answer that failed
    with pytest.raises(SignInRefused, match="already used once"):
        passkeys.authenticate(hub, site(hub), device.get(options, ORIGIN), "10.0.0.1")
    # a registration challenge is not a sign-in challenge
    registration = passkeys.registration_options(hub, member, site(hub))
    with pytest.raises(SignInRefused, match="did not ask for that passkey answer"):
        passkeys.authenticate(hub, site(hub), device.get(registration, ORIGIN), "10.0.0.1")
    # unknown credential: another device's passkey this hub never saw
    stranger = SoftAuthenticator()
    stranger.create({"rp": {"id": "127.0.0.1"}, "user": {"id": b64url(b"u")}, "challenge": b64url(b"c")}, ORIGIN)
    options = passkeys.authentication_options(hub, site(hub), "10.0.0.2")
    with pytest.raises(SignInRefused, match="not registered here"):
        passkeys.authenticate(hub, site(hub), stranger.get(options, ORIGIN), "10.0.0.2")


def test_a_counter_that_goes_back_is_refused(hub: Hub) -> None:
    member, device = enrolled(hub)
    sign_in(hub, device)
    sign_in(hub, device)  # the server has seen 2
    clone = device.credentials[0]
    clone.sign_count = 0  # a copy of the key that signs from 1 again
    with pytest.raises(SignInRefused, match=r"signature counter went back \(1, after 2\)"):
        sign_in(hub, device)
    [stored] = passkeys.passkeys_of(hub, member)
    assert stored.sign_count == 2


def test_failed_passkey_sign_ins_are_rate_limited_like_passwords(hub: Hub) -> None:
    _, device = enrolled(hub)
    for _ in range(20):
        with pytest.raises(SignInRefused, match="did not ask"):
            passkeys.authenticate(hub, site(hub), device.get({"challenge": b64url(b"y" * 32)}, ORIGIN), "10.9.9.9")
    with pytest.raises(SignInRefused, match="too many failed sign-ins") as refused:
        passkeys.authentication_options(hub, site(hub), "10.9.9.9")
    assert refused.value.retry_minutes is not None
    assert sign_in(hub, device, client="10.0.0.3") is not None  # another address is not held back


def test_remove_export_and_delete(hub: Hub) -> None:
    member, device = enrolled(hub)
    other, _ = enrolled(hub)
    [mine] = passkeys.passkeys_of(hub, member)
    [theirs] = passkeys.passkeys_of(hub, other)
    exported = account.export(hub, member)["passkeys"]
    assert exported == [
        {
            "name": "my phone",
            "credential_id": mine.credential_id,
            "transports": ["internal"],
            "created_at": NOW.isoformat(),
            "last_used_at": None,
        }
    ]
    with pytest.raises(NotFoundError, match="no such passkey"):
        passkeys.remove(hub, member, theirs.id)  # someone else's passkey
    passkeys.remove(hub, member, mine.id)
    assert passkeys.passkeys_of(hub, member) == []
    with pytest.raises(SignInRefused, match="not registered here"):
        sign_in(hub, device)
    with hub.engine.connect() as conn:
        actions = conn.execute(
            select(audit_log.c.action, audit_log.c.detail).where(audit_log.c.actor_id == member.id)
        ).all()
    assert [a for a, _ in actions if a.startswith("passkey.")] == ["passkey.add", "passkey.remove"]
    # deleting the account deletes its passkeys (and its pending challenges)
    passkeys.registration_options(hub, other, site(hub))
    account.delete_account(hub, other, "delete")
    with hub.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(passkeys_table)).scalar() == 0
        pending = select(func.count()).select_from(passkey_challenges).where(passkey_challenges.c.member_id == other.id)
        assert conn.execute(pending).scalar() == 0
