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


# Mail imported before this revision was keyed on its Message-ID (or, without one, a digest) within its own source
# (mbox or maildir): the same message imported from both was stored twice. The first copy is kept, with everyone
# who was on either copy; the later copies go.
_MAIL = "i.kind = 'email' AND i.source IN ('mbox', 'maildir') AND i.external_id IS NOT NULL"
_GROUPS = (
    "SELECT external_id, MIN(id) AS kept FROM interactions"
    " WHERE kind = 'email' AND source IN ('mbox', 'maildir') AND external_id IS NOT NULL"
    " GROUP BY external_id HAVING COUNT(*) > 1"
)
_COPIES = (
    f"SELECT i.id FROM interactions i JOIN ({_GROUPS}) d ON d.external_id = i.external_id"
    f" WHERE {_MAIL} AND i.id <> d.kept"
)


def _merge_copies() -> None:
    op.execute(
        "INSERT INTO interaction_people (interaction_id, person_id)"
        f" SELECT DISTINCT d.kept, ip.person_id FROM interactions i JOIN ({_GROUPS}) d ON d.external_id = i.external_id"
        " JOIN interaction_people ip ON ip.interaction_id = i.id"
        f" WHERE {_MAIL} AND i.id <> d.kept AND NOT EXISTS (SELECT 1 FROM interaction_people x"
        " WHERE x.interaction_id = d.kept AND x.person_id = ip.person_id)"
    )
    # their running sums counted each message twice: marked stale (as after a change of half-life in the
    # settings), so that the next plan or statistics recompute them (services/tiestats.refresh_if_settings_changed)
    op.execute(
        "UPDATE tie_stats SET half_life_days = -1 WHERE person_id IN"
        f" (SELECT person_id FROM interaction_people WHERE interaction_id IN ({_COPIES}))"
    )
    # foreign keys are off while SQLite migrates: what refers to the copies is cleared by hand
    op.execute(f"UPDATE introduction_steps SET interaction_id = NULL WHERE interaction_id IN ({_COPIES})")
    op.execute(f"DELETE FROM interaction_people WHERE interaction_id IN ({_COPIES})")
    op.execute(f"DELETE FROM interactions WHERE id IN ({_COPIES})")


def upgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_key", sa.String(length=300), nullable=True))
    _merge_copies()
    # each message's id is its key (ingest/mail_identity.message_key keeps Message-IDs as they are)
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
