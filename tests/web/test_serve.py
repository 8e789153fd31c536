"""`givefirst serve`: what it builds and prints before handing the app to uvicorn (which is not started here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Cli


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    return calls


def test_serve_demo_builds_the_demo_in_its_own_file_and_serves_it(
    cli: Cli, served: list[dict[str, Any]], tmp_path: Path
) -> None:
    demo = tmp_path / "demo.db"
    result = cli("serve", "--demo", "--port", "8799", db=str(demo))
    assert result.code == 0, result.err
    assert "Demo network built" in result.out and "http://127.0.0.1:8799/today" in result.out
    assert demo.exists()
    (call,) = served
    assert (call["host"], call["port"]) == ("127.0.0.1", 8799)
    with TestClient(call["app"], base_url="http://127.0.0.1") as client:
        assert client.get("/people.json").json()["total"] > 100


def test_serve_with_an_automatic_token_prints_it_and_requires_it(cli: Cli, served: list[dict[str, Any]]) -> None:
    result = cli("serve", "--host", "0.0.0.0", "--token", "auto")
    assert result.code == 0, result.err
    token = result.out.split("Access token: ")[1].split()[0]
    assert len(token) >= 12 and f"?token={token}" in result.out
    (call,) = served
    assert call["host"] == "0.0.0.0"
    with TestClient(call["app"], base_url="http://192.168.1.9:8765") as client:
        assert client.get("/today.json").status_code == 401
        assert client.get("/today.json", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_serve_refuses_a_demo_over_a_real_database(cli: Cli, served: list[dict[str, Any]], db_url: str) -> None:
    cli("add", "Ana Ruiz")
    result = cli("serve", "--demo")
    refusal = "SQLite file" if "://" in db_url else "not a demo database"  # the demo is a file, never a server's
    assert result.code != 0 and refusal in result.err and not served
