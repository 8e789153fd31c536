"""dav items: the collections of CardDAV and CalDAV sources and each item's ETag and last-seen text

Revision ID: 0007_dav_items
Revises: 0006_live_sources
Create Date: 2026-12-03 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_dav_items"
down_revision: str | None = "0006_live_sources"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dav_collections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["live_sources.id"],
            name=op.f("fk_dav_collections_source_id_live_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dav_collections")),
        sa.UniqueConstraint("source_id", "url", name="uq_dav_collections_source_id"),
    )
    op.create_table(
        "dav_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("href", sa.String(length=1000), nullable=False),
        sa.Column("etag", sa.String(length=300), nullable=True),
        sa.Column("uid", sa.String(length=400), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("server", sa.Text(), nullable=True),
        sa.Column("local", sa.Text(), nullable=True),
        sa.Column("produced", sa.Text(), nullable=True),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["dav_collections.id"],
            name=op.f("fk_dav_items_collection_id_dav_collections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_dav_items_person_id_people"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dav_items")),
        sa.UniqueConstraint("collection_id", "href", name="uq_dav_items_collection_id_href"),
    )
    with op.batch_alter_table("dav_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dav_items_collection_id"), ["collection_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dav_items_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dav_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dav_items_person_id"))
        batch_op.drop_index(batch_op.f("ix_dav_items_collection_id"))
    op.drop_table("dav_items")
    op.drop_table("dav_collections")
