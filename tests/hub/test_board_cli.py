"""`givefirst hub worker` and `givefirst hub match` through the real entry point."""

from __future__ import annotations

import json

from sqlalchemy import select

from givefirst.hub.services import items
from givefirst.hub.services.context import Hub
from givefirst.hub.store import members as stored_members
from givefirst.hub.store.schema import matches
from tests.conftest import Cli
from tests.hub import factory


def test_worker_once_runs_the_queued_matching_and_match_reports(cli: Cli, hub: Hub, db_url: str) -> None:
    ny = factory.chapter(hub)
    with hub.engine.connect() as conn:
        ann = stored_members.member_by_id(conn, factory.member(hub, ny))
        bob = stored_members.member_by_id(conn, factory.member(hub, ny))
    assert ann is not None and bob is not None
    items.add_item(hub, bob, "offer", "Wedding photographer")
    items.add_item(hub, ann, "need", "Looking for a photographer for my wedding")
    result = cli("hub", "worker", "--db", db_url, "--once", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == {"ran": 2, "waiting": 0, "running": 0, "failed": 0}
    with hub.engine.connect() as conn:
        assert len(conn.execute(select(matches.c.id)).all()) == 1
    report = cli("hub", "match", "--db", db_url, "--json")
    assert report.code == 0 and json.loads(report.out)["pairs"] == 1 and json.loads(report.out)["embedded"] == 0
    assert "1 pairs kept" in cli("hub", "match", "--db", db_url).out


def test_worker_without_a_database_says_how_to_name_one(cli: Cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("GIVEFIRST_HUB_DATABASE_URL", raising=False)
    result = cli("hub", "worker", "--once")
    assert result.code != 0 and "--db" in (result.err + result.out)
