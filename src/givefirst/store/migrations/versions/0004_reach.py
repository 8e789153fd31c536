"""reach: person links, goals, chapters and members, events and who is there, the graph's edge cache

Revision ID: 0004_reach
Revises: 0003_connector
Create Date: 2026-11-26 02:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_reach"
down_revision: str | None = "0003_connector"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _index(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "person_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_id", sa.Integer(), nullable=False),
        sa.Column("second_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("person_links", "first_id", "people", "CASCADE"),
        _fk("person_links", "second_id", "people", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_links")),
        sa.UniqueConstraint("first_id", "second_id", name="uq_person_links_first_id"),
    )
    _index("person_links", "first_id")
    _index("person_links", "second_id")

    op.create_table(
        "goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("roles", sa.String(length=400), server_default="", nullable=False),
        sa.Column("tags", sa.String(length=400), server_default="", nullable=False),
        sa.Column("status", sa.String(length=10), server_default="open", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
    )

    op.create_table(
        "chapters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("chapters", "organization_id", "organizations", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chapters")),
        sa.UniqueConstraint("name", name=op.f("uq_chapters_name")),
    )
    _index("chapters", "organization_id")

    op.create_table(
        "chapter_members",
        sa.Column("chapter_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), server_default="member", nullable=False),
        sa.Column("sponsor_id", sa.Integer(), nullable=True),
        sa.Column("since", sa.Date(), nullable=True),
        _fk("chapter_members", "chapter_id", "chapters", "CASCADE"),
        _fk("chapter_members", "person_id", "people", "CASCADE"),
        _fk("chapter_members", "sponsor_id", "people", "SET NULL"),
        sa.PrimaryKeyConstraint("chapter_id", "person_id", name=op.f("pk_chapter_members")),
    )
    _index("chapter_members", "person_id")

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=True),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("chapter_id", sa.Integer(), nullable=True),
        sa.Column("rsvp", sa.String(length=10), server_default="none", nullable=False),
        sa.Column("attended", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("source", sa.String(length=40), server_default="manual", nullable=False),
        sa.Column("external_id", sa.String(length=300), nullable=True),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("events", "chapter_id", "chapters", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("source", "external_id", name="uq_events_source_external_id"),
    )
    _index("events", "starts_at")
    _index("events", "chapter_id")

    op.create_table(
        "event_people",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), server_default="expected", nullable=False),
        _fk("event_people", "event_id", "events", "CASCADE"),
        _fk("event_people", "person_id", "people", "CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "person_id", name=op.f("pk_event_people")),
    )
    _index("event_people", "person_id")

    op.create_table(
        "graph_edges",
        sa.Column("first_id", sa.Integer(), nullable=False),
        sa.Column("second_id", sa.Integer(), nullable=False),
        sa.Column("strength", sa.Float(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("first_id", "second_id", name=op.f("pk_graph_edges")),
        info={"cache": True},
    )
    _index("graph_edges", "second_id")

    op.create_table(
        "graph_marks",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("fingerprint", sa.String(length=200), nullable=False),
        sa.Column("built_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_graph_marks")),
        info={"cache": True},
    )


def downgrade() -> None:
    op.drop_table("graph_marks")
    with op.batch_alter_table("graph_edges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_graph_edges_second_id"))
    op.drop_table("graph_edges")
    with op.batch_alter_table("event_people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_people_person_id"))
    op.drop_table("event_people")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_chapter_id"))
        batch_op.drop_index(batch_op.f("ix_events_starts_at"))
    op.drop_table("events")
    with op.batch_alter_table("chapter_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chapter_members_person_id"))
    op.drop_table("chapter_members")
    with op.batch_alter_table("chapters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chapters_organization_id"))
    op.drop_table("chapters")
    op.drop_table("goals")
    with op.batch_alter_table("person_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_links_second_id"))
        batch_op.drop_index(batch_op.f("ix_person_links_first_id"))
    op.drop_table("person_links")
