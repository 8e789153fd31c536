"""Helpers for the hub client's tests: joining through the real CLI, a transport that cuts a sync, a closed port,
and a second hub served with a request recorder on the server's side (ASGI middleware)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from givefirst.hub.services.context import Hub, connect
from tests.conftest import NOW, Cli
from tests.hub import factory
from tests.hub.server import hub_server
from tests.hub_client.conftest import ChapterHub
from tests.web.server import free_port

TOKEN_ENV = "GIVEFIRST_TEST_HUB_TOKEN"


def join(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, url: str, token: str, name: str = "ny", env: str = TOKEN_ENV
) -> str:
    """Join the hub at `url` through the real entry point, the token in an environment variable; return the output."""
    monkeypatch.setenv(env, token)
    done = cli("hub", "join", url, "--name", name, "--token-env", env)
    assert done.code == 0, done.err
    return done.out


def hub_items(chapter_hub: ChapterHub | str, token: str, url: str | None = None) -> list[dict[str, Any]]:
    """The member's own items as the hub holds them (read straight from its API)."""
    from givefirst.services.hub_client import HubClient

    base = chapter_hub.url if isinstance(chapter_hub, ChapterHub) else chapter_hub
    with HubClient(url or base, token) as client:
        return client.my_items()


def closed_port_url() -> str:
    """An address where nothing listens: a hub that is down."""
    return f"http://127.0.0.1:{free_port()}"


class CuttingTransport(httpx.BaseTransport):
    """The real network, cut after `allowed` requests: request number `allowed + 1` reaches the server, but its
    answer is lost (as when a connection drops after the POST landed); every later one fails to connect."""

    def __init__(self, allowed: int) -> None:
        self.allowed = allowed
        self.count = 0
        self._real = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        if self.count <= self.allowed:
            return self._real.handle_request(request)
        if self.count == self.allowed + 1:
            response = self._real.handle_request(request)
            response.read()
            raise httpx.ReadError("connection dropped before the answer arrived", request=request)
        raise httpx.ConnectError("network is down", request=request)

    def close(self) -> None:
        self._real.close()


@dataclass
class Recorded:
    method: str
    path: str
    query: str
    body: str


@dataclass
class RecordingHub:
    hub: Hub
    url: str
    chapter_id: int
    seen: list[Recorded] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)


def _recorder(app: Any, seen: list[Recorded]) -> Any:
    """Pure ASGI middleware: note each HTTP request's method, path, query and whole body, then pass it on."""

    async def middleware(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        seen.append(Recorded(scope["method"], scope["path"], scope.get("query_string", b"").decode(), body.decode()))
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await app(scope, replay, send)

    return middleware


@contextmanager
def recording_hub(tmp_path: Path, members: tuple[str, ...] = ("Dana Member", "Sam Seeker")) -> Iterator[RecordingHub]:
    """A hub on loopback whose server records every request it receives."""
    from givefirst.hub.services import api_tokens

    hub = connect(str(tmp_path / "recorded-hub.db"), clock=lambda: NOW)
    chapter_id = factory.chapter(hub, "New York", "New York, NY")
    seen: list[Recorded] = []
    with hub_server(hub, lambda app: _recorder(app, seen)) as url:
        found = RecordingHub(hub, url, chapter_id, seen)
        for name in members:
            member_id = factory.member(hub, chapter_id, name)
            found.tokens[name] = api_tokens.create(hub, member_id, "givefirst on my laptop")
        yield found
    hub.engine.dispose()
