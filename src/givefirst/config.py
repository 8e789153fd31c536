"""Settings, resolved once: command-line flags, then environment, then the config file, then defaults.

Environment: GIVEFIRST_DB (a path or a URL), GIVEFIRST_CONFIG (the config file), GIVEFIRST_TODAY (a fixed
date, for trying things out and for tests). The config file is TOML, by default `config.toml` in the user's
config directory; every key is optional:

    database = "~/givefirst.db"
    default_region = "IN"          # phone numbers without a country code are read in this country (ISO code);
                                   # unset: the country of your location (givefirst init --location), else
                                   # such numbers are kept as written and never given a country
    me_emails = ["me@example.com"] # your own addresses, so imported mail knows which side you are on
    email_provider_rules = false   # true: Jane.Doe+x@gmail.com is janedoe@gmail.com (Gmail, Outlook, iCloud...)
    [plan]
    size = 7                       # items in `givefirst today`
    dormant_per_week = 3
    match_threshold = 0.85         # the chance a suggestion is good, below which it is not shown...
    match_best_threshold = 0.7     # ...unless it is its need's best, shown from this chance
    [scores]
    half_life_days = 180
    ledger_half_life_days = 365
    dormant_years = 3
    target_give_share = 0.5
    [cadence]                      # days between touches, per tier
    inner = 14
    close = 30
    active = 90
    acquaintance = 180
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from givefirst.domain.model import Tier
from givefirst.domain.plan_model import PlanSettings  # not domain.plan: the builder is not needed to start
from givefirst.domain.weights import Weights
from givefirst.errors import InvalidInputError

APP_NAME = "givefirst"


def user_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_config_file() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


@dataclass(frozen=True)
class Settings:
    database: str  # a path to an SQLite file, or a database URL
    database_is_default: bool = False  # the default file may have its directory created for it
    today: date | None = None
    default_region: str | None = None  # None: from the user's location, else numbers without a country stay raw
    me_emails: tuple[str, ...] = ()
    email_provider_rules: bool = False  # fold provider aliases (dots and +tags at Gmail, +tags at Outlook...)
    plan: PlanSettings = field(default_factory=PlanSettings)
    weights: Weights = field(default_factory=Weights)
    config_file: Path | None = None


def parse_date(text: str, what: str = "date") -> date:
    """Parse an ISO date (YYYY-MM-DD), or 'today', with an error that says what was wrong."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError(f"invalid {what} {text!r}: expected YYYY-MM-DD, for example 2026-03-01") from None


def _number(source: str, key: str, value: Any, kind: type) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInputError(f"{source}: {key} must be a number, not {value!r}")
    if value < 0:
        raise InvalidInputError(f"{source}: {key} must not be negative")
    return kind(value)


def _apply_section(source: str, section: str, target: Any, values: Mapping[str, Any]) -> Any:
    known = {f.name: f for f in fields(target)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known or not isinstance(getattr(target, key), int | float):
            raise InvalidInputError(f"{source}: unknown setting [{section}] {key}")
        kind = type(getattr(target, key))
        changes[key] = _number(source, f"[{section}] {key}", value, kind)
    return replace(target, **changes)


def _addresses(source: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInputError(f'{source}: me_emails must be a list of addresses, like ["me@example.com"]')
    return tuple(v.strip().lower() for v in value)


def _flag(source: str, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidInputError(f"{source}: {key} must be true or false, not {value!r}")
    return value


def _region(source: str, value: Any) -> str | None:
    if value is None:
        return None
    code = str(value).strip().upper()
    if not check_region(code):
        raise InvalidInputError(
            f"{source}: default_region must be a two-letter country code such as US, IN or GB, not {value!r}"
        )
    return code


def check_region(code: str) -> bool:
    """Return whether `code` is a country phone numbers can be read in ("US", "IN", "GB")."""
    import phonenumbers

    return code in phonenumbers.SUPPORTED_REGIONS


def save_region(path: Path, code: str) -> None:
    """Write `default_region = "CODE"` into the config file at `path`, keeping everything else in it.

    The file is created when missing; an existing default_region line is replaced, else the line goes before the
    first [section] (TOML keys after a section header would belong to that section).
    """
    line = f'default_region = "{code}"\n'
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        lines = text.splitlines(keepends=True)
        at = next((i for i, x in enumerate(lines) if x.lstrip().startswith("[")), len(lines))
        found = next((i for i, x in enumerate(lines[:at]) if x.split("=")[0].strip() == "default_region"), None)
        if found is not None:
            lines[found] = line
        else:
            if at == len(lines) and lines and not lines[-1].endswith("\n"):
                lines[-1] += "\n"
            lines.insert(at, line)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(lines), encoding="utf-8")
    except OSError as exc:
        raise InvalidInputError(f"{path}: cannot write the config file ({exc.strerror})") from None


def _read_config(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInputError(f"{path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise InvalidInputError(f"{path}: cannot read the config file ({exc.strerror})") from None


def resolve_settings(
    *, database: str | None = None, today: str | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Return the settings from flags, environment, config file and defaults, in that order of precedence."""
    env = os.environ if env is None else env
    config_path = Path(env["GIVEFIRST_CONFIG"]).expanduser() if env.get("GIVEFIRST_CONFIG") else None
    if config_path is not None and not config_path.exists():
        raise InvalidInputError(f"GIVEFIRST_CONFIG names {config_path}, which does not exist")
    if config_path is None:
        candidate = default_config_file()
        config_path = candidate if candidate.exists() else None
    data = _read_config(config_path) if config_path else {}
    source = str(config_path)

    plan, weights = PlanSettings(), Weights()
    if "plan" in data:
        plan = _apply_section(source, "plan", plan, data["plan"])
    if "scores" in data:
        weights = _apply_section(source, "scores", weights, data["scores"])
    if "cadence" in data:
        cadence = dict(weights.cadence_days)
        for key, value in data["cadence"].items():
            try:
                tier = Tier(key)
            except ValueError:
                raise InvalidInputError(f"{source}: unknown tier [cadence] {key}") from None
            cadence[tier] = _number(source, f"[cadence] {key}", value, int)
        weights = replace(weights, cadence_days=cadence)
    known = {"plan", "scores", "cadence", "database", "default_region", "me_emails", "email_provider_rules"}
    unknown = set(data) - known
    if unknown:
        raise InvalidInputError(f"{source}: unknown setting {sorted(unknown)[0]}")

    chosen = database or env.get("GIVEFIRST_DB") or data.get("database")
    is_default = not chosen
    db = str(chosen) if chosen else str(user_data_dir() / "givefirst.db")
    fixed_today = today or env.get("GIVEFIRST_TODAY")
    return Settings(
        database=db,
        database_is_default=is_default,
        today=parse_date(fixed_today, "--today") if fixed_today else None,
        default_region=_region(source, data.get("default_region")),
        me_emails=_addresses(source, data.get("me_emails", [])),
        email_provider_rules=_flag(source, "email_provider_rules", data.get("email_provider_rules", False)),
        plan=plan,
        weights=weights,
        config_file=config_path,
    )
