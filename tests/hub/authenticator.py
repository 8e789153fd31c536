"""A software WebAuthn authenticator for tests: ES256 keys, "none" attestation, signing as a real device does.

It builds the bytes the spec describes (authenticator data, COSE key, attestation object, client data, the
ECDSA signature over authenticator data + SHA-256 of the client data), so the server's real verification runs.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import struct
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import encode_cbor

UP, UV, AT = 0x01, 0x04, 0x40  # authenticator data flags: user present, user verified, attested credential data


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Credential:
    credential_id: bytes
    key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    sign_count: int = 0


@dataclass
class SoftAuthenticator:
    """Holds its credentials; `counting` False makes it a device without a signature counter (always 0)."""

    counting: bool = True
    credentials: list[Credential] = field(default_factory=list)

    def create(self, options: dict[str, Any], origin: str) -> dict[str, Any]:
        """Answer `navigator.credentials.create(options)` as made on `origin`."""
        rp_id = options["rp"]["id"]
        key = ec.generate_private_key(ec.SECP256R1())
        credential = Credential(secrets.token_bytes(16), key, rp_id, unb64url(options["user"]["id"]))
        self.credentials.append(credential)
        numbers = key.public_key().public_numbers()
        cose = encode_cbor({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})
        attested = bytes(16) + struct.pack(">H", len(credential.credential_id)) + credential.credential_id + cose
        auth_data = self._auth_data(rp_id, UP | UV | AT, 0) + attested
        client = self._client_data("webauthn.create", options["challenge"], origin)
        attestation = encode_cbor({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64url(credential.credential_id),
            "rawId": b64url(credential.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client),
                "attestationObject": b64url(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        }

    def get(self, options: dict[str, Any], origin: str, credential: Credential | None = None) -> dict[str, Any]:
        """Answer `navigator.credentials.get(options)` with `credential` (default: the last one made)."""
        used = credential or self.credentials[-1]
        if self.counting:
            used.sign_count += 1
        auth_data = self._auth_data(options.get("rpId", used.rp_id), UP | UV, used.sign_count)
        client = self._client_data("webauthn.get", options["challenge"], origin)
        signature = used.key.sign(auth_data + hashlib.sha256(client).digest(), ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64url(used.credential_id),
            "rawId": b64url(used.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(used.user_handle),
            },
            "clientExtensionResults": {},
        }

    @staticmethod
    def _auth_data(rp_id: str, flags: int, count: int) -> bytes:
        return hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", count)

    @staticmethod
    def _client_data(kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}).encode()
