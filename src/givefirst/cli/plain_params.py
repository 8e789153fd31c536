"""Converting plain command-line values (text, numbers, flags, paths) without Pydantic.

Typer coerces every parameter through a Pydantic `TypeAdapter` built the first time the parameter is used:
importing Pydantic and building the adapters of `--db`, `--today` and a command's own options cost about a third
of a plain command's start-up (docs/benchmarks.md, "Start-up"). givefirst's parameters are all `str`, `int`,
`float`, `bool`, `Path` or `list[str]`; for the usual, well-formed value this gives the same result directly.
Anything else (a malformed number, bytes, an unusual spelling of a boolean) goes to Typer's own coercion, so the
result and the error message are exactly Typer's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer import _click
from typer._coercion import RuntimeParam, build_runtime_param
from typer._param_types import coerce_cli_path

_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_TRUE = {"true", "1", "yes", "on", "y", "t"}  # what Pydantic's lax bool accepts
_FALSE = {"false", "0", "no", "off", "n", "f", ""}
_UNSURE = object()  # "let Typer decide"


def _leaf(annotation: Any, value: Any) -> Any:
    """Return `value` converted to `annotation` when it is a value whose conversion is unambiguous, else _UNSURE."""
    if annotation is str:
        return value if isinstance(value, str) else _UNSURE
    if annotation is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        return _UNSURE
    if annotation is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return int(value) if isinstance(value, str) and _INT.fullmatch(value) else _UNSURE  # padded: Typer
    if annotation is float:
        if isinstance(value, float):
            return value
        return float(value) if isinstance(value, str) and _FLOAT.fullmatch(value) else _UNSURE
    return _UNSURE


@dataclass(frozen=True)
class PlainParam(RuntimeParam):
    """Typer's runtime coercion for one plain parameter, with a fast path for well-formed values."""

    def _coerce_value(self, value: Any, param: Any, ctx: _click.Context) -> Any:
        annotation = self.annotation
        if annotation is Path:
            try:
                return coerce_cli_path(value, self.parameter_info, path_type=Path, param=param, ctx=ctx)
            except Exception:  # Typer's own coercion, below, gives its error and message
                pass
        elif annotation == list[str] and isinstance(value, list | tuple):
            if all(isinstance(item, str) for item in value):
                return list(value)
        else:
            converted = _leaf(annotation, value)
            if converted is not _UNSURE:
                return converted
        return build_runtime_param(param.type_descriptor)._coerce_value(value, param=param, ctx=ctx)


_PLAIN = (str, int, float, bool, Path, list[str])


def is_plain(descriptor: Any) -> bool:
    """Whether a parameter is a plain one: a simple type, no custom parser, no bounds, not a file or a choice."""
    info = descriptor.parameter_info
    return (
        any(descriptor.annotation == kind for kind in _PLAIN)
        and info.parser is None
        and info.min is None
        and info.max is None
        and descriptor.file_annotation is None
        and not descriptor.is_choice
        and (descriptor.annotation is not Path or info.path_type is None)
    )


def _make_plain(param: Any) -> None:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None and getattr(param, "_runtime_param", None) is None and is_plain(descriptor):
        param._runtime_param = PlainParam(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation)


def use_plain_params(command: _click.Command) -> None:
    """Give every plain parameter of `command` (and of its subcommands) the Pydantic-free coercion.

    The `-h/--help` flag is made on first use (its names depend on the context), so it is converted as it is made.
    """
    for param in command.params:
        _make_plain(param)
    make_help = command.get_help_option

    def get_help_option(ctx: _click.Context) -> Any:
        option = make_help(ctx)
        _make_plain(option)
        return option

    command.get_help_option = get_help_option  # type: ignore[method-assign]
    for sub in getattr(command, "commands", {}).values():
        use_plain_params(sub)
