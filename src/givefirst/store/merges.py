"""Merging one person into another, and undoing it: every row moved is recorded, so it can move back."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Table, and_, delete, insert, select, update

from givefirst.store.schema import (
    exchanges,
    heard_candidates,
    identities,
    interaction_people,
    merge_candidates,
    merges,
    needs,
    offers,
    people,
    person_sources,
    person_tags,
    plan_actions,
    snoozes,
)

# Tables whose rows belong to one person through a `person_id` column and simply move with the merge.
_OWNED: dict[str, Table] = {
    "identities": identities,
    "person_sources": person_sources,
    "exchanges": exchanges,
    "needs": needs,
    "offers": offers,
    "snoozes": snoozes,
    "plan_actions": plan_actions,
    "heard_candidates": heard_candidates,  # issue 14: what was heard from them
}
# Profile fields the kept person takes from the merged one when their own is empty.
FILLABLE = ("organization_id", "title", "location", "how_met", "met_on", "notes", "credentials", "introduced_by_id",
            "birthday")  # fmt: skip


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def merge_rows(conn: Connection, kept: int, merged: int, reason: str, now: datetime) -> int:
    """Fold `merged` into `kept` and return the merge's id; `merged` stays in the table, marked merged."""
    moved: dict[str, Any] = {}
    for name, table in _OWNED.items():
        ids = [int(i) for i in conn.execute(select(table.c.id).where(table.c.person_id == merged)).scalars()]
        if ids:
            conn.execute(update(table).where(table.c.id.in_(ids)).values(person_id=kept))
        moved[name] = ids
    # Participation: where both took part, the merged person's row is dropped (and restored on undo).
    part = interaction_people.c
    theirs = set(conn.execute(select(part.interaction_id).where(part.person_id == merged)).scalars())
    mine = select(part.interaction_id).where(part.person_id == kept, part.interaction_id.in_(theirs))
    both = set(conn.execute(mine).scalars())
    conn.execute(delete(interaction_people).where(part.person_id == merged, part.interaction_id.in_(both)))
    conn.execute(update(interaction_people).where(interaction_people.c.person_id == merged).values(person_id=kept))
    moved["interactions"] = sorted(int(i) for i in theirs - both)
    moved["shared_interactions"] = sorted(int(i) for i in both)
    kept_tags = set(conn.execute(select(person_tags.c.tag_id).where(person_tags.c.person_id == kept)).scalars())
    their_tags = set(conn.execute(select(person_tags.c.tag_id).where(person_tags.c.person_id == merged)).scalars())
    added = sorted(int(t) for t in their_tags - kept_tags)
    if added:
        conn.execute(insert(person_tags), [{"person_id": kept, "tag_id": t} for t in added])
    moved["added_tags"] = added
    introduced = [
        int(i) for i in conn.execute(select(people.c.id).where(people.c.introduced_by_id == merged)).scalars()
    ]
    if introduced:
        conn.execute(update(people).where(people.c.id.in_(introduced)).values(introduced_by_id=kept))
    moved["introduced"] = introduced
    kept_row = conn.execute(select(people).where(people.c.id == kept)).one()
    merged_row = conn.execute(select(people).where(people.c.id == merged)).one()
    filled = {
        f: getattr(merged_row, f)
        for f in FILLABLE
        if getattr(kept_row, f) in (None, "") and getattr(merged_row, f) not in (None, "")
    }
    if filled.get("introduced_by_id") == kept:
        del filled["introduced_by_id"]  # nobody introduced them to themself
    if filled:
        conn.execute(update(people).where(people.c.id == kept).values(**filled, updated_at=now))
    moved["filled"] = sorted(filled)
    conn.execute(update(people).where(people.c.id == merged).values(merged_into_id=kept, updated_at=now))
    payload = json.dumps(moved, default=_jsonable, sort_keys=True)
    return int(
        conn.execute(
            insert(merges)
            .values(kept_id=kept, merged_id=merged, reason=reason, moved=payload, merged_at=now)
            .returning(merges.c.id)
        ).scalar_one()
    )


def merge_row(conn: Connection, merge_id: int) -> Any:
    return conn.execute(select(merges).where(merges.c.id == merge_id)).first()


def later_merges_touching(conn: Connection, merge_id: int, person_ids: tuple[int, int]) -> list[int]:
    """Return ids of merges made after `merge_id`, still in force, that involve either person."""
    query = select(merges.c.id).where(
        merges.c.id > merge_id,
        merges.c.undone_at.is_(None),
        (merges.c.kept_id.in_(person_ids)) | (merges.c.merged_id.in_(person_ids)),
    )
    return [int(i) for i in conn.execute(query).scalars()]


def unmerge_rows(conn: Connection, merge_id: int, now: datetime) -> tuple[int, int]:
    """Move back everything a merge moved; return (kept, merged)."""
    row = conn.execute(select(merges).where(merges.c.id == merge_id)).one()
    kept, merged = int(row.kept_id), int(row.merged_id)
    moved = json.loads(row.moved)
    for name, table in _OWNED.items():
        if moved.get(name):
            conn.execute(update(table).where(table.c.id.in_(moved[name])).values(person_id=merged))
    if moved.get("interactions"):
        conn.execute(
            update(interaction_people)
            .where(
                interaction_people.c.person_id == kept, interaction_people.c.interaction_id.in_(moved["interactions"])
            )
            .values(person_id=merged)
        )
    if moved.get("shared_interactions"):
        conn.execute(
            insert(interaction_people),
            [{"interaction_id": i, "person_id": merged} for i in moved["shared_interactions"]],
        )
    if moved.get("added_tags"):
        conn.execute(
            delete(person_tags).where(
                and_(person_tags.c.person_id == kept, person_tags.c.tag_id.in_(moved["added_tags"]))
            )
        )
    if moved.get("introduced"):
        conn.execute(update(people).where(people.c.id.in_(moved["introduced"])).values(introduced_by_id=merged))
    if moved.get("filled"):
        conn.execute(update(people).where(people.c.id == kept).values(**dict.fromkeys(moved["filled"]), updated_at=now))
    conn.execute(update(people).where(people.c.id == merged).values(merged_into_id=None, updated_at=now))
    conn.execute(update(merges).where(merges.c.id == merge_id).values(undone_at=now))
    return kept, merged


def list_merges(conn: Connection, include_undone: bool = False) -> list[Any]:
    query = select(merges).order_by(merges.c.id.desc())
    if not include_undone:
        query = query.where(merges.c.undone_at.is_(None))
    return list(conn.execute(query).all())


# Candidates ----------------------------------------------------------------------------------------------------


def known_pairs(conn: Connection) -> set[tuple[int, int]]:
    """Return every pair already proposed, merged or rejected (smaller id first)."""
    rows = conn.execute(select(merge_candidates.c.first_id, merge_candidates.c.second_id))
    return {(int(r.first_id), int(r.second_id)) for r in rows}


def add_candidates(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(merge_candidates), rows)


def open_candidates(conn: Connection) -> list[Any]:
    """Return proposed look-alikes whose two people are both still current, best first."""
    first, second = people.alias("first"), people.alias("second")
    query = (
        select(merge_candidates, first.c.name.label("first_name"), second.c.name.label("second_name"))
        .join(first, first.c.id == merge_candidates.c.first_id)
        .join(second, second.c.id == merge_candidates.c.second_id)
        .where(
            merge_candidates.c.status == "proposed",
            first.c.merged_into_id.is_(None),
            second.c.merged_into_id.is_(None),
        )
        .order_by(merge_candidates.c.score.desc(), merge_candidates.c.id)
    )
    return list(conn.execute(query).all())


def set_candidate_status(conn: Connection, candidate_id: int, status: str) -> None:
    conn.execute(update(merge_candidates).where(merge_candidates.c.id == candidate_id).values(status=status))


def candidate_row(conn: Connection, candidate_id: int) -> Any:
    return conn.execute(select(merge_candidates).where(merge_candidates.c.id == candidate_id)).first()
