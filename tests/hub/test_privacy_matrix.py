"""The privacy matrix: every route of the hub, for each role of two chapters, against every visibility.

Generic on purpose, so that routes added later are covered without touching this file: it enumerates
`app.routes` and, for a viewer (member, lead or admin, of one chapter or the other),

1. builds a world of members and needs/offers in both chapters with every visibility, each carrying a distinctive
   marker string; what the viewer may see (by the access rules of `hub.domain`) is created first, what they may
   not see second;
2. calls every GET route — without path parameters, or with them filled with each visible public id, and each
   also with its query parameters set to a search word all seeded texts share — before and after the hidden part
   exists: the answers must be identical (no list, count, search or figure may move because of something the
   viewer cannot see) and no hidden marker may appear;
3. calls every route with path parameters (any method) filled with each hidden public id and with an id that
   does not exist: the two answers must be identical (status, body, redirect), so a hidden item or member
   cannot be told from a missing one;
4. calls every state-changing route without path parameters with an empty form: no hidden marker, no crash.

A route whose answer changes between two identical calls (it records something, like the export's audit entry)
cannot be compared before and after; it is still checked for markers.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Table, select

from givefirst.hub.domain.access import Role, Viewer, Visibility, can_see
from givefirst.hub.domain.members import can_see_member
from givefirst.hub.services import account
from givefirst.hub.services.context import Hub
from givefirst.hub.store import members as stored_members
from givefirst.hub.store.schema import introductions, items, members
from givefirst.hub.web.app import create_hub_app
from tests.conftest import NOW
from tests.hub import factory

SEARCH_WORD = "quokka"  # in every seeded text, so a search finds the visible ones and must not find the rest
MISSING_ID = "Zz9missingZz9abc"  # shaped like a public id (16 url-safe characters), belonging to nobody
VIEWERS = [(role, home) for role in Role for home in (0, 1)]


def marker() -> str:
    return "mkq" + secrets.token_hex(4)


Step = Callable[[], list[str]]  # creates rows; returns the public ids among them the viewer may not see


@dataclass
class World:
    hub: Hub
    viewer: Viewer
    hidden_markers: list[str] = field(default_factory=list)
    later: list[Step] = field(default_factory=list)  # the hidden part, created after the "before" answers

    def member(self, chapter: int, label: str, mark: str) -> int:
        return factory.member(self.hub, chapter, f"{label} {mark}", headline=f"{SEARCH_WORD} {mark}")

    def item(self, owner: int, kind: str, visibility: Visibility, mark: str) -> int:
        text = f"{SEARCH_WORD} {kind} {mark}"
        return factory.item(self.hub, owner, kind, text, visibility, tags=f"{SEARCH_WORD},{mark}")


def public_id(hub: Hub, table: Table, row_id: int) -> str:
    with hub.engine.connect() as conn:
        return str(conn.execute(select(table.c.public_id).where(table.c.id == row_id)).scalar_one())


def build(hub: Hub, role: Role, home: int) -> World:
    """The viewer and what they may see, created now; the hidden part as steps in `world.later`."""
    chapters = [factory.chapter(hub, "Alpha", "New York, NY"), factory.chapter(hub, "Beta", "Tampa, FL")]
    viewer_id = factory.member(hub, chapters[home], f"Viewer {SEARCH_WORD}", role=role, headline="the viewer")
    world = World(hub, Viewer(viewer_id, chapters[home], role))
    viewer = world.viewer
    for chapter in chapters:
        quiet = marker()  # a member who shows nothing: seen by their own chapter and the admins only
        if can_see_member(viewer, -1, chapter, shows_viewer_an_item=False, introduced=False):
            world.member(chapter, "Quiet", quiet)
        else:
            world.hidden_markers.append(quiet)
            world.later.append(lambda c=chapter, q=quiet: [public_id(hub, members, world.member(c, "Quiet", q))])
        for visibility in Visibility:
            for kind in ("need", "offer"):
                owner_mark, item_mark = marker(), marker()
                shows = visibility is Visibility.ASSOCIATION
                if can_see(viewer, -1, chapter, visibility):  # then the owner is visible too
                    world.item(world.member(chapter, "Owner", owner_mark), kind, visibility, item_mark)
                elif can_see_member(viewer, -1, chapter, shows_viewer_an_item=shows, introduced=False):
                    owner = world.member(chapter, "Owner", owner_mark)
                    world.hidden_markers.append(item_mark)
                    world.later.append(
                        lambda o=owner, k=kind, v=visibility, m=item_mark: [
                            public_id(hub, items, world.item(o, k, v, m))
                        ]
                    )
                else:
                    world.hidden_markers.extend([owner_mark, item_mark])

                    def hidden_pair(
                        c: int = chapter,
                        k: str = kind,
                        v: Visibility = visibility,
                        om: str = owner_mark,
                        im: str = item_mark,
                    ) -> list[str]:
                        owner = world.member(c, "Owner", om)
                        return [public_id(hub, members, owner), public_id(hub, items, world.item(owner, k, v, im))]

                    world.later.append(hidden_pair)
    other = chapters[1 - home]
    if not viewer.leads(other):  # an introduction inside the other chapter: its lead and admins may see it
        note = marker()
        world.hidden_markers.append(note)
        world.later.append(lambda: introduction(world, other, note))
    deleted = marker()  # an account deleted since: its name appears nowhere, its page answers like a missing one
    world.hidden_markers.append(deleted)
    world.later.append(lambda: [deleted_member(world, chapters[home], deleted)])
    return world


def introduction(world: World, chapter: int, note: str) -> list[str]:
    hub, hidden = world.hub, []
    sides = [world.member(chapter, "Party", marker()) for _ in range(2)]
    for side in sides:
        if not can_see_member(world.viewer, side, chapter, shows_viewer_an_item=False, introduced=False):
            hidden.append(public_id(hub, members, side))
    intro_id = secrets.token_urlsafe(12)
    with hub.engine.begin() as conn:
        conn.execute(
            introductions.insert().values(
                public_id=intro_id,
                seeker_id=sides[0],
                helper_id=sides[1],
                created_at=NOW,
                message=f"{SEARCH_WORD} {note}",
            )
        )
    return [*hidden, intro_id]


def deleted_member(world: World, chapter: int, mark: str) -> str:
    gone = world.member(chapter, "Gone", mark)
    with world.hub.engine.connect() as conn:
        found = stored_members.member_by_id(conn, gone)
    assert found is not None
    account.delete_account(world.hub, found, "delete")
    return found.public_id


# --- the requests --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    path: str
    path_format: str
    path_params: tuple[str, ...]
    methods: frozenset[str]
    query: tuple[str, ...]  # the names of its query parameters


def routes(app: object) -> list[Endpoint]:
    """Every HTTP route of the app, through included routers too (FastAPI nests them lazily since 0.16x)."""

    def flat(found: Iterable[object]) -> Iterator[object]:
        for route in found:
            contexts = getattr(route, "effective_route_contexts", None)
            if contexts is not None:
                yield from flat(contexts())
            elif getattr(route, "methods", None):
                yield route

    endpoints = []
    for route in flat(app.routes):  # type: ignore[attr-defined]
        dependant = getattr(route, "dependant", None)
        query = tuple(p.name for p in getattr(dependant, "query_params", ())) if dependant is not None else ()
        endpoints.append(
            Endpoint(
                path=route.path,  # type: ignore[attr-defined]
                path_format=route.path_format,  # type: ignore[attr-defined]
                path_params=tuple(route.param_convertors),  # type: ignore[attr-defined]
                methods=frozenset(route.methods) - {"HEAD"},  # type: ignore[attr-defined]
                query=query,
            )
        )
    assert len(endpoints) > 5 and any(e.path == "/members/{public_id}" for e in endpoints), endpoints
    return endpoints


def filled(route: Endpoint, value: str) -> str:
    """The route's path with every path parameter set to `value`."""
    return route.path_format.format(**dict.fromkeys(route.path_params, value))


def answer(client: TestClient, method: str, path: str, csrf: str, params: dict[str, str] | None = None) -> str:
    if method == "GET":
        response = client.get(path, params=params, follow_redirects=False)
    else:
        response = client.request(method, path, data={"csrf_token": csrf}, follow_redirects=False)
    return f"{response.status_code} {response.headers.get('location', '')}\n{response.text}"


def existing_ids(hub: Hub) -> list[str]:
    """The public ids of every member, item and introduction so far (all visible: the hidden come later)."""
    with hub.engine.connect() as conn:
        return [str(i) for table in (members, items, introductions) for i in conn.scalars(select(table.c.public_id))]


def snapshot(client: TestClient, app: object, csrf: str, visible_ids: list[str]) -> dict[str, str]:
    """The answers of every GET route: without path parameters (and searching), and with each visible id."""
    taken = {}
    for route in routes(app):
        if "GET" not in route.methods:
            continue
        for path in [filled(route, found) for found in visible_ids] if route.path_params else [route.path]:
            taken[path] = answer(client, "GET", path, csrf)
            for name in route.query:
                taken[f"{path}?{name}"] = answer(client, "GET", path, csrf, {name: SEARCH_WORD})
    return taken


def signed_in(hub: Hub, member_id: int) -> TestClient:
    return factory.client(hub, member_id)


@pytest.mark.parametrize(("role", "home"), VIEWERS, ids=[f"{r.value}-of-{'AB'[h]}" for r, h in VIEWERS])
def test_nothing_hidden_leaks_through_any_route(hub: Hub, role: Role, home: int) -> None:
    world = build(hub, role, home)
    app = create_hub_app(hub)
    client = signed_in(hub, world.viewer.member_id)
    csrf: str = client.csrf  # type: ignore[attr-defined]
    visible_ids = existing_ids(hub)
    first, second = snapshot(client, app, csrf, visible_ids), snapshot(client, app, csrf, visible_ids)
    stable = {key for key in first if first[key] == second[key]}
    hidden_ids = [found for step in world.later for found in step()]
    assert world.hidden_markers and hidden_ids
    after = snapshot(client, app, csrf, visible_ids)
    problems = []
    for key, text in after.items():
        leaked = [m for m in world.hidden_markers if m in text]
        if leaked:
            problems.append(f"GET {key} shows hidden {leaked}")
        elif key in stable and text != second[key]:
            problems.append(f"GET {key} changed when only hidden records were added")
        if text.startswith("5"):
            problems.append(f"GET {key} failed: {text[:200]}")
    for route in routes(app):
        if not route.path_params:
            continue
        for method in sorted(route.methods):
            fresh = signed_in(hub, world.viewer.member_id) if method != "GET" else client
            token = fresh.csrf  # type: ignore[attr-defined]
            missing = answer(fresh, method, filled(route, MISSING_ID), token)
            for hidden in hidden_ids:
                text = answer(fresh, method, filled(route, hidden), token).replace(hidden, MISSING_ID)
                leaked = [m for m in world.hidden_markers if m in text]
                if leaked:
                    problems.append(f"{method} {route.path} with a hidden id shows {leaked}")
                elif text != missing:
                    problems.append(f"{method} {route.path}: a hidden id answers unlike a missing one: {text[:120]!r}")
    for route in routes(app):
        if route.path_params:
            continue
        for method in sorted(route.methods - {"GET"}):
            fresh = signed_in(hub, world.viewer.member_id)
            text = answer(fresh, method, route.path, fresh.csrf)  # type: ignore[attr-defined]
            leaked = [m for m in world.hidden_markers if m in text]
            if leaked or text.startswith("5"):
                problems.append(f"{method} {route.path} with an empty form: {leaked or text[:200]}")
    assert problems == []
