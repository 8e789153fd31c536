"""The embedded demo: load the deterministic demo scenario into its own database file."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, select

from givefirst.demo.records import DemoPerson, Scenario
from givefirst.errors import DatabaseError
from givefirst.ingest.identity import normalize_email, normalize_phone
from givefirst.services import tiestats
from givefirst.services.context import App
from givefirst.services.people import clean_tags
from givefirst.store import events as events_store
from givefirst.store import interactions as interactions_store
from givefirst.store import ledger as ledger_store
from givefirst.store import needs as needs_store
from givefirst.store import people as people_store
from givefirst.store import reach as reach_store
from givefirst.store.database import create_db_engine, database_url
from givefirst.store.schema import people

DEMO_MARKER = "This is the givefirst demo network: `givefirst demo` rebuilds it from scratch."


def prepare_demo_database(target: str) -> str:
    """Remove an earlier demo database at `target` so the demo is rebuilt from scratch; refuse anything else."""
    if "://" in target:
        raise DatabaseError("the demo builds an SQLite file; give --db a file path, not a URL")
    path = Path(target).expanduser()
    url = database_url(str(path))  # checks the directory exists
    if path.exists() and path.stat().st_size > 0:
        engine = create_db_engine(url)
        try:
            with engine.connect() as conn:
                marker = conn.execute(select(people.c.notes).where(people.c.is_me)).scalar()
                empty = conn.execute(select(people.c.id).limit(1)).first() is None
        except Exception:
            marker, empty = None, False
        finally:
            engine.dispose()
        # An earlier demo, or a database left empty by an interrupted demo build, may be replaced.
        if marker != DEMO_MARKER and not empty:
            raise DatabaseError(f"{path} exists and is not a demo database; the demo will not overwrite it")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return str(path)


def _person_values(conn: Connection, p: DemoPerson) -> dict[str, object]:
    return {
        "name": p.name,
        "organization_id": people_store.organization_id(conn, p.organization) if p.organization else None,
        "title": p.title,
        "location": p.location,
        "how_met": p.how_met,
        "met_on": p.met_on,
        "notes": p.notes,
    }


def load_scenario(app: App, scenario: Scenario) -> dict[str, int]:
    """Write a scenario in one transaction and return how many of each record it holds."""
    with app.begin() as conn:
        keys: dict[str, int] = {}
        me = app.me(conn)
        people_store.update_person(conn, me, dict(_person_values(conn, scenario.me), notes=DEMO_MARKER), app.now)
        keys["me"] = me
        everyone = [scenario.me, *scenario.people]
        for p in scenario.people:
            keys[p.key] = people_store.insert_person(conn, _person_values(conn, p), app.now)
        for p in everyone:
            pid = keys[p.key]
            for email in p.emails:
                people_store.add_identity(conn, pid, "email", normalize_email(email))
            for phone in p.phones:  # the demo network is American: its numbers are written the US way
                people_store.add_identity(conn, pid, "phone", normalize_phone(phone, "US"))
            people_store.add_tags(conn, pid, clean_tags(p.tags))
        for p in scenario.people:
            if p.introduced_by:
                people_store.update_person(conn, keys[p.key], {"introduced_by_id": keys[p.introduced_by]}, app.now)
        for n, i in enumerate(scenario.interactions):
            interactions_store.insert_interaction(
                conn, occurred_at=i.at, kind=i.kind, direction=i.direction,
                person_ids=[keys[k] for k in i.people], summary=i.summary, source="demo", external_id=f"demo-{n}",
                planned=i.at > app.now, follow_up_on=i.follow_up_on, now=app.now,
            )  # fmt: skip
        for e in scenario.exchanges:
            ledger_store.insert_exchange(
                conn, person_id=keys[e.person], direction=e.direction, kind=e.kind, description=e.description,
                status=e.status, requested=e.requested, occurred_at=e.at, due_on=e.due_on, need_id=None,
                offer_id=None, now=app.now,
            )  # fmt: skip
        for which, items in (("need", scenario.needs), ("offer", scenario.offers)):
            for item in items:
                needs_store.insert_item(
                    conn, which, person_id=keys[item.person], text=item.text, tags=clean_tags(item.tags),
                    location=item.location, expires_on=item.expires_on, created_at=item.created_at or app.now,
                )  # fmt: skip
        _load_reach(conn, app, scenario, keys)
        tiestats.refresh(conn, keys.values(), app.weights)
    return {
        "people": len(scenario.people),
        "interactions": len(scenario.interactions),
        "exchanges": len(scenario.exchanges),
        "needs": len(scenario.needs),
        "offers": len(scenario.offers),
    }


def _load_reach(conn: Connection, app: App, scenario: Scenario, keys: dict[str, int]) -> None:
    """Write the chapters and memberships, the events ahead with who is expected, and the user's goals."""
    reach = scenario.reach
    chapters = {}
    for ch in reach.chapters:
        org = people_store.organization_id(conn, ch.organization)
        chapters[ch.key] = events_store.add_chapter(conn, org, ch.name, ch.location, app.now)
    for m in reach.memberships:
        sponsor = keys[m.sponsor] if m.sponsor else None
        events_store.set_member(conn, chapters[m.chapter], keys[m.person], m.role, sponsor, None)
    for e in reach.events:
        eid = events_store.add_event(conn, {"title": e.title, "starts_at": e.starts_at, "location": e.location,
                                            "chapter_id": chapters[e.chapter] if e.chapter else None,
                                            "source": "demo", "created_at": app.now})  # fmt: skip
        for key in e.expected:
            events_store.set_event_person(conn, eid, keys[key], "expected")
    for g in reach.goals:
        reach_store.add_goal(conn, {"title": g.title, "place": g.place, "roles": g.roles, "tags": g.tags,
                                    "created_at": app.now})  # fmt: skip


def build_demo(app: App, seed: int = 7) -> dict[str, int]:
    """Build the demo network for `app.now`'s date into the App's (fresh) database."""
    from givefirst.demo.scenario import build_scenario

    return load_scenario(app, build_scenario(app.now.date(), seed))
