"""The hubs the user joined (`hub_links`) and what their syncs reported (`hub_sync_reports`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from givefirst.store.schema import hub_links, hub_sync_reports

REPORTS_KEPT = 200  # per hub: the newest reports, enough to read what the last syncs said


@dataclass(frozen=True, slots=True)
class HubLink:
    id: int
    name: str
    url: str
    secret: dict[str, Any]  # where the API token is (services/credentials.py), never the token itself
    association: str
    member_public_id: str
    member_name: str
    chapter: str
    joined_at: datetime
    last_sync_at: datetime | None
    last_error: str | None


def _link(row: Any) -> HubLink:
    return HubLink(int(row.id), str(row.name), str(row.url), json.loads(row.secret or "{}"), str(row.association),
                   str(row.member_public_id), str(row.member_name), str(row.chapter), row.joined_at,
                   row.last_sync_at, row.last_error)  # fmt: skip


def add_link(
    conn: Connection, *, name: str, url: str, secret: dict[str, Any], association: str, member_public_id: str,
    member_name: str, chapter: str, now: datetime,
) -> int:  # fmt: skip
    values = {
        "name": name, "url": url, "secret": json.dumps(secret, sort_keys=True), "association": association,
        "member_public_id": member_public_id, "member_name": member_name, "chapter": chapter, "joined_at": now,
    }  # fmt: skip
    key = conn.execute(insert(hub_links).values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def all_links(conn: Connection) -> list[HubLink]:
    return [_link(r) for r in conn.execute(select(hub_links).order_by(hub_links.c.name))]


def link_by_name(conn: Connection, name: str) -> HubLink | None:
    row = conn.execute(select(hub_links).where(hub_links.c.name == name)).first()
    return _link(row) if row else None


def link_by_url(conn: Connection, url: str) -> HubLink | None:
    row = conn.execute(select(hub_links).where(hub_links.c.url == url)).first()
    return _link(row) if row else None


def update_profile(conn: Connection, hub_id: int, *, association: str, member_name: str, chapter: str) -> None:
    conn.execute(update(hub_links).where(hub_links.c.id == hub_id)
                 .values(association=association, member_name=member_name, chapter=chapter))  # fmt: skip


def remove_link(conn: Connection, hub_id: int) -> None:
    """Forget a hub and everything pulled from or published to it here (the rows cascade)."""
    conn.execute(delete(hub_links).where(hub_links.c.id == hub_id))


def mark_synced(conn: Connection, hub_id: int, now: datetime) -> None:
    conn.execute(update(hub_links).where(hub_links.c.id == hub_id).values(last_sync_at=now, last_error=None))


def mark_failed(conn: Connection, hub_id: int, message: str) -> None:
    conn.execute(update(hub_links).where(hub_links.c.id == hub_id).values(last_error=message))


def add_report(conn: Connection, hub_id: int, kind: str, message: str, now: datetime) -> None:
    conn.execute(insert(hub_sync_reports).values(hub_id=hub_id, kind=kind, message=message, at=now))
    stale = (select(hub_sync_reports.c.id).where(hub_sync_reports.c.hub_id == hub_id)
             .order_by(hub_sync_reports.c.id.desc()).offset(REPORTS_KEPT))  # fmt: skip
    conn.execute(delete(hub_sync_reports).where(hub_sync_reports.c.id.in_(stale.scalar_subquery())))


def reports(conn: Connection, hub_id: int, limit: int = 20) -> list[tuple[datetime, str, str]]:
    """Return the newest reports of a hub: (when, kind, message)."""
    rows = conn.execute(select(hub_sync_reports.c.at, hub_sync_reports.c.kind, hub_sync_reports.c.message)
                        .where(hub_sync_reports.c.hub_id == hub_id)
                        .order_by(hub_sync_reports.c.id.desc()).limit(limit))  # fmt: skip
    return [(r.at, str(r.kind), str(r.message)) for r in rows]
