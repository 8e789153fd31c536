"""Queries for the graph of who knows whom: the evidence it is built from, and its edge cache."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, or_, select, update

from givefirst.store.schema import (
    graph_changes,
    graph_edges,
    graph_marks,
    identities,
    interaction_people,
    interactions,
    introductions,
    organizations,
    people,
    person_links,
)
from givefirst.store.stamp import lock_data_version

CURRENT = people.c.merged_into_id.is_(None)
MARK = "edges"
CHUNK = 900  # ids per IN list: under every SQLite build's limit on bound parameters


def shared_interactions(
    conn: Connection, max_group: int, involving: Sequence[int] | None = None
) -> Iterator[tuple[int, int, str, datetime]]:
    """Yield (interaction id, person id, kind, when) for real interactions with 2 to `max_group` people on them.

    With `involving`, only the interactions at least two of these people took part in (with everyone on them):
    the only ones that can tie two of them. An ego network's 150 strongest ties are most of the traffic, and
    their two-person calls with the user are most of their interactions; read whole, they were 218,000 rows at
    100,000 people for a few thousand that count.
    """
    candidates = select(interaction_people.c.interaction_id)
    if involving is not None:
        mine = (
            select(interaction_people.c.interaction_id)
            .where(interaction_people.c.person_id.in_(involving))
            .group_by(interaction_people.c.interaction_id)
            .having(func.count() >= 2)
        )
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


def employers(conn: Connection, colleagues_of: Collection[int] | None = None) -> list[tuple[int, str]]:
    """Return (person id, organization name) for everyone but the user with an organization.

    With `colleagues_of`, only the people of those people's organizations (every one of them, so that each
    organization's size is the whole one).
    """
    query = (
        select(people.c.id, organizations.c.name)
        .join(organizations, organizations.c.id == people.c.organization_id)
        .where(people.c.is_me.is_(False), CURRENT)
    )
    if colleagues_of is None:
        return [(int(r[0]), str(r[1])) for r in conn.execute(query)]
    theirs = select(people.c.organization_id).where(people.c.id.in_(bindparam("ids", expanding=True)))
    some = query.where(people.c.organization_id.in_(theirs))
    found: set[tuple[int, str]] = set()
    ids = sorted(colleagues_of)
    for start in range(0, len(ids), CHUNK):
        found.update((int(a), str(b)) for a, b in conn.execute(some, {"ids": ids[start : start + CHUNK]}))
    return sorted(found)


def email_addresses(
    conn: Connection, of: Collection[int] | None = None, at: Collection[str] | None = None
) -> list[tuple[int, str]]:
    """Return (person id, email address) for everyone but the user.

    With `of`, only these people's addresses; with `at` (at most `CHUNK` lower-case domains), only the addresses
    whose part after the first "@" is one of them, and every address with a second "@": the caller checks each
    address's domain exactly. Addresses are stored lower-case.
    """
    query = (
        select(identities.c.person_id, identities.c.value)
        .join(people, people.c.id == identities.c.person_id)
        .where(identities.c.kind == "email", people.c.is_me.is_(False), CURRENT)
    )
    if at is not None:
        if not at:
            return []
        value = identities.c.value
        first_at = func.strpos(value, "@") if conn.dialect.name == "postgresql" else func.instr(value, "@")
        query = query.where(or_(func.lower(func.substr(value, first_at + 1)).in_(sorted(at)), value.like("%@%@%")))
    if of is None:
        return [(int(r[0]), str(r[1])) for r in conn.execute(query)]
    some = query.where(identities.c.person_id.in_(bindparam("ids", expanding=True)))
    ids = sorted(of)
    out: list[tuple[int, str]] = []
    for start in range(0, len(ids), CHUNK):
        out.extend((int(a), str(b)) for a, b in conn.execute(some, {"ids": ids[start : start + CHUNK]}))
    return out


def introduced_pairs(conn: Connection) -> list[tuple[int, int]]:
    """Return the pairs the user has introduced to each other (introduced, or closed after the introduction)."""
    query = select(introductions.c.first_id, introductions.c.second_id).where(
        introductions.c.introduced_at.is_not(None)
    )
    return [(int(a), int(b)) for a, b in conn.execute(query)]


def links(conn: Connection) -> list[Any]:
    """Return every recorded relationship between two contacts."""
    return list(conn.execute(select(person_links).order_by(person_links.c.id)).all())


def cache_mark(conn: Connection) -> tuple[str, datetime] | None:
    """Return what the edge cache was built as (the graph version) and when, or None when there is no cache."""
    row = conn.execute(select(graph_marks.c.fingerprint, graph_marks.c.built_at).where(graph_marks.c.name == MARK))
    found = row.first()
    return None if found is None else (str(found[0]), found[1])


def pending_changes(conn: Connection) -> dict[str, set[str]]:
    """Return the changes noted since the cache was built or brought up to date: kind → keys."""
    out: dict[str, set[str]] = {}
    for kind, key in conn.execute(select(graph_changes.c.kind, graph_changes.c.key)):
        out.setdefault(str(kind), set()).add(str(key))
    return out


def lock_writers_out(conn: Connection) -> None:
    """Hold other writers off until this transaction ends, so that no change is noted between reading the notes
    (and the evidence) and clearing them.

    On PostgreSQL every writer locks the 'all' counter first (migration 0013): lock it as they do. On SQLite a
    read takes no lock until the first write, and a writer may commit in between: write at once (a row set to
    what it holds), which takes the database's one write lock and makes the reads that follow see the latest.
    """
    if conn.dialect.name == "postgresql":
        lock_data_version(conn)
    else:
        conn.execute(update(graph_marks).where(graph_marks.c.name == MARK).values(built_at=graph_marks.c.built_at))


def people_of_interactions(conn: Connection, interaction_ids: Collection[int]) -> set[int]:
    """Return everyone on these interactions."""
    ids = sorted(interaction_ids)
    out: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        where = interaction_people.c.interaction_id.in_(ids[start : start + CHUNK])
        out.update(int(p) for p in conn.execute(select(interaction_people.c.person_id).where(where)).scalars())
    return out


def groups_of(conn: Connection, person_ids: Collection[int]) -> tuple[set[int], set[str]]:
    """Return the organizations of these people and all their email addresses (merged people's too)."""
    ids = sorted(person_ids)
    orgs: set[int] = set()
    emails: set[str] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        query = select(people.c.organization_id).where(people.c.id.in_(chunk), people.c.organization_id.is_not(None))
        orgs.update(int(o) for o in conn.execute(query).scalars())
        query = select(identities.c.value).where(identities.c.person_id.in_(chunk), identities.c.kind == "email")
        emails.update(str(v) for v in conn.execute(query).scalars())
    return orgs, emails


def organization_members(conn: Connection, organization_ids: Collection[int]) -> dict[int, list[int]]:
    """Return each of these organizations' people (the user and merged people left out, as the graph does)."""
    ids = sorted(organization_ids)
    out: dict[int, list[int]] = {}
    for start in range(0, len(ids), CHUNK):
        query = select(people.c.organization_id, people.c.id).where(
            people.c.organization_id.in_(ids[start : start + CHUNK]), people.c.is_me.is_(False), CURRENT
        )
        for org, pid in conn.execute(query):
            out.setdefault(int(org), []).append(int(pid))
    return out


def replace_edges_among(
    conn: Connection, ids: Collection[int], edges: Sequence[tuple[int, int, float, Sequence[Any]]]
) -> None:
    """Replace the cached edges with both ends in `ids` by `edges` (whose ends are all in `ids`)."""
    wanted = set(ids)
    old = {(a, b) for a, b, _ in edges_touching(conn, sorted(wanted)) if a in wanted and b in wanted}
    if old:
        where = (graph_edges.c.first_id == bindparam("a")) & (graph_edges.c.second_id == bindparam("b"))
        conn.execute(delete(graph_edges).where(where), [{"a": a, "b": b} for a, b in sorted(old)])
    _insert_edges(conn, edges)


def clear_changes(conn: Connection) -> None:
    conn.execute(delete(graph_changes))


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


def save_edges(
    conn: Connection, edges: Iterable[tuple[int, int, float, Sequence[Any]]], mark: str, at: datetime
) -> None:
    """Replace the edge cache with `edges` (first, second, strength, evidence) and remember what it was built as.

    The change notes are emptied with it: from here on they say what changed since this build.
    """
    conn.execute(delete(graph_edges))
    conn.execute(delete(graph_marks).where(graph_marks.c.name == MARK))
    _insert_edges(conn, edges)
    conn.execute(insert(graph_marks).values(name=MARK, fingerprint=mark, built_at=at))
    clear_changes(conn)


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


def locations(conn: Connection) -> list[str]:
    """Return every location someone but the user is at, each once."""
    located = (people.c.location.is_not(None), people.c.is_me.is_(False), CURRENT)
    return [str(x) for x in conn.execute(select(people.c.location).where(*located).distinct()).scalars()]


def people_at(conn: Connection, places: Sequence[str]) -> list[tuple[int, str]]:
    """Return (id, location) of everyone but the user at one of these locations (as `locations` spells them)."""
    query = select(people.c.id, people.c.location).where(
        people.c.location.in_(bindparam("places", expanding=True)), people.c.is_me.is_(False), CURRENT
    )
    out: list[tuple[int, str]] = []
    for start in range(0, len(places), CHUNK):
        out += [(int(a), str(b)) for a, b in conn.execute(query, {"places": list(places[start : start + CHUNK])})]
    return sorted(out)  # (by id, as one read of every person gave them)


def people_facts(conn: Connection) -> list[Any]:
    """Return id, name, location, title and organization of everyone but the user (what targets match on)."""
    query = (
        select(people.c.id, people.c.name, people.c.location, people.c.title, organizations.c.name.label("org"))
        .select_from(people.outerjoin(organizations, organizations.c.id == people.c.organization_id))
        .where(people.c.is_me.is_(False), CURRENT)
    )
    return list(conn.execute(query).all())


def _insert_edges(conn: Connection, edges: Iterable[tuple[int, int, float, Sequence[Any]]]) -> None:
    keys = ("first_id", "second_id", "strength", "evidence")
    # 20,000 at a time, as they come: the evidence of a million edges as JSON at once was 150 MB more for the
    # whole build.
    each = iter(edges)
    while rows := [(a, b, p, json.dumps(ev, separators=(",", ":"))) for a, b, p, ev in islice(each, 20_000)]:
        if conn.dialect.name == "sqlite":
            # Straight to the driver: SQLAlchemy's per-row parameter handling was most of the time for 250,000 edges.
            conn.exec_driver_sql(
                "INSERT INTO graph_edges (first_id, second_id, strength, evidence) VALUES (?, ?, ?, ?)", rows
            )
        else:
            conn.execute(insert(graph_edges), [dict(zip(keys, r, strict=True)) for r in rows])
