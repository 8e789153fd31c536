"""The pure rules behind events, sheets, moving members, the lead's dashboard and the digest."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from givefirst.hub.domain import digest, lead
from givefirst.hub.domain import events as rules
from givefirst.hub.domain.model import Chapter
from givefirst.hub.domain.regions import chapter_for, proposed_move

SECRET = b"k" * 32
NOW = datetime(2026, 11, 25, 12, 0)


def test_check_in_code_is_bound_to_event_member_and_key() -> None:
    code = rules.check_in_code(SECRET, "ev1", "m1")
    assert len(code) == rules.CODE_LENGTH and code.isalnum() and code.isupper()
    assert rules.code_matches(SECRET, "ev1", "m1", code.lower())
    assert not rules.code_matches(SECRET, "ev2", "m1", code)
    assert not rules.code_matches(SECRET, "ev1", "m2", code)
    assert not rules.code_matches(b"other" * 8, "ev1", "m1", code)
    assert rules.check_in_token(SECRET, "ev1", "m1") == f"m1.{code}"
    assert rules.normalise_code(f" {code[:5]}-{code[5:]} ") == code


def test_follow_up_is_due_two_days_after_the_meeting_ends() -> None:
    start = NOW
    assert rules.follow_up_due(start, start + timedelta(hours=2), start + timedelta(hours=1)) == start + timedelta(
        hours=50
    )
    late = start + timedelta(days=5)
    assert rules.follow_up_due(start, None, late) == late


def test_newcomers_joined_recently_or_first_meeting() -> None:
    assert rules.is_newcomer(NOW - timedelta(days=10), 3, NOW)
    assert rules.is_newcomer(NOW - timedelta(days=10), 0, NOW, None)
    # joined when the hub already recorded the chapter's meetings, and never checked in: a first meeting
    assert rules.is_newcomer(NOW - timedelta(days=400), 0, NOW, NOW - timedelta(days=500))
    assert not rules.is_newcomer(NOW - timedelta(days=400), 2, NOW, NOW - timedelta(days=500))
    # a member from before the hub's first recorded meeting may have come to many: not known to be new
    assert not rules.is_newcomer(NOW - timedelta(days=400), 0, NOW, NOW - timedelta(days=30))
    assert not rules.is_newcomer(NOW - timedelta(days=400), 0, NOW, None)  # the first meeting the hub knows of


def test_best_pairs_one_per_two_members_and_spread_over_the_room() -> None:
    pairs = [
        rules.Pair(1, 2, 10, 20, 0.93),
        rules.Pair(2, 1, 11, 21, 0.97),  # the same two members the other way round: only the best stays
        rules.Pair(1, 3, 12, 22, 0.91),
        rules.Pair(1, 4, 13, 23, 0.88),
        rules.Pair(5, 6, 14, 24, 0.3),  # below the threshold
        rules.Pair(7, 7, 15, 25, 0.99),  # one's own items
    ]
    chosen = rules.best_pairs(pairs, per_member=2)
    assert [(p.need_id, p.offer_id) for p in chosen] == [(11, 21), (12, 22)]


def test_weeks() -> None:
    assert rules.iso_week(NOW) == "2026-W48"
    assert rules.parse_week("2026-w5") == "2026-W05"
    with pytest.raises(ValueError, match="2026-W49"):
        rules.parse_week("next week")


CHAPTERS = [
    Chapter(1, "ny", "New York", "New York, NY; Long Island", "America/New_York"),
    Chapter(2, "nj", "New Jersey", "New Jersey", "America/New_York"),
    Chapter(3, "fl", "Florida", "Tampa, FL; Orlando; Miami", "America/New_York"),
]


@pytest.mark.parametrize(
    ("place", "slug"),
    [
        ("Tampa", "fl"),
        ("St. Petersburg, FL", "fl"),  # a city of the Tampa metro area
        ("Brooklyn", "ny"),
        ("Princeton, NJ", "nj"),  # a region naming a whole state takes every place in it
        ("Hoboken, NJ", "nj"),
        ("Jacksonville, FL", None),  # Florida's chapter names cities: Jacksonville is in none of them
        ("Paris", None),
        ("", None),
    ],
)
def test_chapter_for_a_place(place: str, slug: str | None) -> None:
    found = chapter_for(place, CHAPTERS)
    assert (found.slug if found else None) == slug


def test_a_tie_between_chapters_is_no_answer() -> None:
    twins = [Chapter(1, "a", "A", "Tampa", "UTC"), Chapter(2, "b", "B", "Tampa", "UTC")]
    assert chapter_for("Tampa", twins) is None


def test_proposed_move_prefers_moving_to_then_location() -> None:
    move = proposed_move(1, "Brooklyn", "Tampa, FL", CHAPTERS)
    assert move is not None and move.to_chapter.slug == "fl" and move.because == "Tampa, FL"
    assert proposed_move(1, "Brooklyn", None, CHAPTERS) is None  # at home
    moved = proposed_move(1, "Orlando", None, CHAPTERS)  # already there, never said
    assert moved is not None and moved.to_chapter.slug == "fl"
    assert proposed_move(3, "Brooklyn", "Tampa", CHAPTERS) is None  # moving home to their own chapter


def test_dashboard_rules() -> None:
    keys = lead.month_keys(date(2026, 2, 10), 3)
    assert keys == ["2025-12", "2026-01", "2026-02"]
    counts = lead.per_month([datetime(2026, 1, 3), datetime(2026, 1, 30), None, datetime(2024, 1, 1)], keys)
    assert counts == {"2025-12": 0, "2026-01": 2, "2026-02": 0}
    old = NOW - timedelta(days=31)
    assert lead.is_stale(old, None, 0.4, NOW) and lead.is_stale(old, 0.2, 0.4, NOW)
    assert not lead.is_stale(old, 0.5, 0.4, NOW) and not lead.is_stale(NOW - timedelta(days=5), None, 0.4, NOW)
    assert lead.is_quiet(NOW - timedelta(days=61), None, NOW - timedelta(days=300), NOW)
    assert not lead.is_quiet(NOW - timedelta(days=61), NOW - timedelta(days=3), NOW - timedelta(days=300), NOW)
    assert not lead.is_quiet(None, None, NOW - timedelta(days=20), NOW)  # new, not quiet
    assert lead.needs_first_give(NOW - timedelta(days=20), 0, NOW)
    assert not lead.needs_first_give(NOW - timedelta(days=20), 1, NOW)


def test_digest_words() -> None:
    figures = digest.DigestFigures("Ana", ["Bo", "Cy", "Di", "Ed"], 1, 0, ("November meeting", NOW, "The library"))
    assert digest.subject(figures) == (
        "Your week on the hub: 4 members you can help, 1 introduction waiting for you, November meeting on Wed 25 Nov"
    )
    text = digest.body(figures, "https://hub.example.org/")
    assert "Bo, Cy, Di and others" in text and "https://hub.example.org/help" in text
    assert "Next meeting: November meeting, Wednesday 25 November 12:00 at The library." in text
    assert "https://hub.example.org/me" in text
    assert digest.DigestFigures("Ana", [], 0, 0, None).empty
