"""Generate a large, realistic givefirst network straight into an SQLite database, for the benchmarks.

    python benchmarks/generate_network.py OUT.db [--people N] [--interactions N] [--needs N] [--offers N]
                                                [--exchanges N] [--seed S] [--today YYYY-MM-DD] [--force]

Deterministic: the same arguments give the same database (one `random.Random(seed)`, a fixed default date).
The schema is the real one (`open_database` runs the migrations); rows go in through SQLAlchemy Core
`executemany` in batches, all in one transaction, with ids assigned here so that no row needs RETURNING.

Shape of the default network (20,000 people, 500,000 interactions over 10 years):

* a few hundred "core" contacts (2 %) get most of the traffic, Zipf-like among themselves;
* about 15 % are "regular" contacts with a handful to a hundred interactions;
* most people are "occasional": 1–3 interactions; 5 % were imported and never contacted;
* a share of every group stopped years ago (3–9 years: dormant ties);
* most interactions have one participant, meetings and events often 2–5;
* a few follow-ups are open, a handful of meetings are planned (mostly ahead);
* about 20,000 ledger entries (gives, asks, favours received; a few dozen promised gives still open);
* open needs and offers written from templates, with tags and places;
* `tie_stats` for everyone, computed with `compute_stats` from the rows already in memory.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import random
import sys
import time
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Connection, Table, insert

from givefirst.domain.model import TieStats
from givefirst.domain.weights import Weights
from givefirst.services.tiestats import compute_stats
from givefirst.store import stats as stats_store
from givefirst.store.database import open_database
from givefirst.store.schema import (
    exchanges,
    identities,
    interaction_people,
    interactions,
    needs,
    offers,
    organizations,
    people,
    person_tags,
    tags,
)

DEFAULT_TODAY = date(2026, 11, 2)  # fixed, so that a seed always gives the same network
YEARS = 10
BATCH = 10_000

# --- text tables ---------------------------------------------------------------------------------------------------

FIRST_NAMES = (
    "Aaliyah", "Adrian", "Aisha", "Alejandro", "Amara", "Andre", "Angela", "Anjali", "Ben", "Camila", "Carlos",
    "Chen", "Claire", "Daniel", "Deepa", "Diego", "Elena", "Emeka", "Emily", "Ethan", "Farah", "Fatima", "Gabriel",
    "Grace", "Hassan", "Helen", "Hiroshi", "Imani", "Isabel", "Ivan", "Jamal", "Javier", "Jenna", "Julia", "Karim",
    "Kevin", "Kwame", "Laura", "Leah", "Lucas", "Maria", "Marcus", "Maya", "Mei", "Michael", "Nadia", "Neha",
    "Nicole", "Noah", "Olivia", "Omar", "Priya", "Rafael", "Rebecca", "Rohan", "Ruth", "Samantha", "Sofia",
    "Tariq", "Theo", "Valentina", "Victor", "Yuki", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Abbott", "Agarwal", "Alvarez", "Baptiste", "Becker", "Boateng", "Cabrera", "Chen", "Coleman", "Costa", "Cruz",
    "Diaz", "Donovan", "Edwards", "Ferreira", "Flores", "Foster", "Friedman", "Garcia", "Gupta", "Hall",
    "Hernandez", "Hoffman", "Huang", "Ibrahim", "Iyer", "Jackson", "Jensen", "Johnson", "Kaplan", "Kaur", "Kim",
    "Kowalski", "Lee", "Lewis", "Lopez", "Marino", "Martinez", "Mensah", "Meyer", "Mitchell", "Moreno", "Nakamura",
    "Nguyen", "Novak", "Okafor", "Olsen", "Patel", "Price", "Reyes", "Rossi", "Russo", "Santos", "Schmidt", "Shah",
    "Silva", "Singh", "Sullivan", "Tanaka", "Thompson", "Torres", "Walker", "Williams", "Yilmaz", "Zhang",
)  # fmt: skip
# City, state and a rough weight (a New York-based user with contacts across the country).
CITIES: tuple[tuple[str, str, int], ...] = (
    ("New York", "NY", 30), ("Brooklyn", "NY", 14), ("Queens", "NY", 5), ("White Plains", "NY", 2),
    ("Jersey City", "NJ", 6), ("Hoboken", "NJ", 4), ("Newark", "NJ", 4), ("Princeton", "NJ", 2),
    ("Stamford", "CT", 3), ("Boston", "MA", 6), ("Philadelphia", "PA", 5), ("Pittsburgh", "PA", 2),
    ("Washington", "DC", 4), ("Baltimore", "MD", 2), ("Tampa", "FL", 7), ("St. Petersburg", "FL", 3),
    ("Orlando", "FL", 3), ("Miami", "FL", 5), ("Jacksonville", "FL", 2), ("Atlanta", "GA", 4),
    ("Charlotte", "NC", 3), ("Raleigh", "NC", 2), ("Nashville", "TN", 2), ("Chicago", "IL", 7),
    ("Detroit", "MI", 2), ("Minneapolis", "MN", 2), ("Columbus", "OH", 2), ("Dallas", "TX", 4),
    ("Houston", "TX", 4), ("Austin", "TX", 4), ("Denver", "CO", 3), ("Phoenix", "AZ", 2),
    ("Salt Lake City", "UT", 1), ("Seattle", "WA", 4), ("Portland", "OR", 2), ("San Francisco", "CA", 6),
    ("San Jose", "CA", 3), ("Los Angeles", "CA", 6), ("San Diego", "CA", 2), ("Las Vegas", "NV", 1),
)  # fmt: skip
ORG_PREFIXES = (
    "Atlas", "Beacon", "Bluefin", "Bridgeway", "Cascade", "Cedar", "Coastal", "Copperline", "Crescent", "Empire",
    "Evergreen", "Granite", "Harbor", "Hudson", "Ironbridge", "Keystone", "Lakeshore", "Liberty", "Lumen",
    "Meridian", "Northgate", "Oakridge", "Pacific", "Peachtree", "Pinnacle", "Redwood", "Riverside", "Sterling",
    "Summit", "Suncoast", "Tidewater", "Vanguard",
)  # fmt: skip
ORG_CORES = (
    "Logistics", "Health", "Analytics", "Foods", "Robotics", "Capital", "Partners", "Pharma", "Software",
    "Manufacturing", "Freight", "Medical Supply", "Consulting", "Energy", "Packaging", "Retail", "Labs", "Bank",
    "Media", "Insurance", "Systems", "Design", "Legal", "Realty",
)  # fmt: skip
ORG_SUFFIXES = ("", " Group", " Inc.", " Co.", " LLC")
SCHOOLS = tuple(f"University of {s}" for s in ("Michigan", "Florida", "Texas", "Chicago", "Washington", "Virginia"))
SCHOOLS += ("Rutgers University", "Columbia Business School", "NYU Stern", "Georgia Tech", "Baruch College")
ASSOCIATIONS = (
    "Association of Operations Professionals", "Supply Chain Leaders Network", "Women in Logistics",
    "Product Managers Guild", "Healthcare Ops Forum", "Fintech Founders Circle",
)  # fmt: skip
TITLES = (
    "Operations Manager", "Director of Operations", "Supply Chain Manager", "Senior Demand Planner",
    "Procurement Manager", "Software Engineer", "Senior Software Engineer", "Engineering Manager",
    "Product Manager", "Senior Product Manager", "Data Analyst", "Data Scientist", "UX Designer",
    "Marketing Manager", "Account Executive", "Sales Director", "Recruiter", "Talent Acquisition Manager",
    "Financial Analyst", "CFO", "COO", "VP Operations", "Founder", "Consultant", "Nurse Practitioner",
    "Physician", "Attorney", "Architect", "Teacher", "Project Manager",
)  # fmt: skip
TAGS = (
    "jobs", "hiring", "operations", "supply-chain", "logistics", "finance", "healthcare", "software", "product",
    "design", "marketing", "sales", "data", "legal", "real-estate", "relocation", "events", "introductions",
    "consulting", "startups", "fundraising", "mentoring", "procurement", "manufacturing", "education",
)  # fmt: skip
HOW_MET = (
    "worked together", "met at a conference", "introduced by a friend", "LinkedIn", "chapter meeting",
    "former client", "school", "neighbour", "met at a meetup", "recruiter reached out",
)  # fmt: skip
TOPICS = (
    "the Q3 plan", "the vendor scorecard", "the new role", "the product launch", "hiring plans", "the move",
    "the board deck", "the pricing change", "the WMS upgrade", "the conference", "a mutual friend",
    "the reorg", "the 3PL RFP", "the budget", "the offsite", "the client pitch", "the data migration",
    "the chapter event", "career plans", "the contract renewal",
)  # fmt: skip
SUMMARY_FORMS = {
    "email": ("Email about {t}", "Re: {t}", "Sent notes on {t}", "Quick question on {t}"),
    "message": ("LinkedIn message about {t}", "Texted about {t}", "Chat about {t}"),
    "meeting": ("Coffee — talked about {t}", "Lunch: {t}", "Meeting on {t}", "Drinks after work, {t}"),
    "call": ("Call about {t}", "Phone catch-up, {t}"),
    "video": ("Zoom on {t}", "Video call: {t}"),
    "event": ("Chapter meeting — {t}", "Conference panel on {t}", "Meetup: {t}"),
    "note": ("Note: {t}", "Heard about {t}"),
}
# kind -> (weight, outbound, inbound, mutual)
KINDS: tuple[tuple[str, int, int, int, int], ...] = (
    ("email", 45, 45, 45, 10),
    ("message", 20, 45, 45, 10),
    ("meeting", 12, 5, 5, 90),
    ("call", 10, 30, 30, 40),
    ("video", 6, 10, 10, 80),
    ("event", 4, 5, 5, 90),
    ("note", 3, 100, 0, 0),
)
EXCHANGE_KINDS = (
    ("introduction", 20), ("job_lead", 10), ("referral", 8), ("information", 20), ("advice", 20),
    ("recommendation", 8), ("invitation", 6), ("favour", 6), ("other", 2),
)  # fmt: skip
EXCHANGE_TEXT = {
    "introduction": "Introduction to a contact at {org}",
    "job_lead": "Job lead: {org} is hiring {a_title}",
    "referral": "Referral for the {title} opening at {org}",
    "information": "Shared notes on {topic}",
    "advice": "Advice on {topic}",
    "recommendation": "LinkedIn recommendation",
    "invitation": "Invitation to the {assoc} dinner",
    "favour": "Reviewed the deck for {topic}",
    "other": "Sent a book on {topic}",
}
NEED_FORMS = (
    ("Looking for {a_title} role in {city}", ("jobs",)),
    ("Looking for my next role — {title}, {city} or remote", ("jobs",)),
    ("Need an introduction to someone at {org}", ("introductions",)),
    ("Want advice on {topic} from someone who has done it", ("mentoring",)),
    ("Looking for {a_vendor} for our {area} team", ("procurement",)),
    ("Hiring {a_title} in {city} — any referrals?", ("hiring", "jobs")),
    ("Moving to {city} next year, would love local contacts", ("relocation",)),
    ("Raising a seed round for a {area} startup", ("fundraising", "startups")),
    ("Need a second pair of eyes on {topic}", ("consulting",)),
    ("Want to speak at a {area} conference this year", ("events",)),
)  # fmt: skip
OFFER_FORMS = (
    ("Hiring {a_title} in {city}", ("hiring", "jobs")),
    ("Can review {topic} and share what worked for us", ("consulting", "mentoring")),
    ("Happy to introduce people at {org}", ("introductions",)),
    ("Know a great {vendor} for {area} teams", ("procurement",)),
    ("Can mentor early-career people in {area}", ("mentoring",)),
    ("Spare ticket to the {area} summit in {city}", ("events",)),
    ("Glad to share my relocation notes for {city}", ("relocation",)),
    ("Angel investor in {area} startups", ("fundraising", "startups")),
    ("Job lead: {org} is hiring {a_title}", ("jobs",)),
    ("Can give feedback on resumes for {area} roles", ("jobs", "mentoring")),
)  # fmt: skip
VENDORS = (
    "fractional CFO",
    "3PL partner",
    "recruiter",
    "freight broker",
    "design agency",
    "employment lawyer",
    "bookkeeper",
    "data engineering contractor",
    "PR firm",
    "customs broker",
)
AREAS = (
    "supply chain",
    "healthcare",
    "fintech",
    "logistics",
    "product",
    "data",
    "marketing",
    "manufacturing",
    "retail",
    "education",
    "legal",
    "real estate",
)
AREA_TAGS = {
    "supply chain": "supply-chain", "healthcare": "healthcare", "fintech": "finance", "logistics": "logistics",
    "product": "product", "data": "data", "marketing": "marketing", "manufacturing": "manufacturing",
    "retail": "sales", "education": "education", "legal": "legal", "real estate": "real-estate",
}  # fmt: skip


def with_article(noun: str) -> str:
    return ("an " if noun[0].lower() in "aeiou" else "a ") + noun


# --- the rows compute_stats reads ----------------------------------------------------------------------------------


class InteractionRow(NamedTuple):
    occurred_at: datetime
    kind: str
    direction: str


class ExchangeRow(NamedTuple):
    direction: str
    kind: str
    status: str
    occurred_at: datetime
    completed_at: datetime | None


@dataclass(frozen=True)
class Params:
    people: int = 20_000
    interactions: int = 500_000
    needs: int = 5_000
    offers: int = 5_000
    exchanges: int | None = None  # default: one per 25 interactions
    seed: int = 42
    today: date = DEFAULT_TODAY

    @property
    def exchange_count(self) -> int:
        return self.exchanges if self.exchanges is not None else max(self.interactions // 25, 10)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["today"] = self.today.isoformat()
        d["exchanges"] = self.exchange_count
        return d


@dataclass
class Person:
    id: int
    first: str
    last: str
    org_id: int | None
    city: str
    group: str  # me | core | regular | occasional | silent
    count: int  # interactions as the main participant
    start: float  # activity window, in days since the network's epoch
    end: float
    dormant: bool


class Generator:
    def __init__(self, p: Params) -> None:
        self.p = p
        self.rng = random.Random(p.seed)
        self.now = datetime.combine(p.today, datetime.min.time())  # midnight: every past row is before "now"
        self.epoch = self.now - timedelta(days=round(YEARS * 365.25))
        self.span_days = (self.now - self.epoch).days
        self.orgs: list[tuple[int, str, str]] = []  # (id, name, kind)
        self.org_members: dict[int, list[int]] = {}
        self.persons: list[Person] = []
        self.cities = [f"{c}, {s}" for c, s, _ in CITIES]
        self.city_cum = list(accumulate(w for _, _, w in CITIES))
        self.real_by_person: dict[int, list[InteractionRow]] = {}
        self.ledger_by_person: dict[int, list[ExchangeRow]] = {}

    # -- helpers -------------------------------------------------------------------------------------------------
    def city(self) -> str:
        return self.rng.choices(self.cities, cum_weights=self.city_cum)[0]

    def at(self, day: float) -> datetime:
        """Return a moment on the given day (days since the epoch), in working hours."""
        seconds = int(day) * 86_400 + 8 * 3600 + int(self.rng.random() * 11 * 3600)
        return self.epoch + timedelta(seconds=seconds)

    def text(self, form: str, person: Person) -> str:
        r = self.rng
        title, vendor = r.choice(TITLES), r.choice(VENDORS)
        return form.format(
            title=title,
            a_title=with_article(title),
            vendor=vendor,
            a_vendor=with_article(vendor),
            city=r.choice(self.cities).split(",")[0] if r.random() < 0.5 else person.city.split(",")[0],
            org=self.orgs[r.randrange(len(self.orgs))][1],
            topic=r.choice(TOPICS),
            area=r.choice(AREAS),
            assoc=r.choice(ASSOCIATIONS),
        )

    # -- the network ---------------------------------------------------------------------------------------------
    def build_orgs(self) -> None:
        r = self.rng
        n_companies = max(20, self.p.people // 25)
        combos = [f"{a} {b}{c}" for a in ORG_PREFIXES for b in ORG_CORES for c in ORG_SUFFIXES]
        r.shuffle(combos)
        names = [(n, "company") for n in combos[:n_companies]]
        names += [(n, "school") for n in SCHOOLS] + [(n, "association") for n in ASSOCIATIONS]
        self.orgs = [(i, name, kind) for i, (name, kind) in enumerate(names, start=1)]

    def build_people(self) -> None:
        r, p = self.rng, self.p
        n = p.people - 1  # everyone but the user
        n_core = min(n, max(5, round(n * 0.02)))
        n_regular = min(n - n_core, round(n * 0.15))
        n_silent = min(n - n_core - n_regular, round(n * 0.05))
        groups = ["core"] * n_core + ["regular"] * n_regular + ["silent"] * n_silent
        groups += ["occasional"] * (n - len(groups))
        r.shuffle(groups)

        # Interactions as the main participant: fixed small counts for most, the rest Zipf-like over the core.
        counts = [0] * n
        for i, g in enumerate(groups):
            if g == "occasional":
                counts[i] = r.choice((1, 1, 1, 2, 2, 3))
            elif g == "regular":
                counts[i] = min(150, max(4, int(r.lognormvariate(math.log(15), 0.7))))
        budget = p.interactions - self.planned_count()
        small = sum(counts)
        if small > budget * 0.5:  # tiny networks: keep the core's share of the traffic
            scale = budget * 0.5 / small
            counts = [max(1, int(c * scale)) if c else 0 for c in counts]
            small = sum(counts)
        core_idx = [i for i, g in enumerate(groups) if g == "core"]
        zipf = [1.0 / math.sqrt(rank + 1) for rank in range(len(core_idx))]
        left = max(budget - small, len(core_idx))
        total_w = sum(zipf)
        shares = [max(1, int(left * w / total_w)) for w in zipf]
        shares[0] += left - sum(shares)  # exact total
        for i, share in zip(core_idx, shares, strict=True):
            counts[i] = share
        excess = sum(counts) - budget  # only for toy sizes (fewer interactions than people)
        while excess > 0:
            i = r.randrange(n)
            if counts[i]:
                counts[i] -= 1
                excess -= 1

        company_ids = [o[0] for o in self.orgs if o[2] == "company"]
        other_ids = [o[0] for o in self.orgs if o[2] != "company"]
        me_city = "Brooklyn, NY"
        self.persons.append(Person(1, "Jordan", "Reyes", company_ids[0], me_city, "me", 0, 0.0, 0.0, False))
        span = float(self.span_days)
        for i, g in enumerate(groups):
            pid = i + 2
            org: int | None = None
            roll = r.random()
            if roll < 0.82:
                org = (
                    company_ids[min(int(r.paretovariate(1.2)) - 1, len(company_ids) - 1)]
                    if r.random() < 0.3
                    else r.choice(company_ids)
                )
            elif roll < 0.9:
                org = r.choice(other_ids)
            dormant = g != "silent" and r.random() < (0.35 if g == "occasional" else 0.2)
            if dormant:
                end = span - r.uniform(3.2, 9.0) * 365.25
            elif g == "core":
                end = span - r.uniform(0, 20)
            elif g == "regular":
                end = span - r.uniform(0, 400)
            else:
                end = span - r.uniform(0, 3 * 365.25)
            if g == "occasional":
                start = max(0.0, end - r.uniform(0, 120))
            else:
                start = r.uniform(0, max(1.0, end - 180)) if end > 200 else 0.0
            self.persons.append(
                Person(
                    pid,
                    r.choice(FIRST_NAMES),
                    r.choice(LAST_NAMES),
                    org,
                    self.city(),
                    g,
                    counts[i],
                    start,
                    end,
                    dormant,
                )
            )
            if org is not None:
                self.org_members.setdefault(org, []).append(pid)

    def planned_count(self) -> int:
        return min(30, max(3, self.p.interactions // 10_000), self.p.interactions // 10)

    def people_rows(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        r = self.rng
        rows, idents, ptags = [], [], []
        org_slug = {oid: name.lower().replace(" ", "").replace(".", "").replace("&", "") for oid, name, _ in self.orgs}
        for ps in self.persons:
            created = self.epoch + timedelta(days=ps.start) if ps.group != "me" else self.epoch
            tier_override = strength_override = cadence = None
            if ps.group in ("core", "regular") and r.random() < 0.02:
                cadence = r.choice((14, 30, 60, 90))
            if ps.group == "core" and r.random() < 0.03:
                tier_override = r.choice(("inner", "close"))
            if ps.group == "regular" and r.random() < 0.005:
                strength_override = round(r.uniform(0.3, 0.9), 2)
            rows.append(
                {
                    "id": ps.id,
                    "name": f"{ps.first} {ps.last}",
                    "is_me": ps.group == "me",
                    "organization_id": ps.org_id,
                    "title": r.choice(TITLES),
                    "location": ps.city,
                    "how_met": None if ps.group == "me" else r.choice(HOW_MET),
                    "met_on": created.date() if ps.group != "me" and r.random() < 0.5 else None,
                    "introduced_by_id": r.randrange(1, ps.id) if ps.id > 2 and r.random() < 0.05 else None,
                    "notes": None,
                    "strength_override": strength_override,
                    "tier_override": tier_override,
                    "cadence_days": cadence,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            domain = f"{org_slug[ps.org_id]}.example" if ps.org_id and r.random() < 0.7 else "mail.example"
            idents.append(
                {
                    "id": ps.id,
                    "person_id": ps.id,
                    "kind": "email",
                    "value": f"{ps.first}.{ps.last}{ps.id}@{domain}".lower(),
                    "label": "personal" if domain == "mail.example" else "work",
                }
            )
            for tag_id in {r.randrange(1, len(TAGS) + 1) for _ in range(r.choice((0, 1, 1, 2)))}:
                ptags.append({"person_id": ps.id, "tag_id": tag_id})
        return rows, idents, ptags

    def interaction_rows(self) -> tuple[list[tuple[Any, ...]], list[tuple[int, int]]]:
        """Return interactions as tuples (sorted by time, ids in that order) and (interaction, person) pairs."""
        r = self.rng
        kinds = [k[0] for k in KINDS]
        kind_cum = list(accumulate(k[1] for k in KINDS))
        dir_tables = {k[0]: tuple(accumulate(k[2:])) for k in KINDS}  # cumulative outbound, inbound, mutual
        summaries = {k: [f.format(t=t) for f in forms for t in TOPICS] for k, forms in SUMMARY_FORMS.items()}
        pool = [ps.id for ps in self.persons if ps.group in ("core", "regular") and ps.count] or [
            ps.id for ps in self.persons[1:]
        ]
        pool_cum = list(accumulate(math.sqrt(self.persons[pid - 1].count) + 0.1 for pid in pool))
        today = self.now.date()
        drafts: list[tuple[datetime, str, str, tuple[int, ...]]] = []
        for ps in self.persons:
            if ps.count == 0:
                continue
            ks = r.choices(kinds, cum_weights=kind_cum, k=ps.count)
            members = self.org_members.get(ps.org_id or 0, ())
            width = ps.end - ps.start
            rand, epoch, start = r.random, self.epoch, ps.start
            for kind in ks:
                # a moment in working hours on a day of the person's window (inlined `at`, the hot loop)
                day = int(start + rand() * width)
                when = epoch + timedelta(seconds=day * 86_400 + 28_800 + int(rand() * 39_600))
                c_out, c_in, c_all = dir_tables[kind]
                x = rand() * c_all
                direction = "outbound" if x < c_out else "inbound" if x < c_in else "mutual"
                pids: tuple[int, ...] = (ps.id,)
                if rand() < (0.35 if kind in ("meeting", "event", "video") else 0.04):
                    extra = 1 if rand() < 0.6 else r.randint(2, 4)
                    others = set()
                    for _ in range(extra):
                        if len(members) > 1 and rand() < 0.7:
                            others.add(members[int(rand() * len(members))])
                        else:
                            others.add(pool[bisect_left(pool_cum, rand() * pool_cum[-1])])
                    others.discard(ps.id)
                    pids += tuple(sorted(others))
                drafts.append((when, kind, direction, pids))
        for k in range(self.planned_count()):
            ahead = r.uniform(-6, 30) if k % 6 == 0 else r.uniform(1, 30)
            when = self.now + timedelta(days=int(ahead), hours=r.choice((9, 12, 18)))
            n = r.choice((1, 1, 2, 3, 5))
            pids = tuple(sorted({pool[bisect_left(pool_cum, r.random() * pool_cum[-1])] for _ in range(n)}))
            drafts.append((when, r.choice(("meeting", "event")), "mutual", (*pids, -1)))  # -1 marks "planned"
        drafts.sort(key=lambda d: d[0])

        rows: list[tuple[Any, ...]] = []
        links: list[tuple[int, int]] = []
        real_by = self.real_by_person
        follow_open_from = today - timedelta(days=21)
        for iid, (when, kind, direction, pids) in enumerate(drafts, start=1):
            is_planned = pids[-1] == -1
            if is_planned:
                pids = pids[:-1]
            forms = summaries[kind]
            summary = forms[int(r.random() * len(forms))]
            source, external = "manual", None
            if kind == "email":
                source, external = "email", f"<{iid}.{self.p.seed}@mail.example>"
            elif kind == "message" and r.random() < 0.5:
                source, external = "linkedin", f"msg-{iid}"
            follow_up_on, follow_done = None, False
            if not is_planned and kind in ("meeting", "call") and r.random() < 0.03:
                follow_up_on = when.date() + timedelta(days=r.randint(2, 14))
                follow_done = follow_up_on < follow_open_from or r.random() < 0.3
            created = self.now if is_planned else when
            rows.append(
                (iid, when, kind, direction, summary, source, external, is_planned, follow_up_on, follow_done, created)
            )
            row = InteractionRow(when, kind, direction)
            for pid in pids:
                links.append((iid, pid))
                if not is_planned:
                    real_by.setdefault(pid, []).append(row)
        return rows, links

    def needs_offers(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        r = self.rng
        candidates = [ps for ps in self.persons if ps.group in ("core", "regular", "occasional")] or self.persons
        weights = list(
            accumulate(3.0 if ps.group == "core" else 1.5 if ps.group == "regular" else 0.5 for ps in candidates)
        )

        def pick() -> Person:
            return candidates[bisect_left(weights, r.random() * weights[-1])]

        def make(n: int, forms: Sequence[tuple[str, tuple[str, ...]]], me_count: int) -> list[dict[str, Any]]:
            out = []
            for i in range(1, n + 1):
                ps = self.persons[0] if i <= me_count else pick()
                form, form_tags = r.choice(forms)
                text = self.text(form, ps)
                tag_set = list(form_tags)
                for area, tag in AREA_TAGS.items():
                    if area in text and tag not in tag_set:
                        tag_set.append(tag)
                if r.random() < 0.3:
                    tag_set.append(r.choice(TAGS))
                roll = r.random()
                location = ps.city if roll < 0.6 else "Remote" if roll < 0.75 else None if roll < 0.9 else self.city()
                created = self.now - timedelta(days=r.uniform(0, 200))
                expires = None if r.random() < 0.4 else (created + timedelta(days=r.uniform(30, 180))).date()
                out.append(
                    {
                        "id": i,
                        "person_id": ps.id,
                        "text": text,
                        "tags": ",".join(dict.fromkeys(tag_set)),
                        "location": location,
                        "created_at": created.replace(microsecond=0),
                        "expires_on": expires,
                        "status": "open",
                        "closed_at": None,
                    }
                )
            return out

        need_rows = make(self.p.needs, NEED_FORMS, 0)
        offer_rows = make(self.p.offers, OFFER_FORMS, min(25, self.p.offers // 20))
        return need_rows, offer_rows

    def exchange_rows(self, n_needs: int, n_offers: int) -> list[dict[str, Any]]:
        r = self.rng
        active = [ps for ps in self.persons if ps.count > 0]
        if not active:
            return []
        cum = list(accumulate(math.sqrt(ps.count) for ps in active))
        kinds = [k for k, _ in EXCHANGE_KINDS]
        kind_cum = list(accumulate(w for _, w in EXCHANGE_KINDS))
        total = self.p.exchange_count
        n_promised = min(total, max(5, total // 500))  # a few dozen at full size
        recent = [ps for ps in active if not ps.dormant and ps.group in ("core", "regular")] or active
        rows: list[dict[str, Any]] = []
        last_day = self.now - timedelta(days=1)
        linked = 0
        for xid in range(1, total + 1):
            promised = xid <= n_promised
            ps = r.choice(recent) if promised else active[bisect_left(cum, r.random() * cum[-1])]
            kind = r.choices(kinds, cum_weights=kind_cum)[0]
            if promised:
                when = self.now - timedelta(days=r.uniform(1, 60))
                direction, status = "gave", "promised"
            else:
                when = self.at(ps.start + r.random() * (ps.end - ps.start))
                roll = r.random()
                direction = "gave" if roll < 0.5 else "received" if roll < 0.75 else "asked"
                status = "done"
                if (direction == "asked" and r.random() < 0.25) or (direction == "gave" and r.random() < 0.02):
                    status = "declined"
            completed = None
            if status == "done":
                completed = min(when + timedelta(days=r.uniform(0, 14)), last_day).replace(microsecond=0)
            need_id = offer_id = None
            if direction == "gave" and status == "done" and linked < 100 and n_needs and n_offers and r.random() < 0.05:
                need_id, offer_id = r.randint(1, n_needs), r.randint(1, n_offers)
                linked += 1
            org = self.orgs[r.randrange(len(self.orgs))][1]
            title = r.choice(TITLES)
            description = EXCHANGE_TEXT[kind].format(
                org=org, title=title, a_title=with_article(title), topic=r.choice(TOPICS), assoc=r.choice(ASSOCIATIONS)
            )
            rows.append(
                {
                    "id": xid,
                    "person_id": ps.id,
                    "direction": direction,
                    "kind": kind,
                    "description": description,
                    "status": status,
                    "requested": direction == "gave" and r.random() < 0.3,
                    "occurred_at": when.replace(microsecond=0),
                    "due_on": (when + timedelta(days=r.randint(3, 30))).date() if promised else None,
                    "completed_at": completed,
                    "need_id": need_id,
                    "offer_id": offer_id,
                    "created_at": when.replace(microsecond=0),
                }
            )
            self.ledger_by_person.setdefault(ps.id, []).append(
                ExchangeRow(direction, kind, status, rows[-1]["occurred_at"], completed)
            )
        return rows

    def tie_stats(self, w: Weights) -> dict[int, TieStats]:
        out: dict[int, TieStats] = {}
        empty: list[Any] = []
        for ps in self.persons:
            stats = compute_stats(self.real_by_person.get(ps.id, empty), self.ledger_by_person.get(ps.id, empty), w)
            if stats is not None:
                out[ps.id] = stats
        return out


# --- writing -------------------------------------------------------------------------------------------------------

INTERACTION_KEYS = (
    "id",
    "occurred_at",
    "kind",
    "direction",
    "summary",
    "source",
    "external_id",
    "planned",
    "follow_up_on",
    "follow_up_done",
    "created_at",
)


def bulk_insert(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows with executemany, BATCH at a time; return how many."""
    batch: list[dict[str, Any]] = []
    n = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            conn.execute(insert(table), batch)
            n += len(batch)
            batch = []
    if batch:
        conn.execute(insert(table), batch)
        n += len(batch)
    return n


_FORKED: Generator | None = None  # what a forked child computes the tie statistics from


def _stats_in_child() -> tuple[dict[int, TieStats], float]:
    assert _FORKED is not None
    t = time.perf_counter()
    return _FORKED.tie_stats(Weights()), time.perf_counter() - t


class TieStatsJob:
    """The tie statistics, computed in a forked child while the parent writes rows (two cores), else in-process."""

    def __init__(self, g: Generator) -> None:
        global _FORKED
        self.pool: Any = None
        self.result: Any = None
        if "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1:
            _FORKED = g
            self.pool = multiprocessing.get_context("fork").Pool(1)  # forks now: the child shares the rows
            self.result = self.pool.apply_async(_stats_in_child)
        else:
            self.local = _stats_in_child_of(g)

    def get(self) -> tuple[dict[int, TieStats], float]:
        global _FORKED
        if self.pool is None:
            return self.local
        try:
            return self.result.get()  # type: ignore[no-any-return]
        finally:
            self.pool.close()
            self.pool.join()
            _FORKED = None


def _stats_in_child_of(g: Generator) -> tuple[dict[int, TieStats], float]:
    t = time.perf_counter()
    return g.tie_stats(Weights()), time.perf_counter() - t


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def generate(out: Path, p: Params) -> dict[str, Any]:
    """Write the network into a new database at `out`; return the counts and the timings."""
    t0 = time.perf_counter()
    phases: dict[str, float] = {}
    mark = t0

    def phase(name: str) -> None:
        nonlocal mark
        t = time.perf_counter()
        phases[name] = round(t - mark, 3)
        mark = t

    g = Generator(p)
    g.build_orgs()
    g.build_people()
    person_rows, ident_rows, ptag_rows = g.people_rows()
    inter_rows, links = g.interaction_rows()
    need_rows, offer_rows = g.needs_offers()
    exch_rows = g.exchange_rows(len(need_rows), len(offer_rows))
    phase("generate")
    w = Weights()
    job = TieStatsJob(g)  # before the engine exists: nothing of SQLite is forked

    engine = open_database(str(out))
    phase("open_database")
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MB page cache for the bulk load only
        counts["organizations"] = bulk_insert(
            conn, organizations, ({"id": i, "name": n, "kind": k} for i, n, k in g.orgs)
        )
        counts["tags"] = bulk_insert(conn, tags, ({"id": i, "name": t} for i, t in enumerate(TAGS, start=1)))
        counts["people"] = bulk_insert(conn, people, person_rows)
        counts["identities"] = bulk_insert(conn, identities, ident_rows)
        counts["person_tags"] = bulk_insert(conn, person_tags, ptag_rows)
        phase("insert people")
        counts["interactions"] = bulk_insert(
            conn, interactions, (dict(zip(INTERACTION_KEYS, r, strict=True)) for r in inter_rows)
        )
        phase("insert interactions")
        counts["interaction_people"] = bulk_insert(
            conn, interaction_people, ({"interaction_id": i, "person_id": pid} for i, pid in links)
        )
        phase("insert interaction_people")
        counts["needs"] = bulk_insert(conn, needs, need_rows)
        counts["offers"] = bulk_insert(conn, offers, offer_rows)
        counts["exchanges"] = bulk_insert(conn, exchanges, exch_rows)
        phase("insert needs, offers, exchanges")
        stats, stats_cpu = job.get()
        phases["tie_stats compute (in parallel)"] = round(stats_cpu, 3)
        phase("tie_stats wait")
        stats_store.save_many(conn, stats, w.half_life_days, w.ledger_half_life_days)
        counts["tie_stats"] = len(stats)
        phase("insert tie_stats")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # one self-contained file; no ANALYZE, as for users
    engine.dispose()
    phase("checkpoint")

    groups: dict[str, int] = {}
    for ps in g.persons:
        groups[ps.group] = groups.get(ps.group, 0) + 1
    counts["dormant_people"] = sum(1 for ps in g.persons if ps.dormant)
    counts["planned"] = g.planned_count()
    counts["open_follow_ups"] = sum(1 for r in inter_rows if r[8] is not None and not r[9])
    counts["promised"] = sum(1 for r in exch_rows if r["status"] == "promised")
    core_share = sum(ps.count for ps in g.persons if ps.group == "core") / max(1, p.interactions)
    elapsed = time.perf_counter() - t0
    return {
        "database": str(out),
        "params": p.as_dict(),
        "counts": counts,
        "groups": groups,
        "core_share_of_interactions": round(core_share, 3),
        "phases_s": phases,
        "elapsed_s": round(elapsed, 3),
        "size_mb": round(out.stat().st_size / 1e6, 1),
    }


def positive(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the SQLite file to create")
    parser.add_argument("--people", type=positive, default=Params.people)
    parser.add_argument("--interactions", type=positive, default=Params.interactions)
    parser.add_argument("--needs", type=positive, default=Params.needs)
    parser.add_argument("--offers", type=positive, default=Params.offers)
    parser.add_argument("--exchanges", type=positive, default=None, help="default: interactions / 25")
    parser.add_argument("--seed", type=int, default=Params.seed)
    parser.add_argument("--today", type=date.fromisoformat, default=DEFAULT_TODAY, help="YYYY-MM-DD")
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    parser.add_argument("--summary", type=Path, help="also write the counts and timings as JSON here")
    args = parser.parse_args(argv)
    if args.people < 2:
        parser.error("--people must be at least 2 (the user and one contact)")
    out: Path = args.out
    if out.exists() and not args.force:
        print(f"error: {out} exists; pass --force to replace it", file=sys.stderr)
        return 2
    if not out.parent.is_dir():
        print(f"error: directory {out.parent} does not exist", file=sys.stderr)
        return 2
    remove_database(out)
    p = Params(args.people, args.interactions, args.needs, args.offers, args.exchanges, args.seed, args.today)
    summary = generate(out, p)
    for name, n in summary["counts"].items():
        print(f"{name:>20}: {n:>9,}")
    print(f"{'core share':>20}: {summary['core_share_of_interactions']:.0%} of interactions")
    for name, secs in summary["phases_s"].items():
        print(f"{name:>42}: {secs:7.2f} s")
    print(f"wrote {out} ({summary['size_mb']} MB) in {summary['elapsed_s']:.2f} s")
    if args.summary:
        args.summary.write_text(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
