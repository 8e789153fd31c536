"""The hub's pages in a real browser, for a member and for a lead of the demo association (issue 15): axe-core
finds no violation, on a desktop and on a phone; on a phone nothing scrolls sideways and the main actions are
big enough to tap.

axe-core is the copy vendored for the personal app's tests (tests/web/vendor/), run through the same helper.
Skipped where there is no /usr/bin/chromium or no Playwright, like the other browser tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import and_, or_, select

from givefirst.hub.domain.access import Role
from givefirst.hub.services import members, sessions
from givefirst.hub.services.context import Hub, connect
from givefirst.hub.services.demo import build_demo, prepare_demo_database
from givefirst.hub.store import schema as t
from givefirst.hub.web.app import SESSION_COOKIE
from tests.conftest import NOW
from tests.hub.server import hub_server
from tests.web.test_a11y import PHONE, axe_violations

CHROMIUM = Path("/usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium")

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
# What each person opens; {names} are filled from the demo association being served.
VISITOR_PAGES = ("/login", "/join/{token}")
MEMBER_PAGES = (
    "/board", "/board?kind=need", "/me", "/me/items", "/me/items/{item}", "/help", "/introductions",
    "/introductions/{introduction}", "/events", "/events/{event}", "/events/{past_event}", "/events/{event}/sheet",
    "/members", "/members/{other}", "/moving",
)  # fmt: skip
LEAD_PAGES = (
    "/lead", "/lead/invites", "/lead/audit", "/events", "/events/{event}", "/events/{event}/door",
    "/events/{event}/room", "/events/{event}/sheet", "/members", "/members/{other}", "/me",
)  # fmt: skip
EVERY_IMPACT = ("minor", "moderate", "serious", "critical")  # the hub has no excuse for any
MIN_TAP = 44  # px: WCAG 2.5.5's target size, what a thumb hits without hitting its neighbour
# The main actions of a page: its buttons, the links styled as buttons, the nav, the form fields.
TAP_TARGETS = "main button, main .button, main input:not([type=hidden]):not([type=radio]):not([type=checkbox]), " \
    "main select, main textarea, header.top a, main summary, label.check, .pager a"  # fmt: skip


@dataclass(frozen=True)
class Demo:
    hub: Hub
    member: int
    lead: int
    ids: dict[str, str]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    database = str(tmp_path_factory.mktemp("hub-a11y") / "hub.db")
    prepare_demo_database(database)
    hub = connect(database, clock=lambda: NOW)
    build_demo(hub)
    yield Demo(hub, *_people_and_ids(hub))
    hub.engine.dispose()


def _people_and_ids(hub: Hub) -> tuple[int, int, dict[str, str]]:
    """A lead, a member of their chapter with items and introductions, and the ids of what they open."""
    m, i, e, r = t.members, t.items, t.events, t.rsvps
    with hub.engine.connect() as conn:
        lead_id, chapter = conn.execute(
            select(m.c.id, m.c.chapter_id).where(m.c.role == Role.LEAD.value).order_by(m.c.id)
        ).first()  # type: ignore[misc]
        intro = t.introductions
        member_id, intro_public = conn.execute(
            select(m.c.id, intro.c.public_id)
            .join(intro, or_(intro.c.seeker_id == m.c.id, intro.c.helper_id == m.c.id))
            .join(i, and_(i.c.member_id == m.c.id, i.c.status == "open"))
            .where(m.c.chapter_id == chapter, m.c.role == Role.MEMBER.value, m.c.moving_to.is_(None))
            .order_by(m.c.id)
        ).first()  # type: ignore[misc]
        item = conn.execute(select(i.c.public_id).where(i.c.member_id == member_id, i.c.status == "open")).scalar()
        other = conn.execute(
            select(m.c.public_id).where(m.c.chapter_id == chapter, m.c.id.not_in([member_id, lead_id]))
        ).scalar()
        upcoming = conn.execute(
            select(e.c.public_id).where(e.c.chapter_id == chapter, e.c.starts_at > NOW).order_by(e.c.starts_at)
        ).scalar()
        past = conn.execute(
            select(e.c.public_id)
            .join(r, r.c.event_id == e.c.id)
            .where(e.c.chapter_id == chapter, e.c.starts_at < NOW, r.c.member_id == member_id)
            .order_by(e.c.starts_at.desc())
        ).scalar()
        past = past or conn.execute(select(e.c.public_id).where(e.c.starts_at < NOW)).scalar()
    token = members.create_invite(hub, None, chapter, role=Role.MEMBER)
    ids = {
        "item": item, "introduction": intro_public, "other": other, "event": upcoming, "past_event": past,
        "token": token,
    }  # fmt: skip
    assert all(ids.values()), f"the demo lacks something these pages need: {ids}"
    return member_id, lead_id, {k: str(v) for k, v in ids.items()}


def _page(browser: Any, base: str, hub: Hub, member_id: int | None, device: dict[str, Any]) -> tuple[Any, Any]:
    context = browser.new_context(base_url=base, **device)
    if member_id is not None:
        context.add_cookies([{"name": SESSION_COOKIE, "value": sessions.start(hub, member_id), "url": base}])
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
    page.on("console", lambda m: problems.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.problems = problems
    return context, page


def _phone_problems(page: Any) -> list[str]:
    """What goes wrong on a narrow screen: a page that scrolls sideways, a main action too small to tap."""
    found = []
    width, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    if width > inner:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth
                 && !e.closest('.table-wrap, .qr-scroll')).slice(0, 3).map(e => e.tagName + '.' + e.className)"""
        )
        found.append(f"{page.url}: scrolls sideways ({width}px in {inner}px): {wide}")
    small = page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)].filter(e => {
             const r = e.getBoundingClientRect();
             return r.width > 0 && (r.height < %d || r.width < %d);
           }).slice(0, 4).map(e => e.tagName + ' "' + (e.textContent || e.name || '').trim().slice(0, 30) + '" '
             + Math.round(e.getBoundingClientRect().width) + 'x' + Math.round(e.getBoundingClientRect().height))"""
        % (MIN_TAP, MIN_TAP),
        TAP_TARGETS,
    )
    if small:
        found.append(f"{page.url}: tap targets under {MIN_TAP}px: {small}")
    return found


def _sweep(browser: Any, base: str, demo: Demo, device: dict[str, Any], phone: bool) -> tuple[list[str], int]:
    problems: list[str] = []
    checked = 0
    for who, paths in ((None, VISITOR_PAGES), (demo.member, MEMBER_PAGES), (demo.lead, LEAD_PAGES)):
        context, page = _page(browser, base, demo.hub, who, device)
        for path in paths:
            response = page.goto(path.format(**demo.ids))
            assert response is not None and response.ok, f"{path}: {response.status if response else 'no answer'}"
            problems += axe_violations(page, EVERY_IMPACT)
            if phone:
                problems += _phone_problems(page)
            checked += 1
        problems += page.problems
        context.close()
    return problems, checked


def test_every_hub_page_on_a_desktop_has_no_axe_violation(chromium: Any, demo: Demo) -> None:
    with hub_server(demo.hub) as base:
        problems, checked = _sweep(chromium, base, demo, DESKTOP, phone=False)
    assert checked == len(VISITOR_PAGES) + len(MEMBER_PAGES) + len(LEAD_PAGES)
    assert not problems, "\n".join(problems)


def test_every_hub_page_on_a_phone_fits_and_has_no_axe_violation(chromium: Any, demo: Demo) -> None:
    with hub_server(demo.hub) as base:
        problems, checked = _sweep(chromium, base, demo, PHONE, phone=True)
    assert checked == len(VISITOR_PAGES) + len(MEMBER_PAGES) + len(LEAD_PAGES)
    assert not problems, "\n".join(problems)
