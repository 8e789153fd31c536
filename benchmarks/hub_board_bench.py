"""The hub board's figures at association scale on PostgreSQL: the board's and /help's queries, one incremental
matching (a new need, a new offer) and a full matching pass.

    python benchmarks/hub_board_bench.py --url postgresql+psycopg://postgres@127.0.0.1:5432/postgres \
        [--members 50000] [--chapters 200] [--items 100000] [--runs 30] [--skip-full] [--json FILE]

It creates a database `hub_board_bench` on that server (dropped at the end unless --keep), fills it with an
association (members in chapters, needs and offers in varied words and places, each visibility), then times the
service calls in this process (single client: the 50-client HTTP figure is `hub_bench.py`'s). Targets: the board
and /help p95 ≤ 100 ms, an incremental pass ≤ 2 s, a full pass ≤ 10 min.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text

from givefirst.hub.domain.access import Role
from givefirst.hub.domain.items import item_terms
from givefirst.hub.services import helping, items, matching
from givefirst.hub.services.context import Hub, connect
from givefirst.hub.store import members as member_store
from givefirst.hub.store.schema import chapters, members
from givefirst.hub.store.schema import item_terms as terms_table
from givefirst.hub.store.schema import items as items_table

DB = "hub_board_bench"
ROLES = ["accountant", "bookkeeper", "tax advisor", "lawyer", "realtor", "mortgage broker", "web designer",
         "python developer", "data engineer", "product manager", "marketing consultant", "photographer",
         "wedding planner", "caterer", "plumber", "electrician", "contractor", "interior designer", "recruiter",
         "career coach", "financial planner", "insurance agent", "copywriter", "translator", "nurse", "dentist",
         "physical therapist", "personal trainer", "tutor", "music teacher", "chef", "event venue", "printer",
         "sign maker", "video editor", "podcast producer", "seo specialist", "it support", "hr consultant",
         "grant writer"]  # fmt: skip
THINGS = ["a small business", "a startup", "my bakery", "a family move", "a job search", "a new office",
          "a product launch", "a nonprofit", "a wedding in june", "year-end taxes", "a home purchase",
          "hiring the first employee", "a website redesign", "a fundraising round", "a conference",
          "an online store", "a restaurant opening", "a medical practice", "a podcast", "a book"]  # fmt: skip
PLACES = ["Brooklyn, NY", "Manhattan", "Queens", "Jersey City", "Hoboken", "Newark, NJ", "Princeton, NJ",
          "Tampa, FL", "Clearwater, FL", "St. Petersburg, FL", "Orlando, FL", "Miami, FL", "Fort Lauderdale",
          "Jacksonville, FL", "Boston", "Philadelphia", "Atlanta", "Chicago", "Austin", "remote"]  # fmt: skip
VISIBILITY = ["association"] * 5 + ["chapter"] * 4 + ["leads"]


def need_text(r: random.Random) -> str:
    return r.choice([
        "Looking for a {role} to help with {thing}", "Need a good {role} for {thing}",
        "Can anyone recommend a {role}? It is for {thing}", "We are hiring a {role} for {thing}",
    ]).format(role=r.choice(ROLES), thing=r.choice(THINGS))  # fmt: skip


def offer_text(r: random.Random) -> str:
    return r.choice([
        "I am a {role} and happy to help with {thing}", "{role} with ten years of experience; glad to advise on "
        "{thing}", "Offering a free first call as a {role}, especially for {thing}",
    ]).format(role=r.choice(ROLES), thing=r.choice(THINGS))  # fmt: skip


def build(hub: Hub, n_members: int, n_chapters: int, n_items: int, seed: int = 7) -> None:
    r = random.Random(seed)
    now = hub.now()
    with hub.engine.begin() as conn:
        conn.execute(insert(chapters), [{"slug": f"chapter-{c}", "name": f"Chapter {c}", "region": "",
                                         "created_at": now} for c in range(n_chapters)])  # fmt: skip
        chapter_ids = [c.id for c in member_store.all_chapters(conn)]
        rows = []
        for m in range(n_members):
            role = Role.LEAD.value if m % 250 == 0 else Role.MEMBER.value
            rows.append({"public_id": secrets.token_urlsafe(12), "email": f"m{m}@example.org", "name": f"Member {m}",
                         "role": role, "chapter_id": chapter_ids[m % n_chapters], "location": r.choice(PLACES),
                         "joined_at": now})  # fmt: skip
        for start in range(0, len(rows), 10_000):
            conn.execute(insert(members), rows[start : start + 10_000])
        member_ids = list(conn.scalars(text("SELECT id FROM members ORDER BY id")))
    for start in range(0, n_items, 10_000):
        batch, terms = [], []
        for k in range(start, min(start + 10_000, n_items)):
            kind = "need" if k % 2 == 0 else "offer"
            body = need_text(r) if kind == "need" else offer_text(r)
            place = r.choice(PLACES)
            created = now - timedelta(days=r.randint(0, 120), minutes=r.randint(0, 1440))
            batch.append({"public_id": secrets.token_urlsafe(12), "member_id": r.choice(member_ids), "kind": kind,
                          "text": body, "tags": "", "location": place, "visibility": r.choice(VISIBILITY),
                          "created_at": created, "updated_at": created})  # fmt: skip
        with hub.engine.begin() as conn:
            ids = list(conn.execute(insert(items_table).returning(items_table.c.id), batch).scalars())
            for item_id, row in zip(ids, batch, strict=True):
                terms += [{"item_id": item_id, "term": t} for t in item_terms(row["text"], (), row["location"])]
            conn.execute(insert(terms_table), terms)
    with hub.engine.begin() as conn:
        conn.execute(text("ANALYZE"))


def timed(fn: Callable[[], Any], runs: int) -> dict[str, float]:
    fn()  # warm
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 1), "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="a PostgreSQL server URL (its maintenance database)")
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--chapters", type=int, default=200)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--skip-full", action="store_true", help="do not time the full pass")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    admin = create_engine(args.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {DB}"))
        conn.execute(text(f"CREATE DATABASE {DB}"))
    url = args.url.rsplit("/", 1)[0] + "/" + DB
    figures: dict[str, Any] = {"members": args.members, "chapters": args.chapters, "items": args.items}
    try:
        hub = connect(url, clock=lambda: datetime(2026, 12, 1, 12, 0))
        t = time.perf_counter()
        build(hub, args.members, args.chapters, args.items)
        figures["build_s"] = round(time.perf_counter() - t, 1)
        print(f"built in {figures['build_s']} s", file=sys.stderr)
        with hub.engine.connect() as conn:
            member = member_store.member_by_id(conn, 1001)
            lead = member_store.member_by_id(conn, 1)
        assert member is not None and lead is not None
        for name, who, query in [
            ("board", member, items.BoardQuery()),
            ("board_lead", lead, items.BoardQuery()),
            ("board_page_20", member, items.BoardQuery(page=20)),
            ("board_chapter", member, items.BoardQuery(chapter_id=member.chapter_id)),
            ("board_place_metro", member, items.BoardQuery(place="Tampa")),
            ("board_words", member, items.BoardQuery(text="photographer wedding")),
            ("board_prefix", member, items.BoardQuery(text="account")),
            ("board_kind_place_words", member, items.BoardQuery(kind="offer", place="New Jersey", text="lawyer")),
        ]:
            figures[name] = timed(lambda w=who, q=query: items.board(hub, w, q), args.runs)
            print(name, figures[name], file=sys.stderr)
        if not args.skip_full:
            report = matching.match_all(hub)
            figures["match_all"] = report.as_dict()
            print("match_all", figures["match_all"], file=sys.stderr)
        figures["help"] = timed(lambda: helping.whom_i_can_help(hub, member), args.runs)
        print("help", figures["help"], file=sys.stderr)
        for kind, body in (("need", "Looking for a wedding photographer for June in Tampa"),
                           ("offer", "Bookkeeper helping small businesses with year-end taxes")):  # fmt: skip
            added = items.add_item(hub, member, kind, body, visibility="association")
            t = time.perf_counter()
            report = matching.match_item(hub, added.id)
            figures[f"match_item_{kind}"] = {**report.as_dict(), "wall_s": round(time.perf_counter() - t, 3)}
            print(f"match_item_{kind}", figures[f"match_item_{kind}"], file=sys.stderr)
        hub.engine.dispose()
    finally:
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)"))
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
