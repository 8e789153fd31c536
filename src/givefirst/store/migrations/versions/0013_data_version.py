"""data version: on PostgreSQL, a counter bumped once by every transaction that writes any table

Revision ID: 0013_data_version
Revises: 0012_offers_stamp
Create Date: 2026-12-04 00:00:00.000000

The web app's read cache (`store/stamp.py`) reuses derived data while this counter stays the same. On PostgreSQL:
a row ('all', 0) in `data_versions` and, on every table, a statement trigger that adds one to it in the writing
transaction, once per transaction. SQLite gets nothing: there the database file's size and time say it changed.
Nothing already stored changes.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013_data_version"
down_revision: str | None = "0012_offers_stamp"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every table at this revision but `data_versions` itself (its own writes are the bumps). Written out rather than
# read from `schema.metadata`, so that this migration stays what it was when later ones add tables; a test holds
# the tables of the current schema to having the trigger (tests/store/test_data_version.py).
TABLES = (
    "organizations", "people", "identities", "tags", "person_tags", "interactions", "interaction_people",
    "needs", "offers", "exchanges", "snoozes", "plan_actions", "tie_stats", "person_sources", "mail_pending",
    "merges", "merge_candidates", "text_vectors", "match_suggestions", "match_marks", "introductions",
    "introduction_steps", "person_links", "goals", "chapters", "chapter_members", "events", "event_people",
    "graph_edges", "graph_marks", "live_sources", "live_source_state", "dav_collections", "dav_items",
    "heard_candidates", "heard_reads", "mail_bodies", "heard_sources", "hub_links", "hub_published",
    "hub_board_items", "hub_introductions", "hub_sync_reports",
)  # fmt: skip

# Once per transaction: the first writing statement bumps the counter and notes it in a setting local to the
# transaction (set_config's third argument), which PostgreSQL forgets at commit or rollback — and at the rollback
# of a savepoint, together with the bump itself. The transaction id makes a value left by a session-wide SET
# never match. Bumping once keeps a bulk import or a merge (hundreds of statements) to one counter update.
# BEFORE the statement, so that a writer locks the counter's row before any row it changes: every writer takes
# its locks in the same order (the counter first; then, for offers, 0012's AFTER trigger bumps 'offers').
BUMP_ALL = """
CREATE FUNCTION bump_all_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('givefirst.bumped', true) IS DISTINCT FROM txid_current()::text THEN
        UPDATE data_versions SET version = version + 1 WHERE name = 'all';
        PERFORM set_config('givefirst.bumped', txid_current()::text, true);
    END IF;
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("INSERT INTO data_versions (name, version) VALUES ('all', 0)")
    # The function lives in the schema of the tables (the search path's first), so each test schema has its own.
    op.execute(BUMP_ALL)
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER all_version BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_all_version()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER all_version ON {table}")
    op.execute("DROP FUNCTION bump_all_version()")
    op.execute("DELETE FROM data_versions WHERE name = 'all'")
