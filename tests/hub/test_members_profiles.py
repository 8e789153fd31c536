"""Profiles: who may see a member, the directory, sponsors' prompts, exporting my data and deleting my account."""

from __future__ import annotations

import json
import secrets
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.hub.domain.access import Role, Viewer, Visibility
from givefirst.hub.domain.members import can_see_member
from givefirst.hub.domain.model import Member
from givefirst.hub.services import account, api_tokens, audit, members, profiles, sessions
from givefirst.hub.services.context import Hub
from givefirst.hub.store import members as stored_members
from givefirst.hub.store.member_access import visible_members
from givefirst.hub.store.schema import events, introductions, items, rsvps
from givefirst.hub.store.schema import members as members_table
from tests.conftest import NOW
from tests.hub import factory


def get(hub: Hub, member_id: int) -> Member:
    with hub.engine.connect() as conn:
        found = stored_members.member_by_id(conn, member_id)
    assert found is not None
    return found


def introduce(hub: Hub, seeker: int, helper: int, *, connected: bool = True, proposer: int | None = None) -> str:
    public_id = secrets.token_urlsafe(12)
    with hub.engine.begin() as conn:
        conn.execute(
            introductions.insert().values(
                public_id=public_id,
                seeker_id=seeker,
                helper_id=helper,
                proposer_id=proposer,
                created_at=NOW,
                connected_at=NOW if connected else None,
                seeker_answer="accepted" if connected else "pending",
                helper_answer="accepted" if connected else "pending",
                message="Ana needs a PMP coach; Ben coaches",
            )
        )
    return public_id


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    layout=st.lists(
        st.tuples(
            st.sampled_from(list(Role)),
            st.integers(0, 2),
            st.sampled_from([None, *Visibility]),
            st.sampled_from(["open", "closed"]),
            st.booleans(),
        ),
        min_size=2,
        max_size=6,
    ),
)
def test_sql_and_rule_agree_on_who_sees_a_member(
    hub: Hub, layout: list[tuple[Role, int, Visibility | None, str, bool]]
) -> None:
    chapter_ids = [factory.chapter(hub, f"Chapter {i}") for i in range(3)]
    people = []
    for role, index, visibility, status, deleted in layout:
        person = factory.member(hub, chapter_ids[index], role=role, deleted_at=NOW if deleted else None)
        if visibility is not None:
            factory.item(hub, person, "offer", "an offer", visibility, status=status)
        people.append((person, chapter_ids[index], role, visibility, status, deleted))
    introduce(hub, people[0][0], people[-1][0], connected=False)
    ids = [p[0] for p in people]
    for viewer_id, viewer_chapter, role, *_ in people:
        viewer = Viewer(viewer_id, viewer_chapter, role)
        expected = {
            person
            for person, chapter, _r, visibility, status, deleted in people
            if not deleted
            and can_see_member(
                viewer,
                person,
                chapter,
                shows_viewer_an_item=visibility is Visibility.ASSOCIATION and status == "open",
                introduced={viewer_id, person} == {ids[0], ids[-1]},
            )
        }
        with hub.engine.connect() as conn:
            found = set(
                conn.scalars(select(members_table.c.id).where(visible_members(viewer), members_table.c.id.in_(ids)))
            )
        assert found == expected


def test_a_member_page_shows_the_sponsor_and_never_the_e_mail(hub: Hub) -> None:
    here, there = factory.chapter(hub, "New York"), factory.chapter(hub, "Florida")
    sponsor = factory.member(hub, here, "Sam Sponsor")
    newcomer = factory.member(hub, here, "Nia New", sponsor_id=sponsor, headline="PMP, agile coach")
    factory.item(hub, newcomer, "offer", "agile coaching for a sprint", Visibility.CHAPTER)
    factory.item(hub, newcomer, "need", "a Florida landlord", Visibility.LEADS)
    neighbour = get(hub, factory.member(hub, here))
    page = profiles.profile(hub, neighbour, get(hub, newcomer).public_id)
    assert page.sponsor == profiles.Sponsor("Sam Sponsor", get(hub, sponsor).public_id)
    assert [i.text for i in page.items] == ["agile coaching for a sprint"]  # not the leads-only need
    stranger = get(hub, factory.member(hub, there))
    with pytest.raises(NotFoundError, match="no such member") as hidden:
        profiles.profile(hub, stranger, get(hub, newcomer).public_id)
    with pytest.raises(NotFoundError) as missing:
        profiles.profile(hub, stranger, "no-such-member-id")
    assert str(hidden.value) == str(missing.value)
    # an offer to the whole association makes its owner visible to everyone, sponsor shown only as far as seen
    factory.item(hub, newcomer, "offer", "a talk on risk registers", Visibility.ASSOCIATION)
    seen = profiles.profile(hub, stranger, get(hub, newcomer).public_id)
    assert [i.text for i in seen.items] == ["a talk on risk registers"]
    assert seen.sponsor == profiles.Sponsor("a member of another chapter", None)


def test_the_directory_lists_my_chapter_and_an_admin_any(hub: Hub) -> None:
    here, there = factory.chapter(hub, "New York"), factory.chapter(hub, "Florida")
    for name in ("Ana Agile", "Ben Budget", "Cy Charter"):
        factory.member(hub, here, name, headline=f"{name.split()[1]} expert")
    far = factory.member(hub, there, "Dee Far")
    factory.item(hub, far, "offer", "open to all", Visibility.ASSOCIATION)
    factory.member(hub, here, "Gone Member", deleted_at=NOW)
    me = get(hub, factory.member(hub, here, "Me Myself"))
    mine = profiles.directory(hub, me)
    assert [m.name for m in mine.members] == ["Ana Agile", "Ben Budget", "Cy Charter", "Me Myself"]
    assert mine.total == 4 and mine.chapter is not None and mine.chapter.id == here
    # another chapter's slug changes nothing for a member; the search looks at names and headlines
    assert profiles.directory(hub, me, chapter_slug=_slug(hub, there)).total == 4
    assert [m.name for m in profiles.directory(hub, me, query="budget").members] == ["Ben Budget"]
    assert profiles.directory(hub, me, query="%").total == 0
    admin = get(hub, factory.member(hub, there, "Ada Admin", role=Role.ADMIN))
    assert profiles.directory(hub, admin).total == 6
    assert [m.name for m in profiles.directory(hub, admin, chapter_slug=_slug(hub, there)).members] == [
        "Ada Admin",
        "Dee Far",
    ]


def _slug(hub: Hub, chapter_id: int) -> str:
    with hub.engine.connect() as conn:
        found = stored_members.chapter_by_id(conn, chapter_id)
    assert found is not None
    return found.slug


def test_update_profile(hub: Hub) -> None:
    me = get(hub, factory.member(hub, factory.chapter(hub)))
    changed = profiles.update_profile(
        hub,
        me,
        name=" Ana  Lopez ",
        headline="PM, moving south",
        location="Brooklyn, NY",
        moving_to="Tampa, FL",
        moving_on=date(2027, 2, 1),
        digest_opt_out=True,
    )
    assert (changed.name, changed.moving_to, changed.moving_on, changed.digest_opt_out) == (
        "Ana Lopez",
        "Tampa, FL",
        date(2027, 2, 1),
        True,
    )
    with pytest.raises(InvalidInputError, match="say where you are moving"):
        profiles.update_profile(
            hub,
            me,
            name="Ana",
            headline="",
            location=None,
            moving_to="",
            moving_on=date(2027, 1, 1),
            digest_opt_out=False,
        )
    with pytest.raises(InvalidInputError, match="name"):
        profiles.update_profile(
            hub, me, name=" ", headline="", location=None, moving_to=None, moving_on=None, digest_opt_out=False
        )


def test_a_sponsor_is_prompted_until_the_new_member_gives(hub: Hub) -> None:
    here = factory.chapter(hub)
    sponsor = get(hub, factory.member(hub, here, "Sam Sponsor"))
    nia = factory.member(hub, here, "Nia New", sponsor_id=sponsor.id)
    old = factory.member(hub, here, "Old Timer", sponsor_id=sponsor.id)
    with hub.engine.begin() as conn:
        for member_id, days in ((nia, 3), (old, 200)):
            stored_members.update_member(conn, member_id, joined_at=NOW - timedelta(days=days))
    factory.member(hub, here, "Someone Else's")
    (prompt,) = profiles.sponsor_prompts(hub, sponsor)
    assert (prompt.name, prompt.open_offers, prompt.joined_on) == ("Nia New", 0, (NOW - timedelta(days=3)).date())
    assert prompt.suggestion.startswith("Help Nia New post a first offer")
    factory.item(hub, nia, "offer", "agile coaching", Visibility.CHAPTER)
    factory.item(hub, nia, "offer", "a private offer", Visibility.LEADS)  # the sponsor may not see it: not counted
    assert profiles.sponsor_prompts(hub, sponsor)[0].open_offers == 1
    seeker = factory.member(hub, here)
    introduce(hub, seeker, nia, connected=False)
    assert len(profiles.sponsor_prompts(hub, sponsor)) == 1  # not accepted yet: no give
    introduce(hub, seeker, nia)
    assert profiles.sponsor_prompts(hub, sponsor) == []


def test_export_holds_all_my_data_and_is_audited(hub: Hub) -> None:
    here = factory.chapter(hub, "New York")
    sponsor = factory.member(hub, here, "Sam Sponsor")
    me = get(hub, factory.member(hub, here, "Ana", sponsor_id=sponsor, headline="PM"))
    other, stranger = factory.member(hub, here, "Ben Helper"), factory.member(hub, here, "Cy Pending")
    factory.item(hub, me.id, "need", "a PMP coach", Visibility.ASSOCIATION, tags="pmp,coaching")
    factory.item(hub, other, "offer", "not mine", Visibility.ASSOCIATION)
    introduce(hub, me.id, other)
    introduce(hub, stranger, me.id, connected=False)
    with hub.engine.begin() as conn:
        event = conn.execute(
            events.insert().values(
                public_id="ev1", chapter_id=here, title="December meeting", starts_at=NOW, created_at=NOW
            )
        ).inserted_primary_key[0]
        conn.execute(rsvps.insert().values(event_id=event, member_id=me.id, answer="going", answered_at=NOW))
    api_tokens.create(hub, me.id, "my script")
    data = account.export(hub, me)
    json.dumps(data)  # plain JSON
    assert data["profile"]["email"] == me.email and data["profile"]["sponsor"] == "Sam Sponsor"
    assert [(i["text"], i["tags"]) for i in data["items"]] == [("a PMP coach", ["pmp", "coaching"])]
    connected, pending = data["introductions"]
    assert (connected["my_role"], connected["helper"]) == ("seeker", "Ben Helper")
    assert (pending["my_role"], pending["seeker"]) == ("helper", None)  # not accepted: their name is theirs
    assert data["rsvps"][0]["title"] == "December meeting" and data["api_tokens"][0]["name"] == "my script"
    assert "token_hash" not in json.dumps(data)
    assert [e.action for e in audit.entries(hub, get(hub, factory.member(hub, here, role=Role.LEAD)))] == [
        "account.export"
    ]


def test_deleting_my_account_anonymises_me_and_keeps_introductions(hub: Hub) -> None:
    here = factory.chapter(hub)
    token = members.create_invite(hub, None, here)
    me = members.join(hub, token, "Ana Leaving", "ana@example.org", "a long password")
    other = get(hub, factory.member(hub, here, "Ben Staying"))
    item = factory.item(hub, me.id, "need", "a coach", Visibility.CHAPTER)
    intro = introduce(hub, me.id, other.id)
    secret = sessions.start(hub, me.id)
    api_token = api_tokens.create(hub, me.id, "script")
    with pytest.raises(InvalidInputError, match='type "delete"'):
        account.delete_account(hub, me, "yes")
    account.delete_account(hub, me, "DELETE")
    gone = get(hub, me.id)
    assert gone.deleted and gone.name == "a former member" and "ana" not in gone.email
    assert sessions.current(hub, secret) is None and api_tokens.member_for(hub, api_token) is None
    with pytest.raises(members.SignInRefused):
        members.login(hub, "ana@example.org", "a long password", "x")
    with hub.engine.connect() as conn:
        assert conn.execute(select(items.c.status).where(items.c.id == item)).scalar_one() == "closed"
        row = conn.execute(select(introductions).where(introductions.c.public_id == intro)).one()
    assert row.seeker_id == me.id  # the introduction stays, with "a former member" on my side
    assert account.export(hub, other)["introductions"][0]["seeker"] == "a former member"
    with pytest.raises(NotFoundError):
        profiles.profile(hub, other, me.public_id)
    assert [m.name for m in profiles.directory(hub, other).members] == ["Ben Staying"]
    # the e-mail is free again: the person can be invited back
    assert members.create_invite(hub, None, here, email="ana@example.org")


def test_the_last_admin_cannot_leave(hub: Hub) -> None:
    admin = get(hub, factory.member(hub, factory.chapter(hub), role=Role.ADMIN))
    with pytest.raises(InvalidInputError, match="last admin"):
        account.delete_account(hub, admin, "delete")
