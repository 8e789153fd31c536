"""Who is in a target (a place, roles, tags, an organization): what goals and paths to many are about.

Apart from `services.reach` (which searches and explains the paths to them): the daily plan and the events read
who serves an open goal without loading the path search.
"""

from __future__ import annotations

from sqlalchemy import Connection

from givefirst.domain.goals import PersonFacts, Target, in_target, place_matches
from givefirst.store import graph as store
from givefirst.store import people as people_store


def target_people(conn: Connection, target: Target) -> dict[int, str]:
    """Return everyone in the target with the reason they are (person id → "in Tampa, FL")."""
    if target.place and not (target.roles or target.tags or target.organization):
        # A place alone (a relocation goal, read by every daily plan): each distinct location is looked up once.
        inside: dict[str, bool] = {}
        out: dict[int, str] = {}
        for pid, location in store.people_located(conn):
            found = inside.get(location)
            if found is None:
                found = inside[location] = place_matches(location, target.place)
            if found:
                out[pid] = f"in {location}"
        return out
    tags = people_store.tags_by_person(conn) if target.tags else {}
    out = {}
    for r in store.people_facts(conn):
        facts = PersonFacts(r.location, r.title, r.org, tuple(tags.get(int(r.id), ())))
        reason = in_target(facts, target)
        if reason is not None:
            out[int(r.id)] = reason
    return out
