"""one mail memory: mail read over IMAP waits for its two-way verdict in mail_pending, as imported mail does

Revision ID: 0008_one_mail_memory
Revises: 0007_dav_items
Create Date: 2026-12-03 15:00:00.000000

IMAP sync had its own two-way memory (live_mail_correspondents, live_mail_held); it now goes through the mail
import (services/mail_import.mail_records) and shares `mail_pending` with mbox and maildir imports. Here:

- every held message (live_mail_held) moves into mail_pending, source "imap", under the same key (its
  external id was already `message_key`), with the sender its direction implies: the correspondent who comes
  first on an inbound message, the account's login (or else the first --me address of the source) on an
  outbound one; the user's address is added to its people, as mail_pending keeps them. A message already kept
  aside by an import stays as that import kept it (it is the same message). A held outbound message whose
  source names no address of the user is dropped: nothing says it was the user's (such a source could not
  sync at all, so there is none in practice).
- live_mail_correspondents is dropped without moving it: each correspondent it marked as both written to and
  heard from has been released into the network (a person, whom every later import counts); the evidence of a
  one-sided correspondent is the held messages, moved above. Only the one side seen on a message that was
  imported for another correspondent is forgotten: it comes back when that correspondent is seen again.

Downgrading recreates both tables empty; the rows moved stay in mail_pending, where 0006's code does not look.
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008_one_mail_memory"
down_revision: str | None = "0007_dav_items"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PENDING = sa.table(
    "mail_pending",
    sa.column("message_key", sa.String), sa.column("source", sa.String), sa.column("origin", sa.Text),
    sa.column("occurred_at", sa.DateTime), sa.column("sender", sa.String), sa.column("people", sa.Text),
    sa.column("subject", sa.Text), sa.column("seen_at", sa.DateTime),
)  # fmt: skip
# typed, so that SQLite's text dates and 0/1 flags come back as datetimes and booleans
_HELD = sa.table(
    "live_mail_held",
    sa.column("id", sa.Integer), sa.column("source_id", sa.Integer), sa.column("external_id", sa.String),
    sa.column("origin", sa.String), sa.column("occurred_at", sa.DateTime), sa.column("outbound", sa.Boolean),
    sa.column("subject", sa.Text), sa.column("people", sa.Text),
)  # fmt: skip


def _user_address(config: str) -> str | None:
    """Return the user's address a source's config names: its login when it is one, else its first --me."""
    try:
        settings = json.loads(config)
    except ValueError:
        return None
    user = str(settings.get("user") or "").strip().lower()
    if "@" in user:
        return user
    mine = [str(a).strip().lower() for a in settings.get("me") or () if "@" in str(a)]
    return mine[0] if mine else None


def _pending_row(row: Any, user: str | None, now: datetime) -> dict[str, Any] | None:
    """Return the mail_pending row of one held message, or None when its sender cannot be told."""
    people = [(str(email).lower(), name) for name, email in json.loads(row.people) if email]
    if row.outbound:
        if user is None:
            return None
        sender, everyone = user, [(user, None), *people]
    else:
        if not people:
            return None
        sender, everyone = people[0][0], [*people, *([(user, None)] if user else [])]
    return {
        "message_key": row.external_id, "source": "imap", "origin": row.origin, "occurred_at": row.occurred_at,
        "sender": sender, "subject": row.subject or "", "seen_at": now,
        "people": json.dumps([[address, name] for address, name in everyone], ensure_ascii=False,
                             separators=(",", ":")),
    }  # fmt: skip


def upgrade() -> None:
    conn = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    waiting = {str(k) for k in conn.execute(sa.text("SELECT message_key FROM mail_pending")).scalars()}
    configs = {int(i): str(c) for i, c in conn.execute(sa.text("SELECT id, config FROM live_sources"))}
    rows: list[dict[str, Any]] = []
    held = conn.execute(sa.select(_HELD).order_by(_HELD.c.occurred_at, _HELD.c.id))
    for row in held:
        if row.external_id in waiting:  # kept aside already (an import, or the same message held by two sources)
            continue
        moved = _pending_row(row, _user_address(configs.get(int(row.source_id), "{}")), now)
        if moved is not None:
            waiting.add(row.external_id)
            rows.append(moved)
    for start in range(0, len(rows), 1000):
        conn.execute(sa.insert(_PENDING), rows[start : start + 1000])
    op.drop_table("live_mail_held")
    op.drop_table("live_mail_correspondents")


def _source_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["source_id"], ["live_sources.id"], name=op.f(f"fk_{table}_source_id_live_sources"), ondelete="CASCADE"
    )


def downgrade() -> None:
    op.create_table(
        "live_mail_correspondents",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("wrote", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("heard", sa.Boolean(), server_default=sa.false(), nullable=False),
        _source_fk("live_mail_correspondents"),
        sa.PrimaryKeyConstraint("source_id", "address", name=op.f("pk_live_mail_correspondents")),
    )
    op.create_table(
        "live_mail_held",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=300), nullable=False),
        sa.Column("origin", sa.String(length=400), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("outbound", sa.Boolean(), nullable=False),
        sa.Column("subject", sa.Text(), server_default="", nullable=False),
        sa.Column("people", sa.Text(), nullable=False),
        _source_fk("live_mail_held"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_mail_held")),
        sa.UniqueConstraint("source_id", "external_id", name="uq_live_mail_held_source_id"),
    )
