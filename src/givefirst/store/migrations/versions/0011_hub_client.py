"""hub client: the chapter hubs joined, the published items' outbox, the pulled board, hub introductions

Revision ID: 0011_hub_client
Revises: 0010_heard_sources
Create Date: 2026-12-03 20:45:00.000000

Only new, empty tables: nothing is sent to a hub until the user joins one and publishes an item.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_hub_client"
down_revision: str | None = "0010_heard_sources"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hub_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("secret", sa.Text(), server_default="{}", nullable=False),
        sa.Column("association", sa.String(length=200), server_default="", nullable=False),
        sa.Column("member_public_id", sa.String(length=64), nullable=False),
        sa.Column("member_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("chapter", sa.String(length=200), server_default="", nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_links")),
        sa.UniqueConstraint("name", name=op.f("uq_hub_links_name")),
        sa.UniqueConstraint("url", name=op.f("uq_hub_links_url")),
    )
    op.create_table(
        "hub_published",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hub_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=6), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=64), nullable=True),
        sa.Column("visibility", sa.String(length=20), nullable=False),
        sa.Column("sent", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=10), server_default="new", nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["hub_id"], ["hub_links.id"], name=op.f("fk_hub_published_hub_id_hub_links"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_published")),
        sa.UniqueConstraint("hub_id", "kind", "item_id", name="uq_hub_published_hub_id_kind_item_id"),
    )
    with op.batch_alter_table("hub_published", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hub_published_hub_id"), ["hub_id"], unique=False)
    op.create_table(
        "hub_board_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hub_id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=6), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("tags", sa.String(length=400), server_default="", nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("member_public_id", sa.String(length=64), nullable=False),
        sa.Column("member_name", sa.String(length=200), nullable=False),
        sa.Column("chapter", sa.String(length=200), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("offered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["hub_id"], ["hub_links.id"], name=op.f("fk_hub_board_items_hub_id_hub_links"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_board_items")),
        sa.UniqueConstraint("hub_id", "public_id", name="uq_hub_board_items_hub_id_public_id"),
    )
    op.create_table(
        "hub_introductions",
        sa.Column("hub_id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("exchange_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hub_id"], ["hub_links.id"], name=op.f("fk_hub_introductions_hub_id_hub_links"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_hub_introductions_person_id_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_hub_introductions_interaction_id_interactions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["exchange_id"],
            ["exchanges.id"],
            name=op.f("fk_hub_introductions_exchange_id_exchanges"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("hub_id", "public_id", name=op.f("pk_hub_introductions")),
    )
    op.create_table(
        "hub_sync_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hub_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hub_id"], ["hub_links.id"], name=op.f("fk_hub_sync_reports_hub_id_hub_links"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_sync_reports")),
    )
    with op.batch_alter_table("hub_sync_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hub_sync_reports_hub_id"), ["hub_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hub_sync_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hub_sync_reports_hub_id"))
    op.drop_table("hub_sync_reports")
    op.drop_table("hub_introductions")
    op.drop_table("hub_board_items")
    with op.batch_alter_table("hub_published", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hub_published_hub_id"))
    op.drop_table("hub_published")
    op.drop_table("hub_links")
