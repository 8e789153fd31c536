"""Your card: a vCard of what you choose to share about yourself, for the other person to save in one scan.

The card is built by the same writer as `givefirst export vcard` (version 3.0: what phone cameras read best);
the QR code is drawn on the server (segno, pure Python), so the phone needs nothing but the page.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from givefirst.services.context import App
from givefirst.services.export import Contact, vcard_of
from givefirst.store import people as people_store

LABELS = {"organization": "Organization", "title": "Title", "email": "Email", "phone": "Phone", "url": "Link",
          "location": "Location"}  # fmt: skip
OFF_BY_DEFAULT = ("phone", "location")  # a phone number and a city are shared only when you tick them


@dataclass(frozen=True)
class Field:
    key: str  # "organization", "title", "location", or "email0", "phone1", "url0" (kind and position)
    label: str
    value: str
    shared: bool

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "value": self.value, "shared": self.shared}


@dataclass(frozen=True)
class Card:
    person_id: int
    name: str
    fields: list[Field]
    vcard: str
    is_set_up: bool  # False while "me" is still the placeholder nobody has named

    def as_dict(self) -> dict[str, Any]:
        return {"person_id": self.person_id, "name": self.name, "fields": [f.as_dict() for f in self.fields],
                "vcard": self.vcard, "is_set_up": self.is_set_up}  # fmt: skip


def my_card(app: App, share: Collection[str] | None = None) -> Card:
    """Return your card with the fields `share` names (None: the defaults, everything but phones and place)."""
    with app.begin() as conn:
        me = app.me(conn)
        row = people_store.person_row(conn, me)
        found = people_store.identities_of(conn, me)
    fields: list[Field] = []
    for key in ("organization", "title"):
        if getattr(row, key):
            fields.append(Field(key, LABELS[key], str(getattr(row, key)), False))
    counts: dict[str, int] = {}
    for kind, value, _label in found:
        if kind in ("email", "phone", "url"):
            n = counts.get(kind, 0)
            counts[kind] = n + 1
            fields.append(Field(f"{kind}{n}", LABELS[kind], value, False))
    if row.location:
        fields.append(Field("location", LABELS["location"], str(row.location), False))
    chosen = [
        Field(f.key, f.label, f.value, f.key in share if share is not None else not f.key.startswith(OFF_BY_DEFAULT))
        for f in fields
    ]
    picked = {f.key for f in chosen if f.shared}
    identities = [(kind, value, label) for kind, value, label in found if kind in ("email", "phone", "url")]
    numbered = []
    seen: dict[str, int] = {}
    for kind, value, label in identities:
        n = seen.get(kind, 0)
        seen[kind] = n + 1
        if f"{kind}{n}" in picked:
            numbered.append((kind, value, label))
    card_row = SimpleNamespace(
        id=me, name=row.name, credentials=row.credentials, notes=None, birthday=None,  # (never on a shared card)
        organization=row.organization if "organization" in picked else None,
        title=row.title if "title" in picked else None, location=row.location if "location" in picked else None,
    )  # fmt: skip
    text = vcard_of(Contact(card_row, numbered, []), "3.0").serialize()
    return Card(me, str(row.name), chosen, text, is_set_up=str(row.name) != "Me" or bool(found))


def qr_svg(text: str, *, title: str) -> bytes:
    """Return a QR code of `text` as an SVG image (error correction M: a phone reads it off a dim screen)."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="svg", scale=6, border=4, title=title, xmldecl=True)
    return out.getvalue()
