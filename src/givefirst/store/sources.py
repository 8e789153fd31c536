"""Where people came from, and the look-up indexes an import keeps in memory while it runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select

from givefirst.store.schema import identities, interactions, people, person_sources


def add_source(
    conn: Connection, person_id: int, source: str, external_id: str, now: datetime, fingerprint: str | None = None
) -> None:
    values = {"person_id": person_id, "source": source, "external_id": external_id, "imported_at": now}
    conn.execute(insert(person_sources).values(**values, fingerprint=fingerprint))


def source_index(conn: Connection) -> dict[tuple[str, str], tuple[int, str | None]]:
    """Return {(source, external id): (person id, fingerprint of the record last imported)}."""
    rows = conn.execute(
        select(person_sources.c.source, person_sources.c.external_id, person_sources.c.person_id,
               person_sources.c.fingerprint)
    ).all()  # fmt: skip
    # unpacked, the columns already typed: tens of thousands of rows on every import
    return {(source, external_id): (pid, digest) for source, external_id, pid, digest in rows}


def identity_index(conn: Connection) -> dict[tuple[str, str], int]:
    """Return {(kind, normalised value): person id} for every identity."""
    rows = conn.execute(select(identities.c.kind, identities.c.value, identities.c.person_id)).all()
    return {(kind, value): pid for kind, value, pid in rows}


def name_rows(conn: Connection) -> list[tuple[int, str]]:
    """Return (id, name) of every current person but the user."""
    rows = conn.execute(
        select(people.c.id, people.c.name).where(people.c.merged_into_id.is_(None), people.c.is_me.is_(False))
    )
    return [(int(r.id), str(r.name)) for r in rows]


def external_interaction_ids(conn: Connection, source: str) -> set[str]:
    """Return the external ids of the interactions already imported from `source`."""
    rows = conn.execute(
        select(interactions.c.external_id).where(
            interactions.c.source == source, interactions.c.external_id.is_not(None)
        )
    )
    return {str(r.external_id) for r in rows}
