"""A new user imports a LinkedIn export and sees, the same day, the needs in their messages (issue 14)."""

from __future__ import annotations

from pathlib import Path

from givefirst.services import heard
from givefirst.services.context import App
from givefirst.services.importer import import_paths

HEADER = "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,FOLDER\n"
ME = "Chris Aldana,https://www.linkedin.com/in/chrisaldana"
LONG = (
    "Hi Chris, congratulations on the move to Tampa and thanks again for the coffee at Oxford Exchange last week, "
    "it was great to hear how the relocation went and how the kids are settling in at school. Things here are busy: "
    "we just signed the lease on the second warehouse in Plant City and the team doubled since spring, which is "
    "exciting and a little terrifying at the same time. Anyway, a real ask while I have you. "
    "We still have no one to run the returns process at the new building. "
    "I'm looking for an experienced reverse-logistics manager who has set up a returns line from scratch."
)
TEMPLATE = (
    "Hi {first}, I came across your profile and was impressed by your background. My client, a leading 3PL, is "
    "hiring a VP of Operations. Would you be open to a quick call this week?"
)


def _row(n: int, frm: str, to: str, content: str) -> str:
    return f'c-{n},,{frm},{to},2026-11-{10 + n:02d} 09:00:00 UTC,,"{content}",INBOX\n'


def test_a_long_message_is_kept_in_full_and_its_ask_is_heard(app: App, tmp_path: Path) -> None:
    assert len(LONG) > 500  # longer than the summary the import used to keep (80 characters, cut at 500)
    rows = [_row(1, "Dana Whitfield,https://www.linkedin.com/in/danawhitfield", "Chris Aldana", LONG)]
    for n in range(2, 5):  # a recruiter's template, from three accounts
        rows.append(_row(n, f"Rita Recruiter,https://www.linkedin.com/in/rita{n}", "Chris Aldana",
                         TEMPLATE.format(first="Chris")))  # fmt: skip
    rows.append(_row(6, ME, "Dana Whitfield", "Happy to introduce you to the returns lead I worked with at Hartwell."))
    export = tmp_path / "messages.csv"
    export.write_text(HEADER + "".join(rows), encoding="utf-8")
    import_paths(app, "linkedin", [str(export)])

    heard.scan(app)
    found = heard.list_candidates(app)
    dana = [c for c in found if c["person"] == "Dana Whitfield"]
    assert len(dana) == 1 and dana[0]["kind"] == "need"
    assert dana[0]["sentence"].startswith("We still have no one to run the returns process")
    assert dana[0]["sentence"].endswith("a returns line from scratch.")  # the end of a 600-character message
    assert dana[0]["provenance"] == "from a LinkedIn message, 11 November 2026"
    assert not any("VP of Operations" in c["sentence"] for c in found)  # the recruiter's template
    mine = [c for c in found if c["person"] == "you"]
    assert [c["kind"] for c in mine] == ["offer"]
