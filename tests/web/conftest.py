"""Fixtures for the web app: the app in-process on the test database, a seeded network, the CSRF token."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from givefirst.config import Settings
from givefirst.domain.model import ExchangeDirection, ExchangeStatus, InteractionKind
from givefirst.services.activity import log_interaction
from givefirst.services.context import App, open_app
from givefirst.services.ledger import record
from givefirst.services.needs import add_item
from givefirst.services.people import PersonInput, add_person, set_me
from givefirst.web import create_app
from tests.conftest import NOW

XSS_NAME = "<script>alert(1)</script>"
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


@dataclass
class Seeded:
    ana: int
    ben: int
    cy: int
    xss: int
    need: int
    offer: int


def seed(app: App) -> Seeded:
    """A small network with something on every page: people, touches, a promise due, a need and an offer."""
    set_me(app, PersonInput(name="Jordan Reyes", emails=["jordan@reyes.example"], location="Brooklyn, NY"))
    ana = add_person(app, PersonInput(name="Ana Ruiz", emails=["ana@ruiz.example"], location="Tampa, FL",
                                      organization="Harbor Health", tags=["aop-fl"]))  # fmt: skip
    ben = add_person(app, PersonInput(name="Ben Ortiz", emails=["ben@ortiz.example"], organization="Acme",
                                      location="Tampa, FL", tags=["aop-fl", "hiring"]))  # fmt: skip
    cy = add_person(app, PersonInput(name="Cy Young", location="Brooklyn, NY"))
    xss = add_person(app, PersonInput(name=XSS_NAME, notes='<img src=x onerror="alert(2)">', tags=["x<b>y"]))
    for pid, days in ((ana, 200), (ben, 40), (cy, 700), (xss, 100)):
        for n in range(3):
            log_interaction(app, [f"#{pid}"], kind=InteractionKind.MEETING, summary=f"coffee {n}",
                            at=NOW - timedelta(days=days + 30 * n))  # fmt: skip
    record(app, f"#{ana}", ExchangeDirection.GAVE, "Send Ana the hiring checklist", status=ExchangeStatus.PROMISED,
           requested=True, at=NOW - timedelta(days=10), due_on=(NOW - timedelta(days=2)).date())  # fmt: skip
    need = add_item(app, "need", f"#{ana}", "Looking for a data engineering role in Tampa", tags=["jobs"])
    offer = add_item(app, "offer", f"#{ben}", "My team in Tampa is hiring data engineers", tags=["jobs"])
    return Seeded(ana, ben, cy, xss, need, offer)


@pytest.fixture
def seeded(app: App) -> Seeded:
    return seed(app)


@pytest.fixture
def web(app: App) -> Iterator[TestClient]:
    """The web app on the test database (clock fixed at NOW), as a browser on 127.0.0.1 would reach it."""
    settings = Settings(database=app.settings.database, today=NOW.date())
    with TestClient(create_app(settings, now=NOW), base_url="http://127.0.0.1") as client:
        yield client


def csrf(client: TestClient) -> str:
    """Return the session's CSRF token, as a page carries it (and start the session if needed)."""
    found = CSRF.search(client.get("/today").text)
    assert found, "the page carries no CSRF token"
    return found.group(1)


def same_database(app: App) -> App:
    """A second App on the same database, as the CLI in another process would open it."""
    return open_app(Settings(database=app.settings.database, today=NOW.date()), now=NOW)
