"""What the hub client's tests share: a personal app joined to the loopback hub (a link made with add_link)."""

from __future__ import annotations

import pytest

from givefirst.services.context import App
from givefirst.services.hub_client import HubClient
from givefirst.store.hub_links import HubLink, add_link, link_by_name
from tests.conftest import NOW
from tests.hub_client.conftest import ChapterHub

TOKEN_ENV = "GIVEFIRST_TEST_HUB_TOKEN"


def join(app: App, hub: ChapterHub, monkeypatch: pytest.MonkeyPatch, member: str = "Dana Member") -> HubLink:
    """Link the personal app to the hub as `member`, their token in an environment variable (as `hub join` does)."""
    monkeypatch.setenv(TOKEN_ENV, hub.token(member))
    with HubClient(hub.url, hub.token(member)) as client:
        me = client.me()
    with app.begin() as conn:
        add_link(conn, name="ny", url=hub.url, secret={"password_env": TOKEN_ENV}, association="Givers",
                 member_public_id=str(me["id"]), member_name=str(me["name"]), chapter="New York",
                 now=NOW)  # fmt: skip
        found = link_by_name(conn, "ny")
    assert found is not None
    return found


def pull_now(app: App, hub: ChapterHub, link: HubLink, member: str = "Dana Member") -> list[str]:
    from givefirst.services.hub_pull import pull

    with HubClient(hub.url, hub.token(member)) as client:
        return pull(app, link, client)
