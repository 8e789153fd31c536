"""A large association for the hub benchmark: N members in N/250 chapters with 2N open needs and offers.

The text of each need and offer comes from the hub demo's templates (`givefirst.hub.demo.content`), so the
matching engine meets the same kind of language as in the demo; one `random.Random(seed)` draws everything.
Rows go in through `hub.store.demo_rows.bulk_insert` (COPY on PostgreSQL), with ids chosen here.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher

from givefirst.hub.demo import content as T
from givefirst.hub.services.context import Hub
from givefirst.hub.services.demo import index_terms
from givefirst.hub.store import demo_rows
from givefirst.hub.store import schema as t

# Chapters are named after real metro areas (the gazetteer knows them), numbered when there are more chapters
# than places: "AOP Tampa 3".
METROS = (
    ("New York", "NY"), ("Newark", "NJ"), ("Tampa", "FL"), ("Miami", "FL"), ("Orlando", "FL"), ("Boston", "MA"),
    ("Philadelphia", "PA"), ("Chicago", "IL"), ("Atlanta", "GA"), ("Dallas", "TX"), ("Houston", "TX"),
    ("Austin", "TX"), ("Denver", "CO"), ("Phoenix", "AZ"), ("Seattle", "WA"), ("Portland", "OR"),
    ("San Francisco", "CA"), ("Los Angeles", "CA"), ("San Diego", "CA"), ("Minneapolis", "MN"),
    ("Detroit", "MI"), ("Charlotte", "NC"), ("Nashville", "TN"), ("Baltimore", "MD"), ("Pittsburgh", "PA"),
)  # fmt: skip


@dataclass(frozen=True)
class Size:
    members: int
    chapters: int
    items: int

    @classmethod
    def for_members(cls, members: int) -> Size:
        """The issue's shape, scaled: 50,000 members → 200 chapters and 100,000 open needs and offers."""
        return cls(members=members, chapters=max(3, members // 250), items=2 * members)


def _public_id(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.randbytes(12)).decode()


def _chapters(size: Size, now: datetime) -> Iterator[dict[str, Any]]:
    for n in range(1, size.chapters + 1):
        city, state = METROS[(n - 1) % len(METROS)]
        round_ = (n - 1) // len(METROS)
        name = f"AOP {city}" + (f" {round_ + 1}" if round_ else "")
        yield {"id": n, "slug": f"aop-{city.lower().replace(' ', '-')}-{n}", "name": name,
               "region": f"{city}, {state}", "timezone": "America/New_York", "created_at": now}  # fmt: skip


def _members(size: Size, now: datetime, rng: random.Random, password_hash: str) -> Iterator[dict[str, Any]]:
    for n in range(1, size.members + 1):
        chapter = (n - 1) % size.chapters + 1
        city, state = METROS[(chapter - 1) % len(METROS)]
        # the first member of each chapter leads it; member 1 is also the association's admin
        role = "admin" if n == 1 else "lead" if n <= size.chapters else "member"
        sponsor = n - size.chapters if n > size.chapters and rng.random() < 0.3 else None
        yield {
            "id": n, "public_id": _public_id(rng), "email": f"member{n}@bench.example", "name": f"Member {n}",
            "password_hash": password_hash, "role": role, "chapter_id": chapter, "sponsor_id": sponsor,
            "headline": rng.choice(rng.choice(T.TRADES).titles), "location": f"{city}, {state}",
            "moving_to": None, "moving_on": None, "digest_opt_out": False,
            "joined_at": now - timedelta(days=rng.randrange(1, 2000) + (size.members - n) // 50),
            "last_seen_at": now - timedelta(hours=rng.randrange(1, 2000)), "deleted_at": None,
        }  # fmt: skip


def item_row(rng: random.Random, n: int, member: int, kind: str, now: datetime, city: str) -> dict[str, Any]:
    """One open need or offer of `member`, in a trade's words."""
    trade = rng.choice(T.TRADES)
    template = rng.choice(trade.needs if kind == "need" else trade.offers)
    text = template.format(
        city=city,
        tool=rng.choice(trade.tools),
        sector=rng.choice(T.SECTORS),
        n=rng.choice((12, 20, 40, 150)),
        pct=rng.choice((4, 8, 12)),
        month=rng.choice(T.MONTHS),
    )
    created = now - timedelta(minutes=rng.randrange(1, 60 * 24 * 120))
    return {
        "id": n, "public_id": _public_id(rng), "member_id": member, "kind": kind, "text": text,
        "tags": ",".join(trade.tags), "location": city,
        "visibility": rng.choices(("chapter", "association", "leads"), weights=(64, 29, 7))[0], "status": "open",
        "created_at": created, "updated_at": created, "closed_at": None, "expires_on": None,
    }  # fmt: skip


def _items(size: Size, now: datetime, seed: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)  # its own generator: the items are drawn twice, for their rows and their terms
    for n in range(1, size.items + 1):
        member = rng.randrange(1, size.members + 1)
        chapter = (member - 1) % size.chapters + 1
        city = METROS[(chapter - 1) % len(METROS)][0]
        yield item_row(rng, n, member, "need" if rng.random() < 0.55 else "offer", now, city)


def build(hub: Hub, size: Size, seed: int = 15) -> dict[str, int]:
    """Fill the (empty, migrated) hub with the benchmark association; return the row counts."""
    rng = random.Random(seed)
    now = hub.now()
    # One hash for every member: hashing 50,000 passwords would time Argon2, not the hub.
    password_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("bench-password")
    with hub.engine.begin() as conn:
        counts = {
            "chapters": demo_rows.bulk_insert(conn, t.chapters, _chapters(size, now)),
            "members": demo_rows.bulk_insert(conn, t.members, _members(size, now, rng, password_hash)),
            "items": demo_rows.bulk_insert(conn, t.items, _items(size, now, seed + 1)),
        }
        index_terms(
            conn,
            ((r["id"], r["text"], tuple(r["tags"].split(",")), r["location"]) for r in _items(size, now, seed + 1)),
        )
        demo_rows.reset_sequences(conn)
    # Fresh statistics and visibility maps, as autovacuum leaves a table soon after a bulk import (PostgreSQL 13+
    # vacuums after inserts too): without the visibility map an index-only scan of item_terms visits the heap for
    # every row, and match_item's term look-up took 100 ms instead of 5.
    with hub.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    return counts
