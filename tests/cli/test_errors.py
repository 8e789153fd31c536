"""Bad input gets a one-line error and a non-zero exit, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.cli.test_user_story import ok
from tests.conftest import Cli, Result


def one_line_error(result: Result, code: int | None = None) -> str:
    assert result.code != 0
    if code is not None:
        assert result.code == code
    assert "Traceback" not in result.err
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    assert lines[0].startswith("error: ")
    return str(lines[0])


def test_unknown_person(cli: Cli) -> None:
    assert "no person named 'Nobody'" in one_line_error(cli("show", "Nobody"), 1)


def test_ambiguous_name_lists_the_candidates(cli: Cli) -> None:
    ok(cli("add", "Priya Shah"))
    ok(cli("add", "Priya Patel"))
    line = one_line_error(cli("log", "Priya"), 1)
    assert "matches 2 people" in line and "Priya Patel (id" in line and "Priya Shah (id" in line


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("add", "X", "-e", "not-an-email"), "invalid email"),
        (("add", "X", "-p", "12"), "invalid phone"),
        (("add", "X", "--met-on", "2026-02-30"), "invalid --met-on"),
        (("log", "me"), "name the other people"),
        (("gave", "me", "x"), "not with yourself"),
        (("edit", "me", "--tier", "bestie"), "unknown tier"),
        (("log", "Ana", "--kind", "telepathy"), "unknown kind"),
        (("today", "--size", "0"), "at least one item"),
        (("done", "nonsense"), "not a plan item"),
        (("done", "promise:99"), "no promised give"),
        (("close", "need", "5"), "no need with id 5"),
    ],
)
def test_invalid_values(cli: Cli, args: tuple[str, ...], needle: str) -> None:
    ok(cli("add", "Ana Ruiz"))
    assert needle in one_line_error(cli(*args))


def test_an_email_belongs_to_one_person(cli: Cli) -> None:
    ok(cli("add", "Ana Ruiz", "-e", "ana@x.example"))
    assert "already belongs to Ana Ruiz" in one_line_error(cli("add", "Ana R.", "-e", "ANA@x.example"))


def test_missing_database_directory(cli: Cli, tmp_path: Path) -> None:
    line = one_line_error(cli("people", db=str(tmp_path / "nowhere" / "g.db")), 1)
    assert "does not exist" in line


def test_database_from_a_newer_version(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    ok(cli("people", db=str(path)))
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    line = one_line_error(cli("people", db=str(path)), 1)
    assert "newer givefirst" in line


def test_not_a_givefirst_database(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE songs (id INTEGER)"))
    engine.dispose()
    assert "not a givefirst database" in one_line_error(cli("people", db=str(path)), 1)


def test_not_a_database_at_all(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n" * 100)
    assert "cannot open" in one_line_error(cli("people", db=str(path)), 1)


def test_usage_errors_exit_2_without_traceback(cli: Cli) -> None:
    result = cli("add")
    assert result.code == 2
    assert "Traceback" not in result.err and "Missing argument" in result.err
