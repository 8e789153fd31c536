"""Real mail (Phillip Allen's Enron Inbox and Sent folders, notmuch's maildir test corpus): imported in separate
runs, in either order, and once more in another form, it stores exactly what one run stores. Skipped when the
shared sample folder is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from givefirst.config import Settings
from givefirst.services.context import open_app
from givefirst.services.importer import ImportOptions, import_paths
from tests.conftest import NOW, SHARED
from tests.services.mail_samples import snapshot

REAL = SHARED / "realdata"
ALLEN = frozenset({"phillip.allen@enron.com", "k..allen@enron.com", "pallen@enron.com", "pallen@ect.enron.com"})


def runs_agree(real: Path, tmp_path: Path, order: str) -> dict[str, object]:
    """Import Allen's Inbox and Sent together, then apart in `order`; return the one-run snapshot after checking
    that the other gives the same."""
    inbox, sent = real / "mbox/enron/enron.allen-p.inbox.mbox", real / "mbox/enron/enron.allen-p._sent_mail.mbox"
    states = []
    for name, runs in (
        ("one", [[inbox, sent]]),
        ("apart", [[inbox], [sent]] if order == "inbox" else [[sent], [inbox]]),
    ):
        app = open_app(Settings(database=str(tmp_path / f"{name}.db"), today=NOW.date()), now=NOW)
        try:
            for paths in runs:
                report = import_paths(app, "mbox", [str(p) for p in paths], ImportOptions(me=ALLEN))
                assert not report.failed
            again = import_paths(app, "mbox", [str(inbox), str(sent)], ImportOptions(me=ALLEN))
            assert again.totals().get("interactions added", 0) == 0
            states.append(snapshot(app))
        finally:
            app.close()
    assert states[0] == states[1]
    return states[0]


@pytest.mark.parametrize("order", ["inbox", "sent"])
def test_allens_inbox_and_sent_apart_give_what_together_gives(tmp_path: Path, order: str) -> None:
    if not (REAL / "mbox/enron").is_dir():
        pytest.skip("the shared sample folder is not here")
    state = runs_agree(REAL, tmp_path, order)
    assert len(state["interactions"]) >= 50  # type: ignore[arg-type]  # he wrote and was answered, often


def test_a_maildir_imported_twice_as_two_folders_stores_each_message_once(tmp_path: Path) -> None:
    """notmuch's corpus has a 'duplicate' folder of messages also found elsewhere."""
    corpus = REAL / "maildir/notmuch"
    if not corpus.is_dir():
        pytest.skip("the shared sample folder is not here")
    app = open_app(Settings(database=str(tmp_path / "nm.db"), today=NOW.date()), now=NOW)
    try:
        me = frozenset({"cworth@cworth.org", "jordan@reyes.example"})
        import_paths(app, "maildir", [str(corpus)], ImportOptions(me=me, two_way_only=False))
        once = snapshot(app)
        import_paths(app, "maildir", [str(corpus / "duplicate"), str(corpus / "default")], ImportOptions(me=me))
        assert snapshot(app) == once
        keys = [m[3] for m in once["interactions"]]  # type: ignore[attr-defined]
        assert len(keys) > 0
    finally:
        app.close()
