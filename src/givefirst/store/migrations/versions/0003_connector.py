"""connector: matching caches, introductions

Revision ID: 0003_connector
Revises: 0002_imports
Create Date: 2026-11-26 01:49:54.947609
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_connector"
down_revision: str | None = "0002_imports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "match_marks",
        sa.Column("kind", sa.String(length=6), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=40), nullable=False),
        sa.Column("scored_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "item_id", name=op.f("pk_match_marks")),
        info={"cache": True},
    )
    op.create_table(
        "text_vectors",
        sa.Column("model", sa.String(length=60), nullable=False),
        sa.Column("text_hash", sa.String(length=40), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("model", "text_hash", name=op.f("pk_text_vectors")),
        info={"cache": True},
    )
    op.create_table(
        "introductions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_id", sa.Integer(), nullable=False),
        sa.Column("second_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("direct", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("declined_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("introduced_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["declined_by_id"], ["people.id"], name=op.f("fk_introductions_declined_by_id_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["first_id"], ["people.id"], name=op.f("fk_introductions_first_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["need_id"], ["needs.id"], name=op.f("fk_introductions_need_id_needs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_introductions_offer_id_offers"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["second_id"], ["people.id"], name=op.f("fk_introductions_second_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introductions")),
    )
    with op.batch_alter_table("introductions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_introductions_first_id"), ["first_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_introductions_need_id"), ["need_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_introductions_offer_id"), ["offer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_introductions_second_id"), ["second_id"], unique=False)

    op.create_table(
        "match_suggestions",
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("signals", sa.Text(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["need_id"], ["needs.id"], name=op.f("fk_match_suggestions_need_id_needs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_match_suggestions_offer_id_offers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("need_id", "offer_id", name=op.f("pk_match_suggestions")),
        info={"cache": True},
    )
    with op.batch_alter_table("match_suggestions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_suggestions_offer_id"), ["offer_id"], unique=False)

    op.create_table(
        "introduction_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("introduction_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_introduction_steps_interaction_id_interactions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["introduction_id"],
            ["introductions.id"],
            name=op.f("fk_introduction_steps_introduction_id_introductions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introduction_steps")),
    )
    with op.batch_alter_table("introduction_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_introduction_steps_introduction_id"), ["introduction_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("introduction_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_introduction_steps_introduction_id"))

    op.drop_table("introduction_steps")
    with op.batch_alter_table("match_suggestions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_suggestions_offer_id"))

    op.drop_table("match_suggestions")
    with op.batch_alter_table("introductions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_introductions_second_id"))
        batch_op.drop_index(batch_op.f("ix_introductions_offer_id"))
        batch_op.drop_index(batch_op.f("ix_introductions_need_id"))
        batch_op.drop_index(batch_op.f("ix_introductions_first_id"))

    op.drop_table("introductions")
    op.drop_table("text_vectors")
    op.drop_table("match_marks")
