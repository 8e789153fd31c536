"""graph changes: triggers note what changed in the evidence behind the graph's edge cache, so it is updated in place

Revision ID: 0014_graph_changes
Revises: 0013_data_version
Create Date: 2026-12-04 15:00:00.000000

Before this, the cached contact-to-contact edges were rebuilt whole whenever a summary of eight tables changed, and
any interaction changed it (a one-person call too): after every write the next `stats`, Network page or path paid
a whole rebuild, or computed its edges again without keeping them. Now each write to the evidence notes, in
`graph_changes`, the people, interactions, organizations and email addresses it touched; reading the cache first
recomputes the edges among the people those notes name (`services/graph_cache.py`). A note is written only while
a cache exists (no cost on a first import). The cache is emptied here so that the notes start from a whole build.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from alembic import op

revision: str = "0014_graph_changes"
down_revision: str | None = "0013_data_version"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


@dataclass(frozen=True)
class Note:
    """One trigger: on `event` of `table`, when `when` holds, note the (kind, key) rows each of `rows` selects.

    `when` and `rows` are written once for both databases: `{ne}` is SQLite's `IS NOT` or PostgreSQL's
    `IS DISTINCT FROM` (null-safe "differs").
    """

    name: str
    table: str
    timing: str  # AFTER, or BEFORE for a delete whose rows are read before they go
    event: str  # INSERT, UPDATE, DELETE, or "UPDATE OF col, ..."
    rows: tuple[str, ...]
    when: str = ""


def _pair(kind: str, value: str) -> str:
    return f"SELECT '{kind}', CAST({value} AS TEXT) WHERE {value} IS NOT NULL"


def _both(prefix: str, kinds: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    return tuple(_pair(kind, f"{prefix}.{column}") for kind, column in kinds)


_SHARED = (("interaction", "interaction_id"), ("person", "person_id"))
_EMAIL = (("person", "person_id"), ("email", "value"))
_ENDS = (("person", "first_id"), ("person", "second_id"))
_PEOPLE_CHANGED = ("NEW.organization_id {ne} OLD.organization_id OR NEW.merged_into_id {ne} OLD.merged_into_id "
                   "OR NEW.is_me {ne} OLD.is_me")  # fmt: skip

NOTES = (
    Note("ip_insert", "interaction_people", "AFTER", "INSERT", _both("NEW", _SHARED)),
    Note("ip_delete", "interaction_people", "AFTER", "DELETE", _both("OLD", _SHARED)),
    Note("ip_update", "interaction_people", "AFTER", "UPDATE", _both("OLD", _SHARED) + _both("NEW", _SHARED)),
    Note("interaction_update", "interactions", "AFTER", "UPDATE OF kind, occurred_at, planned",
         (_pair("interaction", "NEW.id"),),
         "NEW.kind {ne} OLD.kind OR NEW.occurred_at {ne} OLD.occurred_at OR NEW.planned {ne} OLD.planned"),
    # Before the rows go: whoever was on it (the cascade takes its participants without a word here).
    Note("interaction_delete", "interactions", "BEFORE", "DELETE",
         ("SELECT 'person', CAST(person_id AS TEXT) FROM interaction_people WHERE interaction_id = OLD.id",)),
    Note("person_insert", "people", "AFTER", "INSERT",
         (_pair("person", "NEW.id"), _pair("organization", "NEW.organization_id"))),
    Note("person_update", "people", "AFTER", "UPDATE OF organization_id, merged_into_id, is_me",
         (_pair("member", "NEW.id"), _pair("organization", "OLD.organization_id"),
          _pair("organization", "NEW.organization_id")), _PEOPLE_CHANGED),
    Note("person_delete", "people", "BEFORE", "DELETE", ("SELECT 'all', '' WHERE true",)),  # rare: rebuild whole
    Note("email_insert", "identities", "AFTER", "INSERT", _both("NEW", _EMAIL), "NEW.kind = 'email'"),
    Note("email_delete", "identities", "AFTER", "DELETE", _both("OLD", _EMAIL), "OLD.kind = 'email'"),
    Note("email_update", "identities", "AFTER", "UPDATE", _both("OLD", _EMAIL) + _both("NEW", _EMAIL),
         "OLD.kind = 'email' OR NEW.kind = 'email'"),
    Note("organization_update", "organizations", "AFTER", "UPDATE OF name", (_pair("organization", "NEW.id"),)),
    Note("organization_delete", "organizations", "BEFORE", "DELETE",
         ("SELECT 'member', CAST(id AS TEXT) FROM people WHERE organization_id = OLD.id",)),
    Note("introduction_insert", "introductions", "AFTER", "INSERT", _both("NEW", _ENDS)),
    Note("introduction_delete", "introductions", "AFTER", "DELETE", _both("OLD", _ENDS)),
    Note("introduction_update", "introductions", "AFTER", "UPDATE", _both("OLD", _ENDS) + _both("NEW", _ENDS)),
    Note("link_insert", "person_links", "AFTER", "INSERT", _both("NEW", _ENDS)),
    Note("link_delete", "person_links", "AFTER", "DELETE", _both("OLD", _ENDS)),
    Note("link_update", "person_links", "AFTER", "UPDATE", _both("OLD", _ENDS) + _both("NEW", _ENDS)),
)  # fmt: skip

CACHED = "EXISTS (SELECT 1 FROM graph_marks WHERE name = 'edges')"


def _inserts(note: Note) -> str:
    # Every row's SELECT ends in a WHERE: SQLite reads an INSERT ... SELECT's ON CONFLICT only after one.
    return " ".join(f"INSERT INTO graph_changes (kind, key) {row} ON CONFLICT DO NOTHING;" for row in note.rows)


def _sqlite(note: Note) -> str:
    when = CACHED + (f" AND ({note.when.format(ne='IS NOT')})" if note.when else "")
    return (f"CREATE TRIGGER graph_note_{note.name} {note.timing} {note.event} ON {note.table} FOR EACH ROW "
            f"WHEN {when} BEGIN {_inserts(note)} END")  # fmt: skip


def _postgresql(note: Note) -> list[str]:
    # A row trigger's WHEN cannot hold a subquery on PostgreSQL: the cache's presence is checked in the body. A
    # BEFORE DELETE trigger must return OLD, or the row would stay.
    done = "OLD" if note.timing == "BEFORE" else "NULL"
    when = f" WHEN ({note.when.format(ne='IS DISTINCT FROM')})" if note.when else ""
    return [
        f"CREATE FUNCTION graph_note_{note.name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF {CACHED} THEN {_inserts(note)} END IF; RETURN {done}; END $$",
        f"CREATE TRIGGER graph_note_{note.name} {note.timing} {note.event} ON {note.table} FOR EACH ROW{when} "
        f"EXECUTE FUNCTION graph_note_{note.name}()",
    ]


def upgrade() -> None:
    op.create_table(
        "graph_changes",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key", name=op.f("pk_graph_changes")),
    )
    op.execute("DELETE FROM graph_edges")
    op.execute("DELETE FROM graph_marks")
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:  # the data version (0013) counts this table's writes like every other's
        op.execute("CREATE TRIGGER all_version BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON graph_changes "
                   "FOR EACH STATEMENT EXECUTE FUNCTION bump_all_version()")  # fmt: skip
    for note in NOTES:
        for statement in _postgresql(note) if postgresql else [_sqlite(note)]:
            op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for note in NOTES:
        if postgresql:
            op.execute(f"DROP TRIGGER graph_note_{note.name} ON {note.table}")
            op.execute(f"DROP FUNCTION graph_note_{note.name}()")
        else:
            op.execute(f"DROP TRIGGER graph_note_{note.name}")
    op.drop_table("graph_changes")
    op.execute("DELETE FROM graph_marks")
