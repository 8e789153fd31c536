"""The edge cache kept up to date in place equals the graph built whole, after every kind of write to its evidence.

Random writes — meetings and calls, planned meetings confirmed, interactions undone, new employers and emails,
links, introductions, merges and their undoing, an organization renamed — on a real database (SQLite, and
PostgreSQL when configured); after each, the cache is brought up to date through the triggers' notes and
compared with `contact_edges` computed on the whole database. A test that the notes are really used, and not a
whole rebuild every time, keeps this from passing trivially.
"""

from __future__ import annotations

import contextlib
import json
import random
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from givefirst.domain.model import InteractionKind
from givefirst.errors import GivefirstError
from givefirst.services import introductions
from givefirst.services.activity import log_interaction
from givefirst.services.context import App
from givefirst.services.graph_edges import bring_up_to_date, contact_edges
from givefirst.services.links import link, unlink
from givefirst.services.merging import merge_people, unmerge
from givefirst.services.people import PersonInput, add_person, edit_person, set_me
from givefirst.store import graph as graph_store
from givefirst.store import interactions as interactions_store
from givefirst.store import people as people_store
from givefirst.store.plan_undo import delete_interaction
from givefirst.store.schema import graph_edges, interactions, organizations, people
from tests.conftest import NOW

ORGS = ["Acme", "Birch", "Cedar", "Delta"]
DOMAINS = ["acme.example", "birch.example", "gmail.com", "delta.example"]
KINDS = [InteractionKind.MEETING, InteractionKind.CALL, InteractionKind.EVENT, InteractionKind.EMAIL]


def _cached(app: App) -> dict[tuple[int, int], tuple[float, list[Any]]]:
    with app.begin() as conn:
        rows = conn.execute(select(graph_edges)).all()
    return {(int(r.first_id), int(r.second_id)): (round(r.strength, 9), sorted(json.loads(r.evidence))) for r in rows}


def _whole(app: App) -> dict[tuple[int, int], tuple[float, list[Any]]]:
    with app.begin() as conn:
        built = contact_edges(conn, app.now)
    return {(a, b): (round(p, 9), sorted(json.loads(json.dumps(ev)))) for a, b, p, ev in built}


def _current(app: App) -> list[int]:
    with app.begin() as conn:
        query = select(people.c.id).where(people.c.is_me.is_(False), people.c.merged_into_id.is_(None))
        return sorted(int(p) for p in conn.execute(query).scalars())


def _seed(app: App, rng: random.Random) -> None:
    set_me(app, PersonInput(name="Jordan Reyes", emails=["jordan@reyes.example"]))
    for i in range(14):
        org = rng.choice([*ORGS, None])
        add_person(app, PersonInput(name=f"Person {i:02d}", organization=org,
                                    emails=[f"p{i}@{rng.choice(DOMAINS)}"]))  # fmt: skip
    ids = _current(app)
    for _ in range(10):
        chosen = rng.sample(ids, rng.randint(2, 4))
        log_interaction(app, [str(p) for p in chosen], kind=rng.choice(KINDS),
                        at=NOW - timedelta(days=rng.randint(1, 900)))  # fmt: skip


def _write(app: App, rng: random.Random, merges: list[int]) -> str:
    """Make one random write to the evidence; return what it was."""
    ids = _current(app)
    pick = rng.choice(
        ["meeting", "call", "planned", "confirm", "undo", "employer", "no employer", "email", "no email", "link",
         "unlink", "introduce", "merge", "unmerge", "newcomer", "rename", "edit"]
    )  # fmt: skip
    a, b = rng.sample(ids, 2)
    if pick == "meeting":
        chosen = rng.sample(ids, min(len(ids), rng.randint(2, 5)))
        log_interaction(app, [str(p) for p in chosen], kind=rng.choice(KINDS),
                        at=NOW - timedelta(days=rng.randint(0, 1500)))  # fmt: skip
    elif pick == "call":
        log_interaction(app, [str(a)], kind=InteractionKind.CALL, at=NOW - timedelta(days=rng.randint(0, 30)))
    elif pick == "planned":
        log_interaction(app, [str(a), str(b)], kind=InteractionKind.MEETING, at=NOW + timedelta(days=3))
    elif pick in ("confirm", "undo"):
        with app.begin() as conn:
            found = [int(i) for i in conn.execute(select(interactions.c.id)).scalars()]
            planned = [int(r.id) for r in interactions_store.planned(conn)]
            if pick == "confirm" and planned:
                interactions_store.confirm_planned(conn, rng.choice(planned))
            elif pick == "undo" and found:
                delete_interaction(conn, rng.choice(found))
    elif pick == "employer":
        edit_person(app, str(a), PersonInput(organization=rng.choice(ORGS)))
    elif pick == "no employer":
        with app.begin() as conn:
            people_store.update_person(conn, a, {"organization_id": None}, app.now)
    elif pick == "email":
        edit_person(app, str(a), PersonInput(emails=[f"x{rng.randrange(10**6)}@{rng.choice(DOMAINS)}"]))
    elif pick == "no email":
        with app.begin() as conn:
            emails = [v for k, v, _ in people_store.identities_of(conn, a) if k == "email"]
        if emails:
            edit_person(app, str(a), PersonInput(), remove_emails=[rng.choice(emails)])
    elif pick == "link":
        link(app, str(a), str(b), rng.choice(["friend", "colleague", "knows"]))
    elif pick == "unlink":
        with contextlib.suppress(GivefirstError):  # not linked: nothing written
            unlink(app, str(a), str(b))
    elif pick == "introduce":
        intro = introductions.create(app, str(a), str(b), reason="a test", direct=True)
        introductions.take_next(app, intro.view.id)
    elif pick == "merge" and len(ids) > 6:
        merges.append(merge_people(app, str(a), str(b)).merge_id)
    elif pick == "unmerge" and merges:
        with contextlib.suppress(GivefirstError):  # a later merge involves them: nothing written
            unmerge(app, merges.pop())
    elif pick == "newcomer":
        add_person(app, PersonInput(name=f"New {rng.randrange(10**6)}", organization=rng.choice(ORGS),
                                    emails=[f"n{rng.randrange(10**6)}@{rng.choice(DOMAINS)}"]))  # fmt: skip
    elif pick == "rename":
        with app.begin() as conn:
            org_ids = [int(o) for o in conn.execute(select(organizations.c.id)).scalars()]
            name = f"Renamed {rng.randrange(10**6)}"
            conn.execute(update(organizations).where(organizations.c.id == rng.choice(org_ids)).values(name=name))
    elif pick == "edit":  # a change that says nothing about who knows whom
        edit_person(app, str(a), PersonInput(title=f"Title {rng.randrange(100)}"))
    return pick


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_cache_kept_in_place_equals_the_whole_graph(app: App, seed: int) -> None:
    rng = random.Random(seed)
    _seed(app, rng)
    with app.begin() as conn:
        assert bring_up_to_date(conn, app).state == "rebuilt"
    states: Counter[str] = Counter()
    merges: list[int] = []
    for _ in range(60):
        what = _write(app, rng, merges)
        with app.begin() as conn:
            upkeep = bring_up_to_date(conn, app)
        states[upkeep.state] += 1
        assert upkeep.state != "rebuilt", what  # nothing here calls for a whole rebuild
        assert _cached(app) == _whole(app), what
    assert states["updated"] > 0


def test_a_call_with_one_person_recomputes_only_them(app: App) -> None:
    _seed(app, random.Random(3))
    ids = _current(app)
    with app.begin() as conn:
        bring_up_to_date(conn, app)
    log_interaction(app, [str(ids[0])], kind=InteractionKind.CALL, at=NOW)
    edit_person(app, str(ids[1]), PersonInput(title="Head of Things", location="Tampa, FL"))  # no evidence
    with app.begin() as conn:
        upkeep = bring_up_to_date(conn, app)
        assert (upkeep.state, upkeep.recomputed) == ("updated", 1)
        assert graph_store.pending_changes(conn) == {}
        assert bring_up_to_date(conn, app).state == "current"


def test_a_new_employer_recomputes_both_groups(app: App) -> None:
    set_me(app, PersonInput(name="Jordan Reyes"))
    for i in range(6):
        add_person(app, PersonInput(name=f"P{i}", organization="Acme" if i < 3 else "Birch"))
    ids = _current(app)
    with app.begin() as conn:
        bring_up_to_date(conn, app)
    edit_person(app, str(ids[0]), PersonInput(organization="Birch"))  # Acme loses one, Birch gains one
    with app.begin() as conn:
        upkeep = bring_up_to_date(conn, app)
    assert (upkeep.state, upkeep.recomputed) == ("updated", 6)
    assert _cached(app) == _whole(app)


def test_a_whole_rebuild_when_a_person_is_deleted_or_the_cache_is_old(app: App) -> None:
    _seed(app, random.Random(4))
    with app.begin() as conn:
        bring_up_to_date(conn, app)
        conn.execute(delete(people).where(people.c.id == _current(app)[0]))
        assert "all" in graph_store.pending_changes(conn)
        assert bring_up_to_date(conn, app, whole=False).state == "stale"  # left as it was when not asked
        assert bring_up_to_date(conn, app).state == "rebuilt"
    later = App(engine=app.engine, settings=app.settings, now=app.now + timedelta(days=31))
    log_interaction(later, [str(p) for p in _current(app)[:2]], kind=InteractionKind.MEETING, at=later.now)
    with later.begin() as conn:  # each interaction's age is read afresh once a month...
        assert bring_up_to_date(conn, later, whole=False).state == "updated"  # (a few edges: in place all the same)
        assert bring_up_to_date(conn, later).state == "rebuilt"
        assert bring_up_to_date(conn, later).state == "current"


def test_no_notes_while_there_is_no_cache(app: App) -> None:
    _seed(app, random.Random(5))
    with app.begin() as conn:
        assert graph_store.cache_mark(conn) is None and graph_store.pending_changes(conn) == {}
