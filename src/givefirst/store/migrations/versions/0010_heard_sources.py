"""heard sources: mail bodies kept where the user turned them on, calendar descriptions, sources turned off

Revision ID: 0010_heard_sources
Revises: 0009_heard
Create Date: 2026-12-03 16:40:00.000000

Only new, empty places: mail bodies are kept from the next import or sync of a source with `--bodies`, event
descriptions from the next calendar import; nothing already stored changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_heard_sources"
down_revision: str | None = "0009_heard"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("details", sa.Text(), nullable=True))
    op.create_table(
        "mail_bodies",
        sa.Column("message_key", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("kept_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("message_key", name=op.f("pk_mail_bodies")),
    )
    with op.batch_alter_table("mail_bodies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mail_bodies_source"), ["source"], unique=False)
    op.create_table(
        "heard_sources",
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_heard_sources")),
    )


def downgrade() -> None:
    op.drop_table("heard_sources")
    with op.batch_alter_table("mail_bodies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mail_bodies_source"))
    op.drop_table("mail_bodies")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_column("details")
