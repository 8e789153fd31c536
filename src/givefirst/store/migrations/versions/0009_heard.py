"""heard: needs and offers heard in messages and notes, proposed for review; what has been read

Revision ID: 0009_heard
Revises: 0008_one_mail_memory
Create Date: 2026-12-03 14:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_heard"
down_revision: str | None = "0008_one_mail_memory"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "heard_candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=6), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("said_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("origin_id", sa.Integer(), nullable=False),
        sa.Column("origin_kind", sa.String(length=20), server_default="", nullable=False),
        sa.Column("status", sa.String(length=10), server_default="proposed", nullable=False),
        sa.Column("digest", sa.String(length=40), nullable=False),
        sa.Column("body_digest", sa.String(length=40), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_heard_candidates_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_heard_candidates")),
        sa.UniqueConstraint("digest", name=op.f("uq_heard_candidates_digest")),
    )
    with op.batch_alter_table("heard_candidates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_heard_candidates_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_heard_candidates_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_heard_candidates_body_digest"), ["body_digest"], unique=False)
    op.create_table(
        "heard_reads",
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("origin_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=40), nullable=False),
        sa.Column("body_digest", sa.String(length=40), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("read_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("origin", "origin_id", name=op.f("pk_heard_reads")),
    )
    with op.batch_alter_table("heard_reads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_heard_reads_body_digest"), ["body_digest"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("heard_reads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_heard_reads_body_digest"))
    op.drop_table("heard_reads")
    with op.batch_alter_table("heard_candidates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_heard_candidates_body_digest"))
        batch_op.drop_index(batch_op.f("ix_heard_candidates_status"))
        batch_op.drop_index(batch_op.f("ix_heard_candidates_person_id"))
    op.drop_table("heard_candidates")
