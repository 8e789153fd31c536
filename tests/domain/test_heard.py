"""The extractor: sentences, broadcasts, needs and offers with whose they are, and the labelled set's targets."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from givefirst.domain import heard

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def _quality() -> object:
    sys.path.insert(0, str(BENCH))
    try:
        import heard_quality
    finally:
        sys.path.pop(0)
    return heard_quality


def kinds(text: str, author: str = "them") -> list[tuple[str, str]]:
    return [(h.kind, h.voice) for h in heard.proposed(text, author)]


def test_sentences_split_on_end_marks_and_lines_not_on_abbreviations_in_words() -> None:
    text = "Hi Jordan! We moved to St. Pete in May.\nI'm looking for a CPA. Know anyone?"
    parts = [text[s:e] for s, e in heard.sentences(text)]
    assert parts == ["Hi Jordan!", "We moved to St. Pete in May.", "I'm looking for a CPA.", "Know anyone?"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm looking for a bookkeeper who knows restaurant payroll.", [("need", "speaker")]),
        ("Could you introduce me to someone in procurement at Suncoast?", [("need", "speaker")]),
        ("We're hiring two night-shift RNs for the cardiac unit.", [("need", "speaker")]),
        ("Happy to review your resume before you send it.", [("offer", "speaker")]),
        ("I have two spare tickets to the game on Saturday.", [("offer", "speaker")]),
        # a need in an "if" clause is the listener's; the main clause offers
        ("If you ever need an immigration lawyer, I can connect you with Rachel.", [("offer", "speaker")]),
        # politeness and thanks are no statements
        ("Happy to help anytime, just say the word.", []),
        ("Let me know if you ever need anything!", []),
        ("Thanks so much for the intro to Maria, we talked for an hour.", []),
        # a need already met or declined
        ("We already hired someone for the sous chef spot.", []),
        ("I'm not looking right now, but thanks for thinking of me.", []),
        # wanting or needing something of the listener is no need the network can serve
        ("We want a lot of optional fields in this test file!", []),
        ("Needs your approval: expense report for March", []),
    ],
)
def test_what_a_message_states(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


def test_a_note_speaks_of_its_person_unless_it_says_i() -> None:
    note = "Coffee with Lakshmi. Her clinic needs a medical biller who knows Medicare Advantage."
    assert kinds(note, "note") == [("need", "subject")]
    assert kinds("Lunch with Tariq. I'm looking for a mentor in project finance myself.", "note") == [
        ("need", "speaker")
    ]
    assert kinds("Needs a new halal meat supplier for the restaurant.", "note") == [("need", "subject")]


def test_neighbouring_sentences_of_one_kind_are_one_statement() -> None:
    found = heard.proposed("Does anyone know a strong QA engineer? We have an opening on my team.")
    assert len(found) == 1 and found[0].sentence.endswith("on my team.")


@pytest.mark.parametrize(
    "text",
    [
        "Hi Jordan, I came across your profile and I'm hiring a VP of Operations for a leading client. Open to a chat?",
        "Thank you for applying. Unfortunately we will not be moving forward with your application.",
        "Our platform helps logistics teams cut freight spend. Do you have 15 minutes next week for a quick demo?",
        "You're invited! Join us for the summit. Early bird tickets end Friday — register now.",
        "This week's newsletter: five trends in last-mile delivery. Unsubscribe",
    ],
)
def test_templates_and_blasts_state_nothing(text: str) -> None:
    assert heard.broadcast_reason(text) is not None
    assert heard.hear(text) == []


def test_a_personal_ask_is_not_a_broadcast() -> None:
    assert heard.broadcast_reason("Hi Jordan, do you know a good pediatric dentist near Westchase?") is None


def test_the_same_body_with_another_greeting_has_the_same_digest() -> None:
    body = "I'm looking for two forklift drivers for the night shift, $21 an hour."
    assert heard.body_digest(f"Hi Priya, {body}") == heard.body_digest(f"Hello Marcus — {body}")
    assert heard.body_digest(body) != heard.body_digest("I'm looking for a CPA who knows payroll.")


def test_statement_digest_ignores_punctuation_and_case_not_the_person() -> None:
    a = heard.statement_digest("7", "need", "Looking for a CPA!")
    assert a == heard.statement_digest("7", "need", "looking for a cpa")
    assert a != heard.statement_digest("8", "need", "Looking for a CPA!")
    assert a != heard.statement_digest("7", "offer", "Looking for a CPA!")


def test_the_labelled_set_is_large_varied_and_well_formed() -> None:
    q = _quality()
    tune, report = q.load(q.SETS / "tune.txt"), q.load(q.SETS / "report.txt")  # type: ignore[attr-defined]
    assert len(tune) + len(report) >= 400 and min(len(tune), len(report)) >= 200
    texts = [e.text for e in tune + report]
    assert len(set(texts)) == len(texts)  # no message twice, nor in both halves
    for half in (tune, report):
        assert {e.label for e in half} == {"need", "offer", "none"}
        assert {e.author for e in half} == {"them", "me", "note"}
        assert sum(e.category in q.TEMPLATES for e in half) >= 30  # type: ignore[attr-defined]


def test_a_malformed_labelled_line_is_named(tmp_path: Path) -> None:
    q = _quality()
    bad = tmp_path / "bad.txt"
    bad.write_text("need ask them | I'm looking for a CPA but the span is not marked\n")
    with pytest.raises(ValueError, match=r"bad\.txt:1"):
        q.load(bad)  # type: ignore[attr-defined]


def test_targets_hold_on_the_report_half() -> None:
    q = _quality()
    result = q.evaluate(q.load(q.SETS / "report.txt"))  # type: ignore[attr-defined]
    assert result["precision"] >= 0.85 and result["recall"] >= 0.60
    assert result["templates_proposed"] <= 0.05


# Messages as mailboxes hold them: quote marks, signatures, bullets, stray punctuation, other scripts.
_TYPED = st.lists(
    st.sampled_from([*"ab '’\"-—–.,;:!?()/&#+09\n>*•", " I ", " we ", "need", "looking for", "can help", "hiring",
                     "Thanks,\n", "Hi Sam,", "http://x.io", "🙂", "日本"]),
    max_size=40,
).map("".join)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(_TYPED, st.text(max_size=200)), author=st.sampled_from(["me", "them"]))
def test_any_message_is_read_without_error(text: str, author: str) -> None:
    """The extractor reads whatever a mailbox or a note holds: every statement it proposes lies inside the text."""
    for found in heard.proposed(text, author):
        assert 0.0 <= found.confidence <= 1.0
        assert found.kind in ("need", "offer")
        assert 0 <= found.start <= found.end <= len(text)
    assert all(isinstance(h.sentence, str) for h in heard.hear(text, author))
