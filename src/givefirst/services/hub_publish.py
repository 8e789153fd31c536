"""Publishing the user's own needs and offers to a hub, by choice, item by item, and keeping them linked.

A published item has an outbox row (store/hub_published.py). Editing it here marks it `edited`, closing it marks
it `closing`; the command that made the change tries to send it at once and, when the hub does not answer, says
it will reach the hub on the next sync (nothing here ever waits on a hub to save a local change).

The conflict rule (docs/hub-client.md), applied when a sync meets the hub's version of an item:
1. a close wins over an edit, on either side: closed on the hub while edited here → closed here too (withdrawn),
   the edit reported and not sent;
2. text edited on both sides → this machine's version wins (the member's own words) and the hub's is reported;
3. edited only on the hub → brought into the local item.
Every conflict is written to `hub_sync_reports`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.services.context import App
from givefirst.store import hub_links as links_store
from givefirst.store import hub_published as store
from givefirst.store import needs as needs_store
from givefirst.store import people as people_store
from givefirst.store.hub_links import HubLink
from givefirst.store.hub_published import Published

if TYPE_CHECKING:  # the network (httpx) is loaded only when something is sent: closing an item stays quick
    from givefirst.services.hub_client import HubClient

VISIBILITIES = ("chapter", "association", "leads")
AUDIENCES = {"chapter": "my chapter", "association": "the whole association", "leads": "the chapter's leads only"}
IMMEDIATE_TIMEOUT_S = 5.0  # a command tries the hub at once, briefly; the sync retries anything left
HUB_CLOSED_STATUS = "withdrawn"  # a local item closed because it was closed on the hub


def check_visibility(value: str) -> str:
    if value not in VISIBILITIES:
        raise InvalidInputError(f"publish to one of {', '.join(VISIBILITIES)}, not {value!r}")
    return value


def choose_hub(conn: Connection, name: str | None) -> HubLink:
    """Return the hub `name` names, or the only one joined; several joined need a name."""
    joined = links_store.all_links(conn)
    if name:
        for link in joined:
            if link.name == name:
                return link
        names = ", ".join(link.name for link in joined) or "none"
        raise NotFoundError(f"no joined hub is named {name!r} (joined: {names})")
    if not joined:
        raise InvalidInputError("no hub is joined: givefirst hub join URL --token-env VAR, then publish")
    if len(joined) > 1:
        names = ", ".join(link.name for link in joined)
        raise InvalidInputError(f"several hubs are joined ({names}): say which with --hub NAME")
    return joined[0]


def _own_open_item(conn: Connection, app: App, which: str, item_id: int) -> Any:
    if which not in ("need", "offer"):
        raise InvalidInputError(f"publish a need or an offer, not {which!r}")
    item = needs_store.item_row(conn, which, item_id)
    if item is None:
        raise NotFoundError(f"no {which} with id {item_id}")
    if int(item.person_id) != app.me(conn):
        whose = people_store.names_of(conn, [int(item.person_id)]).get(int(item.person_id), "a contact")
        raise InvalidInputError(
            f"{which} #{item_id} is {whose}'s, not yours: only your own needs and offers can be published "
            "(a contact's stays on this machine)"
        )
    if item.status != "open":
        raise InvalidInputError(f"{which} #{item_id} is {item.status}: only an open {which} can be published")
    return item


def attach(conn: Connection, app: App, which: str, item_id: int, visibility: str, hub_name: str | None) -> HubLink:
    """Put the item in a hub's outbox (inside the caller's transaction); return the hub."""
    check_visibility(visibility)
    _own_open_item(conn, app, which, item_id)
    link = choose_hub(conn, hub_name)
    row = store.find(conn, link.id, which, item_id)
    if row is None:
        store.add(conn, link.id, which, item_id, visibility, app.now)
    elif row.state == "closed" or (row.state == "closing" and row.public_id is None):
        store.restart(conn, row.id, visibility, app.now)
    elif row.state == "closing":
        store.set_state(conn, row.id, "edited", app.now, visibility=visibility)  # still on the hub: kept open
    elif row.visibility != visibility:
        store.set_state(conn, row.id, "new" if row.state == "new" else "edited", app.now, visibility=visibility)
    return link


def publish(app: App, which: str, item_id: int, visibility: str, hub_name: str | None) -> list[str]:
    """Publish one of the user's own open needs or offers; return what happened, in lines."""
    with app.begin() as conn:
        attach(conn, app, which, item_id, visibility, hub_name)
    return push_item(app, which, item_id)


def unpublish(app: App, which: str, item_id: int, hub_name: str | None) -> list[str]:
    """Withdraw an item from a hub (it stays open here)."""
    with app.begin() as conn:
        link = choose_hub(conn, hub_name)
        row = store.find(conn, link.id, which, item_id)
        if row is None or row.state in ("closing", "closed"):
            raise InvalidInputError(f"{which} #{item_id} is not published on {link.name}")
        store.set_state(conn, row.id, "closing", app.now)
    return push_item(app, which, item_id)


# --- hooks called by services/needs.py inside its transaction ---------------------------------------------------


def mark_edited(conn: Connection, which: str, item_id: int, now: Any) -> bool:
    """A published item changed here: its next push sends the edit. Return whether it is published anywhere."""
    touched = False
    for row in store.of_item(conn, which, item_id):
        if row.state == "synced":
            store.set_state(conn, row.id, "edited", now)
        touched = touched or row.state in store.PENDING or row.state == "synced"
    return touched


def mark_closed(conn: Connection, which: str, item_id: int, status: str, now: Any) -> bool:
    """A published item was closed (or reopened) here: close it on (or send it again to) its hubs."""
    touched = False
    for row in store.of_item(conn, which, item_id):
        if status != "open" and row.state in store.LIVE:
            store.set_state(conn, row.id, "closing", now)
            touched = True
        elif status == "open" and row.state == "closing":
            store.set_state(conn, row.id, "edited" if row.public_id else "new", now)
            touched = True
        elif status == "open" and row.state == "closed":
            store.restart(conn, row.id, row.visibility, now)
            touched = True
    return touched


# --- sending --------------------------------------------------------------------------------------------------


def push_item(app: App, which: str, item_id: int) -> list[str]:
    """Send one item's pending changes to each of its hubs now; a hub that does not answer gets them next sync."""
    from givefirst.services import credentials, hub_membership
    from givefirst.services.hub_client import HubUnreachable

    with app.begin() as conn:
        rows = [r for r in store.of_item(conn, which, item_id) if r.state in store.PENDING]
        links = {link.id: link for link in links_store.all_links(conn)}
    lines: list[str] = []
    for row in rows:
        link = links[row.hub_id]
        try:
            with hub_membership.open_client(link, timeout=IMMEDIATE_TIMEOUT_S) as client:
                mine = _my_items(client)
                lines += _push_row(app, link, client, row, mine)
        except (HubUnreachable, credentials.CredentialError) as exc:
            lines.append(f"{link.name}: saved here; it will reach the hub on the next sync ({exc})")
    return lines


def _my_items(client: HubClient) -> dict[str, dict[str, Any]]:
    return {str(i["id"]): i for i in client.my_items()}


def _content(found: dict[str, Any]) -> dict[str, Any]:
    return {"text": found.get("text"), "tags": list(found.get("tags") or []), "location": found.get("location")}


def _body(item: Any) -> tuple[str, list[str], str | None]:
    return str(item.text), [t for t in str(item.tags).split(",") if t], item.location


def push_outbox(app: App, link: HubLink, client: HubClient) -> list[str]:
    """Send every pending change of this hub, then bring the hub's own changes to synced items here.

    Each row is settled in its own transaction right after the hub answered, so a sync cut half-way leaves every
    row either done or still pending; a `new` row is looked for on the hub before it is sent again.
    """
    mine = _my_items(client)
    with app.begin() as conn:
        rows = store.of_hub(conn, link.id, (*store.PENDING, "synced"))
    lines: list[str] = []
    for row in rows:
        if row.state == "synced":
            lines += _reconcile(app, link, row, mine)
        else:
            lines += _push_row(app, link, client, row, mine)
    return lines


def _push_row(app: App, link: HubLink, client: HubClient, row: Published, mine: dict[str, dict[str, Any]]) -> list[str]:
    from givefirst.services.hub_client import HubRefused

    with app.begin() as conn:
        item = needs_store.item_row(conn, row.kind, row.item_id)
    label = f"{row.kind} #{row.item_id}"
    try:
        if row.state == "closing" or item is None:
            return _send_close(app, link, client, row, mine, item, label)
        if row.state == "new":
            return _send_new(app, link, client, row, mine, item, label)
        return _send_edit(app, link, client, row, mine, item, label)
    except HubRefused as exc:
        _report(app, link, "error", f"{label}: the hub refused it: {exc}")
        return [f"{link.name}: {label} refused by the hub: {exc}"]


def _adoptable(app: App, link: HubLink, row: Published, mine: dict[str, dict[str, Any]], text: str) -> str | None:
    """A `new` item may have reached the hub before a cut: return the hub's id of the same open item, if any.

    The same: of the same kind, no other row's, with the text now here or the text last attempted (`sent` is
    written before each POST, so an item edited here after an unanswered POST is still recognised).
    """
    texts = {text, *([str(row.sent.get("text"))] if row.sent else [])}
    with app.begin() as conn:
        known = store.known_public_ids(conn, link.id)
    for public_id, found in mine.items():
        same = found.get("kind") == row.kind and found.get("text") in texts
        if same and public_id not in known and found.get("status") == "open":
            return public_id
    return None


def _send_new(app: App, link: HubLink, client: HubClient, row: Published, mine: dict[str, dict[str, Any]],
              item: Any, label: str) -> list[str]:  # fmt: skip
    text, tags, location = _body(item)
    adopted = _adoptable(app, link, row, mine, text)
    if adopted is not None:
        answer = mine[adopted]
        if (
            _content(answer) != {"text": text, "tags": tags, "location": location}
            or answer.get("visibility") != row.visibility
        ):
            answer = client.edit(adopted, text, tags, location, row.visibility)
    else:
        with app.begin() as conn:  # written ahead: what may land on the hub even if its answer is lost
            store.set_state(conn, row.id, "new", app.now, sent={"text": text, "tags": tags, "location": location})
        answer = client.publish(row.kind, text, tags, location, row.visibility)
    public_id = str(answer["id"])
    mine[public_id] = answer
    with app.begin() as conn:
        store.set_state(conn, row.id, "synced", app.now, public_id=public_id, sent=_content(answer), synced=True)
    how = "found on the hub after an interrupted sync" if adopted else "published"
    return [f"{link.name}: {label} {how} ({row.visibility}, id {public_id})"]


def _send_edit(app: App, link: HubLink, client: HubClient, row: Published, mine: dict[str, dict[str, Any]],
               item: Any, label: str) -> list[str]:  # fmt: skip
    assert row.public_id is not None
    on_hub = mine.get(row.public_id)
    if on_hub is None or on_hub.get("status") != "open":  # rule 1: the hub's close wins over the local edit
        with app.begin() as conn:
            if item.status == "open":
                needs_store.set_status(conn, row.kind, row.item_id, HUB_CLOSED_STATUS, app.now)
            store.set_state(conn, row.id, "closed", app.now, synced=True)
        message = (f"{label} was closed on the hub while edited here: closed here too ({HUB_CLOSED_STATUS}); "
                   f"the edit was not sent (a close wins over an edit)")  # fmt: skip
        _report(app, link, "conflict", message)
        return [f"{link.name}: conflict: {message}"]
    lines: list[str] = []
    if row.sent is not None and _content(on_hub) != row.sent:  # rule 2: edited on both sides, this machine wins
        message = (f"{label} was edited on both sides: this machine's version was kept; the hub's was "
                   f"{on_hub.get('text')!r} (tags {', '.join(on_hub.get('tags') or []) or 'none'})")  # fmt: skip
        _report(app, link, "conflict", message)
        lines.append(f"{link.name}: conflict: {message}")
    text, tags, location = _body(item)
    answer = client.edit(row.public_id, text, tags, location, row.visibility)
    mine[row.public_id] = answer
    with app.begin() as conn:
        store.set_state(conn, row.id, "synced", app.now, sent=_content(answer), synced=True)
    return [*lines, f"{link.name}: {label} edit sent"]


def _send_close(app: App, link: HubLink, client: HubClient, row: Published, mine: dict[str, dict[str, Any]],
                item: Any, label: str) -> list[str]:  # fmt: skip
    public_id = row.public_id
    if public_id is None and item is not None:  # never acknowledged: it may still have landed
        public_id = _adoptable(app, link, row, mine, str(item.text))
    if public_id is not None and mine.get(public_id, {}).get("status") == "open":
        from givefirst.services.hub_client import HubRefused

        try:
            mine[public_id] = client.close_item(public_id)
        except HubRefused as exc:
            if exc.status != 404:
                raise
    with app.begin() as conn:
        store.set_state(conn, row.id, "closed", app.now, public_id=public_id, synced=True)
    return [f"{link.name}: {label} closed on the hub" if public_id else f"{link.name}: {label} not sent (closed)"]


def _reconcile(app: App, link: HubLink, row: Published, mine: dict[str, dict[str, Any]]) -> list[str]:
    """A synced item: bring a close or an edit made on the hub (its web pages) here."""
    assert row.public_id is not None
    on_hub = mine.get(row.public_id)
    label = f"{row.kind} #{row.item_id}"
    if on_hub is None or on_hub.get("status") != "open":
        with app.begin() as conn:
            item = needs_store.item_row(conn, row.kind, row.item_id)
            if item is not None and item.status == "open":
                needs_store.set_status(conn, row.kind, row.item_id, HUB_CLOSED_STATUS, app.now)
            store.set_state(conn, row.id, "closed", app.now, synced=True)
        message = f"{label} was closed on the hub: closed here too ({HUB_CLOSED_STATUS})"
        _report(app, link, "info", message)
        return [f"{link.name}: {message}"]
    if row.sent is not None and _content(on_hub) != row.sent:  # rule 3: edited only on the hub
        from givefirst.services import matching
        from givefirst.services.people import clean_tags

        content = _content(on_hub)
        with app.begin() as conn:
            needs_store.update_item(conn, row.kind, row.item_id, {
                "text": " ".join(str(content["text"]).split()), "tags": clean_tags(content["tags"]),
                "location": content["location"],
            })  # fmt: skip
            store.set_state(conn, row.id, "synced", app.now, sent=content, synced=True,
                            visibility=str(on_hub.get("visibility") or row.visibility))  # fmt: skip
            matching.refresh(conn, app, need_id=row.item_id if row.kind == "need" else None)
        message = f"{label} was edited on the hub: its text is now {content['text']!r} here too"
        _report(app, link, "info", message)
        return [f"{link.name}: {message}"]
    return []


def _report(app: App, link: HubLink, kind: str, message: str) -> None:
    with app.begin() as conn:
        links_store.add_report(conn, link.id, kind, message, app.now)


def published_on(app: App, which: str, item_ids: list[int]) -> dict[int, list[str]]:
    with app.begin() as conn:
        return store.hubs_of_items(conn, which, item_ids)


def choices_and_marks(app: App, need_ids: list[int], offer_ids: list[int]) -> dict[str, Any]:
    """For the user's own page: the "Publish to" choices (one per joined hub and audience) and, per listed item,
    the hubs it is published on. Empty when no hub is joined."""
    with app.begin() as conn:
        links = links_store.all_links(conn)
        if not links:
            return {}
        choices = [{"value": f"{link.name}:{v}", "label": f"{link.name}: {AUDIENCES[v]}"}
                   for link in links for v in VISIBILITIES]  # fmt: skip
        return {"choices": choices, "need": store.hubs_of_items(conn, "need", need_ids),
                "offer": store.hubs_of_items(conn, "offer", offer_ids)}  # fmt: skip


def parse_choice(value: str) -> tuple[str | None, str | None]:
    """Read a "Publish to" choice ("HUB:audience", or "" for not published) into (visibility, hub)."""
    if not value:
        return None, None
    hub, _, visibility = value.rpartition(":")
    return check_visibility(visibility), hub or None
