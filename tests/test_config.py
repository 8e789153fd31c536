"""Settings resolve from flags, environment, the config file and defaults, in that order."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from givefirst.config import resolve_settings
from givefirst.domain.model import Tier
from givefirst.errors import InvalidInputError


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_defaults_put_the_database_in_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    s = resolve_settings(env={})
    assert s.database_is_default and s.database.endswith("givefirst.db")
    assert s.plan.size == 7 and s.weights.half_life_days == 180.0 and s.today is None


def test_config_file_then_environment_then_flags(tmp_path: Path) -> None:
    cfg = write(tmp_path, 'database = "/from/file.db"\n[plan]\nsize = 5\n[scores]\nhalf_life_days = 90\n'
                          "[cadence]\ninner = 7\n")  # fmt: skip
    env = {"GIVEFIRST_CONFIG": str(cfg)}
    s = resolve_settings(env=env)
    assert s.database == "/from/file.db" and s.plan.size == 5
    assert s.weights.half_life_days == 90.0 and s.weights.cadence_days[Tier.INNER] == 7
    assert resolve_settings(env={**env, "GIVEFIRST_DB": "/from/env.db"}).database == "/from/env.db"
    s = resolve_settings(database="/from/flag.db", today="2026-01-02", env={**env, "GIVEFIRST_DB": "/x.db"})
    assert s.database == "/from/flag.db" and s.today == date(2026, 1, 2)


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("[plan]\nsize = 'many'\n", "size must be a number"),
        ("[plan]\ncolour = 3\n", "unknown setting [plan] colour"),
        ("[cadence]\nbesties = 3\n", "unknown tier"),
        ("nonsense = 1\n", "unknown setting nonsense"),
        ("[plan\n", "not valid TOML"),
        ("email_provider_rules = 'yes'\n", "email_provider_rules must be true or false"),
    ],
)
def test_bad_config_names_the_file_and_the_key(tmp_path: Path, body: str, needle: str) -> None:
    cfg = write(tmp_path, body)
    with pytest.raises(InvalidInputError) as info:
        resolve_settings(env={"GIVEFIRST_CONFIG": str(cfg)})
    assert needle in str(info.value) and str(cfg) in str(info.value)


def test_a_missing_config_file_named_in_the_environment_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="does not exist"):
        resolve_settings(env={"GIVEFIRST_CONFIG": str(tmp_path / "nope.toml")})


def test_bad_today() -> None:
    with pytest.raises(InvalidInputError, match="invalid --today"):
        resolve_settings(today="someday", env={})


def test_provider_rules_are_off_unless_turned_on(tmp_path: Path) -> None:
    assert resolve_settings(env={"GIVEFIRST_CONFIG": str(write(tmp_path, ""))}).email_provider_rules is False
    cfg = write(tmp_path, "email_provider_rules = true\n")
    assert resolve_settings(env={"GIVEFIRST_CONFIG": str(cfg)}).email_provider_rules is True
