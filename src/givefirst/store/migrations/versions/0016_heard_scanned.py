"""heard scanned: how far `heard` has checked the interactions, and triggers that pull it back (SQLite)

Revision ID: 0016_heard_scanned
Revises: 0015_people_listed
Create Date: 2026-12-05 09:00:00.000000

A scan that had nothing new to read still checked every interaction against its read mark (1.4 s at 2,500,000
interactions). `heard_scanned` keeps the highest interaction id the last complete scan checked, with the
conditions it read under; the next scan checks only the ids above it (services/heard.py, `scan`). On SQLite,
triggers lower that mark whenever an interaction at or below it may have become readable, whichever code path
wrote (one written here once, rather than a call in every store function that may be forgotten):

- an interaction deleted: SQLite gives a new row the highest id left plus one, so after deleting the newest
  rows the next ones take ids at or below the mark. The mark falls to the highest id left (not on insert: a
  trigger on every inserted row doubled an import's insert time);
- an interaction's id, kind, summary, details, source or message key changed (an empty summary filled in, a
  description kept, an email matched to a kept body);
- a mail body stored, or its key or text changed: that message's email becomes readable (bodies are kept after
  their interactions, and `heard` reads an email without `--mail` only with its body);
- a read mark deleted, or moved (bodies and descriptions kept later delete the marks, to be read again).

PostgreSQL gets the table (the schema is the same everywhere) with the data version's trigger (0013), but no
marks: a transaction there may commit id 100 after another committed 101, so a mark could pass over a row not
visible yet; scans there check every interaction, as before (a hash anti-join). Nothing already stored changes:
the table starts empty and the first scan is a whole one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_heard_scanned"
down_revision: str | None = "0015_people_listed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _lower(interaction_id: str) -> str:
    """The statement that brings the mark below `interaction_id` (an SQL expression), if it is at or above it."""
    return (f"UPDATE heard_scanned SET upto = ({interaction_id}) - 1 "
            f"WHERE name = 'interactions' AND upto >= ({interaction_id});")  # fmt: skip


_HIGHEST = "(SELECT coalesce(max(id), 0) FROM interactions)"
_BODY_OF = "(SELECT id FROM interactions WHERE message_key = NEW.message_key)"  # NULL (nothing lowered): none yet

# name, event and table, condition (or ""), body.
TRIGGERS = (
    ("interaction_delete", "AFTER DELETE ON interactions", "",
     f"UPDATE heard_scanned SET upto = {_HIGHEST} WHERE name = 'interactions' AND upto > {_HIGHEST};"),
    ("interaction_update", "AFTER UPDATE OF id, kind, summary, details, source, message_key ON interactions",
     "NEW.id IS NOT OLD.id OR NEW.kind IS NOT OLD.kind OR NEW.summary IS NOT OLD.summary "
     "OR NEW.details IS NOT OLD.details OR NEW.source IS NOT OLD.source OR NEW.message_key IS NOT OLD.message_key",
     _lower("NEW.id")),
    ("read_delete", "AFTER DELETE ON heard_reads", "OLD.origin = 'interaction'", _lower("OLD.origin_id")),
    ("read_update", "AFTER UPDATE OF origin, origin_id ON heard_reads",
     "OLD.origin = 'interaction' AND (NEW.origin IS NOT OLD.origin OR NEW.origin_id IS NOT OLD.origin_id)",
     _lower("OLD.origin_id")),
    ("body_insert", "AFTER INSERT ON mail_bodies", "", _lower(_BODY_OF)),
    ("body_update", "AFTER UPDATE OF message_key, body ON mail_bodies", "", _lower(_BODY_OF)),
)  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "heard_scanned",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("upto", sa.Integer(), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_heard_scanned")),
    )
    if op.get_bind().dialect.name == "postgresql":  # the data version (0013) counts this table's writes too
        op.execute("CREATE TRIGGER all_version BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON heard_scanned "
                   "FOR EACH STATEMENT EXECUTE FUNCTION bump_all_version()")  # fmt: skip
        return
    for name, on, when, body in TRIGGERS:
        condition = f" WHEN {when}" if when else ""
        op.execute(f"CREATE TRIGGER heard_scanned_{name} {on} FOR EACH ROW{condition} BEGIN {body} END")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        for name, *_ in TRIGGERS:
            op.execute(f"DROP TRIGGER heard_scanned_{name}")
    op.drop_table("heard_scanned")
