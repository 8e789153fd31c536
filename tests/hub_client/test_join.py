"""`givefirst hub join|leave|status` through the real entry point, against a real hub on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from givefirst.hub.services.context import connect
from tests.conftest import NOW, Cli
from tests.hub import factory
from tests.hub.server import hub_server
from tests.hub_client.conftest import ChapterHub
from tests.hub_client.helpers import TOKEN_ENV, closed_port_url, hub_items, join


def test_join_checks_the_token_and_keeps_only_its_place(
    cli: Cli, chapter_hub: ChapterHub, monkeypatch: pytest.MonkeyPatch, app: object
) -> None:
    out = join(cli, monkeypatch, chapter_hub.url + "/", chapter_hub.token("Dana Member"))
    assert "you are Dana Member" in out and "chapter New York" in out
    shown = json.loads(cli("hub", "status", "--json").out)
    assert [h["name"] for h in shown] == ["ny"]
    assert shown[0]["url"] == chapter_hub.url  # stored without the trailing slash
    assert shown[0]["member"] == "Dana Member" and shown[0]["last_sync_at"] is None
    from sqlalchemy import select

    from givefirst.store.schema import hub_links

    with app.begin() as conn:  # type: ignore[attr-defined]
        secret = conn.execute(select(hub_links.c.secret)).scalar_one()
    assert json.loads(secret) == {"password_env": TOKEN_ENV}
    assert chapter_hub.token("Dana Member") not in secret


def test_joining_the_same_hub_twice_is_a_clear_error(
    cli: Cli, chapter_hub: ChapterHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    join(cli, monkeypatch, chapter_hub.url, chapter_hub.token("Dana Member"))
    again = cli("hub", "join", chapter_hub.url, "--name", "other", "--token-env", TOKEN_ENV)
    assert again.code != 0
    assert "already joined, as 'ny'" in again.err and "givefirst hub leave ny" in again.err


def test_two_hubs_of_two_associations(
    cli: Cli, chapter_hub: ChapterHub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from givefirst.hub.services import api_tokens

    other = connect(str(tmp_path / "other-hub.db"), clock=lambda: NOW)
    chapter = factory.chapter(other, "Tampa", "Tampa, FL")
    token = api_tokens.create(other, factory.member(other, chapter, "Dana Member"), "laptop")
    with hub_server(other) as url:
        join(cli, monkeypatch, chapter_hub.url, chapter_hub.token("Dana Member"))
        join(cli, monkeypatch, url, token, name="tampa", env="GIVEFIRST_TEST_OTHER_TOKEN")
        shown = json.loads(cli("hub", "status", "--json").out)
    other.engine.dispose()
    assert [(h["name"], h["chapter"]) for h in shown] == [("ny", "New York"), ("tampa", "Tampa")]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("hub.example.org", "is not a hub address: give it as https://"),
        ("ftp://hub.example.org", "is not a hub address"),
        ("https://hub.example.org/?x=1", "without ?query"),
    ],
)
def test_a_bad_address_is_named(cli: Cli, monkeypatch: pytest.MonkeyPatch, url: str, expected: str) -> None:
    monkeypatch.setenv(TOKEN_ENV, "gfh_whatever")
    done = cli("hub", "join", url, "--token-env", TOKEN_ENV)
    assert done.code != 0 and expected in done.err and "Traceback" not in done.err


def test_an_unreachable_hub_says_what_to_do(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_ENV, "gfh_whatever")
    done = cli("hub", "join", closed_port_url(), "--token-env", TOKEN_ENV)
    assert done.code != 0
    assert "cannot reach" in done.err and "that the hub is running, then join again" in done.err
    assert json.loads(cli("hub", "status", "--json").out) == []  # nothing remembered


def test_a_refused_token_says_to_make_a_new_one(
    cli: Cli, chapter_hub: ChapterHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_ENV, "gfh_revoked")
    done = cli("hub", "join", chapter_hub.url, "--token-env", TOKEN_ENV)
    assert done.code != 0 and "does not accept this token" in done.err and "/me page" in done.err
    assert json.loads(cli("hub", "status", "--json").out) == []


def test_the_token_place_is_required_and_single(cli: Cli, chapter_hub: ChapterHub) -> None:
    none = cli("hub", "join", chapter_hub.url)
    assert none.code != 0 and "--token-env VAR, --token-command" in none.err
    both = cli("hub", "join", chapter_hub.url, "--token-env", "A", "--token-command", "echo x")
    assert both.code != 0 and "one way" in both.err


def test_a_token_command_is_run_for_the_token(cli: Cli, chapter_hub: ChapterHub) -> None:
    done = cli("hub", "join", chapter_hub.url, "--token-command", f"echo {chapter_hub.token('Sam Seeker')}")
    assert done.code == 0, done.err
    assert "you are Sam Seeker" in done.out


def test_leave_withdraws_the_published_items_then_forgets_the_hub(
    cli: Cli, chapter_hub: ChapterHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = chapter_hub.token("Dana Member")
    join(cli, monkeypatch, chapter_hub.url, token)
    assert cli("need", "me", "An intro to a Tampa CFO", "--publish", "chapter", "-s", "0").code == 0
    assert [i["status"] for i in hub_items(chapter_hub, token)] == ["open"]
    done = cli("hub", "leave", "ny")
    assert done.code == 0, done.err
    assert "1 published item(s) withdrawn" in done.out
    assert [i["status"] for i in hub_items(chapter_hub, token)] == ["closed"]
    assert json.loads(cli("hub", "status", "--json").out) == []
    assert cli("needs", "me").code == 0 and "Tampa CFO" in cli("needs", "me").out  # still open here


def test_leave_keep_published_leaves_them_on_the_hub(
    cli: Cli, chapter_hub: ChapterHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = chapter_hub.token("Dana Member")
    join(cli, monkeypatch, chapter_hub.url, token)
    cli("offer", "me", "Spare ticket to ProMat", "--publish", "association", "-s", "0")
    done = cli("hub", "leave", "ny", "--keep-published")
    assert done.code == 0 and "1 published item(s) stay on the hub" in done.out
    assert [(i["status"], i["visibility"]) for i in hub_items(chapter_hub, token)] == [("open", "association")]


def test_leaving_a_hub_that_is_down_needs_offline(
    cli: Cli, chapter_hub: ChapterHub, monkeypatch: pytest.MonkeyPatch, app: object
) -> None:
    join(cli, monkeypatch, chapter_hub.url, chapter_hub.token("Dana Member"))
    cli("need", "me", "A bookkeeper", "--publish", "chapter", "-s", "0")
    from sqlalchemy import update

    from givefirst.store.schema import hub_links

    with app.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(update(hub_links).values(url=closed_port_url()))  # the hub moved away / is down
    refused = cli("hub", "leave", "ny")
    assert refused.code != 0
    assert "could not be withdrawn" in refused.err and "--offline" in refused.err
    assert len(json.loads(cli("hub", "status", "--json").out)) == 1  # still joined
    done = cli("hub", "leave", "ny", "--offline")
    assert done.code == 0 and "1 published item(s) stay on the hub" in done.out
    assert json.loads(cli("hub", "status", "--json").out) == []


def test_leaving_an_unknown_hub_names_the_joined_ones(
    cli: Cli, chapter_hub: ChapterHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    join(cli, monkeypatch, chapter_hub.url, chapter_hub.token("Dana Member"))
    done = cli("hub", "leave", "paris")
    assert done.code != 0 and "no joined hub is named 'paris' (joined: ny)" in done.err


def test_the_client_commands_sit_beside_the_servers_own(cli: Cli) -> None:
    shown = cli("hub", "--help").out
    for name in ("serve", "worker", "init", "invite", "demo", "join", "leave", "status", "sync", "publish"):
        assert name in shown


def test_keyring_without_a_keyring_is_a_clear_error(cli: Cli, chapter_hub: ChapterHub) -> None:
    try:
        import keyring
        from keyring.backends import fail

        if not isinstance(keyring.get_keyring(), fail.Keyring):
            pytest.skip("this machine has a working keyring")
    except ImportError:
        pass
    done = cli("hub", "join", chapter_hub.url, "--keyring")
    assert done.code != 0 and "keyring" in done.err and "Traceback" not in done.err
    assert json.loads(cli("hub", "status", "--json").out) == []


def test_sync_json_and_a_token_gone_from_its_place(
    cli: Cli, chapter_hub: ChapterHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    join(cli, monkeypatch, chapter_hub.url, chapter_hub.token("Dana Member"))
    [done] = json.loads(cli("hub", "sync", "--json").out)
    assert done["hub"] == "ny" and done["ok"] is True and done["error"] is None
    assert "board: 0 open items (0 new, 0 gone)" in done["lines"]  # the pull's report, an empty board
    monkeypatch.delenv(TOKEN_ENV)
    skipped = cli("hub", "sync")
    assert skipped.code == 0 and f"ny: skipped, hub ny: the environment variable {TOKEN_ENV} is not set" in skipped.out
    assert cli("today").code == 0
    unknown = cli("hub", "sync", "paris")
    assert unknown.code != 0 and "no joined hub is named 'paris'" in unknown.err


def test_status_in_words(cli: Cli, chapter_hub: ChapterHub, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "No hub joined" in cli("hub", "status").out
    join(cli, monkeypatch, chapter_hub.url, chapter_hub.token("Dana Member"))
    cli("need", "me", "A bookkeeper", "--publish", "leads", "-s", "0")
    shown = cli("hub", "status").out
    assert f"ny  {chapter_hub.url}" in shown and "you: Dana Member (givefirst hub, chapter New York)" in shown
    assert "last sync: never" in shown and "need #1 [leads] synced: A bookkeeper" in shown
