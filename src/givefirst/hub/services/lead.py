"""The chapter lead's dashboard: what the chapter gives, what waits, who drifts, how meetings went.

Only the chapter's leads and the association's admins read it (an admin names the chapter); every table on it
can be exported as CSV. Figures come from introductions (a give is one whose outcome is "helped" or "hired"),
the engine's pairs, members' last sign-in, events and the conversations recorded there.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from givefirst.errors import NotFoundError
from givefirst.hub.domain import lead as rules
from givefirst.hub.domain.access import Visibility, can_see
from givefirst.hub.domain.events import HELP_THRESHOLD
from givefirst.hub.domain.model import Chapter, Member
from givefirst.hub.services import moving
from givefirst.hub.services.context import Hub
from givefirst.hub.services.events import require_lead
from givefirst.hub.store import events as stored_events
from givefirst.hub.store import lead as store
from givefirst.hub.store import members as stored_members
from givefirst.hub.store import pairs as stored_pairs

TABLES = ("months", "stale_needs", "quiet", "newcomers", "events", "moving")


@dataclass(frozen=True)
class Dashboard:
    chapter: Chapter
    months: list[dict[str, Any]]  # month, introductions, connected, gives
    stale_needs: list[dict[str, Any]]
    quiet: list[dict[str, Any]]
    newcomers: list[dict[str, Any]]
    events: list[dict[str, Any]]
    moving: list[dict[str, Any]]

    def table(self, name: str) -> list[dict[str, Any]]:
        if name not in TABLES:
            raise NotFoundError(f"there is no table {name!r} to export; the tables are {', '.join(TABLES)}")
        rows: list[dict[str, Any]] = getattr(self, name)
        return rows

    def as_json(self) -> dict[str, Any]:
        return {"chapter": {"slug": self.chapter.slug, "name": self.chapter.name}} | {
            name: [_plain(r) for r in self.table(name)] for name in TABLES
        }


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat(timespec="minutes") if isinstance(v, datetime) else v for k, v in row.items()}


def chapter_of(hub: Hub, viewer: Member, slug: str | None) -> Chapter:
    """Return the chapter the dashboard is about: the viewer's own, or the one an admin (or its lead) names."""
    with hub.engine.connect() as conn:
        chapters = stored_members.all_chapters(conn)
    wanted = [c for c in chapters if (c.slug == slug if slug else c.id == viewer.chapter_id)]
    if not wanted or not (viewer.viewer.is_admin or wanted[0].id == viewer.chapter_id):
        raise NotFoundError("there is no such chapter")
    require_lead(viewer, wanted[0].id)
    return wanted[0]


def dashboard(hub: Hub, viewer: Member, slug: str | None = None) -> Dashboard:
    chapter = chapter_of(hub, viewer, slug)
    now = hub.now()
    keys = rules.month_keys(now.date())
    since = datetime.fromisoformat(keys[0] + "-01")
    with hub.engine.connect() as conn:
        intros = store.chapter_introductions(conn, chapter.id, since)
        needs = store.open_needs(conn, chapter.id, now - timedelta(days=rules.STALE_NEED_DAYS))
        best = stored_pairs.best_score_per_need(conn, [n.id for n in needs])
        activity = store.member_activity(conn, chapter.id)
        outcomes = store.event_outcomes(conn, chapter.id, now)
        talks = stored_events.event_conversation_counts(conn, [e["id"] for e in outcomes])
    made = rules.per_month((i.created_at for i in intros), keys)
    connected = rules.per_month((i.connected_at for i in intros), keys)
    gives = rules.per_month((i.outcome_at for i in intros if i.outcome in rules.GIVE_OUTCOMES), keys)
    months = [{"month": k, "introductions": made[k], "connected": connected[k], "gives": gives[k]} for k in keys]
    seer = viewer.viewer
    stale = [
        {
            "need": n.text,
            "member": n.owner_name,
            "member_public_id": n.owner_public_id,
            "posted": n.created_at,
            "days_open": (now - n.created_at).days,
            "best_score": round(best[n.id], 2) if n.id in best else None,
        }
        for n in needs
        if can_see(seer, n.member_id, n.chapter_id, Visibility(n.visibility))
        and rules.is_stale(n.created_at, best.get(n.id), HELP_THRESHOLD, now)
    ]
    quiet = [
        {
            "member": a.name,
            "member_public_id": a.public_id,
            "last_seen": a.last_seen_at,
            "last_give": a.last_give,
            "days_quiet": (now - rules.last_active(a.last_seen_at, a.last_give, a.joined_at)).days,
        }
        for a in activity
        if rules.is_quiet(a.last_seen_at, a.last_give, a.joined_at, now)
    ]
    names = {a.id: a.name for a in activity}
    newcomers = [
        {
            "member": a.name,
            "member_public_id": a.public_id,
            "joined": a.joined_at,
            "sponsor": names.get(a.sponsor_id, "") if a.sponsor_id else "",
        }
        for a in activity
        if rules.needs_first_give(a.joined_at, int(a.gives), now)
    ]
    event_rows = [
        {
            "event": e["title"],
            "event_public_id": e["public_id"],
            "starts": e["starts_at"],
            "introductions": int(e["introductions"]),
            "connected": int(e["connected"]),
            "conversations": talks[e["id"]][0],
            "follow_ups_done": talks[e["id"]][1],
        }
        for e in outcomes
    ]
    moving_in, moving_out = moving.chapter_handoffs(hub, chapter.id)
    with hub.engine.connect() as conn:
        chapter_names = {c.id: c.name for c in stored_members.all_chapters(conn)}
    moves = [
        {
            "member": m.name,
            "member_public_id": m.public_id,
            "direction": "in" if h.to_chapter_id == chapter.id else "out",
            "from": chapter_names.get(h.from_chapter_id, ""),
            "to": chapter_names.get(h.to_chapter_id, ""),
            "moving_to": m.moving_to or m.location or "",
            "status": h.status,
        }
        for h, m in moving_in + moving_out
    ]
    return Dashboard(chapter, months, stale, quiet, newcomers, event_rows, moves)


def export_csv(hub: Hub, viewer: Member, name: str, slug: str | None = None) -> str:
    """Return one of the dashboard's tables as CSV (a header row, then one row per line of the table)."""
    if name not in TABLES:
        raise NotFoundError(f"there is no table {name!r} to export; the tables are {', '.join(TABLES)}")
    rows = dashboard(hub, viewer, slug).table(name)
    out = io.StringIO()
    columns = list(rows[0]) if rows else _columns(name)
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in _plain(row).items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    """Keep a spreadsheet from running a cell as a formula (a member's need could start with "=")."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _columns(name: str) -> list[str]:
    empty = {
        "months": ["month", "introductions", "connected", "gives"],
        "stale_needs": ["need", "member", "member_public_id", "posted", "days_open", "best_score"],
        "quiet": ["member", "member_public_id", "last_seen", "last_give", "days_quiet"],
        "newcomers": ["member", "member_public_id", "joined", "sponsor"],
        "events": [
            "event",
            "event_public_id",
            "starts",
            "introductions",
            "connected",
            "conversations",
            "follow_ups_done",
        ],
        "moving": ["member", "member_public_id", "direction", "from", "to", "moving_to", "status"],
    }
    return empty[name]
