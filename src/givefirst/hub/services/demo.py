"""`givefirst hub demo`: build the demo association into a hub database, from scratch, the same every time.

The demo's records (`hub.demo.scenario`) are written in one transaction through `hub.store.demo_rows`, with
their passwords hashed by Argon2id at deliberately cheap parameters (the demo only: 300 members in about a
second; a real hub hashes with argon2-cffi's defaults). A database that holds anything other than an earlier
demo is refused, never overwritten.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Connection

from givefirst.errors import DatabaseError
from givefirst.hub.demo.records import DemoLogin, Scenario
from givefirst.hub.demo.scenario import DEMO_SEED, make_scenario
from givefirst.hub.services.context import Hub
from givefirst.hub.store import demo_rows
from givefirst.hub.store import schema as t
from givefirst.hub.store import settings as stored_settings
from givefirst.hub.store.database import current_revision, open_hub

# Cheap on purpose, for the demo's known passwords only (RFC 9106's floor is far above; see the module doc).
DEMO_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
ASSOCIATION_SETTING = "association"  # the key `hub init` names the association under


@dataclass(frozen=True)
class DemoReport:
    association: str
    counts: dict[str, int]
    logins: tuple[DemoLogin, ...]
    matching: str  # what became of the matching pass
    join_token: tuple[str, str] | None = None  # (member's name, API token): `givefirst hub join` from a laptop

    def as_dict(self) -> dict[str, Any]:
        return {
            "association": self.association,
            "counts": self.counts,
            "logins": [{"who": x.who, "name": x.name, "email": x.email, "password": x.password} for x in self.logins],
            "matching": self.matching,
            "join_token": {"name": self.join_token[0], "token": self.join_token[1]} if self.join_token else None,
        }


def prepare_demo_database(target: str) -> None:
    """Make `target` ready for a fresh demo: migrate it and empty an earlier demo; refuse anything else."""
    engine = open_hub(target, migrate=False)
    try:
        current_revision(engine)  # names a personal givefirst database, or a database it cannot open
        with engine.connect() as conn:
            foreign = demo_rows.foreign_tables(conn)
        if foreign:
            listed = ", ".join(foreign[:3]) + (", …" if len(foreign) > 3 else "")
            raise DatabaseError(
                f"{demo_rows.describe(engine)} already holds other tables ({listed}); "
                "the demo builds only into an empty database or an earlier demo"
            )
        engine.dispose()
        engine = open_hub(target)  # the migrations, now that the database is known to be ours
        with engine.begin() as conn:
            if demo_rows.member_count(conn) and not demo_rows.is_demo(conn):
                raise DatabaseError(
                    f"{demo_rows.describe(engine)} holds a hub that is not a demo; the demo will not overwrite it"
                )
            demo_rows.clear_all(conn)
    finally:
        engine.dispose()


def build_demo(hub: Hub, *, seed: int = DEMO_SEED, match: bool = True) -> DemoReport:
    """Write the demo association into `hub` (prepared by `prepare_demo_database`) as of `hub.now()`."""
    scenario = make_scenario(hub.now(), seed)
    with hub.engine.begin() as conn:
        counts = write_scenario(conn, scenario)
        stored_settings.put(conn, ASSOCIATION_SETTING, scenario.association)
        stored_settings.put(conn, demo_rows.DEMO_MARKER, json.dumps({"seed": seed, "built": hub.now().isoformat()}))
    matched = run_matching(hub) if match else "skipped"
    return DemoReport(scenario.association, counts, tuple(scenario.logins), matched, _join_token(hub, scenario))


def _join_token(hub: Hub, scenario: Scenario) -> tuple[str, str] | None:
    """An API token for the first login (the mover), so that a visitor can join the demo from their own givefirst
    at once (`givefirst hub join URL --token-env …`); a real member makes theirs on /me."""
    from givefirst.hub.services import api_tokens
    from givefirst.hub.store import members as member_store

    if not scenario.logins:
        return None
    first = scenario.logins[0]
    with hub.engine.connect() as conn:
        member = member_store.member_by_email(conn, first.email)
    if member is None:
        return None
    # Known, as the demo's passwords are: the same demo every time, and a README that shows the real command.
    known = "demo-" + first.email.split("@", 1)[0]
    return first.name, api_tokens.create(hub, member.id, "demo: givefirst hub join", known=known)


def index_terms(conn: Connection, found: Iterable[tuple[int, str, tuple[str, ...], str | None]]) -> int:
    """Write the board's look-up terms of items inserted in bulk (id, text, tags, place).

    The board finds items through `item_terms` rows that adding an item writes one by one; bulk rows need them
    too. The rule that makes them is the board's (`hub.domain.items.item_terms`): asked for, never copied.
    """
    from givefirst.hub.domain.items import item_terms

    rows = (
        {"term": term, "item_id": n}
        for n, text, tags, place in found
        for term in sorted(set(item_terms(text, tags, place)))
    )
    return demo_rows.bulk_insert(conn, t.item_terms, rows)


def run_matching(hub: Hub) -> str:
    """Run the hub's full matching pass, so the board and "whom I can help" open with proposals."""
    from givefirst.hub.services.matching import match_all

    report = match_all(hub)
    among = f"{report.needs:,} needs and {report.offers:,} offers"
    return f"{report.pairs:,} pairs proposed among {among} ({report.seconds:.1f} s)"


def _ids(keys: Iterable[str]) -> dict[str, int]:
    return {key: n for n, key in enumerate(keys, 1)}


def write_scenario(conn: Connection, s: Scenario) -> dict[str, int]:
    """Insert every record of `s` with ids 1, 2, 3… per table; return the counts by kind."""
    chapter = _ids(c.key for c in s.chapters)
    member = _ids(m.key for m in s.members)
    item = _ids(i.key for i in s.items)
    event = _ids(e.key for e in s.events)
    first: datetime = min(m.joined_at for m in s.members)
    put = demo_rows.bulk_insert
    put(conn, t.chapters, (
        {"id": chapter[c.key], "slug": c.slug, "name": c.name, "region": c.region, "timezone": c.timezone,
         "created_at": first} for c in s.chapters))  # fmt: skip
    put(conn, t.members, (
        {"id": member[m.key], "public_id": m.public_id, "email": m.email, "name": m.name,
         "password_hash": DEMO_HASHER.hash(m.password), "role": m.role, "chapter_id": chapter[m.chapter],
         "sponsor_id": member[m.sponsor] if m.sponsor else None, "headline": m.headline, "location": m.location,
         "moving_to": m.moving_to, "moving_on": m.moving_on, "digest_opt_out": m.digest_opt_out,
         "joined_at": m.joined_at, "last_seen_at": m.last_seen_at, "deleted_at": None} for m in s.members))  # fmt: skip
    put(conn, t.items, (
        {"id": item[i.key], "public_id": i.public_id, "member_id": member[i.member], "kind": i.kind, "text": i.text,
         "tags": ",".join(i.tags), "location": i.location, "visibility": i.visibility, "status": i.status,
         "created_at": i.created_at, "updated_at": i.closed_at or i.created_at, "closed_at": i.closed_at,
         "expires_on": None} for i in s.items))  # fmt: skip
    put(conn, t.events, (
        {"id": event[e.key], "public_id": e.public_id, "chapter_id": chapter[e.chapter], "title": e.title,
         "starts_at": e.starts_at, "ends_at": e.ends_at, "place": e.place, "description": e.description,
         "created_by": member[e.created_by], "created_at": e.created_at} for e in s.events))  # fmt: skip
    put(conn, t.rsvps, (
        {"event_id": event[r.event], "member_id": member[r.member], "answer": r.answer, "answered_at": r.answered_at,
         "checked_in_at": r.checked_in_at} for r in s.rsvps))  # fmt: skip
    put(conn, t.conversations, (
        {"id": n, "event_id": event[c.event], "member_id": member[c.member], "other_id": member[c.other],
         "note": c.note, "recorded_at": c.recorded_at, "follow_up_due": c.follow_up_due,
         "followed_up_at": c.followed_up_at} for n, c in enumerate(s.conversations, 1)))  # fmt: skip
    put(conn, t.introductions, (
        {"id": n, "public_id": x.public_id, "kind": x.kind, "need_id": item[x.need], "offer_id": item[x.offer],
         "proposer_id": member[x.proposer] if x.proposer else None, "seeker_id": member[x.seeker],
         "helper_id": member[x.helper], "seeker_answer": x.seeker_answer, "helper_answer": x.helper_answer,
         "message": x.message, "event_id": event[x.event] if x.event else None, "created_at": x.created_at,
         "connected_at": x.connected_at, "outcome": x.outcome, "outcome_note": x.outcome_note,
         "outcome_at": x.outcome_at, "seeker_thanks_public": x.seeker_thanks_public,
         "helper_thanks_public": x.helper_thanks_public} for n, x in enumerate(s.introductions, 1)))  # fmt: skip
    owner = {i.key: member[i.member] for i in s.items}
    declined_at = {(x.need, x.offer): x.created_at for x in s.introductions}
    put(conn, t.declined_pairs, (
        {"id": n, "need_id": item[need], "offer_id": item[offer],
         "member_low": min(owner[need], owner[offer]), "member_high": max(owner[need], owner[offer]),
         "declined_by": member[by], "at": declined_at[(need, offer)]}
        for n, (need, offer, by) in enumerate(s.declined, 1)))  # fmt: skip
    put(conn, t.handoffs, (
        {"id": n, "member_id": member[h.member], "from_chapter_id": chapter[h.from_chapter],
         "to_chapter_id": chapter[h.to_chapter], "status": h.status, "proposed_at": h.proposed_at,
         "answered_at": None} for n, h in enumerate(s.handoffs, 1)))  # fmt: skip
    put(conn, t.audit_log, (
        {"id": n, "actor_id": member[a.actor], "action": a.action, "target": a.target, "detail": a.detail,
         "at": a.at} for n, a in enumerate(s.audit, 1)))  # fmt: skip
    index_terms(conn, ((item[i.key], i.text, i.tags, i.location) for i in s.items))
    demo_rows.reset_sequences(conn)
    return {
        "chapters": len(s.chapters),
        "members": len(s.members),
        "leads": sum(1 for m in s.members if m.role == "lead"),
        "sponsored": sum(1 for m in s.members if m.sponsor),
        "needs": sum(1 for i in s.items if i.kind == "need"),
        "offers": sum(1 for i in s.items if i.kind == "offer"),
        "events": len(s.events),
        "rsvps": len(s.rsvps),
        "check_ins": sum(1 for r in s.rsvps if r.checked_in_at),
        "conversations": len(s.conversations),
        "introductions": len(s.introductions),
    }
