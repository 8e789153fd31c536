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
from sqlalchemy import exists, or_, select

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
VISITOR_PAGES = ("/login", "/join/{token}", "/join/not-a-link", "/no-such-page")
# Pages that answer with an error on purpose: their error page is checked like any other.
STATUS = {"/join/not-a-link": 400, "/no-such-page": 404}
MEMBER_PAGES = (
    "/board", "/board?kind=need", "/me", "/me/items", "/me/items/{item}", "/help", "/introductions",
    "/introductions/{introduction}", "/events", "/events/{event}", "/events/{past_event}", "/events/{event}/sheet",
    "/members", "/members/{other}", "/moving",
)  # fmt: skip
WAITER_PAGES = ("/introductions/{waiting}",)
LEAD_PAGES = (
    "/lead", "/lead/invites", "/lead/audit", "/events", "/events/{event}", "/events/{event}/door",
    "/events/{event}/room", "/events/{event}/sheet", "/members", "/members/{other}", "/me",
)  # fmt: skip
EVERY_IMPACT = ("minor", "moderate", "serious", "critical")  # the hub has no excuse for any
# What a page must show for the sweep to have checked it (the demo's data decides which parts a page has).
SHOWS = {
    "/introductions/{introduction}": "How did it go?", "/introductions/{waiting}": "Accept",
    "/events/{event}": "Your check-in code", "/events/{event}/door": "Scanned or typed code",
    "/help": "Two members you could introduce", "/lead": "Members going quiet", "/no-such-page": "Not found",
    "/join/not-a-link": "This link does not work",
}  # fmt: skip
MIN_TAP = 44  # px: WCAG 2.5.5's target size, what a thumb hits without hitting its neighbour
# The main actions of a page: its buttons, the links styled as buttons, the nav, the form fields.
TAP_TARGETS = "main button, main .button, main input:not([type=hidden]):not([type=radio]):not([type=checkbox]), " \
    "main select, main textarea, header.top a, main summary, label.check, .pager a"  # fmt: skip


@dataclass(frozen=True)
class Demo:
    hub: Hub
    member: int
    lead: int
    waiter: int
    ids: dict[str, str]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    database = str(tmp_path_factory.mktemp("hub-a11y") / "hub.db")
    prepare_demo_database(database)
    hub = connect(database, clock=lambda: NOW)
    build_demo(hub)
    yield Demo(hub, *_people_and_ids(hub))
    hub.engine.dispose()


def _people_and_ids(hub: Hub) -> tuple[int, int, int, dict[str, str]]:
    """A member with items and introductions, a lead of their chapter, a member asked to answer an introduction,
    and the ids of what they open."""
    m, i, e, r = t.members, t.items, t.events, t.rsvps
    with hub.engine.connect() as conn:
        lead_id, chapter = conn.execute(
            select(m.c.id, m.c.chapter_id).where(m.c.role == Role.LEAD.value).order_by(m.c.id)
        ).first()  # type: ignore[misc]
        intro = t.introductions
        # A member with an introduction connected: its outcome form and contact details show.
        member_id, intro_public = conn.execute(
            select(m.c.id, intro.c.public_id)
            .join(intro, or_(intro.c.seeker_id == m.c.id, intro.c.helper_id == m.c.id))
            .where(m.c.chapter_id == chapter, m.c.role == Role.MEMBER.value, intro.c.connected_at.is_not(None))
            .where(intro.c.outcome.is_(None), exists().where(i.c.member_id == m.c.id, i.c.status == "open"))
            .order_by(m.c.id)
        ).first()  # type: ignore[misc]
        # And one waiting for the answer of the member with the need: its accept and decline buttons show.
        waiter, waiting = conn.execute(
            select(intro.c.seeker_id, intro.c.public_id)
            .where(intro.c.seeker_answer == "pending", intro.c.helper_answer != "declined")
            .order_by(intro.c.id)
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
        "item": item, "introduction": intro_public, "waiting": waiting, "other": other, "event": upcoming,
        "past_event": past, "token": token,
    }  # fmt: skip
    assert all(ids.values()), f"the demo lacks something these pages need: {ids}"
    return member_id, lead_id, waiter, {k: str(v) for k, v in ids.items()}


def _unexpected(url: str, message: Any) -> bool:
    """A console error, other than the browser noting the status of an error page asked for on purpose."""
    on_purpose = any(url.endswith(path) for path in STATUS) and message.text.startswith("Failed to load resource")
    return bool(message.type == "error" and not on_purpose)


def _page(browser: Any, base: str, hub: Hub, member_id: int | None, device: dict[str, Any]) -> tuple[Any, Any]:
    context = browser.new_context(base_url=base, **device)
    if member_id is not None:
        context.add_cookies([{"name": SESSION_COOKIE, "value": sessions.start(hub, member_id), "url": base}])
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
    page.on("console", lambda m: problems.append(f"{page.url}: {m.text}") if _unexpected(page.url, m) else None)
    page.problems = problems
    return context, page


PHONE_WIDTH = 390  # PHONE's viewport width

# The elements past the right edge of the phone, outside the boxes that scroll on their own (tables, charts).
TOO_WIDE = """(limit) => [...document.querySelectorAll('main *, header *')]
    .filter(e => e.getBoundingClientRect().right > limit && !e.closest('.table-wrap, .chart'))
    .slice(0, 3).map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""
# The main actions smaller than `min` pixels either way.
TOO_SMALL = """([sel, min]) => [...document.querySelectorAll(sel)].filter(e => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && (r.height < min || r.width < min);
    }).slice(0, 4).map(e => { const r = e.getBoundingClientRect(), name = (e.textContent || e.name || '').trim();
      return `${e.tagName} "${name.slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`; })"""


def _phone_problems(page: Any) -> list[str]:
    """What goes wrong on a narrow screen: a page that scrolls sideways, a main action too small to tap."""
    found = []
    # A phone browser widens its layout viewport to the widest content (innerWidth grows with it), so the page
    # is held to the phone's own width as well as to innerWidth.
    width, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    if width > min(inner, PHONE_WIDTH):
        wide = page.evaluate(TOO_WIDE, PHONE_WIDTH)
        found.append(f"{page.url}: scrolls sideways ({width}px in {min(inner, PHONE_WIDTH)}px): {wide}")
    small = page.evaluate(TOO_SMALL, [TAP_TARGETS, MIN_TAP])
    if small:
        found.append(f"{page.url}: tap targets under {MIN_TAP}px: {small}")
    return found


def _sweep(browser: Any, base: str, demo: Demo, device: dict[str, Any], phone: bool) -> tuple[list[str], int]:
    problems: list[str] = []
    checked = 0
    people = (None, VISITOR_PAGES), (demo.member, MEMBER_PAGES), (demo.waiter, WAITER_PAGES), (demo.lead, LEAD_PAGES)
    for who, paths in people:
        context, page = _page(browser, base, demo.hub, who, device)
        for path in paths:
            response = page.goto(path.format(**demo.ids))
            assert response is not None and response.status == STATUS.get(path, 200), f"{path}: {response}"
            assert SHOWS.get(path, "") in page.inner_text("main"), f"{path} lacks {SHOWS[path]!r}"
            if page.locator("details:not([open]) > summary").count():
                page.locator("details:not([open]) > summary").first.click()  # what it hides is checked open
            problems += axe_violations(page, EVERY_IMPACT)
            if phone:
                problems += _phone_problems(page)
            checked += 1
        problems += page.problems
        context.close()
    return problems, checked


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_hub_page_on_a_desktop_has_no_axe_violation(chromium: Any, demo: Demo, scheme: str) -> None:
    with hub_server(demo.hub) as base:
        problems, checked = _sweep(chromium, base, demo, {**DESKTOP, "color_scheme": scheme}, phone=False)
    assert checked == len(VISITOR_PAGES) + len(MEMBER_PAGES) + len(WAITER_PAGES) + len(LEAD_PAGES)
    assert not problems, "\n".join(problems)


def test_every_hub_page_on_a_phone_fits_and_has_no_axe_violation(chromium: Any, demo: Demo) -> None:
    assert PHONE["viewport"] == {"width": PHONE_WIDTH, "height": 844}
    with hub_server(demo.hub) as base:
        problems, checked = _sweep(chromium, base, demo, PHONE, phone=True)
    assert checked == len(VISITOR_PAGES) + len(MEMBER_PAGES) + len(WAITER_PAGES) + len(LEAD_PAGES)
    assert not problems, "\n".join(problems)


def test_the_phone_checks_find_what_they_are_asked_to_find(chromium: Any, demo: Demo) -> None:
    """The checks can fail: a page made wider than the phone, and a small button, are both reported."""
    with hub_server(demo.hub) as base:
        context, page = _page(chromium, base, demo.hub, demo.member, PHONE)
        page.goto("/board")
        assert _phone_problems(page) == []
        page.evaluate(
            """() => { const b = document.createElement('button'); b.textContent = 'tiny';
                       b.style.minHeight = '0'; b.style.padding = '0'; document.querySelector('main').append(b);
                       const w = document.createElement('div'); w.style.width = '600px'; w.textContent = 'wide';
                       document.querySelector('main').append(w); }"""
        )
        found = " ".join(_phone_problems(page))
        context.close()
    assert "scrolls sideways" in found and 'BUTTON "tiny"' in found, found
