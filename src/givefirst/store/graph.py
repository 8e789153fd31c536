"""Queries for the graph of who knows whom: the evidence it is built from, and its edge cache."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select

from givefirst.store.schema import (
    graph_edges,
    graph_marks,
    identities,
    interaction_people,
    interactions,
    introductions,
    merges,
    organizations,
    people,
    person_links,
)

CURRENT = people.c.merged_into_id.is_(None)
MARK = "edges"
CHUNK = 900  # ids per IN list: under every SQLite build's limit on bound parameters


def shared_interactions(
    conn: Connection, max_group: int, involving: Sequence[int] | None = None
) -> Iterator[tuple[int, int, str, datetime]]:
    """Yield (interaction id, person id, kind, when) for real interactions with 2 to `max_group` people on them.

    With `involving`, only the interactions at least one of these people took part in (with everyone on them).
    """
    candidates = select(interaction_people.c.interaction_id)
    if involving is not None:
        mine = select(interaction_people.c.interaction_id).where(interaction_people.c.person_id.in_(involving))
        candidates = candidates.where(interaction_people.c.interaction_id.in_(mine))
    groups = (
        candidates.group_by(interaction_people.c.interaction_id).having(func.count().between(2, max_group)).subquery()
    )
    query = (
        select(interaction_people.c.interaction_id, interaction_people.c.person_id, interactions.c.kind,
               interactions.c.occurred_at)
        .join(groups, groups.c.interaction_id == interaction_people.c.interaction_id)
        .join(interactions, interactions.c.id == interaction_people.c.interaction_id)
        .join(people, people.c.id == interaction_people.c.person_id)
        .where(interactions.c.planned.is_(False), people.c.is_me.is_(False), CURRENT)
        .order_by(interaction_people.c.interaction_id)
    )  # fmt: skip
    for row in conn.execute(query):
        yield int(row[0]), int(row[1]), str(row[2]), row[3]


def employers(conn: Connection) -> list[tuple[int, str]]:
    """Return (person id, organization name) for everyone but the user with an organization."""
    query = (
        select(people.c.id, organizations.c.name)
        .join(organizations, organizations.c.id == people.c.organization_id)
        .where(people.c.is_me.is_(False), CURRENT)
    )
    return [(int(r[0]), str(r[1])) for r in conn.execute(query)]


def email_addresses(conn: Connection) -> list[tuple[int, str]]:
    """Return (person id, email address) for everyone but the user."""
    query = (
        select(identities.c.person_id, identities.c.value)
        .join(people, people.c.id == identities.c.person_id)
        .where(identities.c.kind == "email", people.c.is_me.is_(False), CURRENT)
    )
    return [(int(r[0]), str(r[1])) for r in conn.execute(query)]


def introduced_pairs(conn: Connection) -> list[tuple[int, int]]:
    """Return the pairs the user has introduced to each other (introduced, or closed after the introduction)."""
    query = select(introductions.c.first_id, introductions.c.second_id).where(
        introductions.c.introduced_at.is_not(None)
    )
    return [(int(a), int(b)) for a, b in conn.execute(query)]


def links(conn: Connection) -> list[Any]:
    """Return every recorded relationship between two contacts."""
    return list(conn.execute(select(person_links).order_by(person_links.c.id)).all())


def fingerprint(conn: Connection) -> str:
    """Return a summary of everything the cached edges are built from: it changes whenever the evidence may."""
    parts = []
    for table, cols in (
        (interactions, (func.count(), func.max(interactions.c.id))),
        (interaction_people, (func.count(), func.sum(interaction_people.c.person_id))),
        (people, (func.count(), func.max(people.c.updated_at))),
        (identities, (func.count(), func.max(identities.c.id))),
        (introductions, (func.count(), func.max(introductions.c.updated_at))),
        (person_links, (func.count(), func.max(person_links.c.id), func.sum(func.length(person_links.c.kind)))),
        (merges, (func.count(), func.max(merges.c.undone_at))),
        (organizations, (func.count(), func.max(organizations.c.id))),
    ):
        row = conn.execute(select(*cols).select_from(table)).one()
        parts.append(",".join("" if v is None else str(v) for v in row))
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


def cached_fingerprint(conn: Connection) -> str | None:
    return conn.execute(select(graph_marks.c.fingerprint).where(graph_marks.c.name == MARK)).scalar()


def cached_edges(conn: Connection, among: Sequence[int] | None = None) -> Iterator[tuple[int, int, float]]:
    """Yield the cached contact-to-contact edges: (first, second, strength); their evidence is read on demand.

    With `among`, only the edges whose two ends are both in it.
    """
    query = select(graph_edges.c.first_id, graph_edges.c.second_id, graph_edges.c.strength)
    if among is not None:
        ids = sorted(set(among))
        # `second_id + 0`: the second end tested on each row rather than looked up. With both ends as plain
        # columns SQLite probes the primary key for every pair of the two lists (4,000,000 probes for the
        # Network page's 2,000 people: 2.8 s) instead of scanning each first id's edges (0.15 s).
        query = query.where(graph_edges.c.first_id.in_(ids), (graph_edges.c.second_id + 0).in_(ids))
    for chunk in conn.execute(query).partitions(10_000):
        for a, b, p in chunk:
            yield int(a), int(b), float(p)


def edges_touching(conn: Connection, ids: Sequence[int]) -> Iterator[tuple[int, int, float]]:
    """Yield the cached edges with at least one end in `ids`: (first, second, strength); an edge with both ends
    there may come twice. Read by endpoint (the primary key and the `second_id` index): a neighbourhood, not the
    whole graph."""
    wanted = sorted(set(ids))
    edge = select(graph_edges.c.first_id, graph_edges.c.second_id, graph_edges.c.strength)
    queries = [edge.where(end.in_(bindparam("ids", expanding=True))) for end in (graph_edges.c.first_id,
                                                                                 graph_edges.c.second_id)]  # fmt: skip
    for start in range(0, len(wanted), CHUNK):
        for query in queries:
            for a, b, p in conn.execute(query, {"ids": wanted[start : start + CHUNK]}):
                yield int(a), int(b), float(p)


def cached_evidence(conn: Connection, pairs: Sequence[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """Return the evidence JSON of these cached edges (pairs with the lower id first)."""
    out: dict[tuple[int, int], str] = {}
    for a, b in pairs:
        where = (graph_edges.c.first_id == a) & (graph_edges.c.second_id == b)
        found = conn.execute(select(graph_edges.c.evidence).where(where)).scalar()
        if found is not None:
            out[(a, b)] = str(found)
    return out


def save_edges(conn: Connection, edges: Sequence[tuple[int, int, float, list[Any]]], mark: str, at: datetime) -> None:
    """Replace the edge cache with `edges` (first, second, strength, evidence) and remember what it was built from."""
    conn.execute(delete(graph_edges))
    conn.execute(delete(graph_marks).where(graph_marks.c.name == MARK))
    rows = [(a, b, p, json.dumps(ev, separators=(",", ":"))) for a, b, p, ev in edges]
    if not rows:
        pass
    elif conn.dialect.name == "sqlite":
        # Straight to the driver: SQLAlchemy's per-row parameter handling was most of the time for 250,000 edges.
        conn.exec_driver_sql("INSERT INTO graph_edges (first_id, second_id, strength, evidence) VALUES (?, ?, ?, ?)",
                             rows)  # fmt: skip
    else:
        keys = ("first_id", "second_id", "strength", "evidence")
        for start in range(0, len(rows), 20_000):
            conn.execute(insert(graph_edges), [dict(zip(keys, r, strict=True)) for r in rows[start : start + 20_000]])
    conn.execute(insert(graph_marks).values(name=MARK, fingerprint=mark, built_at=at))


def employer_ids(conn: Connection, among: Sequence[int] | None = None) -> tuple[dict[int, int], dict[int, str]]:
    """Return person id → organization id (everyone but the user, or those `among` these) and organization id
    → name."""
    query = select(people.c.id, people.c.organization_id).where(
        people.c.organization_id.is_not(None), people.c.is_me.is_(False), CURRENT
    )
    # Rows straight into dicts: the daily plan reads this for 20,000 people.
    members: dict[int, int] = {}
    if among is None:
        members.update(conn.execute(query).all())
    wanted = sorted(set(among or ()))
    some = query.where(people.c.id.in_(bindparam("ids", expanding=True)))  # one statement for every chunk
    for start in range(0, len(wanted), CHUNK):
        members.update(conn.execute(some, {"ids": wanted[start : start + CHUNK]}).all())
    names: dict[int, str] = dict(conn.execute(select(organizations.c.id, organizations.c.name)).all())
    return members, names


def people_located(conn: Connection) -> list[tuple[int, str]]:
    """Return (id, location) of everyone but the user whose location is known."""
    query = select(people.c.id, people.c.location).where(
        people.c.location.is_not(None), people.c.is_me.is_(False), CURRENT
    )
    return [(a, b) for a, b in conn.execute(query)]


def people_facts(conn: Connection) -> list[Any]:
    """Return id, name, location, title and organization of everyone but the user (what targets match on)."""
    query = (
        select(people.c.id, people.c.name, people.c.location, people.c.title, organizations.c.name.label("org"))
        .select_from(people.outerjoin(organizations, organizations.c.id == people.c.organization_id))
        .where(people.c.is_me.is_(False), CURRENT)
    )
    return list(conn.execute(query).all())
