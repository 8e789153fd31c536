"""Where a source's password comes from: never the database; an environment variable, a command, the keyring."""

from __future__ import annotations

import pytest

from givefirst.errors import InvalidInputError
from givefirst.services.credentials import CredentialError, check_way, secret


def test_the_environment_variable_is_read_when_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAIL_PW", "s3cret")
    assert secret("work", {"password_env": "MAIL_PW"}) == "s3cret"
    monkeypatch.delenv("MAIL_PW")
    with pytest.raises(CredentialError, match="source work: the environment variable MAIL_PW is not set"):
        secret("work", {"password_env": "MAIL_PW"})


def test_the_command_gives_its_first_line_and_its_failures_are_named() -> None:
    assert secret("work", {"password_command": "printf 'pw with spaces\\nrest\\n'"}) == "pw with spaces"
    with pytest.raises(CredentialError, match="failed: no such entry"):
        secret("work", {"password_command": "echo 'no such entry' >&2; exit 3"})
    with pytest.raises(CredentialError, match="printed nothing"):
        secret("work", {"password_command": "true"})


def test_a_config_names_exactly_one_place() -> None:
    with pytest.raises(InvalidInputError, match="not several"):
        check_way({"password_env": "A", "password_command": "pass show mail"}, required=True)
    with pytest.raises(InvalidInputError, match="say where the password is"):
        check_way({}, required=True)
    with pytest.raises(InvalidInputError, match="environment variable's name"):
        check_way({"password_env": "$(rm -rf ~)"}, required=True)
    check_way({}, required=False)
    assert secret("feed", {}) is None
