"""exchanges given: an index of the ledger entries tied to a need and an offer (the introductions acted on)

Revision ID: 0018_exchanges_given
Revises: 0017_needs_stamp
Create Date: 2026-12-06 10:40:00.000000

Every plan and every list of suggestions first reads the (need, offer) pairs the user already acted on, so that
none is proposed again (`store.ledger.given_pairs`). Those are a few entries of the ledger, but without an index
the database reads every entry to find them: 13 ms at 100,000 people (100,000 entries, 100 of them tied to a
pair), on each `today` and each need added. This index holds only the entries with both ids (a partial index, by
the same condition the query states), so the read is those entries alone, from the index. Nothing stored changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_exchanges_given"
down_revision: str | None = "0017_needs_stamp"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHERE = "need_id IS NOT NULL AND offer_id IS NOT NULL"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_exchanges_given", "exchanges", ["need_id", "offer_id"], postgresql_where=sa.text(WHERE))
    else:
        op.create_index("ix_exchanges_given", "exchanges", ["need_id", "offer_id"], sqlite_where=sa.text(WHERE))


def downgrade() -> None:
    op.drop_index("ix_exchanges_given", table_name="exchanges")
