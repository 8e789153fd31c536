"""`givefirst serve` for a phone: off loopback it prints the sign-in link with this machine's LAN address, and
its QR code; on loopback it prints neither (a phone could not reach the server)."""

from __future__ import annotations

from typing import Any

import pytest

from givefirst.web.lan import lan_address, login_url
from tests.conftest import Cli


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    return calls


def test_serve_on_the_network_prints_the_phone_link_and_its_qr_code(cli: Cli, served: list[dict[str, Any]]) -> None:
    result = cli("serve", "--host", "0.0.0.0", "--port", "8790", "--token", "a-long-enough-token")
    assert result.code == 0, result.err
    link = f"http://{lan_address('0.0.0.0')}:8790/live?token=a-long-enough-token"
    assert f"On your phone (same network): scan this, or open {link}" in result.out
    assert "▀" in result.out and "█" in result.out  # the QR code, drawn with half blocks
    assert served and served[0]["host"] == "0.0.0.0"


def test_serve_on_loopback_prints_no_phone_link(cli: Cli, served: list[dict[str, Any]]) -> None:
    result = cli("serve")
    assert result.code == 0 and "On your phone" not in result.out and "█" not in result.out


def test_the_login_link_names_the_bound_address_or_this_machines() -> None:
    assert login_url("192.168.1.20", 8765, "tok-tok-tok-tok") == "http://192.168.1.20:8765/live?token=tok-tok-tok-tok"
    assert login_url("fd00::5", 80, "t" * 12) == f"http://[fd00::5]:80/live?token={'t' * 12}"
    assert login_url("127.0.0.1", 8765, "t" * 12) is None and login_url("0.0.0.0", 8765, None) is None
    assert lan_address("10.0.0.7") == "10.0.0.7" and lan_address("0.0.0.0").count(".") == 3
