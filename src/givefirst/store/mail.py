"""Mail's own rows: email interactions by message key, and the messages waiting for the two-way verdict."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, update

from givefirst.store import bulk
from givefirst.store.schema import heard_reads, interaction_people, interactions, mail_bodies, mail_pending


def message_index(conn: Connection) -> dict[str, int]:
    """Return {message key: interaction id} of every email interaction that has a key."""
    keyed = interactions.c.message_key.is_not(None)
    rows = conn.execute(select(interactions.c.message_key, interactions.c.id).where(keyed))
    return {str(key): int(iid) for key, iid in rows}


def message_links(conn: Connection) -> dict[int, tuple[str, set[int]]]:
    """Return {interaction id: (direction, its people's ids)} of every email interaction that has a key."""
    found: dict[int, tuple[str, set[int]]] = {}
    rows = conn.execute(
        select(interactions.c.id, interactions.c.direction, interaction_people.c.person_id)
        .outerjoin(interaction_people, interaction_people.c.interaction_id == interactions.c.id)
        .where(interactions.c.message_key.is_not(None))
    )
    for iid, direction, pid in rows:
        entry = found.setdefault(int(iid), (str(direction), set()))
        if pid is not None:
            entry[1].add(int(pid))
    return found


def add_links(conn: Connection, interaction_id: int, person_ids: Iterable[int]) -> None:
    """Add people to an interaction (the caller knows they are not on it yet)."""
    rows = [{"interaction_id": interaction_id, "person_id": pid} for pid in person_ids]
    if rows:
        conn.execute(insert(interaction_people), rows)


def set_direction(conn: Connection, interaction_id: int, direction: str) -> None:
    conn.execute(update(interactions).where(interactions.c.id == interaction_id).values(direction=direction))


def set_message_key(conn: Connection, interaction_id: int, key: str) -> None:
    conn.execute(update(interactions).where(interactions.c.id == interaction_id).values(message_key=key))


def email_interactions_of(conn: Connection, person_id: int) -> list[tuple[int, int]]:
    """Return (interaction id, number of people on it) of each keyed email interaction the person is on."""
    counts = (
        select(interaction_people.c.interaction_id, func.count().label("n"))
        .group_by(interaction_people.c.interaction_id)
        .subquery()
    )
    rows = conn.execute(
        select(interaction_people.c.interaction_id, counts.c.n)
        .join(interactions, interactions.c.id == interaction_people.c.interaction_id)
        .join(counts, counts.c.interaction_id == interaction_people.c.interaction_id)
        .where(interaction_people.c.person_id == person_id, interactions.c.kind == "email")
    )
    return [(int(iid), int(n)) for iid, n in rows]


def people_on(conn: Connection, interaction_ids: Sequence[int]) -> set[int]:
    """Return the ids of everyone on these interactions."""
    if not interaction_ids:
        return set()
    rows = conn.execute(
        select(interaction_people.c.person_id).where(interaction_people.c.interaction_id.in_(interaction_ids))
    )
    return {int(pid) for pid in rows.scalars()}


def unlink(conn: Connection, person_id: int, interaction_ids: Sequence[int]) -> None:
    """Take the person off these interactions."""
    if interaction_ids:
        conn.execute(
            delete(interaction_people).where(
                interaction_people.c.person_id == person_id, interaction_people.c.interaction_id.in_(interaction_ids)
            )
        )


def delete_interactions(conn: Connection, interaction_ids: Sequence[int]) -> None:
    """Delete email interactions, with the bodies kept of their messages."""
    if interaction_ids:
        keys = select(interactions.c.message_key).where(interactions.c.id.in_(interaction_ids))
        conn.execute(delete(mail_bodies).where(mail_bodies.c.message_key.in_(keys)))
        conn.execute(delete(interactions).where(interactions.c.id.in_(interaction_ids)))


@dataclass(frozen=True)
class PendingMessage:
    """A message kept aside until one of its correspondents counts (see schema.mail_pending)."""

    key: str
    source: str
    origin: str
    occurred_at: datetime
    sender: str
    people: tuple[tuple[str, str | None], ...]  # (address, name), sender first, the user too
    subject: str


def pending_messages(conn: Connection) -> Iterator[PendingMessage]:
    """Yield every message waiting for the two-way verdict (streamed: there may be tens of thousands)."""
    columns = mail_pending.c
    rows = conn.execute(
        select(columns.message_key, columns.source, columns.origin, columns.occurred_at, columns.sender,
               columns.people, columns.subject)
    )  # fmt: skip
    for key, source, origin, at, sender, people, subject in rows:
        everyone = tuple((str(address), name) for address, name in json.loads(people))
        yield PendingMessage(str(key), str(source), str(origin), at, str(sender), everyone, str(subject))


def save_pending(conn: Connection, messages: Sequence[PendingMessage], now: datetime) -> None:
    """Keep these messages aside (none of them is kept aside yet: see `pending_messages`)."""
    if not messages:
        return
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    rows = [
        {"message_key": m.key, "source": m.source, "origin": m.origin, "occurred_at": m.occurred_at,
         "sender": m.sender, "people": encode(m.people), "subject": m.subject, "seen_at": now}
        for m in messages
    ]  # fmt: skip
    bulk.insert_rows(conn, "mail_pending", rows)  # the fast executemany: tens of thousands of rows at a time


def forget_pending(conn: Connection, keys: Sequence[str]) -> None:
    """Delete the messages kept aside under these keys (those that exist)."""
    statement = delete(mail_pending).where(mail_pending.c.message_key == bindparam("b_key"))
    for start in range(0, len(keys), 5000):
        conn.execute(statement, [{"b_key": key} for key in keys[start : start + 5000]])


def count_pending(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(mail_pending)).scalar_one())


def pending_from_held(
    held: Iterable[Mapping[str, Any]], configs: Mapping[int, str], now: datetime
) -> list[dict[str, Any]]:
    """Return the mail_pending rows of messages an IMAP sync held before 0008_one_mail_memory (a backup's
    live_mail_held rows, with the config of each live source), as that migration moves them: the sender the
    direction implies, the user's address (the login, else the first --me) among the people. A message whose
    sender cannot be told is left out; so is a second copy of a key."""
    rows: list[dict[str, Any]] = []
    done: set[str] = set()
    for item in held:
        key = str(item["external_id"])
        try:
            config = json.loads(configs.get(int(item["source_id"]), "{}"))
            found = [(str(e).lower(), n) for n, e in json.loads(str(item["people"])) if e]
        except (ValueError, TypeError):
            continue
        login = str(config.get("user") or "").strip().lower()
        own = [str(a).strip().lower() for a in config.get("me") or () if "@" in str(a)]
        user = login if "@" in login else (own[0] if own else None)
        if item["outbound"]:
            sender, everyone = user, [(user, None), *found]
        else:
            sender, everyone = (found[0][0] if found else None), [*found, *([(user, None)] if user else [])]
        if sender is None or key in done:
            continue
        done.add(key)
        rows.append({
            "message_key": key, "source": "imap", "origin": str(item["origin"]), "occurred_at": item["occurred_at"],
            "sender": sender, "subject": str(item.get("subject") or ""), "seen_at": now,
            "people": json.dumps([[a, n] for a, n in everyone], ensure_ascii=False, separators=(",", ":")),
        })  # fmt: skip
    return rows


def body_keys(conn: Connection) -> set[str]:
    """Return the message keys that have a body kept already (a re-import reads only the others)."""
    return {str(k) for k in conn.execute(select(mail_bodies.c.message_key)).scalars()}


def save_bodies(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Keep these bodies (rows of message_key, source, body, kept_at; none of them kept yet), and have `heard`
    read again the interactions of these messages that it read without their body."""
    if not rows:
        return
    conn.execute(insert(mail_bodies), [dict(r) for r in rows])
    keys = [str(r["message_key"]) for r in rows]
    for start in range(0, len(keys), 500):
        read = select(interactions.c.id).where(interactions.c.message_key.in_(keys[start : start + 500]))
        stale = and_(heard_reads.c.origin == "interaction", heard_reads.c.origin_id.in_(read))
        conn.execute(delete(heard_reads).where(stale))


def forget_bodies(conn: Connection, source: str) -> int:
    """Delete the bodies a source kept; return how many."""
    return conn.execute(delete(mail_bodies).where(mail_bodies.c.source == source)).rowcount or 0


def count_bodies(conn: Connection) -> dict[str, int]:
    """Return {source: bodies kept}."""
    query = select(mail_bodies.c.source, func.count()).group_by(mail_bodies.c.source)
    return {str(source): int(n) for source, n in conn.execute(query)}


def delete_if_empty(conn: Connection, person_id: int) -> bool:
    """Delete a person nothing is left of (no identity, interaction, exchange, need, offer, link or note)."""
    from givefirst.store.schema import exchanges, identities, introductions, needs, offers, people, person_links

    row = conn.execute(select(people.c.notes, people.c.how_met, people.c.is_me).where(people.c.id == person_id)).first()
    if row is None or row.is_me or row.notes or row.how_met:
        return False
    checks = [
        (identities, identities.c.person_id), (interaction_people, interaction_people.c.person_id),
        (exchanges, exchanges.c.person_id), (needs, needs.c.person_id), (offers, offers.c.person_id),
        (person_links, person_links.c.first_id), (person_links, person_links.c.second_id),
        (introductions, introductions.c.first_id), (introductions, introductions.c.second_id),
    ]  # fmt: skip
    for table, column in checks:
        if conn.execute(select(1).select_from(table).where(column == person_id).limit(1)).first() is not None:
            return False
    conn.execute(delete(people).where(people.c.id == person_id))
    return True


__all__ = [
    "PendingMessage", "add_links", "body_keys", "count_bodies", "count_pending", "delete_if_empty",
    "delete_interactions", "email_interactions_of", "forget_bodies", "forget_pending", "message_index",
    "message_links", "pending_from_held", "pending_messages", "people_on", "save_bodies", "save_pending",
    "set_direction", "set_message_key", "unlink",
]  # fmt: skip
