"""Drafts for introductions: golden text per template, mailto: encoding, .eml drafts, user templates, the sandbox."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from givefirst.domain.introductions import Action, DraftKind
from givefirst.errors import InvalidInputError
from givefirst.services.context import App
from givefirst.services.drafts import (
    copy_templates,
    draft,
    eml,
    mailto,
    parse_draft_kind,
    sentence,
    template_list,
    templates_dir,
)
from givefirst.services.introductions import create, take_step
from givefirst.services.people import PersonInput, add_person, set_me
from tests.conftest import NOW

REASON = "Ana is moving to Tampa & Ben's team hires data engineers there"


@pytest.fixture
def configured(app: App, tmp_path: Path) -> App:
    """The app with its config file in a private folder, so user templates go to tmp_path/config/templates."""
    app.settings = replace(app.settings, config_file=tmp_path / "config" / "config.toml")
    return app


@pytest.fixture
def intro_id(configured: App) -> int:
    set_me(configured, PersonInput(name="Jordan Reyes", emails=["jordan@reyes.example"]))
    add_person(configured, PersonInput(name="Ana Ruiz", emails=["ana@ruiz.example"], title="Data engineer"))
    add_person(configured, PersonInput(name="Dr. Ben Ortiz", emails=["ben@ortiz.example"],
                                       organization="Acme Logistics", title="Head of Data"))  # fmt: skip
    return create(configured, "Ana Ruiz", "Ben Ortiz", reason=REASON).view.id


GOLDEN = {
    DraftKind.ASK_FIRST: """\
To: Ana Ruiz <ana@ruiz.example>
Subject: Would you like an introduction to Dr. Ben Ortiz?

Hi Ana,

I'd like to introduce you to Dr. Ben Ortiz (Head of Data at Acme Logistics). Why I thought of you two: Ana is moving \
to Tampa & Ben's team hires data engineers there.

Would an introduction be welcome? If so, I'll check with Ben and then put you in touch by email. If the timing isn't \
right, just say so, no explanation needed.

Best,
Jordan
""",
    DraftKind.ASK_SECOND: """\
To: Dr. Ben Ortiz <ben@ortiz.example>
Subject: Would you be open to meeting Ana Ruiz?

Hi Ben,

Ana Ruiz (Data engineer) would like to be introduced to you, and I think it could be worth your time. Why I thought \
of you: Ana is moving to Tampa & Ben's team hires data engineers there.

Would you be open to an introduction? If yes, I'll send one short email to both of you. If not, no problem at all: I \
won't pass on your details.

Best,
Jordan
""",
    DraftKind.INTRODUCE: """\
To: Ana Ruiz <ana@ruiz.example>, Dr. Ben Ortiz <ben@ortiz.example>
Subject: Introduction: Ana Ruiz, meet Dr. Ben Ortiz

Hi Ana and Ben,

As promised, here is the introduction you both said yes to.

Ana, meet Dr. Ben Ortiz (Head of Data at Acme Logistics).
Ben, meet Ana Ruiz (Data engineer).

Why you two should talk: Ana is moving to Tampa & Ben's team hires data engineers there.

I'll let you take it from here. Ana, perhaps you could suggest a time.

Best,
Jordan
""",
    DraftKind.FOLLOW_UP: """\
To: Ana Ruiz <ana@ruiz.example>, Dr. Ben Ortiz <ben@ortiz.example>
Subject: How did it go, Ana and Ben?

Hi Ana and Ben,

A couple of weeks ago I introduced you to each other (Ana is moving to Tampa & Ben's team hires data engineers \
there). Did you manage to connect? I'd love to hear how it went, and if there is anything else I can help with, tell \
me.

Best,
Jordan
""",
}


@pytest.mark.parametrize("kind", list(DraftKind))
def test_golden_text_of_each_template(configured: App, intro_id: int, kind: DraftKind) -> None:
    d = draft(configured, intro_id, kind)
    assert d.text == GOLDEN[kind]
    assert d.template == f"built-in intro/{kind.value}.j2"
    assert d.missing == ()


def test_the_draft_due_follows_the_state(configured: App, intro_id: int) -> None:
    assert draft(configured, intro_id).kind is DraftKind.ASK_FIRST
    take_step(configured, intro_id, Action.ASK)
    assert draft(configured, intro_id).kind is DraftKind.ASK_FIRST  # a nudge is the same question
    take_step(configured, intro_id, Action.AGREE)
    assert draft(configured, intro_id).kind is DraftKind.ASK_SECOND
    take_step(configured, intro_id, Action.DECLINE, who="B")
    with pytest.raises(InvalidInputError, match=r"declined by Dr\. Ben Ortiz; nothing to draft"):
        draft(configured, intro_id)


def test_a_direct_introduction_says_so(configured: App, intro_id: int) -> None:
    add_person(configured, PersonInput(name="Cy Young"))
    direct = create(configured, "Ana Ruiz", "Cy Young", reason="both sail", direct=True).view.id
    d = draft(configured, direct)
    assert d.kind is DraftKind.INTRODUCE and "I'd like to introduce you two.\n" in d.body
    assert d.missing == ("Cy Young",)  # no email: left out of links and files, and said so
    assert mailto(d).startswith("mailto:ana@ruiz.example?subject=")


def test_mailto_is_percent_encoded_with_crlf_line_breaks(configured: App, intro_id: int) -> None:
    d = draft(configured, intro_id, DraftKind.INTRODUCE)
    link = mailto(d)
    assert link.startswith("mailto:ana@ruiz.example,ben@ortiz.example?subject=Introduction%3A%20Ana%20Ruiz%2C%20meet")
    assert " " not in link and "\n" not in link and "&body=" in link
    assert "%26%20Ben%27s" in link  # the & in the reason cannot end the body early
    assert "%0D%0A%0D%0AAs%20promised" in link
    parts = urlsplit(link)
    fields = parse_qs(parts.query)
    assert unquote(parts.path) == "ana@ruiz.example,ben@ortiz.example"
    assert fields["subject"] == [d.subject]
    assert fields["body"] == [d.body.replace("\n", "\r\n")]


def test_mailto_encodes_non_ascii_as_utf8(configured: App, intro_id: int) -> None:
    add_person(configured, PersonInput(name="Zoë Müller", emails=["zoe+intros@müller.example"]))
    vid = create(configured, "Zoë Müller", "Ana Ruiz", reason="café ☕").view.id
    link = mailto(draft(configured, vid))
    assert link.startswith("mailto:zoe%2Bintros@m%C3%BCller.example?subject=")
    assert "Zo%C3%AB" in link and "%E2%98%95" in link


def test_eml_parses_back_as_an_unsent_draft(configured: App, intro_id: int) -> None:
    d = draft(configured, intro_id, DraftKind.INTRODUCE)
    msg = email.message_from_bytes(eml(d, NOW), policy=email.policy.default)
    assert msg["X-Unsent"] == "1"
    assert msg["Subject"] == "Introduction: Ana Ruiz, meet Dr. Ben Ortiz"
    assert msg["From"] == "Jordan Reyes <jordan@reyes.example>"
    assert [a.addr_spec for a in msg["To"].addresses] == ["ana@ruiz.example", "ben@ortiz.example"]
    assert [a.display_name for a in msg["To"].addresses] == ["Ana Ruiz", "Dr. Ben Ortiz"]
    assert msg["Date"] == "Wed, 25 Nov 2026 12:00:00 +0000"
    body = msg.get_body()
    assert body is not None and body.get_content() == d.body
    assert msg.get_content_type() == "text/plain"


def test_user_templates_override_the_built_in_ones(configured: App, intro_id: int, tmp_path: Path) -> None:
    folder = templates_dir(configured.settings)
    assert folder == tmp_path / "config" / "templates"
    assert not any(t.overridden for t in template_list(configured.settings))
    copied = copy_templates(configured.settings)
    assert sorted(p.name for p in copied) == sorted(f"{k.value}.j2" for k in DraftKind)
    assert copy_templates(configured.settings) == []  # existing copies are kept
    assert draft(configured, intro_id, DraftKind.ASK_FIRST).text == GOLDEN[DraftKind.ASK_FIRST]  # same text
    mine = folder / "intro" / "ask_first.j2"
    mine.write_text("Subject: Quick question, {{ to.first_name }}\n\nWant to meet {{ other.name }}? {{ reason }}\n")
    d = draft(configured, intro_id, DraftKind.ASK_FIRST)
    assert d.template == str(mine)
    assert d.subject == "Quick question, Ana"
    assert d.body == f"Want to meet Dr. Ben Ortiz? {REASON}\n"
    assert [t.overridden for t in template_list(configured.settings)] == [True] * 4


def test_user_text_is_never_run_as_a_template(configured: App, intro_id: int) -> None:
    add_person(configured, PersonInput(name="Eve {{ 7 * 7 }}"))
    vid = create(configured, "Eve", "Ana Ruiz", reason="{% for x in range(3) %}boom{% endfor %} {{ me.email }}").view.id
    d = draft(configured, vid, DraftKind.ASK_SECOND)
    assert "Eve {{ 7 * 7 }} would like" in d.body and "49" not in d.body
    assert "{% for x in range(3) %}boom{% endfor %} {{ me.email }}" in d.body


@pytest.mark.parametrize(
    ("source", "needle"),
    [
        ("Subject: x\n\n{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
        ("Subject: x\n\n{{ nobody.name }}", "'nobody' is undefined"),
        ("Subject: x\n\n{% if %}", "line 3"),
        ("Hello {{ to.name }}", "must start with a 'Subject:' line"),
    ],
)
def test_a_broken_user_template_is_a_one_line_error(configured: App, intro_id: int, source: str, needle: str) -> None:
    folder = templates_dir(configured.settings) / "intro"
    folder.mkdir(parents=True)
    (folder / "ask_first.j2").write_text(source)
    with pytest.raises(InvalidInputError, match="template ") as caught:
        draft(configured, intro_id, DraftKind.ASK_FIRST)
    assert needle in str(caught.value) and "\n" not in str(caught.value)
    assert str(folder / "ask_first.j2") in str(caught.value)


def test_a_template_that_is_not_text(configured: App, intro_id: int) -> None:
    folder = templates_dir(configured.settings) / "intro"
    folder.mkdir(parents=True)
    (folder / "introduce.j2").write_bytes(b"Subject: \xff\xfe\n")
    with pytest.raises(InvalidInputError, match="is not UTF-8 text"):
        draft(configured, intro_id, DraftKind.INTRODUCE)


def test_small_helpers() -> None:
    assert parse_draft_kind("ask-second") is DraftKind.ASK_SECOND
    assert parse_draft_kind("intro") is DraftKind.INTRODUCE
    with pytest.raises(InvalidInputError, match="unknown draft 'poem'"):
        parse_draft_kind("poem")
    assert [sentence(s) for s in ("a", "a.", "a?", "(a)", "", " b ")] == ["a.", "a.", "a?", "(a)", "", "b."]
