"""mail identity: one key per email message across files and formats, and mail waiting for its two-way verdict

Revision ID: 0005_mail_identity
Revises: 0004_reach
Create Date: 2026-12-03 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_mail_identity"
down_revision: str | None = "0004_reach"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_key", sa.String(length=300), nullable=True))
    # Mail imported before this revision was keyed on its Message-ID (or, without one, a digest) within its own
    # source: that id is the message's key. Where the same message was stored twice (from an mbox and a maildir),
    # the first copy takes the key; the later copies keep none (they stay as they are: nothing is deleted here).
    op.execute(
        "UPDATE interactions SET message_key = external_id WHERE id IN ("
        " SELECT MIN(id) FROM interactions"
        " WHERE kind = 'email' AND source IN ('mbox', 'maildir') AND external_id IS NOT NULL"
        " GROUP BY external_id)"
    )
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interactions_message_key"), ["message_key"], unique=True)

    op.create_table(
        "mail_pending",
        sa.Column("message_key", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("sender", sa.String(length=320), nullable=False),
        sa.Column("people", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), server_default="", nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("message_key", name=op.f("pk_mail_pending")),
    )


def downgrade() -> None:
    op.drop_table("mail_pending")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interactions_message_key"))
        batch_op.drop_column("message_key")
