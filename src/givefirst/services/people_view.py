"""The People list a page at a time: everyone filtered and sorted as columns, only the page's people built in full.

`services.network.list_people` builds a `Relationship` (strength with its named components, due status, balance)
for every person before filtering and sorting: about a second on 20,000 people. A page shows fifty. Here the
filters and the sort run on the columnar scores (`domain/tiescores.py`, the same numbers), and only the page's
people are read and scored one by one. `ordered_people(...)[start:end]` then `page_of` gives exactly what
`list_people(...)[start:end]` gives (a test compares them).
"""

from __future__ import annotations

import numpy as np

from givefirst.domain.model import Tier
from givefirst.domain.tiescores import TIERS, TieColumns, score
from givefirst.errors import InvalidInputError
from givefirst.services import tiestats
from givefirst.services.choices import choose
from givefirst.services.context import App
from givefirst.services.network import SORTS
from givefirst.services.relationships import Relationship, relationship_from_row
from givefirst.store import people as people_store
from givefirst.store import stats as stats_store


def ordered_people(
    app: App,
    *,
    search: str | None = None,
    tag: str | None = None,
    location: str | None = None,
    organization: str | None = None,
    tier: str | None = None,
    due: bool = False,
    at_risk: bool = False,
    sort: str = "name",
    include_weak: bool = False,
    everyone_read: TieColumns | None = None,
) -> list[int]:
    """Return the ids of the people passing every filter, in the order `services.network.list_people` gives.

    `everyone_read`: `everyone(app)`, when the caller has it (used unless a filter is read in SQL).
    """
    if sort not in SORTS:
        raise InvalidInputError(f"unknown sort {sort!r}: choose one of {', '.join(SORTS)}")
    wanted = choose(Tier, tier, "tier") if tier else None
    if search or tag or location or organization:  # filtered in SQL first: usually a few rows
        with app.begin() as conn:
            tiestats.refresh_if_settings_changed(conn, app.weights)
            rows = people_store.list_people(conn, search=search, tag=tag, location=location, organization=organization)
        cols = stats_store.columns_of_people(rows)
    else:
        cols = everyone(app) if everyone_read is None else everyone_read
    scores = score(cols, app.now, app.weights)
    keep = np.ones(len(cols), dtype=np.bool_)
    if wanted is not None:
        keep &= scores.tier == TIERS.index(wanted)
    if due:
        keep &= scores.past_cadence if include_weak else scores.due
    if at_risk:
        keep &= scores.at_risk
    picked = np.flatnonzero(keep)
    lower = np.array([cols.name[i].lower() for i in picked.tolist()], dtype=np.str_)
    ids = cols.person_id[picked]
    # np.lexsort is stable and sorts by its last key first: the same order as SORTS's keys, ties kept in the
    # rows' order (name, id), as Python's sort keeps them.
    if sort == "name":
        order = np.lexsort((ids, lower))
    elif sort == "strength":
        order = np.lexsort((lower, -scores.strength[picked]))
    elif sort == "recent":
        # Latest contact first, never contacted last (as a timestamp of 0); microseconds order as timestamps do.
        last = np.where(cols.has_last[picked], cols.last_at[picked], 0)
        order = np.lexsort((lower, -last))
    else:
        order = np.lexsort((lower, -scores.at_stake[picked]))
    return [int(i) for i in ids[order].tolist()]


def everyone(app: App) -> TieColumns:
    """Return everyone's tie statistics as columns, in the People list's order (name, id), the statistics brought
    up to date with the settings first."""
    with app.begin() as conn:
        tiestats.refresh_if_settings_changed(conn, app.weights)
        return stats_store.tie_columns(conn)


def page_of(app: App, ids: list[int]) -> list[Relationship]:
    """Return these people's relationships, in this order (a page of `ordered_people`)."""
    if not ids:
        return []
    with app.begin() as conn:
        rows = people_store.list_people(conn, person_ids=ids)
    found = {int(r.id): relationship_from_row(r, app.now, app.weights) for r in rows}
    return [found[pid] for pid in ids if pid in found]
