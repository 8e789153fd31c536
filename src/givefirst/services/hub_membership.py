"""Joining and leaving chapter hubs, and what the app knows of each (`givefirst hub join|leave|status`).

The API token is never stored here: a link keeps only its *place* (an environment variable, a command printing it,
or the system keyring), as live sources keep their passwords (services/credentials.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.services import credentials
from givefirst.services.context import App
from givefirst.services.hub_client import HubClient, HubError, HubRefused, HubUnreachable, normalise_url
from givefirst.store import hub_links as links_store
from givefirst.store import hub_published as published_store
from givefirst.store.hub_links import HubLink

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")

# How clients are made: tests (and a future --verbose) pass a transport or an `on_request` hook through
# `client_options`, so that the real entry point records or cuts every request too.
_options: dict[str, Any] = {}


@contextmanager
def client_options(
    *, transport: httpx.BaseTransport | None = None, on_request: Callable[[httpx.Request], None] | None = None,
    timeout: float | None = None,
) -> Iterator[None]:  # fmt: skip
    """Make every HubClient opened inside the block use these options."""
    saved = dict(_options)
    _options.update({k: v for k, v in {"transport": transport, "on_request": on_request, "timeout": timeout}.items()
                     if v is not None})  # fmt: skip
    try:
        yield
    finally:
        _options.clear()
        _options.update(saved)


def source_name(name: str) -> str:
    """The name a hub's token goes by in credentials' messages and in the keyring ("hub NAME")."""
    return f"hub {name}"


def token_place(token_env: str | None, token_command: str | None, keyring: bool) -> dict[str, Any]:
    """Return the link's `secret` config from the command line's choice (exactly one is required)."""
    config: dict[str, Any] = {}
    if token_env:
        config["password_env"] = token_env
    if token_command:
        config["password_command"] = token_command
    if keyring:
        config["keyring"] = True
    given = [k for k in credentials.WAYS if config.get(k)]
    if len(given) != 1:
        raise InvalidInputError(
            "say where the hub's API token is, one way: --token-env VAR, --token-command 'pass show hub' or --keyring "
            "(make a token on the hub's /me page)"
        )
    credentials.check_way(config, required=True)
    return config


def _secret(name: str, config: dict[str, Any]) -> str | None:
    """credentials.secret, its messages naming a hub rather than a source."""
    try:
        return credentials.secret(source_name(name), config)
    except credentials.CredentialError as exc:
        raise credentials.CredentialError(str(exc).replace(f"source {source_name(name)}", f"hub {name}", 1)) from None


def token_of(link: HubLink) -> str:
    found = _secret(link.name, link.secret)
    if not found:
        raise credentials.CredentialError(f"hub {link.name}: no place for its API token is recorded; join it again")
    return found


def open_client(link: HubLink, *, timeout: float | None = None) -> HubClient:
    """Open a client on a joined hub, its token read from where the link says."""
    options = dict(_options)
    if timeout is not None and "timeout" not in options:
        options["timeout"] = timeout
    return HubClient(link.url, token_of(link), **options)


def default_name(url: str) -> str:
    host = urlsplit(url).hostname or "hub"
    return host.removeprefix("www.")


def join(
    app: App, url: str, *, name: str | None = None, secret: dict[str, Any], keyring_token: str | None = None
) -> HubLink:
    """Check the member's token against the hub (`/api/v1/me`) and remember the hub; return the link.

    `keyring_token` is the token typed once for `--keyring`: kept in the system keyring once the hub accepted it.
    """
    base = normalise_url(url)
    name = (name or default_name(base)).strip()
    if not NAME.fullmatch(name):
        raise InvalidInputError(f"--name {name!r}: use letters, digits, dots, dashes and underscores (up to 100)")
    with app.begin() as conn:
        joined = links_store.link_by_url(conn, base)
        if joined is not None:
            raise InvalidInputError(f"{base} is already joined, as {joined.name!r}; to join again: "
                                    f"givefirst hub leave {joined.name}, then join")  # fmt: skip
        if links_store.link_by_name(conn, name) is not None:
            raise InvalidInputError(f"a hub is already joined under the name {name!r}: give another with --name")
    token = keyring_token if secret.get("keyring") else _secret(name, secret)
    if not token:
        raise InvalidInputError("the API token is empty: copy it from the hub's /me page")
    options = dict(_options)
    try:
        with HubClient(base, token, **options) as client:
            me = client.me()
    except HubUnreachable as exc:
        raise HubError(f"{exc}. Check the address and that the hub is running, then join again.") from None
    except HubRefused as exc:
        if exc.status == 404:
            raise HubError(f"{base} has no /api/v1/me: is it a givefirst hub? Give the hub's own address.") from None
        raise HubError(str(exc)) from None
    if secret.get("keyring"):
        credentials.store_in_keyring(source_name(name), secret, token)
    with app.begin() as conn:
        hub_id = links_store.add_link(
            conn, name=name, url=base, secret=secret, association=str(me.get("association") or ""),
            member_public_id=str(me.get("id") or ""), member_name=str(me.get("name") or ""),
            chapter=str(me.get("chapter") or ""), now=app.now,
        )  # fmt: skip
        found = links_store.link_by_name(conn, name)
    assert found is not None and found.id == hub_id
    return found


def link_named(app: App, name: str) -> HubLink:
    with app.begin() as conn:
        found = links_store.link_by_name(conn, name)
        names = [link.name for link in links_store.all_links(conn)] if found is None else []
    if found is None:
        joined = f"joined: {', '.join(names)}" if names else "no hub is joined (givefirst hub join URL)"
        raise NotFoundError(f"no joined hub is named {name!r} ({joined})")
    return found


@dataclass(frozen=True)
class Left:
    name: str
    withdrawn: int  # items closed on the hub
    left_on_hub: int  # published items that stay on the hub (--keep-published or --offline)


def leave(app: App, name: str, *, keep_published: bool = False, offline: bool = False) -> Left:
    """Withdraw the user's published items from the hub (unless `keep_published`), then forget the hub here."""
    link = link_named(app, name)
    with app.begin() as conn:
        live = [p for p in published_store.of_hub(conn, link.id) if p.state != "closed"]
    withdrawn = 0
    if live and not keep_published and not offline:
        try:
            with open_client(link) as client:
                mine = {str(i["id"]): i for i in client.my_items()}
                for row in live:
                    ids = [row.public_id] if row.public_id else _unsent_matches(app, row, mine)
                    for public_id in ids:
                        if mine.get(public_id, {}).get("status") == "open":
                            client.close_item(public_id)
                            withdrawn += 1
        except (HubUnreachable, credentials.CredentialError) as exc:
            raise HubError(
                f"{exc}. Your {len(live)} published item(s) could not be withdrawn: leave when it answers, or "
                f"`givefirst hub leave {name} --offline` to forget it here only (the items stay on the hub)"
            ) from None
    with app.begin() as conn:
        links_store.remove_link(conn, link.id)
    credentials.forget(source_name(name), link.secret)
    return Left(name, withdrawn, len(live) if keep_published or offline else 0)


def _unsent_matches(app: App, row: published_store.Published, mine: dict[str, dict[str, Any]]) -> list[str]:
    """A `new` row may have reached the hub before a cut: find it there by kind and text."""
    from givefirst.store import needs as needs_store

    with app.begin() as conn:
        item = needs_store.item_row(conn, row.kind, row.item_id)
    if item is None:
        return []
    texts = {str(item.text), *([str(row.sent.get("text"))] if row.sent else [])}  # as sent before a cut, too
    return [pid for pid, i in mine.items() if i.get("kind") == row.kind and i.get("text") in texts]


def status(app: App) -> list[dict[str, Any]]:
    """Return each joined hub as the status page and `hub status --json` show it."""
    from givefirst.store import needs as needs_store

    out: list[dict[str, Any]] = []
    with app.begin() as conn:
        for link in links_store.all_links(conn):
            published = []
            for row in published_store.of_hub(conn, link.id):
                item = needs_store.item_row(conn, row.kind, row.item_id)
                published.append({
                    "kind": row.kind, "id": row.item_id, "text": item.text if item is not None else None,
                    "public_id": row.public_id, "visibility": row.visibility, "state": row.state,
                })  # fmt: skip
            out.append({
                "name": link.name, "url": link.url, "association": link.association, "member": link.member_name,
                "member_id": link.member_public_id, "chapter": link.chapter, "joined_at": link.joined_at.isoformat(),
                "last_sync_at": link.last_sync_at.isoformat() if link.last_sync_at else None,
                "last_error": link.last_error, "published": published,
                "pulled": published_store.pulled_counts(conn, link.id),
                "reports": [{"at": at.isoformat(), "kind": kind, "message": message}
                            for at, kind, message in links_store.reports(conn, link.id, 10)],
            })  # fmt: skip
    return out
