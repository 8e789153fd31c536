"""people listed: an index in the order lists of people are read (the current ones, by lower-cased name, then id)

Revision ID: 0015_people_listed
Revises: 0014_graph_changes
Create Date: 2026-12-05 07:00:00.000000

`givefirst people` and the People page read one page of the people not merged away, ordered by `lower(name)`
then id (`store.people.name_order`). Without an index in that order the database sorts every current person for
each page: 22 ms at 100,000 people, more than the rest of the command's own work. With the merged-away column
first, the condition `merged_into_id IS NULL` is an equality on the index's first column and the rows come out
of the rest of it already in order, so a page reads only its own rows (SQLite's planner takes it without
statistics, which a user's file usually has none of). `is_me` comes second for the same reason (lists leave the
user out), and so that counting the people listed reads the index alone. PostgreSQL orders names by code point
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
    by_name = 'lower(name) COLLATE "C"' if op.get_bind().dialect.name == "postgresql" else "lower(name)"
    op.create_index("ix_people_listed", "people", ["merged_into_id", "is_me", sa.text(by_name), "id"])


def downgrade() -> None:
    op.drop_index("ix_people_listed", table_name="people")
