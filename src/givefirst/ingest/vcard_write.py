"""Writing edits back into a vCard: the card as the server holds it, with givefirst's name, organization, title,
emails and phones, and every other line (photos, addresses, the server's own X- properties) left as it was.

Text in, text out: `ingest.vcard` reads cards, this only rewrites the five properties givefirst lets a person
edit, through vobject, so that escaping, folding and the card's version stay right.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import vobject

from givefirst.ingest.records import UnreadableFileError


@dataclass(frozen=True)
class CardEdit:
    """The values to write; None leaves that property as it is. Emails and phones are whole sets."""

    name: str | None = None
    organization: str | None = None  # "" removes the ORG
    title: str | None = None  # "" removes the TITLE
    emails: tuple[str, ...] | None = None
    phones: tuple[str, ...] | None = None


def edit_card(raw: str, edit: CardEdit, same: Callable[[str, str], str]) -> str:
    """Return the card `raw` with the edit applied.

    `same(kind, value)` normalises an email or phone ("email"/"phone") the way givefirst stores it, so that a
    value written differently on the card ("+1 (212) 555-0100" for "+12125550100") is recognised and kept as
    written, with its labels. Raises UnreadableFileError when the card cannot be read.
    """
    try:
        card = vobject.readOne(raw, ignoreUnreadable=True)
    except Exception as exc:  # vobject's many parse errors
        raise UnreadableFileError(f"the card on the server cannot be read back ({exc})") from None
    if edit.name is not None:
        _set_single(card, "fn", edit.name)
        if "n" in card.contents:
            given, _, family = edit.name.rpartition(" ")
            card.contents["n"][0].value = vobject.vcard.Name(family=family, given=given)
    if edit.organization is not None:
        if edit.organization:
            _set_single(card, "org", [edit.organization])
        else:
            card.contents.pop("org", None)
    if edit.title is not None:
        if edit.title:
            _set_single(card, "title", edit.title)
        else:
            card.contents.pop("title", None)
    for key, kind, wanted in (("email", "email", edit.emails), ("tel", "phone", edit.phones)):
        if wanted is not None:
            _set_many(card, key, wanted, functools.partial(_normal, same, kind))
    text: str = card.serialize()
    return text


def _set_single(card: Any, key: str, value: Any) -> None:
    lines = card.contents.get(key)
    if lines:
        lines[0].value = value
        del lines[1:]
    else:
        card.add(key).value = value


def _set_many(card: Any, key: str, wanted: tuple[str, ...], normal: Callable[[str], str]) -> None:
    """Keep the lines whose value is wanted (as written, labels and all), drop the others, add the new values."""
    target = {normal(v): v for v in wanted}
    kept = []
    for line in card.contents.get(key, []):
        value = str(line.value).strip()
        value = value[len("tel:") :] if value.lower().startswith("tel:") else value
        value = value[len("mailto:") :] if value.lower().startswith("mailto:") else value
        if normal(value) in target:
            kept.append(line)
            target.pop(normal(value))
    card.contents[key] = kept
    if not kept:
        card.contents.pop(key)
    for value in target.values():
        line = card.add(key)
        line.value = value
        if key == "email":
            line.type_param = "INTERNET"


def _normal(same: Callable[[str, str], str], kind: str, value: str) -> str:
    try:
        return same(kind, value)
    except Exception:  # a value givefirst cannot normalise is compared as written
        return value.strip().lower()
