"""`hub demo`'s association, built into a real database (SQLite, and PostgreSQL when configured): its shape."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, select, text

from givefirst.errors import DatabaseError
from givefirst.hub.domain.access import Role, Viewer, Visibility, can_see
from givefirst.hub.domain.events import HELP_THRESHOLD
from givefirst.hub.domain.regions import chapter_for
from givefirst.hub.services import moving
from givefirst.hub.services.context import Hub, connect
from givefirst.hub.services.demo import build_demo, prepare_demo_database
from givefirst.hub.store import members as members_store
from givefirst.hub.store import schema as t
from givefirst.hub.store.members import all_chapters
from tests.conftest import NOW
from tests.hub import factory


@pytest.fixture
def demo(db_url: str) -> Iterator[Hub]:
    prepare_demo_database(db_url)
    built = connect(db_url, clock=lambda: NOW)
    build_demo(built, match=False)
    yield built
    built.engine.dispose()


def _rows(hub: Hub, table: t.Table) -> list[dict[str, object]]:
    with hub.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table))]


def test_three_chapters_about_300_members_with_leads_an_admin_and_sponsors(demo: Hub) -> None:
    with demo.engine.connect() as conn:
        chapters = all_chapters(conn)
    assert sorted(c.name for c in chapters) == ["AOP Florida", "AOP New Jersey", "AOP New York"]
    members = _rows(demo, t.members)
    assert 280 <= len(members) <= 320
    per_chapter = Counter(m["chapter_id"] for m in members)
    assert all(per_chapter[c.id] >= 60 for c in chapters)
    leads = Counter(m["chapter_id"] for m in members if m["role"] == Role.LEAD.value)
    assert all(leads[c.id] >= 1 for c in chapters)
    assert sum(1 for m in members if m["role"] == Role.ADMIN.value) == 1
    by_id = {m["id"]: m for m in members}
    sponsored = [m for m in members if m["sponsor_id"] is not None]
    assert len(sponsored) >= 30
    for m in sponsored:  # a sponsor is an earlier member of the same chapter
        sponsor = by_id[m["sponsor_id"]]
        assert sponsor["chapter_id"] == m["chapter_id"] and sponsor["joined_at"] < m["joined_at"]
    newcomers = [m for m in members if NOW - m["joined_at"] < timedelta(days=30)]
    assert newcomers, "the dashboard's new members without a first give need some"
    assert len({m["email"] for m in members}) == len(members) == len({m["public_id"] for m in members})


def test_every_member_lives_in_their_chapters_region(demo: Hub) -> None:
    with demo.engine.connect() as conn:
        chapters = all_chapters(conn)
    for m in _rows(demo, t.members):
        found = chapter_for(str(m["location"]), chapters)
        assert found is not None and found.id == m["chapter_id"], m["location"]


def test_the_mover_from_new_york_to_tampa_and_the_handoff(demo: Hub) -> None:
    with demo.engine.connect() as conn:
        chapters = {c.id: c for c in all_chapters(conn)}
        mover = conn.execute(select(t.members).where(t.members.c.name == "Jordan Reyes")).one()
        handoffs = conn.execute(select(t.handoffs)).all()
        sponsor = conn.execute(select(t.members).where(t.members.c.id == mover.sponsor_id)).one()
    assert chapters[mover.chapter_id].name == "AOP New York"
    assert mover.moving_to == "Tampa, FL" and mover.moving_on > NOW.date()
    florida = chapter_for(mover.moving_to, list(chapters.values()))
    assert florida is not None and florida.name == "AOP Florida"
    assert [(h.member_id, h.from_chapter_id, h.to_chapter_id, h.status) for h in handoffs] == [
        (mover.id, mover.chapter_id, florida.id, "proposed")
    ]
    assert sponsor.role == Role.LEAD.value and sponsor.chapter_id == mover.chapter_id


def test_needs_and_offers_in_many_trades_and_visibilities(demo: Hub) -> None:
    items = _rows(demo, t.items)
    kinds = Counter((i["kind"], i["status"]) for i in items)
    assert kinds[("need", "open")] >= 250 and kinds[("offer", "open")] >= 200 and kinds[("need", "closed")] > 0
    assert Counter(i["visibility"] for i in items).keys() == {v.value for v in Visibility}
    tags = {tag for i in items for tag in str(i["tags"]).split(",")}
    assert len(tags) >= 30
    assert len({i["text"] for i in items}) >= 0.9 * len(items)  # members say things in their own words
    long_open = [
        i for i in items if i["kind"] == "need" and i["status"] == "open" and NOW - i["created_at"] > timedelta(days=30)
    ]
    assert any("São Paulo" in str(i["text"]) for i in long_open)


def test_each_chapter_has_a_past_and_an_upcoming_meeting(demo: Hub) -> None:
    events, rsvps, talks = _rows(demo, t.events), _rows(demo, t.rsvps), _rows(demo, t.conversations)
    for chapter_id in {e["chapter_id"] for e in events}:
        mine = [e for e in events if e["chapter_id"] == chapter_id]
        past = [e for e in mine if e["starts_at"] < NOW]
        ahead = [e for e in mine if e["starts_at"] > NOW]
        assert len(past) == 1 and len(ahead) == 1
        came = [r for r in rsvps if r["event_id"] == past[0]["id"] and r["checked_in_at"] is not None]
        assert len(came) >= 10
        assert [r for r in rsvps if r["event_id"] == ahead[0]["id"]]
        assert not [r for r in rsvps if r["event_id"] == ahead[0]["id"] and r["checked_in_at"] is not None]
        held = [c for c in talks if c["event_id"] == past[0]["id"]]
        assert held and all(c["follow_up_due"] - c["recorded_at"] == timedelta(hours=48) for c in held)
        present = {r["member_id"] for r in came}
        assert all(c["member_id"] in present and c["other_id"] in present for c in held)
    assert len(events) == 6


def test_introductions_in_every_state_between_members_who_may_see_each_other(demo: Hub) -> None:
    intros, declined = _rows(demo, t.introductions), _rows(demo, t.declined_pairs)
    members = {m["id"]: m for m in _rows(demo, t.members)}
    items = {i["id"]: i for i in _rows(demo, t.items)}
    states = Counter((x["seeker_answer"], x["helper_answer"], x["outcome"]) for x in intros)
    assert ("pending", "pending", None) in states and ("accepted", "accepted", None) in states
    assert {o for (_, _, o) in states} >= {"helped", "hired", "no_thanks"}
    assert sum(n for (s, h, _), n in states.items() if "declined" in (s, h)) == len(declined) > 0
    assert any(x["event_id"] for x in intros) and any(x["seeker_thanks_public"] for x in intros)

    def viewer(member_id: object) -> Viewer:
        m = members[member_id]
        return Viewer(int(m["id"]), int(m["chapter_id"]), Role(m["role"]))

    chapters_with_intros = set()
    for x in intros:
        need, offer = items[x["need_id"]], items[x["offer_id"]]
        assert need["member_id"] == x["seeker_id"] and offer["member_id"] == x["helper_id"]
        assert (x["connected_at"] is not None) == (x["seeker_answer"] == x["helper_answer"] == "accepted")
        for who, item in ((x["helper_id"], need), (x["seeker_id"], offer)):
            owner = members[item["member_id"]]
            assert can_see(viewer(who), int(owner["id"]), int(owner["chapter_id"]), Visibility(item["visibility"]))
        chapters_with_intros.add(members[x["seeker_id"]]["chapter_id"])
    assert len(chapters_with_intros) == 3


def test_known_logins_are_argon2_hashes_of_the_printed_passwords(db_url: str) -> None:
    prepare_demo_database(db_url)
    hub = connect(db_url, clock=lambda: NOW)
    report = build_demo(hub, match=False)
    assert {"the mover (New York → Tampa)", "the association admin"} <= {x.who for x in report.logins}
    with hub.engine.connect() as conn:
        for login in report.logins:
            stored = conn.execute(select(t.members.c.password_hash).where(t.members.c.email == login.email)).scalar()
            assert stored is not None and stored.startswith("$argon2id$")
            assert PasswordHasher().verify(stored, login.password)
            assert login.password == "demo-password-" + login.email.split("@")[0]
    hub.engine.dispose()


def test_rebuilding_gives_the_same_demo_and_new_rows_still_get_ids(demo: Hub, db_url: str) -> None:
    def dump() -> dict[str, list[tuple[object, ...]]]:
        with demo.engine.connect() as conn:
            return {
                table.name: sorted(
                    tuple(v for k, v in r._mapping.items() if k != "password_hash") for r in conn.execute(select(table))
                )
                for table in t.metadata.sorted_tables
                if table.name not in ("hub_settings", "hub_sessions")
            }

    before = dump()
    prepare_demo_database(db_url)
    build_demo(demo, match=False)
    assert dump() == before
    chapter = factory.chapter(demo)  # the id sequences were moved past the demo's rows (PostgreSQL)
    assert factory.member(demo, chapter) == len(before["members"]) + 1


def test_a_hub_that_is_not_a_demo_is_never_overwritten(hub: Hub, db_url: str) -> None:
    factory.member(hub, factory.chapter(hub), name="A Real Member")
    with pytest.raises(DatabaseError, match="not a demo"):
        prepare_demo_database(db_url)
    with hub.engine.connect() as conn:
        assert conn.execute(select(t.members.c.name)).scalars().all() == ["A Real Member"]


def test_a_database_of_something_else_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="other tables"):
        prepare_demo_database(str(path))


def test_with_matching_the_mover_is_told_where_to_help_on_both_sides(db_url: str) -> None:
    """The story: the member about to move should have been told both where they can help in the chapter they
    join and where they still can in the one they leave (`/moving`), from the engine's own pairs."""
    prepare_demo_database(db_url)
    hub = connect(db_url, clock=lambda: NOW)
    try:
        build_demo(hub, match=True)
        with hub.engine.connect() as conn:
            mover = members_store.member_by_email(conn, "jordan.reyes@aop-demo.example")
        assert mover is not None
        page = moving.moving_page(hub, mover)
        assert page.to_chapter is not None and page.to_chapter.name == "AOP Florida"
        assert page.from_chapter is not None and page.from_chapter.name == "AOP New York"
        assert page.help_there and page.help_here
        shown = page.help_there + page.help_here
        assert all(p.score >= HELP_THRESHOLD and p.offer.member_id == mover.id for p in shown)
        assert any("S&OP" in p.need.text for p in page.help_there)
    finally:
        hub.engine.dispose()
