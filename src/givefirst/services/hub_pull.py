"""What a sync brings from a hub into the personal app: the board (to match here), the chapter's events (with who
is expected) and the hub introductions the user takes part in (into the ledger and the timeline).

`pull` is called by services/hub_sync.py after the outbox is pushed. Everything is read from the hub first and
written here in one transaction, so a hub that stops answering half-way leaves the local database as it was; the
next sync does it all again. Nothing is sent by a pull but its GET requests.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from givefirst.services.context import App
from givefirst.services.hub_client import HubClient, HubRefused
from givefirst.services.hub_intros import record_intro
from givefirst.store import events as events_store
from givefirst.store import hub_board
from givefirst.store import people as people_store
from givefirst.store.hub_links import HubLink

EXPECTED = ("going", "maybe")  # the hub's RSVP answers that put someone on the expected list
RSVP = {"going": "yes", "maybe": "maybe", "no": "no"}  # the hub's answers as the local events' rsvp


def utc_naive(text: str | None) -> datetime | None:
    """Return the hub's ISO time as the local database keeps times: naive, in UTC."""
    if not text:
        return None
    found = datetime.fromisoformat(str(text))
    return found.astimezone(UTC).replace(tzinfo=None) if found.tzinfo else found


def _board_row(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "public_id": str(item["id"]), "kind": str(item["kind"]), "text": str(item["text"]),
        "tags": ",".join(str(t).lower() for t in item.get("tags") or ()), "location": item.get("location"),
        "member_public_id": str(item.get("member_id") or ""), "member_name": str(item.get("member") or ""),
        "chapter": str(item.get("chapter") or ""), "created_at": utc_naive(item.get("created_at")),
    }  # fmt: skip


def _fetch_events(client: HubClient) -> list[tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]]:
    """Return each upcoming event of the chapter with its attendees and the member's prep sheet lines."""
    out = []
    for event in client.events().get("upcoming", []):
        detail = client.event(str(event["public_id"]))
        try:
            sheet = client.event_sheet(str(event["public_id"])).get("i_can_help", [])
        except HubRefused:
            sheet = []  # no sheet for this event (yet): the event still comes
        out.append((event, list(detail.get("attendees", [])), list(sheet)))
    return out


def pull(app: App, link: HubLink, client: HubClient) -> list[str]:
    """Bring what the hub holds for this member into the local database; return lines for the sync's report."""
    board = [_board_row(i) for i in client.board() if str(i.get("member_id")) != link.member_public_id]
    events = _fetch_events(client)
    intros = client.introductions()
    lines: list[str] = []
    with app.begin() as conn:  # all or nothing: a failure above wrote nothing
        new, gone = hub_board.replace_board(conn, link.id, board, app.now)
        lines.append(f"board: {len(board)} open items ({new} new, {gone} gone)")
        lines.append(_apply_events(conn, app, link, events))
        for intro in intros:
            said = record_intro(conn, app, link, intro)
            if said:
                lines.append(said)
    return lines


def hub_identity(link: HubLink, public_id: str) -> str:
    """Return the `hub` identity of a member: the hub's address and their public id (never sent anywhere)."""
    return f"{link.url}#{public_id}"[:320]


def local_person(conn: Connection, link: HubLink, public_id: str, name: str) -> int | None:
    """Return the local person a hub member is: by their hub identity, else by a unique exact name."""
    found = people_store.person_by_identity(conn, "hub", hub_identity(link, public_id)) if public_id else None
    if found is not None:
        return found
    wanted = " ".join(name.split()).lower()
    named = [pid for pid, n in people_store.people_named(conn, name) if " ".join(n.split()).lower() == wanted]
    return named[0] if len(named) == 1 else None


def _notes(event: dict[str, Any], others: list[str], sheet: list[dict[str, Any]]) -> str:
    parts = [str(event.get("description") or "").strip()]
    if others:
        parts.append("Also expected: " + ", ".join(others))
    if sheet:
        lines = [f"- {s['member_name']} needs “{s['need']}”: your “{s['offer']}”" for s in sheet]
        parts.append("From the hub's sheet, you can help:\n" + "\n".join(lines))
    return "\n\n".join(p for p in parts if p)


def _apply_events(conn: Connection, app: App, link: HubLink, found: list[Any]) -> str:
    source = f"hub:{link.name}"
    known = hub_board.hub_events(conn, source)
    seen: set[str] = set()
    added = 0
    for event, attendees, sheet in found:
        public_id = str(event["public_id"])
        seen.add(public_id)
        expected: list[int] = []
        others: list[str] = []
        for a in attendees:
            if a.get("answer") not in EXPECTED or str(a.get("public_id")) == link.member_public_id:
                continue
            pid = local_person(conn, link, str(a.get("public_id") or ""), str(a.get("name") or ""))
            if pid is None:
                others.append(str(a.get("name") or "a member"))
            else:
                expected.append(pid)
        values: dict[str, Any] = {
            "title": str(event["title"]), "starts_at": utc_naive(event["starts_at"]),
            "ends_at": utc_naive(event.get("ends_at")), "location": event.get("place") or None,
            "notes": _notes(event, others, sheet),
        }  # fmt: skip
        if event.get("my_answer") in RSVP:
            values["rsvp"] = RSVP[str(event["my_answer"])]
        if public_id in known:
            event_id = int(known[public_id].id)
            events_store.update_event(conn, event_id, values)
        else:
            event_id = events_store.add_event(conn, values | {"source": source, "external_id": public_id,
                                                              "created_at": app.now})  # fmt: skip
            added += 1
        hub_board.clear_expected(conn, event_id)
        for pid in expected:
            events_store.set_event_person(conn, event_id, pid, "expected")
    # An upcoming event no longer on the hub was cancelled there; past ones stay as what happened.
    gone = [int(r.id) for p, r in known.items() if p not in seen and r.starts_at >= app.now]
    hub_board.delete_events(conn, gone)
    return f"events: {len(found)} upcoming ({added} new, {len(gone)} removed)"
