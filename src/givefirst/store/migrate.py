"""Alembic, run programmatically on the package's own migration scripts."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from givefirst.errors import DatabaseError


def alembic_config() -> Config:
    """Return an Alembic configuration pointing at `givefirst/store/migrations`."""
    config = Config()
    config.set_main_option("script_location", "givefirst.store:migrations")
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to `revision` in one transaction.

    On SQLite, foreign keys are switched off while migrating: Alembic's batch mode rebuilds a table by copying it
    and dropping the old one, and with foreign keys on, that drop would cascade-delete every row that refers to
    it. They are checked once the migration is done.
    """
    config = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            conn.execute(text("PRAGMA foreign_keys=OFF"))  # only takes effect outside a transaction
            conn.commit()
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
                if sqlite:
                    broken = conn.execute(text("PRAGMA foreign_key_check")).first()
                    if broken is not None:
                        raise DatabaseError(f"migration left a dangling reference in {broken[0]}; nothing changed")
        finally:
            if sqlite:
                conn.execute(text("PRAGMA foreign_keys=ON"))
                conn.commit()


def script_revisions() -> list[str]:
    """Return the revisions of the migration scripts, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]
