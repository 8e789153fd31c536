"""`people --due` on a mailbox-sized network: the weakest ties are not due, the rest come most at stake first."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from tests.cli.test_user_story import ok
from tests.conftest import NOW, Cli

ME = "me@due.example"


def mailbox(path: Path) -> None:
    """Thirty one-off correspondents from seven months ago, and four real relationships with a rhythm."""
    exchanges: list[tuple[str, datetime]] = []
    for i in range(30):  # one question and its answer each, 210 days ago: past a 180-day cadence, barely a tie
        exchanges.append((f"oneoff{i}@vendors.example", NOW - timedelta(days=210, hours=i)))
    for who, every, until, count in (
        ("weekly@team.example", 7, 45, 40),  # weekly for most of a year, silent for 45 days: most at stake
        ("monthly@client.example", 30, 100, 20),  # monthly for years, silent for 100 days
        ("quarterly@mentor.example", 90, 200, 8),  # quarterly, silent for 200 days
        ("fresh@team.example", 7, 2, 30),  # weekly and current: not due
    ):
        exchanges += [(who, NOW - timedelta(days=until + every * k)) for k in range(count)]
    with path.open("w", encoding="utf-8") as out:
        for n, (other, at) in enumerate(exchanges):
            for k, (sender, recipient) in enumerate(((ME, other), (other, ME))):
                when = at + timedelta(hours=k)
                out.write(
                    f"From {sender} {when:%a %b %d %H:%M:%S %Y}\nFrom: <{sender}>\nTo: <{recipient}>\n"
                    f"Subject: note {n}\nDate: {format_datetime(when)}\nMessage-ID: <due-{n}-{k}@due.example>\n\n"
                    "hello\n\n"
                )


def test_due_keeps_the_weakest_ties_out_and_ranks_by_what_is_at_stake(cli: Cli, tmp_path: Path) -> None:
    box = tmp_path / "archive.mbox"
    mailbox(box)
    ok(cli("import", "mbox", str(box), "--me", ME))
    everyone = json.loads(ok(cli("people", "--json")).out)
    assert len(everyone) == 34

    due = json.loads(ok(cli("people", "--due", "--json")).out)
    names = [r["name"] for r in due]
    assert names[:3] == ["Weekly", "Monthly", "Quarterly"] and len(names) == 3, names
    stakes = [r["at_stake"] for r in due]
    assert stakes == sorted(stakes, reverse=True) and min(stakes) > 0
    assert all(r["strength"] >= 0.1 for r in due)

    weak = json.loads(ok(cli("people", "--due", "--include-weak", "--json")).out)
    assert len(weak) == 33  # all but the current tie: the 30 one-offs are past their cadence too
    assert [r["name"] for r in weak[:3]] == names  # what is at stake still comes first
    assert all(r["strength"] < 0.1 and not r["due"] and r["past_cadence"] for r in weak[3:])

    # The plan agrees: it never proposes a tie `people --due` leaves out.
    plan = json.loads(ok(cli("today", "--json")).out)["items"]
    touched = {i["title"].removeprefix("Check in with ") for i in plan if i["key"].startswith("touch:")}
    assert touched and touched <= set(names)

    human = ok(cli("people", "--due"))
    assert human.out.index("Weekly") < human.out.index("Monthly") < human.out.index("Quarterly")
    assert "Oneoff" not in human.out


def test_an_empty_plan_says_when_weak_ties_are_past_their_cadence(cli: Cli) -> None:
    ok(cli("init", "--name", "Jordan Reyes"))
    assert "Nothing due. Add people" in ok(cli("today")).out  # nobody at all: how to start
    ok(cli("add", "Ana Ruiz"))
    ok(cli("log", "Ana Ruiz", "--kind", "meeting", "--on", (NOW - timedelta(days=300)).date().isoformat()))
    out = ok(cli("today")).out
    assert "Nothing due: 1 tie past their cadence is too weak to be due" in " ".join(out.split())
    assert "givefirst people --due --include-weak" in out and "--tier close" in out
    ok(cli("edit", "Ana Ruiz", "--tier", "close"))  # it matters: now it is due
    assert "Ana Ruiz" in ok(cli("today")).out  # the give-first question, nothing being known of her needs
