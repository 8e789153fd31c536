"""Real servers for the CardDAV, CalDAV and feed tests and benchmarks, on loopback: Radicale in a child process
(CardDAV and CalDAV) and a plain HTTP server for iCalendar feeds, with what a phone or a website does to them."""

from __future__ import annotations

import email.utils
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

USER, PASSWORD = "alice", "s3cret-pass"
MKCOL = {
    "addressbook": '<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set>'
    "<D:prop><D:resourcetype><D:collection/><C:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>",
    "calendar": '<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set>'
    "<D:prop><D:resourcetype><D:collection/><C:calendar/></D:resourcetype></D:prop></D:set></D:mkcol>",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Radicale:
    """A Radicale server in its own process and folder, with one user (htpasswd, plain)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.root = f"http://127.0.0.1:{self.port}"
        self.http = httpx.Client(auth=(USER, PASSWORD), timeout=10)
        self.start()

    def start(self) -> None:
        """Start (or start again, on the same port and folder) and wait until it answers."""
        users = self.folder / "users"
        users.write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
        folder = self.folder
        command = [sys.executable, "-m", "radicale", "--config", "", "--server-hosts", f"127.0.0.1:{self.port}",
                   "--storage-filesystem-folder", str(folder / "store"), "--auth-type", "htpasswd",
                   "--auth-htpasswd-filename", str(users), "--auth-htpasswd-encryption", "plain",
                   "--logging-level", "error"]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"radicale exited: {self.process.stderr.read().decode()[-500:]}")  # type: ignore[union-attr]
            try:
                if self.http.request("PROPFIND", f"{self.root}/{USER}/", headers={"Depth": "0"}).status_code < 500:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            self.stop()
            raise RuntimeError("radicale did not answer within 20 s")

    def stop(self) -> None:
        """Stop the server process (the test's http client stays usable for a restart)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self.process.stderr is not None:
            self.process.stderr.close()

    # --- the other side: what a phone or another client does to the server --------------------------------
    def collection(self, kind: str) -> str:
        url = f"{self.root}/{USER}/{kind}-{uuid.uuid4().hex[:8]}/"
        response = self.http.request("MKCOL", url, content=MKCOL[kind])
        assert response.status_code == 201, response.text
        return url

    def put(self, url: str, text: str, content_type: str = "text/vcard") -> str:
        response = self.http.put(url, content=text.encode(), headers={"Content-Type": content_type})
        assert response.status_code in (201, 204), response.text
        return str(response.headers["etag"])

    def get(self, url: str) -> str:
        response = self.http.get(url)
        assert response.status_code == 200, response.text
        return response.text

    def delete(self, url: str) -> None:
        assert self.http.delete(url).status_code in (200, 204)


def vcard(uid: str, name: str, *lines: str) -> str:
    family, given = name.split(" ")[-1], " ".join(name.split()[:-1])
    body = "".join(f"{line}\r\n" for line in lines)
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{family};{given};;;\r\n{body}END:VCARD\r\n"


# --- a feed server ---------------------------------------------------------------------------------------------


@dataclass
class Feed:
    body: bytes
    etag: str | None = '"v1"'
    last_modified: float = field(default_factory=lambda: time.time() - 3600)


class FeedServer:
    """A plain HTTP server for .ics feeds that honours If-None-Match and If-Modified-Since, and counts requests."""

    def __init__(self) -> None:
        self.feeds: dict[str, Feed] = {}
        self.requests: list[tuple[str, dict[str, str], int]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                feed = server.feeds.get(self.path)
                status = 404 if feed is None else 200
                if feed is not None:
                    match = feed.etag is not None and self.headers.get("If-None-Match") == feed.etag
                    since = self.headers.get("If-Modified-Since")
                    fresh = since is not None and email.utils.parsedate_to_datetime(since).timestamp() >= int(
                        feed.last_modified
                    )
                    if match or (since is not None and feed.etag is None and fresh):
                        status = 304
                server.requests.append((self.path, dict(self.headers), status))
                self.send_response(status)
                if feed is not None:
                    if feed.etag:
                        self.send_header("ETag", feed.etag)
                    self.send_header("Last-Modified", email.utils.formatdate(feed.last_modified, usegmt=True))
                if status == 200 and feed is not None:
                    self.send_header("Content-Type", "text/calendar; charset=utf-8")
                    self.send_header("Content-Length", str(len(feed.body)))
                    self.end_headers()
                    self.wfile.write(feed.body)
                else:
                    self.send_header("Content-Length", "0")
                    self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.root = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
