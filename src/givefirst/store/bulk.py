"""Bulk writes for imports: many rows per statement (SQLAlchemy's insertmanyvalues), ids returned in order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from givefirst.store.schema import (
    identities,
    interaction_people,
    interactions,
    organizations,
    people,
    person_sources,
    person_tags,
    tags,
)


def insert_people(conn: Connection, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert people and return their ids, in the order of `rows`."""
    if not rows:
        return []
    result = conn.execute(insert(people).returning(people.c.id, sort_by_parameter_order=True), list(rows))
    return [int(i) for i in result.scalars()]


def insert_interactions(conn: Connection, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert interactions and return their ids, in the order of `rows`."""
    if not rows:
        return []
    result = conn.execute(insert(interactions).returning(interactions.c.id, sort_by_parameter_order=True), list(rows))
    return [int(i) for i in result.scalars()]


def insert_rows(conn: Connection, table_name: str, rows: Sequence[dict[str, Any]]) -> None:
    """Insert plain rows into identities, person_sources, person_tags or interaction_people."""
    table = {"identities": identities, "person_sources": person_sources, "person_tags": person_tags,
             "interaction_people": interaction_people}[table_name]  # fmt: skip
    if rows:
        conn.execute(insert(table), list(rows))


def organization_ids(conn: Connection) -> dict[str, int]:
    """Return {lower-case name: id} of every organization."""
    return {str(r.name).lower(): int(r.id) for r in conn.execute(select(organizations.c.id, organizations.c.name))}


def tag_ids(conn: Connection) -> dict[str, int]:
    return {str(r.name): int(r.id) for r in conn.execute(select(tags.c.id, tags.c.name))}


def set_fingerprint(conn: Connection, source: str, external_id: str, fingerprint: str, now: datetime) -> None:
    conn.execute(
        update(person_sources)
        .where(person_sources.c.source == source, person_sources.c.external_id == external_id)
        .values(fingerprint=fingerprint, imported_at=now)
    )
