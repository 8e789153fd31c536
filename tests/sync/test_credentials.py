"""Where a source's password comes from: never the database; an environment variable, a command, the keyring."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from givefirst.errors import InvalidInputError
from givefirst.services.context import App
from givefirst.services.credentials import CredentialError, check_way, secret
from givefirst.services.sync import add_source, remove_source
from givefirst.store.schema import live_sources


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


def test_the_keyring_keeps_the_password_and_forgets_it_with_the_source(app: App) -> None:
    """With a keyring backend (here keyring's own in-memory kind of backend), the secret lives only there."""
    keyring = pytest.importorskip("keyring")
    from keyring.backend import KeyringBackend
    from keyring.compat import properties

    before = keyring.get_keyring()  # resolved before Memory exists: every backend class is a candidate

    class Memory(KeyringBackend):
        @properties.classproperty
        def priority(cls) -> float:  # raising: keyring's own way of saying "not viable"
            raise RuntimeError("a test's backend, never chosen by auto-detection")

        def __init__(self) -> None:
            super().__init__()
            self.kept: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.kept.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.kept[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            del self.kept[(service, username)]

    memory = Memory()
    keyring.set_keyring(memory)
    try:
        config = {"host": "imap.example.com", "user": "me@example.com", "keyring": True}
        source = add_source(app, "work", "imap", config, secret_value="hunter22")
        assert memory.kept == {("givefirst", "work:me@example.com"): "hunter22"}
        assert secret("work", source.config) == "hunter22"
        with app.begin() as conn:  # nowhere in the database
            assert "hunter22" not in json.dumps([list(r) for r in conn.execute(select(live_sources))], default=str)
        remove_source(app, "work")
        assert memory.kept == {}
        with pytest.raises(InvalidInputError, match="needs the password"):
            add_source(app, "work", "imap", config)
    finally:
        keyring.set_keyring(before)
