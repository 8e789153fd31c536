"""people listed: an index in the order lists of people are read (the current ones, by lower-cased name, then id)

Revision ID: 0015_people_listed
Revises: 0014_graph_changes
Create Date: 2026-12-05 07:00:00.000000

`givefirst people` and the People page read one page of the people not merged away, other than the user, ordered
by `lower(name)` then id (`store.people.name_order`). Without an index in that order the database sorts every
current person for each page: 35 ms at 100,000 people, more than the rest of the command's own work. This index
holds the rows with `is_me IS 0` in that order, and only a query that says so can use it (a partial index): a
page reads 20 entries, and counting everyone but the user reads the index alone (it holds `merged_into_id`). Its
columns give no equality for the conditions other queries use, so their plans stay as they were (a whole-network
read in name order through it would jump around the table). PostgreSQL orders names by code point
(`COLLATE "C"`), so its index holds that collation. Nothing stored changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_people_listed"
down_revision: str | None = "0014_graph_changes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_people_listed", "people", [sa.text('lower(name) COLLATE "C"'), "id", "merged_into_id"],
                        postgresql_where=sa.text("is_me IS false"))  # fmt: skip
    else:  # the condition as SQLAlchemy writes `is_me.is_(False)`: SQLite uses the index only for the same term
        op.create_index("ix_people_listed", "people", [sa.text("lower(name)"), "id", "merged_into_id"],
                        sqlite_where=sa.text("is_me IS 0"))  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_people_listed", table_name="people")
