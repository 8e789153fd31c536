"""The user's own email addresses: remembered on "me", so that mail imports need no --me, and taken back from a
contact when mail imported before the address was known to be the user's made one of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.ingest.identity import normalize_email
from givefirst.services import tiestats
from givefirst.services.context import App
from givefirst.store import mail as mail_store
from givefirst.store import people as people_store


@dataclass(frozen=True)
class Claim:
    """What making an address the user's did."""

    address: str
    added: bool  # False when it was already theirs
    contact: tuple[int, str] | None = None  # (id, name) of the contact the address was on
    contact_kept: bool = False  # the contact had other addresses: only this one moved
    contact_removed: bool = False  # nothing was left of the contact: they are gone
    messages_removed: int = 0  # messages between the user's own addresses, which are no exchange with anyone
    messages_kept: int = 0  # messages with other people too: theirs still, without the contact

    @property
    def notice(self) -> str | None:
        """Return what happened to the contact, in words, or None when the address was nobody's."""
        if self.contact is None:
            return None
        pid, name = self.contact
        if self.contact_kept:
            return (f"{self.address} was an address of {name} (id {pid}); it is yours now, and {name} keeps their "
                    "other addresses and history")  # fmt: skip
        gone = "removed (nothing else was known of them)" if self.contact_removed else f"kept (id {pid})"
        text = (f"{self.address} had been imported as a contact, {name}: the address is yours now; {name} was "
                f"{gone}; {self.messages_removed} messages between your own addresses removed")  # fmt: skip
        if self.messages_kept:
            text += (f", {self.messages_kept} messages with others kept (import that mail again to mark those you "
                     "sent from it as yours)")  # fmt: skip
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "address": self.address, "added": self.added,
            "contact": None if self.contact is None else {"id": self.contact[0], "name": self.contact[1]},
            "contact_kept": self.contact_kept, "contact_removed": self.contact_removed,
            "messages_removed": self.messages_removed, "messages_kept": self.messages_kept, "notice": self.notice,
        }  # fmt: skip


def add_my_address(app: App, address: str) -> Claim:
    """Make an email address the user's; when a contact has it, take it from them (see `Claim`)."""
    value = normalize_email(address, app.settings.email_provider_rules)
    with app.begin() as conn:
        me = app.me(conn)
        owner = people_store.person_by_identity(conn, "email", value)
        if owner == me:
            return Claim(value, added=False)
        if owner is None:
            people_store.add_identity(conn, me, "email", value)
            return Claim(value, added=True)
        row = people_store.person_row(conn, owner)
        contact = (owner, str(row.name))
        people_store.remove_identity(conn, owner, "email", value)
        people_store.add_identity(conn, me, "email", value)
        if any(kind == "email" for kind, _, _ in people_store.identities_of(conn, owner)):
            # someone real, who also had this address (a shared or passed-on one): only the address moves
            return Claim(value, added=True, contact=contact, contact_kept=True)
        # a contact made of this address alone, by mail imported before it was known to be the user's: their
        # messages were the user's own, with others or with themselves
        messages = mail_store.email_interactions_of(conn, owner)
        alone = [iid for iid, people in messages if people == 1]
        shared = [iid for iid, people in messages if people > 1]
        others = mail_store.people_on(conn, shared) - {owner}
        mail_store.unlink(conn, owner, shared)
        mail_store.delete_interactions(conn, alone)
        removed = mail_store.delete_if_empty(conn, owner)
        tiestats.refresh(conn, others if removed else others | {owner}, app.weights)
        return Claim(value, added=True, contact=contact, contact_removed=removed, messages_removed=len(alone),
                     messages_kept=len(shared))  # fmt: skip


def remove_my_address(app: App, address: str) -> str:
    """Forget an address as the user's; return it as stored. Mail already imported is left as it is."""
    try:
        value = normalize_email(address, app.settings.email_provider_rules)
    except InvalidInputError:
        value = address.strip().lower()
    with app.begin() as conn:
        me = app.me(conn)
        if people_store.remove_identity(conn, me, "email", value):
            return value
    if value in {a.lower() for a in app.settings.me_emails}:
        raise InvalidInputError(f"{value} is set in your configuration file (me_emails): remove it there")
    raise NotFoundError(f"{value} is not one of your addresses (see givefirst me list)")


def my_addresses(app: App) -> list[dict[str, str]]:
    """Return the user's addresses: those remembered on "me", then those of the configuration file."""
    with app.begin() as conn:
        me = people_store.me_id(conn)
        own = [value for kind, value, _ in people_store.identities_of(conn, me) if kind == "email"] if me else []
    found = [{"address": a, "from": "remembered"} for a in own]
    found += [{"address": a.lower(), "from": "configuration"} for a in app.settings.me_emails if a.lower() not in own]
    return found


__all__ = ["Claim", "add_my_address", "my_addresses", "remove_my_address"]
