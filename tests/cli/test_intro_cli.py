"""`givefirst intro` through the real entry point: a whole introduction, drafts, templates and bad input."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.cli.test_errors import one_line_error
from tests.cli.test_user_story import ok
from tests.conftest import NOW, Cli


@pytest.fixture
def network(cli: Cli) -> Cli:
    ok(cli("init", "--name", "Jordan Reyes", "--email", "jordan@reyes.example"))
    ok(cli("add", "Ana Ruiz", "-e", "ana@ruiz.example", "-l", "Tampa, FL", "--title", "Data engineer"))
    ok(cli("add", "Ben Ortiz", "-e", "ben@ortiz.example", "--org", "Acme Logistics", "--title", "Head of Data"))
    ok(cli("add", "Cy Young"))
    ok(cli("need", "Ana Ruiz", "Looking for a data engineering role in Tampa"))
    ok(cli("offer", "Ben Ortiz", "Hiring data engineers in Tampa"))
    return cli


def test_an_introduction_from_suggestion_to_outcome(network: Cli, tmp_path: Path) -> None:
    cli = network
    made = ok(cli("intro", "new", "--need", "1", "--offer", "1"))
    assert made.out.startswith("Suggested introduction #1: Ana Ruiz → Ben Ortiz")
    assert "Next: Ask Ana Ruiz whether they would like the introduction." in made.out

    first = ok(cli("intro", "draft", "1"))
    assert "To: Ana Ruiz <ana@ruiz.example>\nSubject: Would you like an introduction to Ben Ortiz?" in first.out
    assert "Hi Ana," in first.out and "Hiring data engineers in Tampa" in first.out

    assert "asked Ana Ruiz, waiting for an answer" in ok(cli("intro", "asked", "1")).out
    agreed = ok(cli("intro", "agreed", "1", "--via", "call", "-m", "Keen!"))
    assert "Ana Ruiz agreed; Ben Ortiz not asked yet" in agreed.out
    assert "asked Ben Ortiz" in ok(cli("intro", "next", "1")).out

    link = ok(cli("intro", "draft", "1", "--mailto")).out.strip()
    assert link.startswith("mailto:ben@ortiz.example?subject=Would%20you%20be%20open%20to%20meeting%20Ana%20Ruiz")

    ok(cli("intro", "agreed", "1"))
    path = tmp_path / "intro.eml"
    wrote = ok(cli("intro", "draft", "1", "--eml", str(path)))
    assert f"Wrote the introduce draft to {path}" in wrote.out
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert msg["X-Unsent"] == "1" and msg["To"].addresses[1].addr_spec == "ben@ortiz.example"

    done = ok(cli("intro", "introduced", "1"))
    follow = (NOW + timedelta(days=14)).date().isoformat()
    assert "Recorded a give to Ana Ruiz and to Ben Ortiz." in done.out
    assert f"The plan will remind you to ask how it went on {follow}." in done.out

    shown = json.loads(ok(cli("intro", "show", "1", "--json")).out)
    assert shown["state"] == "introduced" and shown["need_id"] == 1 and shown["offer_id"] == 1
    assert [s["state"] for s in shown["steps"]] == [
        "suggested", "asked_first", "first_agreed", "asked_second", "second_agreed", "introduced",
    ]  # fmt: skip
    assert shown["next"]["action"] == "close"
    assert "Keen!" in ok(cli("intro", "show", "1")).out

    # The ledger shows the give on both profiles.
    for name in ("Ana Ruiz", "Ben Ortiz"):
        assert "gave     introduction" in ok(cli("show", name)).out

    later = date.fromisoformat(follow)
    plan = json.loads(ok(cli("today", "--json", today=later)).out)["items"]
    titles = [i["title"] for i in plan]
    assert "Ask Ana Ruiz and Ben Ortiz how it went, then close it" in titles

    closed = ok(cli("intro", "close", "1", "--outcome", "hired", today=later))
    assert "closed — hired" in closed.out and "Marked need #1 met" in closed.out
    assert "Looking for a data engineering role" not in ok(cli("needs", today=later)).out
    assert "0 introductions in play" in ok(cli("intro", "list", today=later)).out
    everything = json.loads(ok(cli("intro", "list", "--all", "--json", today=later)).out)
    assert [(i["id"], i["state"], i["outcome"]) for i in everything] == [(1, "closed", "hired")]


def test_declined_and_listing(network: Cli) -> None:
    cli = network
    ok(cli("intro", "new", "Ana Ruiz", "Cy Young", "--reason", "both sail"))
    ok(cli("intro", "new", "Ben Ortiz", "Cy Young", "-r", "both hire"))
    ok(cli("intro", "asked", "2"))
    assert "declined by Cy Young" in ok(cli("intro", "declined", "2", "--who", "B")).out
    listed = ok(cli("intro", "list")).out
    assert "Ana Ruiz" in listed and "both hire" not in listed and "1 introduction in play" in listed
    assert "both hire" in ok(cli("intro", "list", "--state", "declined")).out
    assert "both sail" in ok(cli("intro", "list", "Ana")).out


def test_help_teaches_the_etiquette(cli: Cli) -> None:
    top = ok(cli("--help")).out
    assert "intro" in top
    helped = ok(cli("intro", "--help")).out
    assert "double opt-in" in helped and "never sends anything" in helped
    for command in ("new", "list", "show", "draft", "next", "asked", "agreed", "declined", "no-answer", "introduced",
                    "close", "templates"):  # fmt: skip
        assert command in helped
    assert "givefirst intro new --need 4 --offer 9" in ok(cli("intro", "new", "--help")).out


def test_templates_can_be_copied_and_edited(network: Cli, tmp_path: Path) -> None:
    cli = network
    ok(cli("intro", "new", "Ana Ruiz", "Ben Ortiz", "-r", "data in Tampa"))
    folder = tmp_path / "config" / "givefirst" / "templates" / "intro"
    listed = ok(cli("intro", "templates")).out
    assert f"ask_first   built-in  {folder / 'ask_first.j2'}" in listed
    assert "Copied 4 templates" in ok(cli("intro", "templates", "--copy")).out
    (folder / "ask_first.j2").write_text("Subject: Coffee with {{ other.first_name }}?\n\nHey {{ to.first_name }}!\n")
    assert "ask_first   yours" in ok(cli("intro", "templates")).out
    assert (
        ok(cli("intro", "draft", "1")).out
        == "To: Ana Ruiz <ana@ruiz.example>\nSubject: Coffee with Ben?\n\nHey Ana!\n\n"
    )
    (folder / "ask_first.j2").write_text("Subject: x\n\n{{ oops }\n")
    assert "template " in one_line_error(cli("intro", "draft", "1"), 2)


@pytest.mark.parametrize(
    ("args", "needle", "code"),
    [
        (("intro", "show", "99"), "no introduction with id 99", 1),
        (("intro", "asked", "99"), "no introduction with id 99", 1),
        (("intro", "introduced", "1"), "cannot introduce them yet: nobody has been asked yet — ask Ana Ruiz", 2),
        (("intro", "agreed", "1"), "ask Ana Ruiz first (givefirst intro asked 1)", 2),
        (("intro", "close", "1", "--outcome", "hired"), "only an introduction that was made", 2),
        (("intro", "close", "1", "--outcome", "maybe"), "unknown outcome 'maybe'", 2),
        (("intro", "new", "Ana Ruiz", "Ana Ruiz", "-r", "x"), "two different people", 2),
        (("intro", "new", "Ana Ruiz", "me", "-r", "x"), "you are the one making the introduction", 2),
        (("intro", "new", "Ben Ortiz", "Ana Ruiz", "-r", "x"), "introduction #1 between Ben Ortiz and Ana Ruiz", 2),
        (("intro", "new", "Ana Ruiz", "Cy Young"), "say why they should meet with --reason", 2),
        (("intro", "new", "--need", "7", "--offer", "1"), "no need with id 7", 1),
        (("intro", "list", "--state", "pending"), "unknown state 'pending'", 2),
        (("intro", "asked", "1", "--via", "telepathy"), "unknown way of getting in touch", 2),
        (("intro", "asked", "1", "--via", "note"), "a step happens by email, message", 2),
        (("intro", "declined", "1", "--who", "Cy Young"), "'Cy Young' is not part of introduction #1", 2),
        (("intro", "asked", "1", "--on", "tomorrow"), "cannot be recorded in the future", 2),
        (("intro", "draft", "1", "--step", "poem"), "unknown draft 'poem'", 2),
        (("intro", "draft", "1", "--eml", "/nowhere/x.eml"), "folder /nowhere does not exist", 2),
    ],
)
def test_bad_input_is_one_line(network: Cli, args: tuple[str, ...], needle: str, code: int) -> None:
    ok(network("intro", "new", "Ana Ruiz", "Ben Ortiz", "-r", "data in Tampa"))
    line = one_line_error(network(*args), code)
    assert needle in line, line


def test_a_missing_email_is_noted_not_fatal(network: Cli) -> None:
    ok(network("intro", "new", "Ana Ruiz", "Cy Young", "-r", "both sail", "--direct"))
    result = ok(network("intro", "draft", "1", "--mailto"))
    assert result.out.startswith("mailto:ana@ruiz.example?subject=Introduction")
    assert "no email address for Cy Young" in result.err


def test_on_the_demo_network_an_introduction_goes_through_every_state(cli: Cli, tmp_path: Path) -> None:
    """The demo network (built by `givefirst demo`): a need and an offer of two of its people, carried through."""
    db = str(tmp_path / "demo.db")
    ok(cli("demo", "--json", db=db))
    needs = json.loads(ok(cli("needs", "--json", db=db)).out)
    offers = json.loads(ok(cli("offers", "--json", db=db)).out)
    need = next((n for n in needs if "data engineer" in n["text"].lower()), None)
    assert need is not None, "the demo has a data engineer looking for a role"
    me = json.loads(ok(cli("show", "me", "--json", db=db)).out)["id"]
    offer = next(o for o in offers if o["person_id"] not in (need["person_id"], me) and "hiring" in o["text"].lower())
    made = json.loads(ok(cli("intro", "new", "--need", str(need["id"]), "--offer", str(offer["id"]), "--json",
                             db=db)).out)  # fmt: skip
    intro = str(made["id"])
    assert (made["first"]["name"], made["second"]["name"]) == (need["person"], offer["person"])
    first_name, second_name = need["person"].split()[0], offer["person"].split()[0]
    drafts = []
    for step, expected in (("asked", "asked_first"), ("agreed", "first_agreed"), ("asked", "asked_second"),
                           ("agreed", "second_agreed"), ("introduced", "introduced")):  # fmt: skip
        drafts.append(json.loads(ok(cli("intro", "draft", intro, "--json", db=db)).out))
        assert json.loads(ok(cli("intro", step, intro, "--json", db=db)).out)["state"] == expected
    assert [d["draft"] for d in drafts] == ["ask_first", "ask_first", "ask_second", "ask_second", "introduce"]
    assert drafts[0]["body"].startswith(f"Hi {first_name},") and drafts[2]["body"].startswith(f"Hi {second_name},")
    assert all(d["to"][0]["email"] for d in drafts)  # the demo's people have addresses
    assert len(drafts[-1]["to"]) == 2 and drafts[-1]["mailto"].startswith("mailto:")
    for person in (need["person"], offer["person"]):
        ledger = json.loads(ok(cli("show", person, "--json", db=db)).out)["ledger"]
        assert any(e["kind"] == "introduction" and e["direction"] == "gave" for e in ledger)
    later = NOW.date() + timedelta(days=14)
    plan = json.loads(ok(cli("today", "--json", "--size", "40", db=db, today=later)).out)["items"]
    assert f"Ask {need['person']} and {offer['person']} how it went, then close it" in [i["title"] for i in plan]
    assert json.loads(ok(cli("intro", "close", intro, "-o", "hired", "--json", db=db, today=later)).out)["outcome"]
    assert need["text"] not in ok(cli("needs", db=db, today=later)).out
