"""Operating a hub: a `pg_dump -Fc` of a hub restored with `pg_restore` opens and serves; a database written by
a newer givefirst is refused by `hub serve` with a clear message (the upgrade path in docs/hub.md)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from givefirst.hub.services import sessions
from givefirst.hub.services.context import connect
from givefirst.hub.services.demo import build_demo, prepare_demo_database
from givefirst.hub.store.schema import items, members
from givefirst.hub.web.app import SESSION_COOKIE
from tests.hub.processes import cli_process, fresh_database, hub_serve


def _libpq(url: str) -> str:
    """The SQLAlchemy URL as pg_dump and pg_restore take it (no `+psycopg` driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _counts(url: str) -> tuple[int, int]:
    hub = connect(url)
    try:
        with hub.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(members))), int(
                conn.scalar(select(func.count()).select_from(items))
            )
    finally:
        hub.engine.dispose()


@pytest.mark.skipif(not (shutil.which("pg_dump") and shutil.which("pg_restore")), reason="no pg_dump/pg_restore here")
def test_a_dumped_demo_hub_restores_into_a_new_database_and_serves(tmp_path: Path) -> None:
    with fresh_database("gf_backup") as source, fresh_database("gf_restored") as restored:
        prepare_demo_database(source)
        hub = connect(source)
        report = build_demo(hub, match=False)
        login = report.logins[0]
        with hub.engine.connect() as conn:
            member_id = conn.scalar(select(members.c.id).where(members.c.email == login.email))
        cookie = sessions.start(hub, int(member_id))  # signed in before the backup
        hub.engine.dispose()
        dump = tmp_path / "hub.dump"
        subprocess.run(["pg_dump", "--format=custom", "--file", str(dump), "--dbname", _libpq(source)], check=True)
        restore = ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", _libpq(restored), str(dump)]
        subprocess.run(restore, check=True)
        assert _counts(restored) == _counts(source) and _counts(restored)[0] > 0
        with hub_serve(restored, tmp_path / "serve.log") as (base, _):
            me = httpx.get(f"{base}/api/v1/me", cookies={SESSION_COOKIE: cookie}, timeout=30)
            assert me.status_code == 200 and me.json()["email"] == login.email  # the session came along
            form = {"email": login.email, "password": login.password, "next": "/"}
            assert httpx.post(f"{base}/login", data=form, timeout=30).status_code == 303
            board = httpx.get(f"{base}/api/v1/board", cookies={SESSION_COOKIE: cookie}, timeout=60)
            assert board.status_code == 200, board.text


def test_hub_serve_refuses_a_database_written_by_a_newer_givefirst(tmp_path: Path) -> None:
    db = str(tmp_path / "hub.db")
    hub = connect(db)
    with hub.engine.begin() as conn:
        conn.execute(text("UPDATE hub_alembic_version SET version_num = 'h9999_future'"))
    hub.engine.dispose()
    log = tmp_path / "serve.log"
    proc = cli_process(["hub", "serve", "--db", db, "--port", "1"], log)  # refused before it would listen
    assert proc.wait(timeout=60) == 1
    output = log.read_text()
    assert "newer givefirst" in output and "Traceback" not in output
