"""Who may open which events page: each role × each route, members of two chapters (404 hides, 403 refuses)."""

from __future__ import annotations

import pytest

from givefirst.hub.domain.access import Role
from givefirst.hub.services.context import Hub
from tests.hub import factory

ROUTES = (  # path (EVENT: the New York event), and whether only the chapter's leads may open it
    ("/events/EVENT", False),
    ("/events/EVENT/sheet", False),
    ("/api/v1/events/EVENT", False),
    ("/api/v1/events/EVENT/sheet", False),
    ("/events/EVENT/room", True),
    ("/events/EVENT/door", True),
)
WHO = ("member", "lead", "other_member", "other_lead", "admin")


def _people(hub: Hub) -> tuple[str, dict[str, int]]:
    ny, fl = factory.chapter(hub, "New York"), factory.chapter(hub, "Florida", "Tampa, FL")
    people = {
        "member": factory.member(hub, ny, "Ana"),
        "lead": factory.member(hub, ny, "Lena", Role.LEAD),
        "other_member": factory.member(hub, fl, "Fay"),
        "other_lead": factory.member(hub, fl, "Flo", Role.LEAD),
        "admin": factory.member(hub, fl, "Ada", Role.ADMIN),
    }
    return factory.event(hub, ny, "New York meeting"), people


@pytest.mark.parametrize(("path", "leads_only"), ROUTES)
def test_each_role_on_each_route(hub: Hub, path: str, leads_only: bool) -> None:
    event, people = _people(hub)
    expected = {
        "member": 403 if leads_only else 200,
        "lead": 200,
        "other_member": 404,
        "other_lead": 404,
        "admin": 200,
    }
    for who in WHO:
        response = factory.client(hub, people[who]).get(path.replace("EVENT", event), follow_redirects=False)
        assert response.status_code == expected[who], (who, path)
        if expected[who] == 404:
            assert "New York meeting" not in response.text
    stranger = factory.client(hub).get(path.replace("EVENT", event), follow_redirects=False)
    assert stranger.status_code in (303, 401)
    missing = factory.client(hub, people["lead"]).get(path.replace("EVENT", "no-such-event"))
    assert missing.status_code == 404


def test_lists_show_only_my_chapter(hub: Hub) -> None:
    _, people = _people(hub)
    factory.event(hub, factory.chapter(hub, "New Jersey", "NJ"), "Jersey meeting")
    for who in WHO:
        listing = factory.client(hub, people[who]).get("/api/v1/events").json()
        titles = [e["title"] for e in listing["upcoming"]]
        assert titles == (["New York meeting"] if who in ("member", "lead") else []), who
        assert "New York meeting" not in factory.client(hub, people[who]).get("/events").text or who in (
            "member",
            "lead",
        )


def test_the_openapi_document_describes_the_events_and_lead_routes(hub: Hub) -> None:
    paths = factory.client(hub).get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/events",
        "/api/v1/events/{public_id}",
        "/api/v1/events/{public_id}/sheet",
        "/api/v1/lead",
        "/api/v1/moving",
    ):
        assert path in paths, path
