"""The one door from the personal app to a chapter hub: its JSON API (`/api/v1/…`), over HTTP(S), with the member's
API token. Everything the personal app sends to a hub goes through `HubClient`, so that what leaves the machine is
visible in one place: only what the user published, item by item, and their answers to the hub's own records
(introductions). Nothing here reads the local database.

Failures are sorted for the sync: `HubUnreachable` (no answer, a timeout, a 5xx: try again later, the local app
goes on) and `HubRefused` (the hub answered no: a revoked token, a closed item, bad input; the message is the hub's).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

from givefirst.errors import GivefirstError, InvalidInputError

TIMEOUT_S = 15.0
USER_AGENT = "givefirst-personal"
MAX_BOARD_PAGES = 40  # 50 items a page: the newest 2,000 of a board are what a daily plan can use


class HubError(GivefirstError):
    """A hub could not do what was asked."""


class HubUnreachable(HubError):
    """The hub did not answer (down, unreachable, timed out, or failing on its side): try again later."""


class HubRefused(HubError):
    """The hub answered and refused: `status` is the HTTP status, the message the hub's own words."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def normalise_url(url: str) -> str:
    """Return a hub's base URL as stored: scheme and host required, no trailing slash, no query or fragment."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInputError(f"{url!r} is not a hub address: give it as https://hub.example.org")
    if parts.query or parts.fragment:
        raise InvalidInputError(f"{url!r}: give the hub's address without ?query or #fragment")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


class HubClient:
    """A member's connection to one hub. `on_request` (for tests and `--verbose`) sees every request before it goes."""

    def __init__(
        self,
        url: str,
        token: str,
        *,
        timeout: float = TIMEOUT_S,
        transport: httpx.BaseTransport | None = None,
        on_request: Callable[[httpx.Request], None] | None = None,
    ) -> None:
        self.url = normalise_url(url)
        hooks: dict[str, list[Callable[..., Any]]] = {"request": [on_request]} if on_request else {}
        self._http = httpx.Client(
            base_url=self.url,
            headers={"authorization": f"Bearer {token}", "user-agent": USER_AGENT, "accept": "application/json"},
            timeout=timeout,
            transport=transport,
            event_hooks=hooks,
            follow_redirects=False,  # a redirect would carry the token elsewhere
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the transport ------------------------------------------------------------------------------------------

    def _call(self, method: str, path: str, *, json: Any = None, params: Mapping[str, Any] | None = None) -> Any:
        try:
            response = self._http.request(method, path, json=json, params=params)
        except httpx.TimeoutException as exc:
            raise HubUnreachable(f"{self.url} did not answer in time ({exc.__class__.__name__})") from exc
        except httpx.TransportError as exc:
            raise HubUnreachable(f"cannot reach {self.url}: {exc}") from exc
        if response.status_code >= 500:
            raise HubUnreachable(f"{self.url} failed on its side ({response.status_code}); try again later")
        if response.status_code >= 300:
            raise HubRefused(self._message(response), response.status_code)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise HubRefused(f"{self.url}{path} did not answer with JSON: is this a givefirst hub?", 502) from exc

    def _message(self, response: httpx.Response) -> str:
        where = f"{self.url} ({response.status_code})"
        if response.status_code == 401:
            return f"{where}: the hub does not accept this token (revoked or mistyped); make a new one on its /me page"
        if 300 <= response.status_code < 400:
            return f"{where}: the hub redirected to {response.headers.get('location', '?')}; give that address instead"
        try:
            body = response.json()
        except ValueError:
            return f"{where}: the hub refused ({response.text[:200].strip() or 'no reason given'})"
        detail = body.get("error") or body.get("detail") if isinstance(body, dict) else None
        return f"{where}: {detail if isinstance(detail, str) else body}"

    # --- who I am -----------------------------------------------------------------------------------------------

    def me(self) -> dict[str, Any]:
        """My profile on the hub: public id, name, chapter (a token check, too)."""
        return dict(self._call("GET", "/api/v1/me"))

    # --- my needs and offers ------------------------------------------------------------------------------------

    def my_items(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/api/v1/items"))

    def publish(self, kind: str, text: str, tags: list[str], location: str | None, visibility: str) -> dict[str, Any]:
        body = {"kind": kind, "text": text, "tags": tags, "location": location, "visibility": visibility}
        return dict(self._call("POST", "/api/v1/items", json=body))

    def edit(self, public_id: str, text: str, tags: list[str], location: str | None, visibility: str) -> dict[str, Any]:
        body = {"text": text, "tags": tags, "location": location, "visibility": visibility}
        return dict(self._call("PUT", f"/api/v1/items/{public_id}", json=body))

    def close_item(self, public_id: str) -> dict[str, Any]:
        return dict(self._call("POST", f"/api/v1/items/{public_id}/close"))

    # --- the board and events -----------------------------------------------------------------------------------

    def board(self, kind: str | None = None, max_pages: int = MAX_BOARD_PAGES) -> Iterator[dict[str, Any]]:
        """Yield the open needs and offers I may see, newest first, page by page."""
        page: int | None = 1
        while page is not None and page <= max_pages:
            params: dict[str, Any] = {"page": page}
            if kind:
                params["kind"] = kind
            found = self._call("GET", "/api/v1/board", params=params)
            yield from found["items"]
            page = found.get("next_page")

    def events(self) -> dict[str, Any]:
        return dict(self._call("GET", "/api/v1/events"))

    def event(self, public_id: str) -> dict[str, Any]:
        return dict(self._call("GET", f"/api/v1/events/{public_id}"))

    def event_sheet(self, public_id: str) -> dict[str, Any]:
        return dict(self._call("GET", f"/api/v1/events/{public_id}/sheet"))

    # --- introductions ------------------------------------------------------------------------------------------

    def introductions(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/api/v1/introductions"))

    def offer_help(self, need_public_id: str, message: str) -> dict[str, Any]:
        """Offer my own help with a need on the board (no offer of anyone else's is named)."""
        return dict(self._call("POST", "/api/v1/introductions", json={"need": need_public_id, "message": message}))

    def answer(self, public_id: str, accept: bool) -> dict[str, Any]:
        return dict(self._call("POST", f"/api/v1/introductions/{public_id}/answer", json={"accept": accept}))

    def outcome(self, public_id: str, outcome: str, note: str = "", thanks_public: bool = False) -> dict[str, Any]:
        body = {"outcome": outcome, "note": note, "thanks_public": thanks_public}
        return dict(self._call("POST", f"/api/v1/introductions/{public_id}/outcome", json=body))
