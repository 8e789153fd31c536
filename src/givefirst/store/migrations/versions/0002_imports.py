"""imports: sources, merges, candidates

Revision ID: 0002_imports
Revises: 0001_initial
Create Date: 2026-11-26 00:29:05.259538
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_imports"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "merge_candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_id", sa.Integer(), nullable=False),
        sa.Column("second_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), server_default="proposed", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_id"], ["people.id"], name=op.f("fk_merge_candidates_first_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["second_id"], ["people.id"], name=op.f("fk_merge_candidates_second_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merge_candidates")),
        sa.UniqueConstraint("first_id", "second_id", name="uq_merge_candidates_first_id"),
    )
    with op.batch_alter_table("merge_candidates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_merge_candidates_first_id"), ["first_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_merge_candidates_second_id"), ["second_id"], unique=False)

    op.create_table(
        "merges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kept_id", sa.Integer(), nullable=False),
        sa.Column("merged_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("moved", sa.Text(), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["kept_id"], ["people.id"], name=op.f("fk_merges_kept_id_people"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["merged_id"], ["people.id"], name=op.f("fk_merges_merged_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merges")),
    )
    with op.batch_alter_table("merges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_merges_kept_id"), ["kept_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_merges_merged_id"), ["merged_id"], unique=False)

    op.create_table(
        "person_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("external_id", sa.String(length=400), nullable=False),
        sa.Column("fingerprint", sa.String(length=40), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_person_sources_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_sources")),
        sa.UniqueConstraint("source", "external_id", name="uq_person_sources_source_external_id"),
    )
    with op.batch_alter_table("person_sources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_sources_person_id"), ["person_id"], unique=False)

    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credentials", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_people_merged_into_id"), ["merged_into_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_people_merged_into_id_people"), "people", ["merged_into_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:

    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_people_merged_into_id_people"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_people_merged_into_id"))
        batch_op.drop_column("merged_into_id")
        batch_op.drop_column("credentials")

    with op.batch_alter_table("person_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_sources_person_id"))

    op.drop_table("person_sources")
    with op.batch_alter_table("merges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_merges_merged_id"))
        batch_op.drop_index(batch_op.f("ix_merges_kept_id"))

    op.drop_table("merges")
    with op.batch_alter_table("merge_candidates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_merge_candidates_second_id"))
        batch_op.drop_index(batch_op.f("ix_merge_candidates_first_id"))

    op.drop_table("merge_candidates")
