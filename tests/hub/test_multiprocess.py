"""Two `hub serve` processes and one `hub worker` process on one PostgreSQL database work as one hub.

Everything is real: a database of its own on the test server, the processes started through the CLI's entry
point on loopback ports, and HTTP between them and the test. Skipped without GIVEFIRST_TEST_DATABASE_URL.
"""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from givefirst.hub.services import api_tokens, items, jobs
from givefirst.hub.services.context import Hub, connect
from givefirst.hub.store import members as stored_members
from givefirst.hub.store.schema import audit_log, login_attempts
from givefirst.hub.store.schema import jobs as jobs_table
from givefirst.hub.web.app import SESSION_COOKIE
from tests.hub import factory
from tests.hub.processes import cli_process, fresh_database, hub_serve, stop, wait_until

PASSWORD = "a long enough passphrase"


@dataclass
class Cluster:
    hub: Hub
    web1: str
    web2: str
    web1_proc: subprocess.Popen[bytes]
    worker_pid: int


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    with ExitStack() as stack:
        db = stack.enter_context(fresh_database("gf_multiprocess"))
        hub = connect(db)  # migrates, as the first `hub serve` would
        stack.callback(hub.engine.dispose)
        worker = cli_process(["hub", "worker", "--db", db, "--interval", "0.2", "--no-nightly"], tmp_path / "w.log")
        stack.callback(stop, worker)
        # Seen alive before anything is published: the web processes then leave every job to it.
        wait_until(lambda: jobs.worker_alive(hub), 90, "the worker's heartbeat", worker, tmp_path / "w.log")
        web1, web1_proc = stack.enter_context(hub_serve(db, tmp_path / "web1.log"))
        web2, _ = stack.enter_context(hub_serve(db, tmp_path / "web2.log"))
        assert web1 != web2
        yield Cluster(hub, web1, web2, web1_proc, worker.pid)


def _sign_in(base: str, email: str, password: str) -> httpx.Response:
    return httpx.post(f"{base}/login", data={"email": email, "password": password, "next": "/"}, timeout=30)


def _email(hub: Hub, member_id: int) -> str:
    with hub.engine.connect() as conn:
        found = stored_members.member_by_id(conn, member_id)
    assert found is not None
    return found.email


def test_two_web_processes_and_a_worker_are_one_hub(cluster: Cluster) -> None:
    hub = cluster.hub
    chapter = factory.chapter(hub)
    ann = factory.member(hub, chapter, "Ann", password_hash=PasswordHasher().hash(PASSWORD))
    bob = factory.member(hub, chapter, "Bob", password_hash=PasswordHasher().hash(PASSWORD))
    ann_email = _email(hub, ann)

    # A session made by signing in on web 1 is honoured by web 2: it lives in the database, not in a process.
    signed = _sign_in(cluster.web1, ann_email, PASSWORD)
    assert signed.status_code == 303, signed.text
    cookie = signed.cookies[SESSION_COOKIE]
    me = httpx.get(f"{cluster.web2}/api/v1/me", cookies={SESSION_COOKIE: cookie}, timeout=30)
    assert me.status_code == 200 and me.json()["name"] == "Ann"
    assert httpx.get(f"{cluster.web2}/api/v1/me", timeout=30).status_code == 401  # and not without it

    # A need published through web 1's API is matched by the worker process, and shows through web 2.
    with hub.engine.connect() as conn:
        bob_member = stored_members.member_by_id(conn, bob)
    assert bob_member is not None
    items.add_item(hub, bob_member, "offer", "I am an accountant; happy to help small businesses with their taxes")
    token = api_tokens.create(hub, ann, "multiprocess test")
    assert jobs.worker_alive(hub)  # so web 1 does not run the job itself after answering
    published = httpx.post(
        f"{cluster.web1}/api/v1/items",
        headers={"authorization": f"Bearer {token}"},
        json={"kind": "need", "text": "Looking for an accountant to help with my bakery's taxes", "tags": ["tax"]},
        timeout=30,
    )
    assert published.status_code == 201, published.text
    need_id = published.json()["id"]
    worker_name = f"{socket.gethostname()}-{cluster.worker_pid}"[:100]

    def matched() -> bool:
        with hub.engine.connect() as conn:
            rows = conn.execute(select(jobs_table.c.locked_by, jobs_table.c.done_at, jobs_table.c.error)).all()
        return bool(rows) and all(r.done_at is not None for r in rows)

    wait_until(matched, 120, "every job done")
    with hub.engine.connect() as conn:
        runners = {r.locked_by for r in conn.execute(select(jobs_table.c.locked_by, jobs_table.c.error)).all()}
        errors = conn.execute(select(jobs_table.c.error).where(jobs_table.c.error.is_not(None))).scalars().all()
    assert runners == {worker_name} and errors == []  # the worker process ran them all; no web fallback
    bob_token = api_tokens.create(hub, bob, "multiprocess test")
    helping = httpx.get(f"{cluster.web2}/api/v1/help", headers={"authorization": f"Bearer {bob_token}"}, timeout=60)
    assert helping.status_code == 200, helping.text
    assert need_id in [n["need"]["id"] for n in helping.json()["you_can_help"]]

    # Rate limits counted by both processes land in the one database: 3 failures on web 1 and 2 on web 2 make
    # the e-mail's limit (5), so even the right password is refused on either.
    for base in (cluster.web1,) * 3 + (cluster.web2,) * 2:
        assert _sign_in(base, _email(hub, bob), "wrong password").status_code == 401
    with hub.engine.connect() as conn:
        failures = conn.scalar(select(func.count()).where(login_attempts.c.key == f"email:{_email(hub, bob)}"))
    assert failures == 5
    assert _sign_in(cluster.web1, _email(hub, bob), PASSWORD).status_code == 429
    assert _sign_in(cluster.web2, _email(hub, bob), PASSWORD).status_code == 429

    # The audit log, written by both: an export through each.
    for base in (cluster.web1, cluster.web2):
        exported = httpx.get(f"{base}/me/export.json", cookies={SESSION_COOKIE: cookie}, timeout=30)
        assert exported.status_code == 200
    with hub.engine.connect() as conn:
        exports = conn.scalar(select(func.count()).where(audit_log.c.action == "account.export"))
    assert exports == 2

    # One web process stopped: the other answers, with the same session.
    stop(cluster.web1_proc)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{cluster.web1}/healthz.json", timeout=5)
    assert httpx.get(f"{cluster.web2}/healthz.json", timeout=10).status_code == 200
    again = httpx.get(f"{cluster.web2}/api/v1/me", cookies={SESSION_COOKIE: cookie}, timeout=30)
    assert again.status_code == 200 and again.json()["name"] == "Ann"
