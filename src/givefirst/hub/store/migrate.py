"""Alembic, run programmatically on the hub's own migration scripts (version table `hub_alembic_version`)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", "givefirst.hub.store:migrations")
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the hub's migrations up to `revision` in one transaction."""
    config = alembic_config()
    with engine.connect() as conn, conn.begin():
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def script_revisions() -> list[str]:
    """Return the revisions of the hub's migration scripts, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]
