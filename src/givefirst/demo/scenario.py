"""The demo network: Jordan Reyes, about 300 contacts, eight years of touches, gives, asks, needs and offers.

Everything is relative to `today` and drawn from one `random.Random(seed)`, so the same `today` and seed
always give the same scenario. The hand-written people live in `cast`, the text tables in `content`, the
machinery in `builder`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from givefirst.demo import content as T
from givefirst.demo.builder import MON_THU, TUE_THU, WEEKDAYS, YEAR, Builder, Contact
from givefirst.demo.cast import CAST, EXCHANGES, MEETING, NEEDS, OFFERS, SCRIPTS, Want
from givefirst.demo.records import (
    DemoChapter,
    DemoEvent,
    DemoExchange,
    DemoGoal,
    DemoInteraction,
    DemoMembership,
    DemoNeed,
    DemoOffer,
    DemoPerson,
    Reach,
    Scenario,
)

_HW_START = 8 * YEAR + 40  # days ago Jordan joined Hartwell Logistics
_HW_END = 5 * YEAR + 80  # days ago Jordan left Hartwell to go independent
_AOP_JOINED = 1700  # days ago Jordan joined AOP New York
_GIVE_ODDS = {"work": 0.35, "client": 0.5, "aop": 0.3, "friend": 0.45, "recruiter": 0.5, "conf": 0.12, "fl": 0.3}

ME = DemoPerson(
    key="me",
    name="Jordan Reyes",
    emails=("jordan@reyesconsulting.example", "jordan.reyes@mail.example"),
    phones=("(718) 555-0100",),
    organization="Reyes Consulting",
    title="Principal, Operations Consulting",
    location="Brooklyn, NY",
    tags=("aop-ny", "aop-fl", "consulting", "supply-chain"),
    notes="Independent operations consultant, between clients; relocating from Brooklyn to Tampa.",
)

WantRow = tuple[str, str, tuple[str, ...], str | None, datetime, date | None]


class _Network(Builder):
    """Jordan's network, built group by group."""

    def __init__(self, today: date, seed: int) -> None:
        super().__init__(today, seed, {c.name for c in CAST} | {ME.name}, set(ME.phones))
        self.meeting_ago = self.weekday_ago(5, TUE_THU, lo=4)  # the recent AOP New York chapter meeting
        self.pool_used: set[str] = set()
        self.events: list[DemoEvent] = []

    def resolve(self, ago: int) -> int:
        """Turn the MEETING sentinels of `cast` into real days ago."""
        return self.meeting_ago - (MEETING - ago) if ago <= MEETING else ago

    def cast(self) -> None:
        """The hand-written people, their rhythms and their scripted moments."""
        for p in CAST:
            odds = 0.9 if p.category == "friend" else 0.5
            c = Contact(p.key, p.name, p.org, p.title, p.location, p.tags, p.how_met, p.category, "cast")
            c.introduced_by, c.notes, c.hartwell, c.phone_odds = p.introduced_by, p.notes, p.hartwell, odds
            self.add(c)
            if p.category == "client" and p.start == 0:
                self.engagement(c, p.last, p.gap)
            elif p.gap > 0:
                self.series(c, p.start, p.last, p.gap, _HW_END if p.category == "work" else None)
        for key, ago, hhmm, kind, direction, summary, after in SCRIPTS:
            day = self.day(self.resolve(ago))
            follow = min(day + timedelta(days=after), self.today) if after is not None else None
            self.record(DemoInteraction(self.clock(day, hhmm), (key,), kind, direction, summary, follow))

    def engagement(self, c: Contact, last: int | None, gap: float) -> None:
        """A client engagement: weekly touches while it ran, then sparse ones until `last` (None: none after)."""
        months_ago, months = T.CLIENT_ENGAGEMENTS[c.org]
        start, end = round(months_ago * 30.4), round((months_ago - months) * 30.4)
        self.series(c, start, end, self.rng.uniform(5.0, 9.0))
        if last is not None and last < end - 20:
            self.series(c, end - 20, last, gap)

    def hartwell(self) -> None:
        """Former Hartwell colleagues: real relationships that went quiet 3-6 years ago, and weak ties."""
        rng = self.rng
        titles = (*T.OPS_TITLES, "Carrier Relations Manager", "IT Business Analyst", "Inventory Control Lead")
        hows = (
            "Worked together at Hartwell Logistics, {y}",
            "Hartwell Logistics — same floor in Secaucus, {y}",
            "Hartwell Logistics, peak season {y}",
        )
        for _ in range(26):
            c = self.generated("hartwell", "work", ("Hartwell Logistics",), titles, ("hartwell",), hows)
            c.hartwell = True
            if rng.random() < 0.35:  # moved on, as far as LinkedIn knows
                c.org = rng.choice((*T.NY_ORGS, *T.NJ_ORGS))
                c.location = rng.choice(T.ORGS[c.org][1])
            start = rng.randint(_HW_END + 300, _HW_START)
            last = rng.randint(3 * YEAR + 20, min(6 * YEAR - 5, start - 200))
            self.series(c, start, last, rng.uniform(20, 42), _HW_END)
        weak = ("Hartwell Logistics, Edison site, {y}", "Hartwell Logistics distribution list, {y}")
        for _ in range(10):  # a few emails, mostly one way
            c = self.generated("hartwell-weak", "work", ("Hartwell Logistics",), titles, ("hartwell",), weak)
            c.hartwell, c.phone_odds = True, 0.0
            ago, one_way = rng.randint(_HW_END + 60, _HW_START - 30), rng.random() < 0.6
            for _ in range(rng.randint(2, 4)):
                self.touch(c, ago, "email", "inbound" if one_way or rng.random() < 0.5 else "outbound")
                ago -= rng.randint(10, 60)

    def clients(self) -> None:
        for org, (months_ago, months) in T.CLIENT_ENGAGEMENTS.items():
            for _ in range(2):
                how = ("Client engagement at {org}, {y}",)
                c = self.generated("client", "client", (org,), T.CLIENT_TITLES, ("client",), how)
                end = round((months_ago - months) * 30.4)
                last = self.rng.randint(15, max(16, end - 60)) if self.rng.random() < 0.55 else None
                self.engagement(c, last, self.rng.uniform(100, 200))

    def recruiters(self) -> None:
        """Recruiters: most write and never hear back; a few became real contacts."""
        rng = self.rng
        hows = ("Cold email about {topic}, {y}", "LinkedIn InMail about {topic}, {y}")
        forced = {7: ("Gulfside Talent", "Managing Director"), 8: ("Bluefin Executive Search", "Partner")}
        for i in range(12):
            tags = ("recruiter",)
            c = self.generated(
                "recruiter", "recruiter", T.RECRUITER_ORGS, T.RECRUITER_TITLES, tags, hows, forced.get(i)
            )
            c.extra["topic"], c.phone_odds = rng.choice(T.TOPICS["recruiter"]), 0.2
            if i < 7:  # inbound only: a search, a few follow-ups, no answer
                ago = rng.randint(60, 1700)
                for _ in range(rng.randint(2, 5)):
                    self.touch(c, ago, rng.choice(("email", "email", "email", "message")), "inbound")
                    ago = max(3, ago - rng.randint(4, 20))
            else:
                self.series(c, rng.randint(500, 1800), rng.randint(30, 400), rng.uniform(120, 220))

    def aop(self) -> None:
        """AOP chapter members in New York, New Jersey and Florida, and the chapter meetings Jordan attended."""
        rng = self.rng
        ny_dates = [
            self.weekday_ago(a, TUE_THU, lo=35) for a in range(_AOP_JOINED, 35, -30) if self.day(a).month not in (7, 8)
        ]
        nj_dates = [self.weekday_ago(a, TUE_THU, lo=40) for a in range(1600, 40, -91)]
        mixer = self.weekday_ago(21, TUE_THU, lo=15)
        fl_dates = [self.weekday_ago(a, TUE_THU, lo=mixer + 7) for a in (140, 112, 84, 56)]
        forced = {
            ("aop-fl", 0): ("Orange Blossom Packaging", "Plant Manager"),
            ("aop-fl", 1): ("Citrus Grove Beverage", "Director of Operations"),
            ("aop-fl", 2): ("Biscayne Trade Partners", "Director of Logistics"),
            ("aop-nj", 0): ("Port Newark Drayage Co.", "Owner"),
        }
        specs = (
            ("aop-ny", 52, 14, T.NY_ORGS, ny_dates, "AOP NY chapter meeting, {season} {y}", (50.0, 110.0)),
            ("aop-nj", 20, 5, T.NJ_ORGS, nj_dates, "AOP NJ chapter meeting, {season} {y}", (70.0, 140.0)),
            (
                "aop-fl",
                24,
                6,
                T.FL_ORGS,
                [*fl_dates, mixer],
                "AOP Tampa Bay chapter meeting, {season} {y}",
                (18.0, 35.0),
            ),
        )
        attendees: dict[tuple[str, int], list[str]] = {}
        for group, count, regulars, orgs, dates, how, (g_lo, g_hi) in specs:
            category = "fl" if group == "aop-fl" else "aop"
            for i in range(count):
                c = self.generated(group, category, orgs, T.OPS_TITLES, (group,), (how,), forced.get((group, i)))
                if group == "aop-ny" and rng.random() < 0.1:
                    c.introduced_by, c.how_met = "harold-brennan", "Introduced by Harold at an AOP NY meeting, {y}"
                if i >= count - regulars:
                    start = rng.randint(60, 150) if group == "aop-fl" else rng.randint(400, _AOP_JOINED)
                    last = rng.randint(8, 40) if group == "aop-fl" else rng.randint(10, 120)
                    self.series(c, start, last, rng.uniform(g_lo, g_hi))
                    continue
                ago = rng.choice(dates)
                attendees.setdefault((group, ago), []).append(c.key)
                if rng.random() < 0.45:
                    self.touch(c, max(2, ago - rng.randint(1, 10)), "email", rng.choice(("outbound", "inbound")))
        titles = {
            "aop-ny": "AOP New York chapter meeting",
            "aop-nj": "AOP New Jersey chapter meeting",
            "aop-fl": "AOP Tampa Bay chapter meeting",
        }
        for group, dates, odds in (("aop-ny", ny_dates, 0.3), ("aop-nj", nj_dates, 0.4), ("aop-fl", fl_dates, 0.6)):
            for ago in dict.fromkeys(dates):
                keys = attendees.get((group, ago), [])
                keys += self.regulars(ago, group, odds, set(keys))
                self.event(ago, keys, f"{titles[group]} — {rng.choice(T.AOP_PROGRAMS)}")
        recent = ["harold-brennan", "priya-natarajan", "jamal-carter", "yasmin-rahman", "aisha-mohammed", "wei-zhang"]
        recent += ["marco-bianchi", *rng.sample([c.key for c in self.contacts.values() if c.group == "aop-ny"], 2)]
        self.event(
            self.meeting_ago, recent, "AOP New York chapter meeting — inventory optimization roundtable", "18:00"
        )
        fl_cast = ["carla-mendes", "janelle-brooks", "paul-dubois", "owen-price", "fiona-mcallister", "samuel-osei"]
        self.event(
            mixer, [*fl_cast, *attendees.get(("aop-fl", mixer), [])], "AOP Tampa Bay mixer at Armature Works", "18:00"
        )

    def conferences(self) -> None:
        """People met once or twice at conferences over the years."""
        rng, instances = self.rng, []
        for name, city, month in T.CONFERENCES:
            for years in range(7):
                held = date(self.today.year - years, month, 12)
                if 60 <= (self.today - held).days <= 2800:
                    instances.append((name, city, (self.today - held).days))
        chosen = sorted(rng.sample(instances, min(12, len(instances))), key=lambda inst: -inst[2])
        forced = {0: ("Dockflow", "Co-founder & CEO"), 1: ("Yardly", "Head of Customer Success")}
        for i in range(60):
            name, city, ago = rng.choice(chosen)
            orgs = T.CONF_ORGS if rng.random() < 0.7 else (*T.NY_ORGS, *T.NJ_ORGS, *T.FL_ORGS)
            how = ("{conf} in {city}, {y}",)
            c = self.generated("conf", "conf", orgs, T.OPS_TITLES, ("conference",), how, forced.get(i))
            c.extra.update(conf=name, city=city)
            topic = rng.choice(T.TOPICS["conf"])
            at = self.at(ago, "event", False)
            self.record(
                DemoInteraction(at, (c.key,), "event", "mutual", f"Met {c.first} at {name} — talked about {topic}")
            )
            if rng.random() < 0.5:
                self.touch(c, ago - rng.randint(2, 9), "email")
            if rng.random() < 0.15:
                self.touch(c, rng.randint(5, max(6, ago - 30)), "message")

    def circle(self) -> None:
        """Friends and peers (close and active), and the people Jordan has started meeting in Tampa."""
        rng = self.rng
        hows = (
            ("Park Slope running club, {y}", None),
            ("NYU Stern MBA, {y}", None),
            ("Neighbor in Park Slope, {y}", None),
            ("Friend of Sofia's, {y}", "sofia-alvarez"),
            ("Fellow independent consultant — met through Ben, {y}", "ben-adler"),
            ("Brooklyn Half training group, {y}", None),
        )
        for i in range(20):
            how, by = rng.choice(hows)
            job = ("Independent", "Independent Consultant") if by == "ben-adler" else rng.choice(T.FRIEND_JOBS)
            tags = ("consulting",) if by == "ben-adler" else ("friend",)
            c = self.generated("circle", "friend", (), (), tags, (how,), job)
            c.introduced_by, c.phone_odds = by, 0.8
            start = rng.randint(500, 1450 if by == "ben-adler" else 2900)
            if i < 5:
                self.series(c, start, rng.randint(3, 28), rng.uniform(18, 35))
            else:
                self.series(c, start, rng.randint(5, 140), rng.uniform(45, 110))
        for _ in range(10):
            by = "marcus-bell" if rng.random() < 0.6 else None
            hows_fl = (
                ("Introduced by Marcus, {season} {y}",)
                if by
                else ("Hyde Park neighborhood meetup, {y}", "Tampa Bay Young Professionals breakfast, {y}")
            )
            c = self.generated("fl-local", "fl", T.TAMPA_ORGS, T.OPS_TITLES, ("tampa",), hows_fl)
            c.introduced_by = by
            ago = rng.randint(20, 120)
            for _ in range(rng.randint(1, 3)):
                self.touch(c, ago)
                ago = max(3, ago - rng.randint(7, 30))

    def planned(self) -> None:
        """What lies ahead: the next New York chapter meeting, a Tampa coffee, the Tampa Bay holiday mixer."""
        ny = self.weekday_ago(-3, MON_THU, hi=-2)
        attendees = ["harold-brennan", "priya-natarajan", "aisha-mohammed", "jamal-carter", "david-kim"]
        attendees += ["marco-bianchi", "yasmin-rahman", "raj-patel", "grace-liu"]
        self.events.append(
            DemoEvent("AOP New York chapter meeting — supply-chain resilience panel",
                      self.clock(self.day(ny), "18:00"), "aop-ny", "New York, NY", tuple(attendees))
        )  # fmt: skip
        coffee = self.weekday_ago(-6, WEEKDAYS, hi=min(-4, ny - 2))  # at least two days after, in Tampa
        summary = "Coffee with Elena at Buddy Brew in Hyde Park — her S&OP process"
        self.record(
            DemoInteraction(self.clock(self.day(coffee), "09:30"), ("elena-vasquez",), "meeting", "mutual", summary)
        )
        fl_cast = ["fiona-mcallister", "owen-price", "janelle-brooks", "carla-mendes", "samuel-osei", "paul-dubois"]
        fl_regulars = [c.key for c in self.contacts.values() if c.group == "aop-fl" and len(c.touches) > 1]
        mixer = self.weekday_ago(-15, TUE_THU, hi=min(-10, coffee - 3))
        self.events.append(
            DemoEvent("AOP Tampa Bay chapter holiday mixer", self.clock(self.day(mixer), "18:00"), "aop-fl",
                      "Armature Works, Tampa, FL", (*fl_cast, *fl_regulars[:2]))
        )  # fmt: skip

    def moved_to_florida(self) -> None:
        """One former Hartwell colleague moved to Orlando since they last spoke: the dormant tie the move revives.

        Chosen after every random draw that depends on it, so the rest of the scenario stays as it was.
        """
        quiet = [
            c for c in self.contacts.values() if c.group == "hartwell" and max(c.touches).date() <= self.day(3 * YEAR)
        ]
        c = max(quiet, key=lambda c: (len(c.touches), c.key))
        c.org, c.location = "Orange Blossom Packaging", "Orlando, FL"
        c.notes = "Left Hartwell for Orlando a few years ago (LinkedIn); runs operations at a packaging plant."

    def reach(self) -> Reach:
        """The chapters and who belongs to them (Jordan sponsored by Harold), the events ahead, the move."""
        chapters = (
            DemoChapter("aop-ny", "AOP", "AOP New York", "New York, NY", "aop-ny"),
            DemoChapter("aop-nj", "AOP", "AOP New Jersey", "Newark, NJ", "aop-nj"),
            DemoChapter("aop-fl", "AOP", "AOP Tampa Bay", "Tampa, FL", "aop-fl"),
        )
        officers = {"harold-brennan": "officer", "fiona-mcallister": "officer"}
        members = [DemoMembership("me", "aop-ny", "member", "harold-brennan"), DemoMembership("me", "aop-fl")]
        for ch in chapters:
            for c in self.contacts.values():
                if ch.tag in c.tags and c.touches:
                    members.append(DemoMembership(c.key, ch.key, officers.get(c.key, "member")))
        goal = DemoGoal("Move to Florida", place="Florida")
        return Reach(chapters, tuple(members), tuple(self.events), (goal,))

    # ledger, needs and offers ----------------------------------------------------------------------------
    def exchanges(self) -> list[DemoExchange]:
        """The hand-written ledger, then gives and receipts spread over the generated relationships."""
        rng, used = self.rng, Counter[str]()
        out: list[DemoExchange] = []
        for key, direction, kind, text, ago, status, requested, due in EXCHANGES:
            due_on = self.today + timedelta(days=due) if due is not None else None
            at = self.at(self.resolve(ago), "email", True)
            out.append(DemoExchange(key, direction, kind, text, at, status, requested, due_on))
        declined = 0
        for c in self.contacts.values():
            if c.group in ("cast", "hartwell-weak") or not c.touches:
                continue
            real = len(c.touches) >= 3 or c.category in ("conf", "fl")
            if real and rng.random() < _GIVE_ODDS[c.category]:
                options = T.GIVES[c.category]
                direction, kind, text, requested = min(options, key=lambda o: (used[o[2]], rng.random()))
                used[text] += 1
                at = rng.choice(c.touches)
                out.append(DemoExchange(c.key, direction, kind, text.format(first=c.first), at, requested=requested))
            if declined < 5 and c.category in ("aop", "client") and len(c.touches) >= 4 and rng.random() < 0.15:
                declined += 1
                text = rng.choice(T.DECLINED_ASKS).format(first=c.first)
                out.append(DemoExchange(c.key, "asked", "introduction", text, rng.choice(c.touches), "declined"))
        return sorted(out, key=lambda e: (e.at, e.person, e.description))

    def _holder(self, spec: str) -> tuple[str, str]:
        """The key and location of a need's or offer's holder; pools pick an unused generated contact."""
        if spec == "me":
            return "me", ME.location or ""
        if not spec.startswith("pool:"):
            return spec, self.contacts[spec].location
        _, group, *where = spec.split(":", 2)
        cands = [
            c
            for c in self.contacts.values()
            if c.group == group and c.touches and (not where or where[0] in (c.location, c.org))
        ]
        fresh = [c for c in cands if c.key not in self.pool_used] or cands
        pick = self.rng.choice(fresh)
        self.pool_used.add(pick.key)
        return pick.key, pick.location

    def wants(self, table: Sequence[Want]) -> list[WantRow]:
        """Needs or offers as rows: holder, text, tags, location, created_at, expires_on."""
        out = []
        for spec, text, tags, location, created, expires in table:
            key, own = self._holder(spec)
            created_at = self.at(created, "email", False)
            expires_on = self.today + timedelta(days=expires) if expires is not None else None
            out.append((key, text, tags, own if location == "own" else location, created_at, expires_on))
        return out


def build_scenario(today: date, seed: int = 7) -> Scenario:
    """The demo network as of `today`: deterministic for a given `today` and `seed`."""
    net = _Network(today, seed)
    net.cast()
    net.hartwell()
    net.clients()
    net.recruiters()
    net.aop()
    net.conferences()
    net.circle()
    net.planned()
    net.moved_to_florida()
    exchanges = net.exchanges()
    needs = [DemoNeed(*row) for row in net.wants(NEEDS)]
    offers = [DemoOffer(*row) for row in net.wants(OFFERS)]
    people = [net.person(c) for c in net.contacts.values()]
    interactions = sorted(net.interactions, key=lambda i: (i.at, i.people, i.kind, i.summary))
    reach = net.reach()
    _check(people, interactions, exchanges, needs, offers, reach)
    return Scenario(me=ME, people=people, interactions=interactions, exchanges=exchanges, needs=needs, offers=offers,
                    reach=reach)  # fmt: skip


def _check(
    people: list[DemoPerson],
    interactions: list[DemoInteraction],
    exchanges: list[DemoExchange],
    needs: list[DemoNeed],
    offers: list[DemoOffer],
    reach: Reach,
) -> None:
    """Every referenced key exists (a broken scenario fails here, not in the loader)."""
    keys = {p.key for p in people} | {"me"}
    referenced = [k for i in interactions for k in i.people] + [e.person for e in exchanges]
    referenced += [n.person for n in needs] + [o.person for o in offers]
    referenced += [p.introduced_by for p in people if p.introduced_by]
    referenced += [m.person for m in reach.memberships] + [m.sponsor for m in reach.memberships if m.sponsor]
    referenced += [k for e in reach.events for k in e.expected]
    missing = sorted(set(referenced) - keys)
    if missing:
        raise ValueError(f"unknown keys in the demo scenario: {missing}")
