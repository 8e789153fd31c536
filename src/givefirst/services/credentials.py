"""Secrets for live sources, never stored by givefirst: read when a sync needs them, from where the user says.

A source's config names one place (and only the place, never the secret):
- `password_env`: an environment variable holding it (GIVEFIRST_WORK_MAIL_PASSWORD=...);
- `password_command`: a command printing it on its first line, as mbsync's PassCmd ("pass show mail");
- `keyring`: the system keyring (the optional `keyring` package), under service "givefirst" and the user name
  "SOURCE:USER"; `givefirst source add ... --keyring` asks for the secret once and stores it there.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Mapping
from typing import Any

from givefirst.errors import GivefirstError, InvalidInputError

KEYRING_SERVICE = "givefirst"
COMMAND_TIMEOUT = 60  # seconds: a password manager may ask for a passphrase first
WAYS = ("password_env", "password_command", "keyring")


class CredentialError(GivefirstError):
    """The secret of a source cannot be found where its config says."""


def check_way(config: Mapping[str, Any], *, required: bool) -> None:
    """Refuse a config naming more than one place for its secret (or none, when one is required)."""
    given = [way for way in WAYS if config.get(way)]
    if len(given) > 1:
        raise InvalidInputError("give one of --password-env, --password-command and --keyring, not several")
    if required and not given:
        raise InvalidInputError(
            "say where the password is: --password-env VAR, --password-command 'pass show mail' or --keyring"
        )
    env = config.get("password_env")
    if env is not None and (not isinstance(env, str) or not env.replace("_", "").isalnum()):
        raise InvalidInputError(f"--password-env takes an environment variable's name, not {env!r}")


def secret(source: str, config: Mapping[str, Any]) -> str | None:
    """Return the source's secret from the place its config names, None when it names none.

    Raises CredentialError, naming the source and the place, when the place has no secret.
    """
    if config.get("password_env"):
        name = str(config["password_env"])
        value = os.environ.get(name)
        if not value:
            raise CredentialError(f"source {source}: the environment variable {name} is not set")
        return value
    if config.get("password_command"):
        return _run(source, str(config["password_command"]))
    if config.get("keyring"):
        keyring = _keyring(source)
        value = keyring.get_password(KEYRING_SERVICE, keyring_user(source, config))
        if not value:
            raise CredentialError(
                f"source {source}: no password in the system keyring for {keyring_user(source, config)} "
                f"(service {KEYRING_SERVICE}); add it again with --keyring"
            )
        return str(value)
    return None


def keyring_user(source: str, config: Mapping[str, Any]) -> str:
    return f"{source}:{config.get('user') or ''}"


def store_in_keyring(source: str, config: Mapping[str, Any], value: str) -> None:
    _keyring(source).set_password(KEYRING_SERVICE, keyring_user(source, config), value)


def forget(source: str, config: Mapping[str, Any]) -> None:
    """Remove the source's secret from the keyring, when it was kept there (a source being removed)."""
    if not config.get("keyring"):
        return
    try:
        keyring = _keyring(source)
        keyring.delete_password(KEYRING_SERVICE, keyring_user(source, config))
    except Exception:  # already gone, or no keyring here: nothing left to forget
        return


def require_keyring(source: str) -> None:
    """Raise CredentialError when this machine has no usable system keyring."""
    _keyring(source)


def _keyring(source: str) -> Any:
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        raise CredentialError(
            f"source {source}: the system keyring needs the 'keyring' package (pip install keyring)"
        ) from None
    if isinstance(keyring.get_keyring(), fail.Keyring):
        raise CredentialError(f"source {source}: no system keyring is available on this machine")
    return keyring


def _run(source: str, command: str) -> str:
    """Run the password command (through the shell, as mail tools do) and return its first line."""
    try:
        done = subprocess.run(  # the user's own command, as mbsync's PassCmd
            command, shell=True, capture_output=True, timeout=COMMAND_TIMEOUT, check=False, text=True
        )
    except subprocess.TimeoutExpired:
        raise CredentialError(f"source {source}: the password command did not finish in {COMMAND_TIMEOUT} s") from None
    except OSError as exc:
        raise CredentialError(f"source {source}: cannot run the password command: {exc.strerror}") from None
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1][:200]
        raise CredentialError(f"source {source}: the password command {shlex.quote(command)} failed: {why}")
    line = done.stdout.splitlines()[0].rstrip("\r") if done.stdout else ""
    if not line:
        raise CredentialError(f"source {source}: the password command printed nothing")
    return line
