"""The ids the hub shows in its addresses, API answers and CLI arguments.

`secrets.token_urlsafe` may start an id with "-", which a command line then reads as an option
(`givefirst hub outcome -lX3… helped` fails); an id drawn from letters and digits is safe anywhere.
"""

from __future__ import annotations

import secrets
import string

_ALPHABET = string.ascii_letters + string.digits
LENGTH = 16  # 62**16 ≈ 2**95: as hard to guess as token_urlsafe(12)


def new_public_id() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(LENGTH))
