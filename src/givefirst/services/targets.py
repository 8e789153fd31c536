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
        # A place alone (a relocation goal, read by every daily plan): each distinct location is looked up once,
        # and only the people at those inside it are read (20,000 people at 40 locations: 20 → 8 ms).
        inside = [location for location in store.locations(conn) if place_matches(location, target.place)]
        return {pid: f"in {location}" for pid, location in store.people_at(conn, inside)}
    tags = people_store.tags_by_person(conn) if target.tags else {}
    out = {}
    for r in store.people_facts(conn):
        facts = PersonFacts(r.location, r.title, r.org, tuple(tags.get(int(r.id), ())))
        reason = in_target(facts, target)
        if reason is not None:
            out[int(r.id)] = reason
    return out
