"""Reaching the server from a phone on the same network: the address to give it and the login link.

Which of this machine's addresses the phone can reach is the one the system would use to talk to the local
network; asking a UDP socket to "connect" finds it without sending a single packet (no network is used).
"""

from __future__ import annotations

import socket

from givefirst.web.security import is_loopback

WILDCARDS = ("0.0.0.0", "::", "")


def lan_address(bind_host: str) -> str:
    """Return the address a phone should use: the bound one, or this machine's LAN address for 0.0.0.0 / ::."""
    if bind_host not in WILDCARDS:
        return bind_host
    family = socket.AF_INET6 if bind_host == "::" else socket.AF_INET
    probe = "fd00::1" if family == socket.AF_INET6 else "10.255.255.255"  # private: routed locally, never sent
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as s:
            s.connect((probe, 9))
            found = str(s.getsockname()[0])
    except OSError:
        return "127.0.0.1"
    return found


def login_url(bind_host: str, port: int, token: str | None, path: str = "/live") -> str | None:
    """Return the link that signs a phone in (the token is traded for a session and dropped from the address),
    None when the server only listens on this machine (a phone cannot reach it)."""
    if is_loopback(bind_host) or token is None:
        return None
    address = lan_address(bind_host)
    shown = f"[{address}]" if ":" in address else address
    return f"http://{shown}:{port}{path}?token={token}"
