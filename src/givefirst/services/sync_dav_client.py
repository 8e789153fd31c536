"""The WebDAV conversation of CardDAV and CalDAV sources, over the `caldav` library's DAVClient.

caldav speaks CalDAV well but knows little of address books, so both kinds go through the same few requests,
the request bodies built with caldav's XML elements (three CardDAV ones added here):

- which collections a URL holds: PROPFIND resourcetype (the URL itself, its children, or the user's home set);
- what changed: REPORT sync-collection with the last sync token (RFC 6578), or, when the server has no tokens
  or forgot ours, PROPFIND getetag of every member, compared with the ETags kept from the last sync;
- the changed items: REPORT addressbook-multiget / calendar-multiget, a hundred at a time;
- a push: PUT with If-Match, so that a card changed on the server meanwhile is never overwritten.

A server that asked for Basic authentication once gets the credentials with the first request of the next
sync (`basic_first`), not after a refusal: each sync would otherwise begin with a round trip that answers 401,
and a server may make that slow on purpose (Radicale waits about a second before every refusal, which was
nearly all of a sync with nothing new: 1.2 s against 40 ms for the REPORT itself).

Every failure to talk to the server (refused, timed out, cut off, an answer that is not WebDAV) becomes a
SourceUnreachableError: the sync using it writes nothing and the next one starts from where the last finished.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import quote, unquote, urljoin, urlsplit

from caldav.davclient import DAVClient
from caldav.elements import cdav, dav
from caldav.elements.base import BaseElement
from caldav.lib import error as dav_error
from lxml import etree
from requests.auth import HTTPBasicAuth

from givefirst.errors import GivefirstError

CARDDAV = "urn:ietf:params:xml:ns:carddav"
BATCH = 100  # hrefs per multiget: one request for a typical change, bounded bodies for a first sync
TIMEOUT = 30
_SAFE = "/@:+~!$&'()*,;="  # what stays unquoted in an href sent back to the server


class SourceUnreachableError(GivefirstError):
    """The server could not be reached or did not answer as a WebDAV server; nothing was written."""


class PreconditionFailedError(GivefirstError):
    """A PUT with If-Match found the item changed on the server since it was fetched."""


class _AddressbookMultiget(BaseElement):
    tag: ClassVar[str] = f"{{{CARDDAV}}}addressbook-multiget"


class _AddressData(BaseElement):
    tag: ClassVar[str] = f"{{{CARDDAV}}}address-data"


class _AddressbookHomeSet(BaseElement):
    tag: ClassVar[str] = f"{{{CARDDAV}}}addressbook-home-set"


@dataclass(frozen=True)
class Kind:
    """What differs between address books and calendars on the wire."""

    resourcetype: str  # the tag a collection of this kind carries in its resourcetype
    home_set: type[BaseElement]
    multiget: type[BaseElement]
    data: type[BaseElement]
    content_type: str


ADDRESSBOOK = Kind(f"{{{CARDDAV}}}addressbook", _AddressbookHomeSet, _AddressbookMultiget, _AddressData,
                   "text/vcard; charset=utf-8")  # fmt: skip
CALENDAR = Kind(cdav.Calendar.tag, cdav.CalendarHomeSet, cdav.CalendarMultiGet, cdav.CalendarData,
                "text/calendar; charset=utf-8")  # fmt: skip


@dataclass
class Changes:
    """What changed in a collection since the token: {href: ETag} changed or new, hrefs deleted."""

    token: str | None
    changed: dict[str, str | None] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    listing: bool = False  # a full listing (no usable token): members not in `changed` are gone


def path_of(href: str) -> str:
    """Return an href as a plain path, so that "/a%40b.vcf" and "http://host/a@b.vcf" compare equal."""
    return unquote(urlsplit(href).path)


class DavConnection:
    """One server, with the user's credentials (given by the caller, never stored here)."""

    def __init__(self, url: str, username: str | None, password: str | None, timeout: int = TIMEOUT,
                 *, basic_first: bool = False) -> None:  # fmt: skip
        """`basic_first`: send Basic credentials with the first request (the server asked for Basic before)."""
        self.url = url if url.endswith("/") else url + "/"
        first = HTTPBasicAuth(username, password) if basic_first and username and password else None
        try:
            self.client = DAVClient(url=self.url, username=username or None, password=password or None,
                                    timeout=timeout, auth=first)  # fmt: skip
        except Exception as exc:  # caldav validates the URL here
            raise SourceUnreachableError(f"{url}: not a usable server address ({_short(exc)})") from None
        self._sent_first = first is not None

    @property
    def basic_auth(self) -> bool:
        """Whether the server takes Basic credentials (it asked for them, or took them sent first)."""
        return isinstance(self.client.auth, HTTPBasicAuth)

    # --- one request ---------------------------------------------------------------------------------------
    def _request(self, method: str, url: str, body: BaseElement | str = "", headers: dict[str, str] | None = None
                 ) -> Any:  # fmt: skip
        text = body if isinstance(body, str) else etree.tostring(body.xmlelement(), encoding="unicode")
        try:
            response = self.client.request(url, method, text, {"Content-Type": "application/xml; charset=utf-8",
                                                               **(headers or {})})  # fmt: skip
        except dav_error.AuthorizationError as exc:
            if self._sent_first and not str(exc.reason).strip().lower().startswith("forbidden"):
                # Basic sent first and refused: ask the server how it wants them now (it may have changed).
                self._sent_first, self.client.auth = False, None
                return self._request(method, url, body, headers)
            # caldav 1.x raises this for 401 and 403 alike and keeps no body. A 403 to a sync-collection REPORT
            # that carried a token is the server saying it no longer knows the token (RFC 6578 §3.2,
            # DAV:valid-sync-token): start again from a listing.
            forbidden = str(exc.reason).strip().lower().startswith("forbidden")
            if forbidden and method == "REPORT" and re.search(r"sync-token>[^<\s]", text):
                raise _TokenRejectedError from None
            refused = f"{url}: the server refused the user name or password ({exc.reason})"
            raise SourceUnreachableError(refused) from None
        except (dav_error.DAVError, OSError, ValueError) as exc:  # requests' connection errors are OSErrors
            raise SourceUnreachableError(f"{url}: the server cannot be reached ({_short(exc)})") from None
        return response

    def _multistatus(self, method: str, url: str, body: BaseElement, depth: str | None) -> Iterator[_Response]:
        headers = {"Depth": depth} if depth is not None else {}
        response = self._request(method, url, body, headers)
        if response.status != 207 or response.tree is None:
            raise SourceUnreachableError(f"{url}: {method} answered {response.status} instead of a WebDAV listing")
        for node in response.tree.iter("{DAV:}response"):
            yield _Response.of(node)

    # --- collections ---------------------------------------------------------------------------------------
    def collections(self, kind: Kind) -> list[str]:
        """Return the URLs of this kind's collections the source's URL names: itself, its children, or the user's.

        A server root or a principal URL leads to the user's home set (current-user-principal, then the
        addressbook-home-set or calendar-home-set), whose children are listed.
        """
        props = _el(dav.Propfind(), _el(dav.Prop(), dav.ResourceType(), dav.CurrentUserPrincipal(), kind.home_set()))
        url = self.url
        # The URL itself first, alone: listing an address book's children would list every card.
        if any(kind.resourcetype in r.types for r in self._multistatus("PROPFIND", url, props, "0")):
            return [url]
        for _ in range(3):  # the URL's children, its principal, the home set
            listed = list(self._multistatus("PROPFIND", url, props, "1"))
            found = [urljoin(url, r.href) for r in listed if kind.resourcetype in r.types]
            if found:
                return sorted(dict.fromkeys(found))
            here = [r for r in listed if path_of(r.href).rstrip("/") == path_of(url).rstrip("/")] or listed[:1]
            hops = [h for r in here for tag in (kind.home_set.tag, dav.CurrentUserPrincipal.tag)
                    for h in r.hrefs.get(str(tag), []) if path_of(h).rstrip("/") != path_of(url).rstrip("/")
                    ]  # fmt: skip
            if not hops:
                break
            url = urljoin(url, hops[0])
        return []

    # --- what changed --------------------------------------------------------------------------------------
    def changes(self, collection: str, token: str | None, known: dict[str, str | None]) -> Changes:
        """Return what changed since `token`, or, without a usable token, since the ETags in `known`."""
        if token:
            try:
                since = self._sync_report(collection, token)
            except _TokenRejectedError:
                pass  # the server forgot the token: list everything and compare ETags
            else:  # our own pushes come back as changes: an ETag already known is not fetched again
                since.changed = {h: e for h, e in since.changed.items() if e is None or known.get(h) != e}
                return since
        try:
            full = self._sync_report(collection, None)
        except (_TokenRejectedError, _NoSyncError):
            full = self._listing(collection)
        changed = {h: e for h, e in full.changed.items() if e is None or known.get(h) != e}
        deleted = [h for h in known if h not in full.changed]
        return Changes(full.token, changed, deleted, listing=True)

    def _sync_report(self, collection: str, token: str | None) -> Changes:
        body = _el(dav.SyncCollection(), dav.SyncToken(value=token or ""), dav.SyncLevel(value="1"),
                   _el(dav.Prop(), dav.GetEtag()))  # fmt: skip
        response = self._request("REPORT", collection, body, {"Depth": "0"})
        if response.status in (403, 409, 412) and b"valid-sync-token" in _raw(response):
            raise _TokenRejectedError
        if response.status != 207 or response.tree is None:
            raise _NoSyncError
        changes = Changes(token=None)
        base = path_of(collection).rstrip("/")
        for node in response.tree.iter("{DAV:}response"):
            r = _Response.of(node)
            href = path_of(r.href)
            if href.rstrip("/") == base:
                continue
            if r.status == 404:
                changes.deleted.append(href)
            else:
                changes.changed[href] = r.etag
        changes.token = response.tree.findtext("{DAV:}sync-token")
        return changes

    def _listing(self, collection: str) -> Changes:
        body = _el(dav.Propfind(), _el(dav.Prop(), dav.GetEtag(), dav.ResourceType()))
        changes = Changes(token=None)
        base = path_of(collection).rstrip("/")
        for r in self._multistatus("PROPFIND", collection, body, "1"):
            href = path_of(r.href)
            if href.rstrip("/") != base and "{DAV:}collection" not in r.types:
                changes.changed[href] = r.etag
        return changes

    # --- items ---------------------------------------------------------------------------------------------
    def fetch(self, collection: str, kind: Kind, hrefs: Iterable[str]) -> dict[str, tuple[str | None, str]]:
        """Return {href: (ETag, text)} of the items; an item deleted meanwhile is left out."""
        wanted = list(hrefs)
        found: dict[str, tuple[str | None, str]] = {}
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start : start + BATCH]
            hrefs_xml = [dav.Href(value=quote(h, safe=_SAFE)) for h in chunk]
            body = _el(kind.multiget(), _el(dav.Prop(), dav.GetEtag(), kind.data()), *hrefs_xml)
            for r in self._multistatus("REPORT", collection, body, "1"):
                if r.status in (None, 200) and r.data is not None:
                    found[path_of(r.href)] = (r.etag, r.data)
        return found

    def put(self, href: str, text: str, etag: str | None, kind: Kind) -> str | None:
        """Write an item back with If-Match; return its new ETag (None when the server gives none)."""
        headers = {"Content-Type": kind.content_type}
        if etag:
            headers["If-Match"] = etag
        response = self._request("PUT", urljoin(self.url, quote(href, safe=_SAFE)), text, headers)
        if response.status == 412:
            raise PreconditionFailedError(f"{href} changed on the server since it was fetched")
        if response.status not in (200, 201, 204):
            raise SourceUnreachableError(f"{href}: the server refused the update ({response.status})")
        new = response.headers.get("ETag") if response.headers else None
        return str(new) if new else None


class _TokenRejectedError(Exception):
    """The server no longer knows the sync token: fall back to a listing."""


class _NoSyncError(Exception):
    """The server has no sync-collection REPORT: list the members and compare ETags."""


def _raw(response: Any) -> bytes:
    raw = getattr(response, "_raw", b"") or b""
    return raw if isinstance(raw, bytes) else str(raw).encode()


@dataclass
class _Response:
    """One <response> of a multistatus: its href, status, ETag, data, resource types and href-valued props."""

    href: str
    status: int | None
    etag: str | None
    data: str | None
    types: set[str]
    hrefs: dict[str, list[str]]

    @classmethod
    def of(cls, node: Any) -> _Response:
        href = node.findtext("{DAV:}href") or ""
        status = _code(node.findtext("{DAV:}status"))
        etag = data = None
        types: set[str] = set()
        hrefs: dict[str, list[str]] = {}
        for propstat in node.iter("{DAV:}propstat"):
            if _code(propstat.findtext("{DAV:}status")) not in (None, 200):
                continue
            for prop in propstat.iter("{DAV:}prop"):
                for child in prop:
                    if child.tag == "{DAV:}getetag":
                        etag = (child.text or "").strip() or None
                    elif child.tag in (_AddressData.tag, cdav.CalendarData.tag):
                        data = child.text or ""
                    elif child.tag == "{DAV:}resourcetype":
                        types = {str(t.tag) for t in child}
                    else:
                        hrefs[str(child.tag)] = [h.text or "" for h in child.iter("{DAV:}href")]
        return cls(href, status, etag, data, types, hrefs)


def _el(parent: BaseElement, *children: BaseElement) -> BaseElement:
    """Return an XML element with its children (caldav's elements, built without writing XML by hand)."""
    return parent.append(list(children))


def _code(status: str | None) -> int | None:
    parts = (status or "").split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
