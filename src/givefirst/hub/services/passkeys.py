"""Passkeys (WebAuthn): a second way in, beside the password. py_webauthn does the cryptography and the checks.

A signed-in member adds a passkey (registration); anyone may then sign in with one (authentication), without
typing an e-mail: passkeys are made discoverable ("resident") and user-verifying (the device's PIN or biometric),
so a passkey alone is as strong as a password plus a second factor.

Each ceremony's challenge is a database row (`store.passkeys`), bound to its purpose and, for registration, to
the member; it works once, within CHALLENGE_MINUTES. Before handing the answer to py_webauthn, which verifies
everything again, the client data is read here to give each usual failure its own plain message: an unknown,
used or expired challenge, an answer made on another site (origin), an unknown passkey, a signature counter that
went backwards (a cloned authenticator). Failed sign-ins count toward the same limits as wrong passwords.

The relying party is the hub's configured address (`hub init --url`), else the address the browser used (the
Host header, checked by the web guard, and the scheme uvicorn's `--proxy-headers` reports).
"""

from __future__ import annotations

import binascii
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url, parse_authenticator_data
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.parse_client_data_json import parse_client_data_json
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.hub.domain.members import ADDRESS_LIMIT, EMAIL_LIMIT, retry_after
from givefirst.hub.domain.model import Member
from givefirst.hub.services import audit
from givefirst.hub.services.context import Hub
from givefirst.hub.services.members import SignInRefused
from givefirst.hub.store import login_attempts
from givefirst.hub.store import members as stored_members
from givefirst.hub.store import passkeys as stored
from givefirst.hub.store import settings as stored_settings
from givefirst.hub.store.passkeys import StoredPasskey

CHALLENGE_MINUTES = 5
TIMEOUT_MS = CHALLENGE_MINUTES * 60 * 1000
KEEP_USED_MINUTES = 60  # challenges are kept this long past expiry, to answer "already used" rather than "unknown"
NAME_LENGTH = 100
REGISTER, LOGIN = "register", "login"
_TRANSPORTS = {t.value for t in AuthenticatorTransport}


class PasskeyRefused(InvalidInputError):
    """A passkey's answer was refused; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class Site:
    """The relying party: the host name passkeys are bound to, and the origin browsers report."""

    rp_id: str
    origin: str
    name: str


def site(hub: Hub, seen_at: str) -> Site:
    """The hub's configured address (`hub init --url`), else `seen_at`: the base URL the request came to."""
    with hub.engine.connect() as conn:
        base = stored_settings.get(conn, "base_url") or seen_at
        name = stored_settings.get(conn, "association") or "givefirst hub"
    parts = urlsplit(base)
    if not parts.scheme or not parts.hostname:
        raise InvalidInputError(f"the hub's address {base!r} is not a URL; passkeys need one")
    host = parts.netloc.rsplit("@", 1)[-1].lower()
    default_port = {"https": ":443", "http": ":80"}.get(parts.scheme.lower(), "")
    if default_port and host.endswith(default_port):
        host = host.removesuffix(default_port)  # browsers leave a default port out of the origin they report
    return Site(rp_id=parts.hostname, origin=f"{parts.scheme.lower()}://{host}", name=name)


# --- challenges ----------------------------------------------------------------------------------------------


def _new_challenge(hub: Hub, purpose: str, member_id: int | None) -> bytes:
    raw = secrets.token_bytes(32)
    now = hub.now()
    with hub.engine.begin() as conn:
        stored.forget_challenges_before(conn, now - timedelta(minutes=KEEP_USED_MINUTES))
        expires = now + timedelta(minutes=CHALLENGE_MINUTES)
        stored.add_challenge(conn, bytes_to_base64url(raw), purpose, member_id, now, expires)
    return raw


def _credential(credential: str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(credential, str):
        try:
            credential = json.loads(credential)
        except ValueError:
            raise PasskeyRefused("the passkey's answer is not JSON") from None
    if not isinstance(credential, dict) or not isinstance(credential.get("response"), dict):
        raise PasskeyRefused("the passkey's answer lacks its response")
    return credential


def _use_challenge(hub: Hub, site_: Site, credential: dict[str, Any], purpose: str, member_id: int | None) -> bytes:
    """Check the answer's client data against this site and a challenge we issued, and use that challenge up."""
    try:
        client = parse_client_data_json(base64url_to_bytes(str(credential["response"].get("clientDataJSON", ""))))
    except (WebAuthnException, binascii.Error, ValueError):
        raise PasskeyRefused("the passkey's answer holds no readable client data") from None
    challenge = bytes_to_base64url(client.challenge)
    now = hub.now()
    with hub.engine.begin() as conn:
        found = stored.find_challenge(conn, challenge)
        if found is None or found.purpose != purpose or found.member_id != member_id:
            raise PasskeyRefused("this hub did not ask for that passkey answer (unknown challenge): start again")
        if found.used_at is not None:
            raise PasskeyRefused("that passkey answer was already used once: start again")
        if found.expires_at <= now:
            raise PasskeyRefused(f"the passkey request expired (after {CHALLENGE_MINUTES} minutes): start again")
        if not stored.use_challenge(conn, challenge, now):
            raise PasskeyRefused("that passkey answer was already used once: start again")
    # Checked after the challenge is used up, so that any answer, even a refused one, spends it.
    expected_type = "webauthn.create" if purpose == REGISTER else "webauthn.get"
    if client.type != expected_type:
        raise PasskeyRefused(f"the passkey's answer is a {client.type!r}, where {expected_type!r} was asked for")
    if client.origin.lower() != site_.origin:
        raise PasskeyRefused(
            f"the passkey's answer was made on {client.origin}, not on this hub ({site_.origin}): open the hub at "
            "its own address"
        )
    return client.challenge


# --- adding, listing and removing my passkeys ----------------------------------------------------------------


def registration_options(hub: Hub, me: Member, site_: Site) -> dict[str, Any]:
    """The options for `navigator.credentials.create`, as JSON (binary fields base64url)."""
    with hub.engine.connect() as conn:
        mine = stored.of_member(conn, me.id)
    options = generate_registration_options(
        rp_id=site_.rp_id,
        rp_name=site_.name,
        user_id=me.public_id.encode(),  # random, not personal: it is stored on the device
        user_name=me.email,
        user_display_name=me.name,
        challenge=_new_challenge(hub, REGISTER, me.id),
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED, user_verification=UserVerificationRequirement.REQUIRED
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id)) for p in mine],
    )
    result: dict[str, Any] = json.loads(options_to_json(options))
    return result


def register(hub: Hub, me: Member, site_: Site, name: str, credential: str | dict[str, Any]) -> StoredPasskey:
    """Verify the authenticator's answer to `registration_options` and keep the new passkey. Audited."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInputError("name the passkey (for example the device it is on)")
    if len(name) > NAME_LENGTH:
        raise InvalidInputError(f"a passkey's name of at most {NAME_LENGTH} characters, please")
    answer = _credential(credential)
    challenge = _use_challenge(hub, site_, answer, REGISTER, me.id)
    try:
        verified = verify_registration_response(
            credential=answer,
            expected_challenge=challenge,
            expected_rp_id=site_.rp_id,
            expected_origin=site_.origin,
            require_user_verification=True,
        )
    except WebAuthnException as exc:
        raise PasskeyRefused(f"the new passkey did not verify: {exc}") from None
    offered = answer["response"].get("transports")
    transports = sorted({t for t in offered if t in _TRANSPORTS}) if isinstance(offered, list) else []
    now = hub.now()
    try:
        with hub.engine.begin() as conn:
            passkey_id = stored.add(
                conn,
                member_id=me.id,
                credential_id=bytes_to_base64url(verified.credential_id),
                public_key=verified.credential_public_key,
                sign_count=verified.sign_count,
                transports=transports,
                name=name,
                now=now,
            )
            audit.record(conn, me.id, "passkey.add", f"member:{me.public_id}", {"name": name}, at=now)
            added = next(p for p in stored.of_member(conn, me.id) if p.id == passkey_id)
    except IntegrityError:
        raise PasskeyRefused("that passkey is registered here already") from None
    return added


def passkeys_of(hub: Hub, me: Member) -> list[StoredPasskey]:
    with hub.engine.connect() as conn:
        return stored.of_member(conn, me.id)


def remove(hub: Hub, me: Member, passkey_id: int) -> None:
    """Remove one of my passkeys (someone else's id is "no such passkey"). Audited."""
    now = hub.now()
    with hub.engine.begin() as conn:
        name = stored.remove(conn, me.id, passkey_id)
        if name is None:
            raise NotFoundError("you have no such passkey")
        audit.record(conn, me.id, "passkey.remove", f"member:{me.public_id}", {"name": name}, at=now)


# --- signing in ----------------------------------------------------------------------------------------------


def _refuse_if_limited(conn: Connection, keys: list[str], now: datetime) -> None:
    """Refuse while the client (`keys[0]`) or the account (`keys[1]`, once known) is over its failure limit."""
    limits = (ADDRESS_LIMIT, EMAIL_LIMIT)[: len(keys)]
    waits = [
        retry_after(login_attempts.failures(conn, k, now - lim.window), lim, now)
        for k, lim in zip(keys, limits, strict=True)
    ]
    wait = max((w for w in waits if w is not None), default=None)
    if wait is not None:
        raise SignInRefused(
            f"too many failed sign-ins; try again in {wait} minute{'s' if wait != 1 else ''}", retry_minutes=wait
        )


def authentication_options(hub: Hub, site_: Site, client: str) -> dict[str, Any]:
    """The options for `navigator.credentials.get`: no credential list, the device offers its passkeys here."""
    with hub.engine.begin() as conn:
        _refuse_if_limited(conn, [f"client:{client}"[:400]], hub.now())
    options = generate_authentication_options(
        rp_id=site_.rp_id,
        challenge=_new_challenge(hub, LOGIN, None),
        timeout=TIMEOUT_MS,
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    result: dict[str, Any] = json.loads(options_to_json(options))
    return result


def authenticate(hub: Hub, site_: Site, credential: str | dict[str, Any], client: str) -> Member:
    """Return the member whose passkey made this answer, or raise SignInRefused (rate-limited like passwords)."""
    keys = [f"client:{client}"[:400]]
    now = hub.now()
    with hub.engine.begin() as conn:
        login_attempts.forget_before(conn, now - max(EMAIL_LIMIT.window, ADDRESS_LIMIT.window))
        _refuse_if_limited(conn, keys, now)
    try:
        member = _authenticate(hub, site_, credential, keys)
    except InvalidInputError as exc:
        with hub.engine.begin() as conn:
            login_attempts.add(conn, keys, now)
        raise SignInRefused(str(exc)) from None
    with hub.engine.begin() as conn:
        login_attempts.clear(conn, keys[1])
        stored_members.update_member(conn, member.id, last_seen_at=now)
    return member


def _authenticate(hub: Hub, site_: Site, credential: str | dict[str, Any], keys: list[str]) -> Member:
    """The checks of `authenticate`; appends the member's e-mail key to `keys` once the passkey is known."""
    answer = _credential(credential)
    challenge = _use_challenge(hub, site_, answer, LOGIN, None)
    credential_id = answer.get("id")
    with hub.engine.connect() as conn:
        found = stored.by_credential_id(conn, credential_id) if isinstance(credential_id, str) else None
        member = stored_members.member_by_id(conn, found.member_id) if found is not None else None
    if found is None or member is None or member.deleted:
        raise PasskeyRefused("this passkey is not registered here (or was removed): sign in with your password")
    keys.append(f"email:{member.email}"[:400])
    with hub.engine.begin() as conn:
        _refuse_if_limited(conn, keys, hub.now())  # this member's account may be locked by failed passwords
    try:
        counted = parse_authenticator_data(base64url_to_bytes(str(answer["response"].get("authenticatorData", ""))))
    except (WebAuthnException, binascii.Error, ValueError):
        raise PasskeyRefused("the passkey's answer holds no readable authenticator data") from None
    if not _count_rose(found.sign_count, counted.sign_count):
        raise _went_back(found.sign_count, counted.sign_count)
    try:
        verified = verify_authentication_response(
            credential=answer,
            expected_challenge=challenge,
            expected_rp_id=site_.rp_id,
            expected_origin=site_.origin,
            credential_public_key=found.public_key,
            credential_current_sign_count=found.sign_count,
            require_user_verification=True,
        )
    except WebAuthnException as exc:
        raise PasskeyRefused(f"the passkey's answer did not verify: {exc}") from None
    with hub.engine.begin() as conn:
        if not stored.record_use(conn, found.id, found.sign_count, verified.new_sign_count, hub.now()):
            raise _went_back(found.sign_count, verified.new_sign_count)
    return member


def _count_rose(stored_count: int, new_count: int) -> bool:
    """WebAuthn's clone check: a counter that is used (either side non-zero) must rise at every signature."""
    return (stored_count == 0 and new_count == 0) or new_count > stored_count


def _went_back(stored_count: int, new_count: int) -> PasskeyRefused:
    return PasskeyRefused(
        f"this passkey's signature counter went back ({new_count}, after {stored_count}): it may have been copied; "
        "sign in with your password and remove it"
    )


def export_rows(hub: Hub, me: Member) -> list[dict[str, Any]]:
    """My passkeys for the account export: what is public about them (a passkey's secret never leaves its device)."""
    return [
        {
            "name": p.name,
            "credential_id": p.credential_id,
            "transports": list(p.transports),
            "created_at": p.created_at.isoformat(),
            "last_used_at": p.last_used_at.isoformat() if p.last_used_at else None,
        }
        for p in passkeys_of(hub, me)
    ]
