"""dav items: STAND-IN on branch i10-imapmail for the dav branch's migration of the same name

Revision ID: 0007_dav_items
Revises: 0006_live_sources
Create Date: 2026-12-03 14:00:00.000000

The CardDAV/CalDAV branch adds the real revision "0007_dav_items" (its tables dav_collections and dav_items).
This branch's own migration, 0008_one_mail_memory, comes after it, so the chain needs a revision of that name
to be complete here; this file is it and does nothing. At the merge, the dav branch's file (the same path)
replaces this one whole.
"""

from collections.abc import Sequence

revision: str = "0007_dav_items"
down_revision: str | None = "0006_live_sources"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
