"""needs stamp: a counter bumped by triggers on every write to needs, beside the offers' one (0012)

Revision ID: 0017_needs_stamp
Revises: 0016_heard_scanned
Create Date: 2026-12-06 00:00:00.000000

Every command that shows suggestions first asks whether some open need or offer was never scored by this engine
(`services.matching.ensure_fresh`): three counts over every need, offer and mark, 34 ms at 100,000 people. With a
counter for needs as for offers, the answer is remembered with the two versions it was found at, and while
neither moved it is one row read. A row ('needs', 0) in `data_versions` and triggers on `needs` that add one to it
in the writing transaction, as 0012 does for offers. Nothing already stored changes: the counter starts as never
checked, and the first command counts once.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017_needs_stamp"
down_revision: str | None = "0016_heard_scanned"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BUMP = "UPDATE data_versions SET version = version + 1 WHERE name = 'needs'"


def upgrade() -> None:
    op.execute("INSERT INTO data_versions (name, version) VALUES ('needs', 0)")
    if op.get_bind().dialect.name == "postgresql":
        # Once per statement, TRUNCATE too, as 0012's; in the schema of the tables (each test schema has its own).
        op.execute(f"CREATE FUNCTION bump_needs_version() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {BUMP}; "
                   "RETURN NULL; END $$")  # fmt: skip
        op.execute("CREATE TRIGGER needs_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON needs "
                   "FOR EACH STATEMENT EXECUTE FUNCTION bump_needs_version()")  # fmt: skip
    else:  # SQLite has row triggers only: one bump per row written (a few microseconds each)
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER needs_version_{event.lower()} AFTER {event} ON needs BEGIN {BUMP}; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER needs_version ON needs")
        op.execute("DROP FUNCTION bump_needs_version()")
    else:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER needs_version_{event}")
    op.execute("DELETE FROM data_versions WHERE name = 'needs'")
