"""The embedded demo network: realistic, deterministic, and its first plan shows every kind of item."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from givefirst.demo.scenario import build_scenario
from givefirst.domain.model import ItemKind
from givefirst.errors import DatabaseError
from givefirst.services.context import App
from givefirst.services.demo import build_demo, prepare_demo_database
from givefirst.services.plan import today
from givefirst.services.stats import network_stats
from tests.cli.test_user_story import ok
from tests.conftest import Cli


def test_the_scenario_is_deterministic_and_consistent() -> None:
    a = build_scenario(date(2026, 11, 25))
    assert a == build_scenario(date(2026, 11, 25))
    assert a != build_scenario(date(2026, 11, 25), seed=8)
    keys = {p.key for p in a.people} | {"me"}
    assert len(keys) == len(a.people) + 1
    assert 250 <= len(a.people) <= 350
    for i in a.interactions:
        assert set(i.people) <= keys
    for e in a.exchanges:
        assert e.person in keys
    assert {n.person for n in a.needs} <= keys and {o.person for o in a.offers} <= keys


def test_the_first_plan_shows_every_kind_of_item(app: App) -> None:
    counts = build_demo(app)
    assert counts["people"] >= 250 and counts["interactions"] >= 2000
    items = today(app)
    assert {i.kind for i in items} == set(ItemKind)
    assert len(items) == app.plan_settings.size
    stats = network_stats(app)
    tiers = {t["tier"]: t["count"] for t in stats["tiers"]}
    assert tiers["inner"] <= 15 and tiers["dormant"] >= 15  # Dunbar-like layers, dormant ties from the old job
    assert stats["promised_gives"] >= 3 and stats["at_risk"] >= 2


def test_demo_command_rebuilds_its_own_file_and_refuses_others(cli: Cli, tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    first = json.loads(ok(cli("demo", "--json", db=db)).out)
    again = json.loads(ok(cli("demo", "--json", db=db)).out)
    assert first["items"] == again["items"]
    assert first["counts"] == again["counts"]
    text = ok(cli("demo", db=db)).out
    assert "What you owe" in text and "Revive a dormant tie" in text and "Explore it" in text
    mine = str(tmp_path / "mine.db")
    ok(cli("add", "Ana Ruiz", db=mine))
    with pytest.raises(DatabaseError, match="not a demo database"):
        prepare_demo_database(mine)
