"""people birthday: the birthday a contact import reads (vCard BDAY, a contacts CSV's Birthday column)

Revision ID: 0019_people_birthday
Revises: 0018_exchanges_given
Create Date: 2026-12-06 20:40:00.000000

The importers read and check birthdays (an unreadable one is a warning) but had nowhere to keep them, although
docs/importing.md promised them. One nullable date column; a birthday without a year is not kept (a date needs
one). Nothing stored changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_people_birthday"
down_revision: str | None = "0018_exchanges_given"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("people", sa.Column("birthday", sa.Date(), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35 and later): a batch rebuild of people would break the triggers that name it.
    op.drop_column("people", "birthday")
