"""offers stamp: a counter bumped by triggers on every write to offers, so that adding a need checks it cheaply

Revision ID: 0012_offers_stamp
Revises: 0011_hub_client
Create Date: 2026-12-04 00:00:00.000000

A new table holding one row ('offers', 0) and triggers on `offers` that add one to it in the writing transaction.
Nothing already stored changes; the matching caches see the counter as never checked and check the offers once.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_offers_stamp"
down_revision: str | None = "0011_hub_client"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BUMP = "UPDATE data_versions SET version = version + 1 WHERE name = 'offers'"


def upgrade() -> None:
    op.create_table(
        "data_versions",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_data_versions")),
    )
    op.execute("INSERT INTO data_versions (name, version) VALUES ('offers', 0)")
    if op.get_bind().dialect.name == "postgresql":
        # Once per statement (a bulk import bumps it once); TRUNCATE too. The function lives in the schema of the
        # tables (the search path's first), so each test schema has its own.
        op.execute(f"CREATE FUNCTION bump_offers_version() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {BUMP}; "
                   "RETURN NULL; END $$")  # fmt: skip
        op.execute("CREATE TRIGGER offers_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON offers "
                   "FOR EACH STATEMENT EXECUTE FUNCTION bump_offers_version()")  # fmt: skip
    else:  # SQLite has row triggers only: one bump per row written (a few microseconds each)
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER offers_version_{event.lower()} AFTER {event} ON offers BEGIN {BUMP}; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER offers_version ON offers")
        op.execute("DROP FUNCTION bump_offers_version()")
    else:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER offers_version_{event}")
    op.drop_table("data_versions")
