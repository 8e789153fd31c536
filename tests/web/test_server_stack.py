"""uvicorn's compiled HTTP parser (httptools) and event loop (uvloop) are installed, and both servers use them.

Without them uvicorn parses every request in pure Python (h11) on asyncio's loop: 0.12-0.2 ms more CPU a request,
13-15 % of a cached hub page (docs/benchmarks.md, hub, "Compiled HTTP parser and loop"). uvicorn picks them only
through `auto`, so neither `givefirst serve` nor `givefirst hub serve` may name h11 or asyncio.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    # `hub serve` hands its workers the database and hosts through the environment: restored after the test
    monkeypatch.setenv("GIVEFIRST_HUB_DATABASE_URL", "")
    monkeypatch.setenv("GIVEFIRST_HUB_ALLOWED_HOSTS", "")
    return calls


def test_uvicorn_auto_picks_httptools_and_uvloop() -> None:
    import uvicorn
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    config = uvicorn.Config("givefirst.hub.web.asgi:app")  # what both commands leave to uvicorn: http/loop "auto"
    assert (config.http, config.loop) == ("auto", "auto")
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    assert AutoHTTPProtocol is HttpToolsProtocol
    factory = config.get_loop_factory()
    assert factory is not None
    loop = factory()
    try:
        expected = "asyncio" if sys.platform == "win32" else "uvloop"  # uvloop has no Windows build
        assert type(loop).__module__.split(".")[0] == expected
        assert isinstance(loop, asyncio.AbstractEventLoop)
    finally:
        loop.close()


def _leaves_it_to_uvicorn(call: dict[str, Any]) -> None:
    assert call.get("http", "auto") == "auto" and call.get("loop", "auto") == "auto"


def test_givefirst_serve_leaves_the_parser_and_loop_to_uvicorn(cli: Cli, served: list[dict[str, Any]]) -> None:
    result = cli("serve", "--port", "8799", "--no-sync")
    assert result.code == 0, result.err
    (call,) = served
    _leaves_it_to_uvicorn(call)


def test_hub_serve_leaves_the_parser_and_loop_to_uvicorn(
    cli: Cli, served: list[dict[str, Any]], tmp_path: Path
) -> None:
    result = cli("hub", "serve", "--db", f"sqlite:///{tmp_path / 'hub.db'}", "--port", "8798")
    assert result.code == 0, result.err
    (call,) = served
    assert call["app"] == "givefirst.hub.web.asgi:app"
    _leaves_it_to_uvicorn(call)
