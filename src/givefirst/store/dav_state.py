"""What CardDAV and CalDAV sources remember of each item between syncs: its ETag, its text, whom it became.

The collection's sync token lives with the framework's state (`live_source_state`), written in the same
transaction as these rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from givefirst.store.schema import (
    dav_collections,
    dav_items,
    events,
    identities,
    interaction_people,
    interactions,
    people,
    person_sources,
)


def collection_id(conn: Connection, source_id: int, url: str) -> int:
    """Return the id of a source's collection, recording it on its first sync."""
    where = (dav_collections.c.source_id == source_id) & (dav_collections.c.url == url)
    found = conn.execute(select(dav_collections.c.id).where(where)).scalar()
    if found is None:
        found = conn.execute(
            insert(dav_collections).values(source_id=source_id, url=url).returning(dav_collections.c.id)
        )
        return int(found.scalar_one())
    return int(found)


def items(conn: Connection, collection_id: int) -> dict[str, Any]:
    """Return {href: row} of every item known in the collection."""
    rows = conn.execute(select(dav_items).where(dav_items.c.collection_id == collection_id)).all()
    return {str(r.href): r for r in rows}


def etags(conn: Connection, collection_id: int) -> dict[str, str | None]:
    """Return {href: ETag} of the collection: all a sync needs to know before it asks the server."""
    query = select(dav_items.c.href, dav_items.c.etag).where(dav_items.c.collection_id == collection_id)
    return {str(href): etag for href, etag in conn.execute(query)}


def item(conn: Connection, collection_id: int, href: str) -> Any:
    where = (dav_items.c.collection_id == collection_id) & (dav_items.c.href == href)
    return conn.execute(select(dav_items).where(where)).first()


def save_item(conn: Connection, collection_id: int, href: str, values: dict[str, Any], new: bool = False) -> None:
    """Insert or update one item (`new`: the caller knows it is not there); dicts and lists are stored as JSON."""
    stored = {k: json.dumps(v, sort_keys=True) if isinstance(v, dict | list) else v for k, v in values.items()}
    where = (dav_items.c.collection_id == collection_id) & (dav_items.c.href == href)
    if new or conn.execute(select(dav_items.c.id).where(where)).first() is None:
        conn.execute(insert(dav_items).values(collection_id=collection_id, href=href, **stored))
    else:
        conn.execute(update(dav_items).where(where).values(**stored))


def delete_item(conn: Connection, collection_id: int, href: str) -> None:
    conn.execute(delete(dav_items).where((dav_items.c.collection_id == collection_id) & (dav_items.c.href == href)))


def loads(text: str | None) -> Any:
    return json.loads(text) if text else None


def linked_items(conn: Connection, collection_id: int) -> list[Any]:
    """Return every item of the collection that is linked to a person."""
    query = (
        select(dav_items)
        .where(dav_items.c.collection_id == collection_id, dav_items.c.person_id.is_not(None))
        .order_by(dav_items.c.id)
    )
    return list(conn.execute(query).all())


# --- what a sync changes outside its own tables ------------------------------------------------------------------


def unlink_person(conn: Connection, source: str, external_id: str) -> None:
    """Forget that a person came from this source (the card was deleted there); the person stays."""
    conn.execute(
        delete(person_sources).where(person_sources.c.source == source, person_sources.c.external_id == external_id)
    )


def current_person(conn: Connection, person_id: int) -> int | None:
    """Return where a person is now (following merges), or None when they are gone."""
    return current_people(conn, [person_id]).get(person_id)


def current_people(conn: Connection, person_ids: Iterable[int]) -> dict[int, int]:
    """Return {person id: where they are now} following merges; people deleted since are left out.

    One query for everyone (a sync compares every card of an address book), then one per merge followed.
    """
    wanted = sorted(set(person_ids))
    into: dict[int, int | None] = {}  # person id -> merged into (None: current)

    def load(ids: list[int]) -> None:
        query = select(people.c.id, people.c.merged_into_id).where(people.c.id.in_(ids))
        into.update({int(r.id): r.merged_into_id for r in conn.execute(query)})

    for start in range(0, len(wanted), 500):
        load(wanted[start : start + 500])
    out: dict[int, int] = {}
    for pid in wanted:
        here: int | None = pid
        for _ in range(100):  # a chain of merges, never a loop
            if here is not None and here not in into:
                load([here])
            if here is None or here not in into or into[here] is None:
                break
            here = into[here]
        if here is not None and into.get(here, 0) is None:
            out[pid] = here
    return out


def remove_produced(conn: Connection, produced: Iterable[tuple[str, str, str]]) -> set[int]:
    """Delete the interactions and events a calendar object had produced; return the people whose history changed.

    `produced` holds (table, source, external id) with table "interactions" or "events".
    """
    touched: set[int] = set()
    for table, source, external_id in produced:
        if table == "interactions":
            where = (interactions.c.source == source) & (interactions.c.external_id == external_id)
            ids = [int(i) for i in conn.execute(select(interactions.c.id).where(where)).scalars()]
            if ids:
                links = select(interaction_people.c.person_id).where(interaction_people.c.interaction_id.in_(ids))
                touched.update(int(p) for p in conn.execute(links).scalars())
                conn.execute(delete(interactions).where(interactions.c.id.in_(ids)))
        elif table == "events":
            conn.execute(delete(events).where((events.c.source == source) & (events.c.external_id == external_id)))
    return touched


def interaction_ids(conn: Connection, source: str) -> set[str]:
    """Return the external ids of the interactions of one source."""
    query = select(interactions.c.external_id).where(interactions.c.source == source)
    return {str(e) for e in conn.execute(query).scalars() if e is not None}


def identity_owner(conn: Connection, kind: str, value: str) -> int | None:
    found = conn.execute(select(identities.c.person_id).where(identities.c.kind == kind, identities.c.value == value))
    pid = found.scalar()
    return None if pid is None else int(pid)


def person_fields(conn: Connection, person_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Return {person id: {name, organization, title, emails, phones}}: what a card sync compares, in two queries."""
    from givefirst.store.schema import organizations

    pids = sorted(set(person_ids))
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(pids), 500):
        chunk = pids[start : start + 500]
        query = (
            select(people.c.id, people.c.name, people.c.credentials, people.c.title, organizations.c.name.label("org"))
            .select_from(people.outerjoin(organizations, organizations.c.id == people.c.organization_id))
            .where(people.c.id.in_(chunk))
        )
        for r in conn.execute(query):
            name = f"{r.name}, {r.credentials}" if r.credentials else str(r.name)
            out[int(r.id)] = {"name": name, "organization": r.org or "", "title": r.title or "", "emails": [],
                              "phones": []}  # fmt: skip
        found = select(identities.c.person_id, identities.c.kind, identities.c.value).where(
            identities.c.person_id.in_(chunk), identities.c.kind.in_(("email", "phone"))
        )
        for pid, kind, value in conn.execute(found):
            out[int(pid)]["emails" if kind == "email" else "phones"].append(str(value))
    for fields in out.values():
        fields["emails"].sort()
        fields["phones"].sort()
    return out


def remove_unanswered_events(conn: Connection, source: str, kept: set[str], after: datetime) -> int:
    """Delete the source's events starting after `after` that are not in `kept` and that the user has not
    answered (no RSVP, not attended): a feed no longer listing an upcoming event means it was cancelled or moved.
    """
    query = select(events.c.id, events.c.external_id).where(
        events.c.source == source, events.c.starts_at > after, events.c.rsvp == "none", events.c.attended.is_(False)
    )
    gone = [int(r.id) for r in conn.execute(query) if r.external_id not in kept]
    if gone:
        conn.execute(delete(events).where(events.c.id.in_(gone)))
    return len(gone)
