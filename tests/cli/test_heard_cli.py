"""`givefirst heard` through the real entry point: on the demo (needs nobody recorded), review, and bad input."""

from __future__ import annotations

import json

import pytest

from givefirst.services.context import App
from givefirst.services.demo import build_demo
from tests.cli.test_user_story import ok
from tests.conftest import Cli


@pytest.fixture
def demo(app: App) -> App:
    build_demo(app)
    return app


def test_the_demo_holds_needs_nobody_recorded_and_accepting_one_brings_a_give(cli: Cli, demo: App) -> None:
    found = json.loads(ok(cli("heard", "--json")).out)
    assert found["scan"]["read"] > 1000 and found["scan"]["proposed"] >= 4
    candidates = found["candidates"]
    victor = next(c for c in candidates if c["person"] == "Victor Nguyen")
    assert victor["kind"] == "need" and "coaches first-time operations directors" in victor["sentence"]
    assert any(c["person"] == "you" and c["kind"] == "offer" for c in candidates)  # Jordan's own, in a message
    assert not any(c["person"] == "Yasmin Rahman" for c in candidates)  # her need is recorded already
    # A re-run reads nothing new and proposes nothing twice.
    again = json.loads(ok(cli("heard", "--json")).out)
    assert again["scan"]["read"] == 0 and again["scan"]["proposed"] == 0
    assert [c["id"] for c in again["candidates"]] == [c["id"] for c in candidates]

    samuel = next(c for c in candidates if c["person"] == "Samuel Osei")
    before = json.loads(ok(cli("today", "--json", "-n", "30")).out)["items"]
    assert not any(i["kind"] == "give" and "Samuel" in i["title"] for i in before)
    text = ok(cli("heard", "accept", str(samuel["id"]))).out
    assert "Recorded Samuel Osei's need" in text and "from a message" in text
    after = json.loads(ok(cli("today", "--json", "-n", "30")).out)["items"]
    give = next(i for i in after if i["kind"] == "give" and "Samuel" in i["title"])
    assert "Paul Dubois" in give["title"]  # the spare desk in Ybor City: a give that came from what was heard


def test_review_in_one_step_and_listing_by_status(cli: Cli, demo: App) -> None:
    candidates = json.loads(ok(cli("heard", "--json")).out)["candidates"]
    first, second = candidates[0]["id"], candidates[1]["id"]
    edited = json.loads(ok(cli("heard", "accept", str(first), "--edit", "Edited in my words", "--json")).out)
    assert edited["status"] == "accepted" and edited["item_id"]
    ok(cli("heard", "reject", str(second)))
    listed = json.loads(ok(cli("heard", "list", "--status", "all", "--json")).out)
    assert {c["id"]: c["status"] for c in listed if c["id"] in (first, second)} == {
        first: "accepted",
        second: "rejected",
    }
    readable = ok(cli("heard", "--no-scan")).out
    assert "heard accept ID" in readable and "“" in readable


def test_bad_input_is_one_line_and_a_non_zero_exit(cli: Cli, demo: App) -> None:
    missing = cli("heard", "accept", "4242")
    assert missing.code != 0 and "no heard candidate with id 4242" in missing.err
    assert "Traceback" not in missing.err and len(missing.err.strip().splitlines()) == 1
    status = cli("heard", "--status", "maybe")
    assert status.code != 0 and "no status 'maybe'" in status.err


def test_help_teaches(cli: Cli) -> None:
    text = ok(cli("heard", "--help")).out
    assert "givefirst heard accept 12" in text and "--without" in text and "--mail" in text
