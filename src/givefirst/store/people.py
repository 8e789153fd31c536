"""Queries on people, their identities, organizations and tags."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, delete, func, insert, or_, select, update

from givefirst.errors import InvalidInputError
from givefirst.store.schema import identities, organizations, people, person_tags, tags, tie_stats
from givefirst.store.stats import STATS_COLUMNS

# People merged into someone else stay in the table (so a merge can be undone) but are not listed or found.
CURRENT = people.c.merged_into_id.is_(None)


def organization_id(conn: Connection, name: str) -> int:
    """Return the id of the organization called `name`, creating it when new (names compare case-insensitively)."""
    found = conn.execute(
        select(organizations.c.id).where(func.lower(organizations.c.name) == name.strip().lower())
    ).scalar()
    if found is not None:
        return int(found)
    return int(conn.execute(insert(organizations).values(name=name.strip()).returning(organizations.c.id)).scalar_one())


def insert_person(conn: Connection, values: Mapping[str, Any], now: datetime) -> int:
    """Insert a person and return their id."""
    row = dict(values, created_at=now, updated_at=now)
    return int(conn.execute(insert(people).values(**row).returning(people.c.id)).scalar_one())


def update_person(conn: Connection, person_id: int, values: Mapping[str, Any], now: datetime) -> None:
    conn.execute(update(people).where(people.c.id == person_id).values(**dict(values, updated_at=now)))


def person_row(conn: Connection, person_id: int) -> Any:
    """Return the person with their organization name, or None."""
    query = (
        select(people, organizations.c.name.label("organization"))
        .select_from(people.outerjoin(organizations, people.c.organization_id == organizations.c.id))
        .where(people.c.id == person_id)
    )
    return conn.execute(query).first()


def me_id(conn: Connection) -> int | None:
    found = conn.execute(select(people.c.id).where(people.c.is_me).order_by(people.c.id).limit(1)).scalar()
    return None if found is None else int(found)


def person_by_identity(conn: Connection, kind: str, value: str) -> int | None:
    found = conn.execute(
        select(identities.c.person_id).where(identities.c.kind == kind, identities.c.value == value)
    ).scalar()
    return None if found is None else int(found)


def _whole_name() -> Any:
    """Return SQL for a person's whole name as written: the name, then its credentials ("Dana Whitfield CPA")."""
    credentials = func.coalesce(people.c.credentials, "")
    return func.lower(func.replace(people.c.name + " " + credentials, ",", ""))


def _searchable(text: str) -> str:
    """Return text as `_whole_name` compares it: lower case, no commas, single spaces."""
    return " ".join(text.replace(",", " ").split()).lower()


def people_named(conn: Connection, name: str) -> list[tuple[int, str]]:
    """Return (id, name) of people whose name equals `name` ignoring case, else whose whole name contains it.

    The whole name is the name and its credentials, so "Dana Whitfield, CPA" finds Dana Whitfield too.
    """
    needle = " ".join(name.split()).lower()
    exact = conn.execute(
        select(people.c.id, people.c.name).where(func.lower(people.c.name) == needle, CURRENT).order_by(people.c.id)
    ).all()
    if exact:
        return [(int(r.id), str(r.name)) for r in exact]
    like = conn.execute(
        select(people.c.id, people.c.name)
        .where(_whole_name().contains(_searchable(name), autoescape=True), CURRENT)
        .order_by(people.c.name, people.c.id)
        .limit(20)
    ).all()
    return [(int(r.id), str(r.name)) for r in like]


def add_identity(conn: Connection, person_id: int, kind: str, value: str, label: str | None = None) -> bool:
    """Attach an identity; return False when the person already has it. Another person's identity is an error."""
    owner = person_by_identity(conn, kind, value)
    if owner == person_id:
        return False
    if owner is not None:
        name = conn.execute(select(people.c.name).where(people.c.id == owner)).scalar()
        raise InvalidInputError(f"{kind} {value} already belongs to {name} (id {owner})")
    conn.execute(insert(identities).values(person_id=person_id, kind=kind, value=value, label=label))
    return True


def remove_identity(conn: Connection, person_id: int, kind: str, value: str) -> int:
    result = conn.execute(
        delete(identities).where(
            identities.c.person_id == person_id, identities.c.kind == kind, identities.c.value == value
        )
    )
    return int(result.rowcount)


def identities_of(conn: Connection, person_id: int) -> list[tuple[str, str, str | None]]:
    rows = conn.execute(
        select(identities.c.kind, identities.c.value, identities.c.label)
        .where(identities.c.person_id == person_id)
        .order_by(identities.c.kind, identities.c.id)
    ).all()
    return [(str(r.kind), str(r.value), r.label) for r in rows]


def tag_id(conn: Connection, name: str) -> int:
    found = conn.execute(select(tags.c.id).where(tags.c.name == name)).scalar()
    if found is not None:
        return int(found)
    return int(conn.execute(insert(tags).values(name=name).returning(tags.c.id)).scalar_one())


def add_tags(conn: Connection, person_id: int, names: Iterable[str]) -> None:
    have = set(tags_of(conn, person_id))
    for name in names:
        if name not in have:
            conn.execute(insert(person_tags).values(person_id=person_id, tag_id=tag_id(conn, name)))
            have.add(name)


def remove_tags(conn: Connection, person_id: int, names: Iterable[str]) -> None:
    ids = select(tags.c.id).where(tags.c.name.in_(list(names)))
    conn.execute(delete(person_tags).where(person_tags.c.person_id == person_id, person_tags.c.tag_id.in_(ids)))


def tags_of(conn: Connection, person_id: int) -> list[str]:
    rows = conn.execute(
        select(tags.c.name)
        .join(person_tags, person_tags.c.tag_id == tags.c.id)
        .where(person_tags.c.person_id == person_id)
        .order_by(tags.c.name)
    ).all()
    return [str(r.name) for r in rows]


def tags_by_person(conn: Connection, person_ids: Sequence[int] | None = None) -> dict[int, list[str]]:
    """Return every person's tags (or those of `person_ids`), in one query."""
    query = select(person_tags.c.person_id, tags.c.name).join(tags, person_tags.c.tag_id == tags.c.id)
    if person_ids is not None:
        query = query.where(person_tags.c.person_id.in_(list(person_ids)))
    result: dict[int, list[str]] = {}
    for r in conn.execute(query.order_by(tags.c.name)):
        result.setdefault(int(r.person_id), []).append(str(r.name))
    return result


def name_order(conn: Connection) -> tuple[ColumnElement[Any], ...]:
    """Return the ORDER BY of a list by name: lower-cased and compared by code point, then by id.

    The same order as the sorts in Python and numpy (`name.lower()`), so that a page read with LIMIT is a slice
    of theirs; PostgreSQL's locale collation would order spaces and accents its own way.
    """
    by_name = func.lower(people.c.name)
    return (by_name.collate("C") if conn.dialect.name == "postgresql" else by_name, people.c.id)


# What `list_people` reads of each person before the tie statistics, which come last, in TieStats order.
_LISTED = (
    people.c.id,
    people.c.name,
    people.c.title,
    people.c.location,
    people.c.strength_override,
    people.c.tier_override,
    people.c.cadence_days,
    organizations.c.name.label("organization"),
)
LISTED_STATS_AT = len(_LISTED)  # where its rows hold the tie statistics: `stats.stats_from_row(row, LISTED_STATS_AT)`


def list_people(
    conn: Connection,
    *,
    search: str | None = None,
    tag: str | None = None,
    location: str | None = None,
    organization: str | None = None,
    include_me: bool = False,
    person_ids: Sequence[int] | None = None,
    where: ColumnElement[bool] | None = None,
    limit: int | None = None,
) -> list[Any]:
    """Return people with their organization and stored tie statistics, filtered in SQL, by name.

    `where` adds a condition on people ⟕ tie_stats (`store.due.may_be_due`); `limit` keeps the first of them, a
    page of the list.
    """
    query = select(*_LISTED, *STATS_COLUMNS)
    unfiltered = not (search or tag or location or organization or include_me) and person_ids is None
    in_order = unfiltered and where is None and limit is not None
    query = _listed(query, search, tag, location, organization, include_me, person_ids, where, in_index_order=in_order)
    query = query.order_by(*name_order(conn))
    return list(conn.execute(query if limit is None else query.limit(limit)).all())


def count_listed(
    conn: Connection,
    *,
    search: str | None = None,
    tag: str | None = None,
    location: str | None = None,
    organization: str | None = None,
    include_me: bool = False,
    where: ColumnElement[bool] | None = None,
) -> int:
    """Return how many people `list_people` with the same filters returns without a limit."""
    lean = where is None and not organization  # the joins only matter to those filters: leave them out
    # Everyone but the user: counted from ix_people_listed alone (it holds merged_into_id too), 12.6 → 6.7 ms at
    # 100,000 people.
    whole = lean and not (search or tag or location or include_me)
    query = _listed(select(func.count()), search, tag, location, organization, include_me, None, where, lean,
                    in_index_order=whole)  # fmt: skip
    return int(conn.execute(query).scalar_one())


def _listed(
    query: Select[Any],
    search: str | None,
    tag: str | None,
    location: str | None,
    organization: str | None,
    include_me: bool,
    person_ids: Sequence[int] | None,
    where: ColumnElement[bool] | None,
    lean: bool = False,
    in_index_order: bool = False,
) -> Select[Any]:
    """Add the people ⟕ organizations ⟕ tie_stats join (only people when `lean`) and the filters of `list_people`
    to `query`.

    `in_index_order`: the query reads a page of everyone but the user by name, which ix_people_listed (lower-cased
    name, id and merged_into_id of the rows with `is_me IS 0`, migration 0015) holds in that order: 20 index
    entries read instead of every person sorted (100,000 people: 35 ms); or counts them, from the index alone.
    `merged_into_id + 0` is the same condition as `CURRENT`, written so that the database does not take
    ix_people_merged_into_id for it instead (without statistics SQLite prefers an equality on an index to an
    order). Every other query keeps that plan: a whole-network read in
    name order would jump around the table, and a filter few people pass would walk most of the index.
    """
    query = query.select_from(
        people
        if lean
        else people.outerjoin(organizations, people.c.organization_id == organizations.c.id).outerjoin(
            tie_stats, tie_stats.c.person_id == people.c.id
        )
    )
    query = query.where((people.c.merged_into_id + 0).is_(None) if in_index_order else CURRENT)
    if not include_me:
        query = query.where(people.c.is_me.is_(False))
    if person_ids is not None:
        query = query.where(people.c.id.in_(list(person_ids)))
    if search:
        needle = search.lower()
        in_identity = select(identities.c.person_id).where(identities.c.value.contains(needle, autoescape=True))
        query = query.where(
            or_(
                _whole_name().contains(_searchable(search), autoescape=True),
                func.lower(people.c.title).contains(needle, autoescape=True),
                func.lower(people.c.notes).contains(needle, autoescape=True),
                people.c.id.in_(in_identity),
            )
        )
    if tag:
        tagged = select(person_tags.c.person_id).join(tags, tags.c.id == person_tags.c.tag_id)
        query = query.where(people.c.id.in_(tagged.where(tags.c.name == tag.lower())))
    if location:
        query = query.where(func.lower(people.c.location).contains(location.lower(), autoescape=True))
    if organization:
        query = query.where(func.lower(organizations.c.name).contains(organization.lower(), autoescape=True))
    return query if where is None else query.where(where)


def relationship_rows(conn: Connection) -> list[Any]:
    """Return everyone but the user with only what the daily plan needs: name, overrides and tie statistics."""
    query = select(
        people.c.id,
        people.c.name,
        people.c.strength_override,
        people.c.tier_override,
        people.c.cadence_days,
        *STATS_COLUMNS,  # last, in TieStats order: `stats.stats_from_row(row, 5)` unpacks them
    ).select_from(people.outerjoin(tie_stats, tie_stats.c.person_id == people.c.id))
    return list(conn.execute(query.where(people.c.is_me.is_(False), CURRENT)).all())


def count_people(conn: Connection) -> int:
    return int(
        conn.execute(select(func.count()).select_from(people).where(people.c.is_me.is_(False), CURRENT)).scalar_one()
    )


def tag_names(conn: Connection) -> list[str]:
    """Return every tag in use, alphabetically."""
    used = select(person_tags.c.tag_id)
    return [
        str(n) for n in conn.execute(select(tags.c.name).where(tags.c.id.in_(used)).order_by(tags.c.name)).scalars()
    ]


def emails_of(conn: Connection, person_ids: Sequence[int]) -> dict[int, str]:
    """Return one email address per person (the first stored) for these people."""
    rows = conn.execute(
        select(identities.c.person_id, identities.c.value)
        .where(identities.c.kind == "email", identities.c.person_id.in_(list(person_ids)))
        .order_by(identities.c.id)
    )
    found: dict[int, str] = {}
    for pid, value in rows:
        found.setdefault(int(pid), str(value))
    return found


def names_of(conn: Connection, person_ids: Sequence[int]) -> dict[int, str]:
    """Return the names of these people, in one query."""
    found: dict[int, str] = {}
    for start in range(0, len(person_ids), 5000):
        chunk = list(person_ids[start : start + 5000])
        found.update(
            (int(i), str(n)) for i, n in conn.execute(select(people.c.id, people.c.name).where(people.c.id.in_(chunk)))
        )
    return found
