"""live sources: saved sources, their incremental state, and the mail two-way bookkeeping

Revision ID: 0006_live_sources
Revises: 0004_reach
Create Date: 2026-12-03 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_live_sources"
down_revision: str | None = "0004_reach"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _source_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["source_id"], ["live_sources.id"], name=op.f(f"fk_{table}_source_id_live_sources"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "live_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("config", sa.Text(), nullable=False),
        sa.Column("every_minutes", sa.Integer(), server_default="60", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("running_since", sa.DateTime(), nullable=True),
        sa.Column("last_started_at", sa.DateTime(), nullable=True),
        sa.Column("last_finished_at", sa.DateTime(), nullable=True),
        sa.Column("last_result", sa.String(length=10), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_totals", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_sources")),
        sa.UniqueConstraint("name", name=op.f("uq_live_sources_name")),
    )
    op.create_table(
        "live_source_state",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        _source_fk("live_source_state"),
        sa.PrimaryKeyConstraint("source_id", "key", name=op.f("pk_live_source_state")),
    )
    op.create_table(
        "live_mail_correspondents",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("wrote", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("heard", sa.Boolean(), server_default=sa.false(), nullable=False),
        _source_fk("live_mail_correspondents"),
        sa.PrimaryKeyConstraint("source_id", "address", name=op.f("pk_live_mail_correspondents")),
    )
    op.create_table(
        "live_mail_held",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=300), nullable=False),
        sa.Column("origin", sa.String(length=400), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("outbound", sa.Boolean(), nullable=False),
        sa.Column("subject", sa.Text(), server_default="", nullable=False),
        sa.Column("people", sa.Text(), nullable=False),
        _source_fk("live_mail_held"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_mail_held")),
        sa.UniqueConstraint("source_id", "external_id", name="uq_live_mail_held_source_id"),
    )


def downgrade() -> None:
    op.drop_table("live_mail_held")
    op.drop_table("live_mail_correspondents")
    op.drop_table("live_source_state")
    op.drop_table("live_sources")
