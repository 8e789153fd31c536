"""Moving members: the handoff into the new chapter, and where the mover can still help in the one they leave."""

from __future__ import annotations

from sqlalchemy import select

from givefirst.hub.domain.access import Role, Visibility
from givefirst.hub.services import moving
from givefirst.hub.services.context import Hub
from givefirst.hub.store import members as stored_members
from givefirst.hub.store.schema import handoffs
from tests.hub import factory


def _association(hub: Hub) -> dict[str, int]:
    ny = factory.chapter(hub, "New York", "New York, NY; Long Island")
    fl = factory.chapter(hub, "Florida", "Tampa, FL; Orlando; Miami")
    mover = factory.update_member(hub, factory.member(hub, ny, "Mo"), location="Brooklyn", moving_to="Tampa, FL")
    ny_lead = factory.member(hub, ny, "Nia", Role.LEAD)
    fl_lead = factory.member(hub, fl, "Flo", Role.LEAD)
    tampa = factory.member(hub, fl, "Tam")
    brooklyn = factory.member(hub, ny, "Bea")
    offer = factory.item(hub, mover, "offer", "bookkeeping for small shops")
    open_there = factory.item(hub, tampa, "need", "a bookkeeper for my shop", Visibility.ASSOCIATION)
    hidden_there = factory.item(hub, tampa, "need", "books for my other shop")  # Florida's members only
    here = factory.item(hub, brooklyn, "need", "someone to do my books")
    factory.match(hub, open_there, offer, 0.95)
    factory.match(hub, hidden_there, offer, 0.92)
    factory.match(hub, here, offer, 0.9)
    return {"ny": ny, "fl": fl, "mover": mover, "ny_lead": ny_lead, "fl_lead": fl_lead}


def test_the_mover_sees_the_new_chapter_and_the_old_one(hub: Hub) -> None:
    a = _association(hub)
    assert 'href="/moving"' in factory.client(hub, a["mover"]).get("/events").text
    page = factory.client(hub, a["mover"]).get("/moving")
    assert "from <strong>New York</strong> to <strong>Florida</strong>" in page.text
    assert "<strong>Flo</strong>" in page.text  # the new chapter's lead
    assert "a bookkeeper for my shop" in page.text  # visible to the whole association
    assert "books for my other shop" not in page.text  # Florida's members only: the mover is not one yet
    assert "someone to do my books" in page.text  # where they can still help at home
    api = factory.client(hub, a["mover"]).get("/api/v1/moving").json()
    assert (api["status"], api["from_chapter"], api["to_chapter"], api["new_leads"]) == (
        "proposed",
        "New York",
        "Florida",
        ["Flo"],
    )
    assert [line["need"] for line in api["help_there"]] == ["a bookkeeper for my shop"]
    assert [line["need"] for line in api["help_here"]] == ["someone to do my books"]
    with hub.engine.connect() as conn:
        rows = conn.execute(select(handoffs.c.from_chapter_id, handoffs.c.to_chapter_id, handoffs.c.status)).all()
    assert rows == [(a["ny"], a["fl"], "proposed")]
    factory.client(hub, a["mover"]).get("/moving")
    with hub.engine.connect() as conn:
        assert len(conn.execute(select(handoffs)).all()) == 1  # proposed once


def test_both_leads_see_the_move_and_the_mover_answers(hub: Hub) -> None:
    a = _association(hub)
    assert moving.propose_all(hub) == 1
    assert moving.propose_all(hub) == 0
    for lead in (a["ny_lead"], a["fl_lead"]):
        rows = factory.client(hub, lead).get("/api/v1/lead").json()["moving"]
        assert [(r["member"], r["direction"]) for r in rows] == [("Mo", "out" if lead == a["ny_lead"] else "in")]
    browser = factory.client(hub, a["mover"])
    accepted = browser.post("/moving", data={"csrf_token": browser.csrf, "answer": "accepted"})  # type: ignore[attr-defined]
    assert "will see you coming" in accepted.text
    assert factory.client(hub, a["fl_lead"]).get("/api/v1/lead").json()["moving"][0]["status"] == "accepted"
    dismissed = browser.post("/moving", data={"csrf_token": browser.csrf, "answer": "dismissed"})  # type: ignore[attr-defined]
    assert "will not propose this move again" in dismissed.text
    assert moving.propose_all(hub) == 0
    assert "Nothing to hand over" in browser.get("/moving").text
    assert factory.client(hub, a["fl_lead"]).get("/api/v1/lead").json()["moving"] == []


def test_a_member_who_stays_has_nothing_to_hand_over(hub: Hub) -> None:
    a = _association(hub)
    stay = factory.update_member(hub, factory.member(hub, a["ny"], "Stan"), location="Queens")
    with hub.engine.connect() as conn:
        member = stored_members.member_by_id(conn, stay)
    assert member is not None and moving.refresh(hub, member) is None
    browser = factory.client(hub, stay)
    assert "Nothing to hand over" in browser.get("/moving").text
    refused = browser.post("/moving", data={"csrf_token": browser.csrf, "answer": "accepted"})  # type: ignore[attr-defined]
    assert refused.status_code == 404


def test_saving_a_move_on_the_profile_proposes_the_handoff_at_once(hub: Hub) -> None:
    from givefirst.hub.services import profiles
    from givefirst.hub.store import members as stored_members
    from givefirst.hub.store.schema import handoffs

    new_york = factory.chapter(hub, "New York", "New York, NY")
    florida = factory.chapter(hub, "Florida", "Tampa, FL")
    me_id = factory.member(hub, new_york, location="Brooklyn, NY")
    with hub.engine.connect() as conn:
        me = stored_members.member_by_id(conn, me_id)
    assert me is not None
    profiles.update_profile(
        hub, me, name=me.name, headline="", location="Brooklyn, NY", moving_to="Tampa, FL",
        moving_on=None, digest_opt_out=False,
    )  # fmt: skip
    with hub.engine.connect() as conn:
        rows = conn.execute(handoffs.select()).all()
    assert [(r.member_id, r.from_chapter_id, r.to_chapter_id) for r in rows] == [(me_id, new_york, florida)]
