"""The Pydantic-free coercion of plain parameters gives exactly what Typer's own coercion gives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer._coercion import build_runtime_param, resolve_type_descriptor
from typer.core import TyperOption
from typer.models import OptionInfo

from givefirst.cli.plain_params import PlainParam, is_plain
from tests.conftest import Cli

KINDS: list[Any] = [str, int, float, bool, Path, list[str]]

# Values a command line gives: well-formed and malformed numbers, spellings of booleans, odd text.
TEXT = st.one_of(
    st.sampled_from(["5", "+5", " 7 ", "05", "-0", "1_000", "5.0", "0x10", "1e3", ".5", "-2.5", "nan", "", " "]),
    st.sampled_from(["true", "False", "YES", "off", "1", "0", "t", "n", "maybe", "é", "٣"]),
    st.text(max_size=8),
)


def _outcome(runtime: Any, value: Any, param: Any) -> tuple[str, Any]:
    try:
        return "ok", runtime.coerce(value, param=param, ctx=None)
    except Exception as exc:  # the message is what a user sees
        return "error", (type(exc).__name__, str(exc))


def _both(kind: Any, value: Any) -> tuple[tuple[str, Any], tuple[str, Any]]:
    info = OptionInfo()
    descriptor = resolve_type_descriptor(kind, info)
    multiple = kind == list[str]
    param = TyperOption(param_decls=["--x"], type_descriptor=descriptor, multiple=multiple)
    assert is_plain(descriptor)
    typer_way = _outcome(build_runtime_param(descriptor), value, param)
    ours = _outcome(PlainParam(parameter_info=info, annotation=kind), value, param)
    return typer_way, ours


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from([str, int, float, bool, Path]), value=TEXT)
def test_plain_values_coerce_as_typer_does(kind: Any, value: str) -> None:
    typer_way, ours = _both(kind, value)
    if typer_way[0] == "ok" and isinstance(typer_way[1], float) and typer_way[1] != typer_way[1]:
        assert ours[0] == "ok" and ours[1] != ours[1]  # nan
    else:
        assert ours == typer_way


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.text(max_size=6), max_size=4))
def test_lists_of_text_coerce_as_typer_does(values: list[str]) -> None:
    typer_way, ours = _both(list[str], values)
    assert ours == typer_way


@pytest.mark.parametrize("value", [None, True, False, 3])
def test_values_already_typed(value: Any) -> None:
    for kind in (int, bool):
        typer_way, ours = _both(kind, value)
        assert ours == typer_way


def test_a_plain_command_does_not_import_pydantic(tmp_path: Path) -> None:
    """The point of it: a database command and its flags start without Pydantic."""
    code = (
        "import sys\n"
        "from givefirst.cli.app import main\n"
        "try:\n"
        f"    main(['--db', {str(tmp_path / 'g.db')!r}, '--today', '2026-11-02', 'people', '-n', '3', '-t', 'x'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('pydantic' in sys.modules, 'givefirst.domain.plan' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False False"


def test_a_malformed_number_still_gets_typers_message(cli: Cli) -> None:
    result = cli("people", "--limit", "x")
    assert result.code == 2
    assert "Invalid value for '--limit'" in result.err
    assert "valid integer" in result.err
