"""`givefirst hub init` and `givefirst hub invite` through the real entry point, and the link they print."""

from __future__ import annotations

import json

from givefirst.hub.services import members
from givefirst.hub.services.context import connect
from tests.conftest import Cli
from tests.hub import factory


def test_init_prints_an_admin_link_and_invite_prints_more(cli: Cli, db_url: str) -> None:
    made = cli(
        "hub",
        "init",
        "--db",
        db_url,
        "--association",
        "Project Managers United",
        "--chapter",
        "New York=New York, NY",
        "--chapter",
        "Florida=Tampa, FL; Orlando, FL",
        "--admin-email",
        "ana@example.org",
        "--url",
        "https://hub.example.org/",
        "--json",
    )
    assert made.code == 0, made.err
    data = json.loads(made.out)
    assert [c["slug"] for c in data["chapters"]] == ["new-york", "florida"]
    assert data["admin_link"].startswith("https://hub.example.org/join/")
    hub = connect(db_url)
    try:
        token = data["admin_link"].rsplit("/", 1)[1]
        ana = members.join(hub, token, "Ana", "ana@example.org", "correct horse battery")
        assert ana.role.value == "admin"
        again = cli("hub", "init", "--db", db_url, "--association", "X", "--chapter", "Y", "--admin-email", "y@x.org")
        assert again.code == 2 and "already set up" in again.err and "Traceback" not in again.err
        lead = cli(
            "hub",
            "invite",
            "--db",
            db_url,
            "--chapter",
            "florida",
            "--role",
            "lead",
            "--sponsor",
            "ana@example.org",
            "--email",
            "ben@example.org",
        )
        assert lead.code == 0 and "Join link into Florida as lead" in lead.out
        link = lead.out.strip().splitlines()[-1]
        info = members.check_invite(hub, link.rsplit("/", 1)[1])
        assert (info.role.value, info.email, info.sponsor, info.chapter) == (
            "lead",
            "ben@example.org",
            "Ana",
            "Florida",
        )
        unknown = cli("hub", "invite", "--db", db_url, "--chapter", "texas")
        assert unknown.code == 1 and "no chapter 'texas'; the chapters are: florida, new-york" in unknown.err
        no_sponsor = cli("hub", "invite", "--db", db_url, "--chapter", "florida", "--sponsor", "who@example.org")
        assert no_sponsor.code == 1 and "no member with the e-mail who@example.org" in no_sponsor.err
        bad_role = cli("hub", "invite", "--db", db_url, "--chapter", "florida", "--role", "king")
        assert bad_role.code == 2 and "choose member, lead or admin" in bad_role.err
    finally:
        hub.engine.dispose()


def test_invite_json_and_help(cli: Cli, db_url: str) -> None:
    hub = connect(db_url)
    try:
        chapter = factory.chapter(hub, "Tampa Bay")
        from givefirst.hub.store.members import chapter_by_id

        with hub.engine.connect() as conn:
            found = chapter_by_id(conn, chapter)
        assert found is not None
        made = cli("hub", "invite", "--db", db_url, "--chapter", found.slug, "--days", "3", "--json")
        data = json.loads(made.out)
        assert (data["chapter"], data["role"], data["days"]) == (found.slug, "member", 3)
        info = members.check_invite(hub, data["link"].rsplit("/", 1)[1])
        assert (info.expires_at - hub.now()).days in (2, 3)
    finally:
        hub.engine.dispose()
    helped = cli("hub", "init", "--help")
    assert helped.code == 0 and "NAME=REGION" in helped.out and "Example:" in helped.out
