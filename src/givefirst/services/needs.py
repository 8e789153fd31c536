"""Needs and offers: what people are looking for and what they can give (the user's own: giveables)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.services.context import App
from givefirst.services.people import clean_tags, resolve_person
from givefirst.store import needs as store
from givefirst.store import people as people_store

if TYPE_CHECKING:  # the listings need none of the matcher: imported where an item is scored
    from givefirst.services import matching

CLOSING = {"need": ("met", "withdrawn"), "offer": ("given", "withdrawn")}


def add_item(
    app: App,
    which: str,
    ref: str,
    text: str,
    *,
    tags: Sequence[str] = (),
    location: str | None = None,
    expires_on: date | None = None,
) -> int:
    """Record a need or an offer of the person `ref` names and return its id."""
    return record_item(app, which, ref, text, tags=tags, location=location, expires_on=expires_on).id


@dataclass(frozen=True)
class Recorded:
    id: int
    suggestions: list[matching.Suggestion] = field(default_factory=list)  # best first
    hub_lines: list[str] = field(default_factory=list)  # what publishing it to a hub did (services/hub_publish.py)


def record_item(
    app: App,
    which: str,
    ref: str,
    text: str,
    *,
    tags: Sequence[str] = (),
    location: str | None = None,
    expires_on: date | None = None,
    suggestions: int = 0,
    publish: str | None = None,
    hub: str | None = None,
) -> Recorded:
    """Record a need or an offer of the person `ref` names, score it, and return its id with its best
    `suggestions` (a need's offers, an offer's needs) at the display threshold.

    `publish` (chapter, association, leads) also publishes it to the joined hub (`hub` names one of several); only
    the user's own items can be, and the item is saved whether or not the hub answers."""
    if not text.strip():
        raise InvalidInputError(f"say what the {which} is, in the person's words")
    if expires_on is not None and expires_on < app.now.date():
        raise InvalidInputError(f"the expiry {expires_on.isoformat()} is already past")
    if suggestions < 0:
        raise InvalidInputError("--suggestions must be 0 or more")
    from givefirst.services import matching

    with app.begin() as conn:
        pid = resolve_person(conn, app, ref)
        if location is None:
            location = people_store.person_row(conn, pid).location
        item_id = store.insert_item(
            conn,
            which,
            person_id=pid,
            text=" ".join(text.split()),
            tags=clean_tags(tags),
            location=location,
            expires_on=expires_on,
            created_at=app.now,
        )
        if publish is not None:  # checked first: a contact's item or a bad choice refuses the whole record
            from givefirst.services import hub_publish

            hub_publish.attach(conn, app, which, item_id, publish, hub)
        # Scores the new item only (every other item's fingerprint is unchanged).
        matching.refresh(conn, app, need_id=item_id if which == "need" else None)
        if which == "offer" and suggestions:  # the needs it serves: their lists whole first (`match_depth`)
            matching.deepen(conn, app, matching.shown_depth(app))
        found = matching.for_item(conn, app, which, item_id, limit=suggestions) if suggestions else []
    if publish is None:
        return Recorded(item_id, found)
    from givefirst.services import hub_publish

    return Recorded(item_id, found, hub_publish.push_item(app, which, item_id))


def edit_item(
    app: App,
    which: str,
    item_id: int,
    *,
    text: str | None = None,
    tags: Sequence[str] | None = None,
    location: str | None = None,
    expires_on: date | None = None,
) -> list[str]:
    """Change what a need or offer says (None leaves a field as it is); its match suggestions are re-scored.

    A published item's edit is sent to its hubs; return what that did (nothing when it is not published)."""
    values: dict[str, Any] = {}
    if text is not None:
        if not text.strip():
            raise InvalidInputError(f"say what the {which} is, in the person's words")
        values["text"] = " ".join(text.split())
    if tags is not None:
        values["tags"] = clean_tags(tags)
    if location is not None:
        values["location"] = location.strip() or None
    if expires_on is not None:
        values["expires_on"] = expires_on
    from givefirst.services import hub_publish, matching

    with app.begin() as conn:
        if store.item_row(conn, which, item_id) is None:
            raise NotFoundError(f"no {which} with id {item_id}")
        published = False
        if values:
            store.update_item(conn, which, item_id, values)
            matching.refresh(conn, app, need_id=item_id if which == "need" else None)  # re-scores this item only
            published = hub_publish.mark_edited(conn, which, item_id, app.now)
    return hub_publish.push_item(app, which, item_id) if published else []


def close_item(app: App, which: str, item_id: int, status: str) -> list[str]:
    """Close a need (met, withdrawn) or an offer (given, withdrawn), or reopen it with "open".

    A published item is closed (or, reopened, published again) on its hubs; return what that did."""
    allowed = (*CLOSING[which], "open")
    if status not in allowed:
        raise InvalidInputError(f"a {which} can be marked {', '.join(allowed)}, not {status!r}")
    with app.begin() as conn:
        if store.item_row(conn, which, item_id) is None:
            raise NotFoundError(f"no {which} with id {item_id}")
        store.set_status(conn, which, item_id, status, app.now)
        from givefirst.services import hub_publish

        published = hub_publish.mark_closed(conn, which, item_id, status, app.now)
    return hub_publish.push_item(app, which, item_id) if published else []


def list_items(app: App, which: str, ref: str | None = None, include_closed: bool = False) -> list[dict[str, Any]]:
    """Return needs or offers (open and unexpired unless `include_closed`), with who holds them."""
    return items_page(app, which, ref, include_closed)[0]


def items_page(
    app: App, which: str, ref: str | None = None, include_closed: bool = False, limit: int | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Return the first `limit` (None or 0: all) of `list_items` and how many there are in all.

    Across the network the page is read with LIMIT and counted apart, so a page costs the same on any size.
    """
    today = app.now.date()
    with app.begin() as conn:
        if ref is not None:
            pid = resolve_person(conn, app, ref)
            rows = [r for r in store.items_of(conn, which, pid) if include_closed or r.status == "open"]
            total = len(rows)
            rows = rows[:limit] if limit else rows
            records = [store.to_record(r) for r in rows]
            statuses = {int(r.id): str(r.status) for r in rows}
        else:
            day = None if include_closed else today
            records = store.open_items(conn, which, day, limit=limit or None)
            total = len(records)
            if limit and total == limit:
                total = store.count_open_items(conn, which, day)
            statuses = {r.id: "open" for r in records}
        names = people_store.names_of(conn, sorted({r.person_id for r in records}))
        heard = _heard_provenance(conn, which, [r.id for r in records])
    return [
        {
            "id": r.id,
            "person_id": r.person_id,
            "person": names[r.person_id],
            "text": r.text,
            "tags": list(r.tags),
            "location": r.location,
            "status": statuses.get(r.id, "open"),
            "expires_on": r.expires_on.isoformat() if r.expires_on else None,
            "expired": bool(r.expires_on and r.expires_on < today),
            "heard": heard.get(r.id),  # where it was heard, when it came from `givefirst heard`
        }
        for r in records
    ], total


def _heard_provenance(conn: Any, which: str, item_ids: list[int]) -> dict[int, str]:
    from givefirst.store.heard import provenance_rows

    rows = provenance_rows(conn, which, item_ids)
    if not rows:
        return {}
    from givefirst.services.heard import provenance  # its rules take a while to load: only when needed

    return {item: provenance(row) for item, row in rows.items()}
