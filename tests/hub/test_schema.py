"""The hub's database: migrations give exactly the schema file, and the wrong databases are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from givefirst.config import Settings
from givefirst.errors import DatabaseError, NewerDatabaseError
from givefirst.hub.services.context import Hub, connect
from givefirst.hub.store.database import KNOWN_REVISIONS, open_hub
from givefirst.hub.store.migrate import script_revisions
from givefirst.hub.store.schema import metadata
from givefirst.services.context import open_app


def test_known_revisions_are_the_scripts() -> None:
    assert list(KNOWN_REVISIONS) == script_revisions()


def test_migrated_schema_is_the_schema_file(hub: Hub) -> None:
    with hub.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": "hub_alembic_version"})
        differences = [
            d
            for d in compare_metadata(context, metadata)
            if d[0] != "remove_table" or d[1].name != "hub_alembic_version"
        ]
    assert differences == []


def test_the_key_is_made_once_and_shared(db_url: str) -> None:
    first, second = connect(db_url), connect(db_url)
    assert first.secret == second.secret and len(first.secret) == 32


def test_a_personal_database_is_not_a_hub(tmp_path: Path) -> None:
    target = str(tmp_path / "mine.db")
    open_app(Settings(database=target)).close()
    with pytest.raises(DatabaseError, match="personal givefirst database"):
        open_hub(target)


def test_a_newer_hub_database_is_refused(hub: Hub, db_url: str) -> None:
    with hub.engine.begin() as conn:
        conn.execute(text("UPDATE hub_alembic_version SET version_num = 'h9999_future'"))
    with pytest.raises(NewerDatabaseError, match="newer givefirst"):
        open_hub(db_url)
