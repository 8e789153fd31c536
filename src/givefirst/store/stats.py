"""Reading and writing the running tie statistics (`tie_stats`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    Select,
    String,
    and_,
    bindparam,
    case,
    func,
    insert,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy import delete as sql_delete

from givefirst.domain.model import Tier, TieStats
from givefirst.domain.weights import Weights
from givefirst.store.schema import people, tie_stats

if TYPE_CHECKING:  # numpy is imported by the whole-network reads only: a plain command or `today` never pays it
    from givefirst.domain.tiescores import StrengthColumns, TieColumns

# TieStats's fields after `as_of`, in its own order, so that a row can be unpacked straight into it.
_FIELDS = TieStats._fields[1:]
STATS_COLUMNS = tuple(tie_stats.c[name] for name in ("as_of", *_FIELDS))


def row_to_stats(row: Any) -> TieStats:
    """Build TieStats from any row carrying the tie_stats columns."""
    return TieStats(as_of=row.as_of, **{f: getattr(row, f) for f in _FIELDS})


def stats_from_row(row: Any, start: int) -> TieStats | None:
    """Unpack TieStats from a row whose columns from `start` on are STATS_COLUMNS (None without statistics)."""
    return None if row[start] is None else TieStats._make(row[start:])


CHUNK = 900  # ids per IN list: under every SQLite build's limit on bound parameters


def relationship_rows_of(conn: Connection, ids: Iterable[int]) -> list[Any]:
    """Return `people.relationship_rows` for these people only (the user and merged people left out)."""
    query = select(
        people.c.id, people.c.name, people.c.strength_override, people.c.tier_override, people.c.cadence_days,
        *STATS_COLUMNS,
    ).select_from(people.outerjoin(tie_stats, tie_stats.c.person_id == people.c.id))  # fmt: skip
    # One statement for every chunk (an expanding parameter): not thousands of literals compiled per chunk.
    query = query.where(people.c.id.in_(bindparam("ids", expanding=True)), people.c.is_me.is_(False),
                        people.c.merged_into_id.is_(None))  # fmt: skip
    wanted = sorted(set(ids))
    out: list[Any] = []
    for start in range(0, len(wanted), CHUNK):
        out += conn.execute(query, {"ids": wanted[start : start + CHUNK]}).all()
    return out


def plan_rows(
    conn: Connection,
    now: datetime,
    w: Weights,
    *,
    strong_raw: float,
    silent_days: float | None,
    real_min: int,
    due_steps: Sequence[tuple[float, int | None]],
    due_weakest: int | None,
    due_floor: float | None,
    slack: float,
) -> list[Any]:
    """Return who the daily plan may rank or count, found in SQL: rows of (id, kept, strong, raw, since, touches,
    span, organization_id, two_way_count).

    `kept` is true for anyone the user chose a strength, tier or cadence for and, with `silent_days` (revivals
    left this week), anyone with `real_min` two-way touches silent at least that long (a dormant tie to revive);
    `strong` for anyone whose raw strength at `now` is at least `strong_raw` at an employer of one of those (their
    employer's count of active ties ranks the dormant ones). The other rows are the ties that may be due,
    `services.due_candidates.DueFilter.may_be_due` written in SQL: the cadence of the tier their raw strength
    (± `slack`) gives — `due_steps` (raw threshold, days) best first, else `due_weakest` — passed, and the raw
    strength not below `due_floor`. `raw` is the raw strength at `now`, `since` the days since the last
    interaction, `span` the days from the first to the last (what bounds a due tie's score, the caller ranking
    them). Current people but the user.
    """
    from givefirst.store.due import CHOSEN as chosen  # (the SQL strength: imported with the plan only)
    from givefirst.store.due import day_number, due_test, raw_strength

    # Each tie's raw strength and silence computed once (MATERIALIZED: not substituted into every test below).
    facts = (
        select(
            people.c.id,
            chosen.label("chosen"),
            people.c.organization_id,
            tie_stats.c.two_way_count,
            tie_stats.c.touches,
            raw_strength(now, w).label("raw"),
            (day_number(literal(now)) - day_number(tie_stats.c.last_at)).label("since"),
            (day_number(tie_stats.c.last_at) - day_number(tie_stats.c.first_at)).label("span"),
        )
        .select_from(people.outerjoin(tie_stats, tie_stats.c.person_id == people.c.id))
        .where(people.c.is_me.is_(False), people.c.merged_into_id.is_(None))
        .cte("facts")
        .prefix_with("MATERIALIZED")
    )
    f = facts.c
    kept: list[Any] = [f.chosen]
    strong: Any = literal(False)
    if silent_days is not None:
        dormant = and_(f.two_way_count >= real_min, f.since >= silent_days)
        kept.append(dormant)
        # A strong tie counts only at an employer where someone may be revived (dormant, or a chosen tier).
        revived_at = select(f.organization_id).where(f.organization_id.is_not(None), or_(dormant, f.chosen))
        strong = and_(f.raw >= strong_raw, f.organization_id.in_(revived_at))  # (the cheap test first: fewer look-ups)
    due = due_test(f.raw, f.since, steps=due_steps, weakest=due_weakest, floor=due_floor, slack=slack)

    def flag(x: Any) -> Any:
        return case((x, literal(True)), else_=literal(False))

    query = select(
        f.id, flag(or_(*kept)).label("kept"), flag(strong).label("strong"), f.raw, f.since, f.touches, f.span,
        f.organization_id, f.two_way_count,
    ).where(or_(*kept, strong, and_(*due)))  # fmt: skip
    return list(conn.execute(query).all())


def load(conn: Connection, person_ids: Sequence[int] | None = None) -> dict[int, TieStats]:
    query = select(tie_stats)
    if person_ids is not None:
        query = query.where(tie_stats.c.person_id.in_(list(person_ids)))
    return {int(r.person_id): row_to_stats(r) for r in conn.execute(query)}


def save(conn: Connection, person_id: int, stats: TieStats, half_life: float, ledger_half_life: float) -> None:
    values = {f: getattr(stats, f) for f in _FIELDS}
    delete(conn, person_id)
    conn.execute(
        insert(tie_stats).values(
            person_id=person_id,
            as_of=stats.as_of,
            half_life_days=half_life,
            ledger_half_life_days=ledger_half_life,
            **values,
        )
    )


def delete(conn: Connection, person_id: int) -> None:
    conn.execute(sql_delete(tie_stats).where(tie_stats.c.person_id == person_id))


def delete_all(conn: Connection) -> None:
    conn.execute(sql_delete(tie_stats))


def save_many(conn: Connection, rows: dict[int, TieStats], half_life: float, ledger_half_life: float) -> None:
    """Replace the statistics of many people at once (bulk loads and recomputation)."""
    if not rows:
        return
    ids = list(rows)
    for start in range(0, len(ids), 5000):
        conn.execute(sql_delete(tie_stats).where(tie_stats.c.person_id.in_(ids[start : start + 5000])))
    payload = [
        dict(
            person_id=pid,
            as_of=s.as_of,
            half_life_days=half_life,
            ledger_half_life_days=ledger_half_life,
            **{f: getattr(s, f) for f in _FIELDS},
        )
        for pid, s in rows.items()
    ]
    conn.execute(insert(tie_stats), payload)


def stale_count(conn: Connection, half_life: float, ledger_half_life: float) -> int:
    """Return how many rows were computed with other half-lives than the current settings."""
    query = (
        select(func.count())
        .select_from(tie_stats)
        .where(or_(tie_stats.c.half_life_days != half_life, tie_stats.c.ledger_half_life_days != ledger_half_life))
    )
    return int(conn.execute(query).scalar_one())


def plain_rows(conn: Connection, query: Select[Any]) -> list[tuple[Any, ...]]:
    """Return a query's rows as the database driver gives them: tuples, no result processing.

    For the whole-network reads turned into columns at once (one row per person): SQLAlchemy's rows cost about
    1 µs each to build and read (20,000 people: 47 → 33 ms). Only for columns whose values need no conversion
    (numbers, and times read as text: `columns_of` converts them), and parameters that need none either."""
    compiled = query.compile(dialect=conn.dialect)
    params: Any = compiled.construct_params()
    if compiled.positiontup is not None:  # (SQLite's "?" style: the values in order)
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = conn.connection.cursor()
    try:
        cursor.execute(compiled.string, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def tie_columns(conn: Connection, *, ordered: bool = True) -> TieColumns:
    """Return everyone's statistics and overrides as columns, in the order of `people.list_people` (name, id).

    The people `list_people` returns by default (current, not the user), with only the columns scoring needs.
    `ordered=False`: in no particular order, for a caller that only counts and sums (sorting 100,000 names was
    0.3 s of the Stats page).
    Times are read without SQLAlchemy's per-value conversion (on SQLite, parsing five text timestamps per row
    was most of the cost) and converted by numpy in one step per column.
    """
    from givefirst.store.people import name_order  # people imports this module's columns

    raw = [type_coerce(tie_stats.c[name], String) for name in ("as_of", "first_at", "last_at")]
    numbers = [tie_stats.c[name] for name in _FIELDS[:8]]  # outbound … two_way_count, in TieStats order
    overrides = (people.c.strength_override, people.c.tier_override, people.c.cadence_days)
    query = (
        select(people.c.id, people.c.name, *overrides, *raw, *numbers)
        .select_from(people.outerjoin(tie_stats, tie_stats.c.person_id == people.c.id))
        .where(people.c.merged_into_id.is_(None), people.c.is_me.is_(False))
    )
    if ordered:
        query = query.order_by(*name_order(conn))
    return columns_of(plain_rows(conn, query))


def strength_columns(conn: Connection) -> StrengthColumns:
    """Return what every current person's strength is computed from (`tiescores.strengths`), in no particular order:
    the people `tie_columns` returns, with ten of its sixteen columns (the path search needs no name, tier or
    cadence: 75 → 55 ms at 20,000 people, most of it making the values' Python objects).
    """
    from givefirst.domain.tiescores import StrengthColumns

    raw = [type_coerce(tie_stats.c[name], String) for name in ("as_of", "first_at", "last_at")]
    numbers = [tie_stats.c[name] for name in ("outbound", "inbound", "mutual", "gives", "received", "two_way_count")]
    rows = plain_rows(
        conn,
        select(people.c.id, people.c.strength_override, *raw, *numbers)
        .select_from(people.outerjoin(tie_stats, tie_stats.c.person_id == people.c.id))
        .where(people.c.merged_into_id.is_(None), people.c.is_me.is_(False)),
    )
    cols: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [()] * 11
    return StrengthColumns(**_strength_fields(*cols))


def strength_bounds(conn: Connection, w: Weights) -> list[tuple[int, float | None, float | None]]:
    """Return (id, chosen strength, bound) for every current person: a cheap ceiling over their strength.

    `bound` is the raw strength (`domain.strength.strength_parts`) with no time passed — no decay (a factor of
    at most 1) and the whole history weight (its depth and spread are at most 1) — so the raw strength at any
    moment is at most it; None without statistics (strength 0). No date is parsed: at 20,000 people it is
    about 11 ms, against 45 for what the exact strengths are computed from (`strength_columns`).
    """
    from givefirst.store.due import contact_sum, given_and_received  # (the raw strength's SQL, without decay)

    # The decays are factors of at most 1 on sums that are never negative (`config` refuses negative weights).
    bound = contact_sum(w) + given_and_received(w) + w.history_weight
    query = (
        select(people.c.id, people.c.strength_override, bound)
        .select_from(people.outerjoin(tie_stats, tie_stats.c.person_id == people.c.id))
        .where(people.c.merged_into_id.is_(None), people.c.is_me.is_(False))
    )
    return [(int(pid), chosen, raw) for pid, chosen, raw in plain_rows(conn, query)]


def _strength_fields(
    ids: Sequence[Any], chosen: Sequence[Any], as_of: Sequence[Any], first_at: Sequence[Any], last_at: Sequence[Any],
    outbound: Sequence[Any], inbound: Sequence[Any], mutual: Sequence[Any], gives: Sequence[Any],
    received: Sequence[Any], two_way_count: Sequence[Any],
) -> dict[str, Any]:  # fmt: skip
    """The arrays of `StrengthColumns` from its columns as read (times as text or datetimes, None for none)."""
    import numpy as np

    has_stats, as_of_us = _times(as_of)
    has_first, first_us = _times(first_at)
    has_last, last_us = _times(last_at)
    return {
        "person_id": np.array(ids, dtype=np.int64),
        "has_stats": has_stats,
        "as_of": as_of_us,
        "outbound": _numbers(outbound, np.float64),
        "inbound": _numbers(inbound, np.float64),
        "mutual": _numbers(mutual, np.float64),
        "gives": _numbers(gives, np.float64),
        "received": _numbers(received, np.float64),
        "two_way_count": _numbers(two_way_count, np.int64),
        "has_first": has_first,
        "first_at": first_us,
        "has_last": has_last,
        "last_at": last_us,
        "strength_override": np.array([np.nan if v is None else v for v in chosen], dtype=np.float64),
    }


def _times(values: Sequence[Any]) -> tuple[Any, Any]:
    """Text or datetime moments (None for none) as (known, microseconds since the epoch, 0 where unknown)."""
    import numpy as np

    moments = np.array(values, dtype="datetime64[us]").astype(np.int64)
    known = moments != np.iinfo(np.int64).min  # NaT
    return known, np.where(known, moments, 0)


def _numbers(values: Sequence[Any], kind: type) -> Any:
    import numpy as np

    return np.array([0 if v is None else v for v in values], dtype=kind)


def columns_of(rows: Sequence[Any]) -> TieColumns:
    """Build TieColumns from rows of (id, name, strength_override, tier_override, cadence_days, as_of, first_at,
    last_at, outbound, inbound, mutual, gives, takes, received, touches, two_way_count), times as text or datetimes.
    """
    import numpy as np

    from givefirst.domain.tiescores import NO_TIER, TIERS, TieColumns

    cols: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [()] * 16
    ids, names, chosen, tiers, cadences, as_of, first_at, last_at = cols[:8]
    outbound, inbound, mutual, gives, takes, received, touches, two_way_count = cols[8:]
    code = {t.value: i for i, t in enumerate(TIERS)}
    return TieColumns(
        **_strength_fields(ids, chosen, as_of, first_at, last_at, outbound, inbound, mutual, gives, received,
                           two_way_count),
        name=list(names),
        takes=_numbers(takes, np.float64),
        touches=_numbers(touches, np.int64),
        tier_override=np.array([code[Tier(v).value] if v else NO_TIER for v in tiers], dtype=np.int64),
        cadence_override=_numbers(cadences, np.int64),
        has_cadence=np.array([v is not None for v in cadences], dtype=np.bool_),
    )  # fmt: skip


def columns_of_people(rows: Sequence[Any]) -> TieColumns:
    """Build TieColumns from rows of `people.list_people` (a filtered list: a search, a tag, a place)."""
    return columns_of(
        [
            (r.id, r.name, r.strength_override, r.tier_override, r.cadence_days, r.as_of, r.first_at, r.last_at,
             r.outbound, r.inbound, r.mutual, r.gives, r.takes, r.received, r.touches, r.two_way_count)
            for r in rows
        ]
    )  # fmt: skip
