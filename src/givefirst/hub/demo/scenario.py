"""The hub demo's association, generated: `make_scenario(now, seed)` returns the same records for the same inputs.

The story's members come from `cast`; the others are drawn from templates × trades × places (`content`) by one
`random.Random(seed)`. Nothing here touches a database: `hub.services.demo` hashes the passwords and the store
writes the rows.
"""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import datetime, timedelta

from givefirst.demo.content import FIRST_NAMES, LAST_NAMES
from givefirst.hub.demo import content as T
from givefirst.hub.demo.cast import ADMIN, CAST, MOVER, ORPHAN_NEEDS, CastMember
from givefirst.hub.demo.events import add_events
from givefirst.hub.demo.introductions import add_introductions
from givefirst.hub.demo.records import (
    DemoAudit,
    DemoChapter,
    DemoHandoff,
    DemoItem,
    DemoLogin,
    DemoMember,
    Scenario,
    public_id,
)

DEMO_SEED = 15
PASSWORD_PREFIX = "demo-password-"
TRADES = {t.key: t for t in T.TRADES}


def slug(text: str, sep: str = ".") -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", sep, plain).strip(sep)


def password_for(email: str) -> str:
    """Every demo member's password: "demo-password-" and the part of their e-mail before the @."""
    return PASSWORD_PREFIX + email.split("@", 1)[0]


def _voice(opener: str, sentence: str, closer: str) -> str:
    """Wrap a trade's sentence in a member's own opener and closer ("Hi all, our small firm…")."""
    if opener.endswith((", ", "but ")) and not sentence.startswith(("I ", "I'")):
        sentence = sentence[0].lower() + sentence[1:]
    return opener + sentence + closer


class _Builder:
    def __init__(self, now: datetime, seed: int) -> None:
        self.now = now
        self.rng = random.Random(seed)
        self.s = Scenario(association=T.ASSOCIATION)
        self.specs = {c.key: c for c in T.CHAPTERS}
        self.names: set[str] = set()
        self.by_chapter: dict[str, list[DemoMember]] = {c.key: [] for c in T.CHAPTERS}

    # --- members -------------------------------------------------------------------------------------------

    def _email(self, name: str) -> str:
        return f"{slug(name)}@{T.EMAIL_DOMAIN}"

    def _add_member(self, m: DemoMember, trade: str) -> None:
        self.s.members.append(m)
        self.by_chapter[m.chapter].append(m)
        self.names.add(m.name)

    def _last_seen(self, quiet: bool) -> datetime:
        days = self.rng.uniform(60, 200) if quiet else self.rng.expovariate(1 / 4)
        return self.now - timedelta(days=min(days, 400), minutes=self.rng.randrange(600))

    def cast(self, c: CastMember) -> None:
        email = self._email(c.name)
        moving_on = (self.now + timedelta(days=c.moving_in_days)).date() if c.moving_in_days is not None else None
        member = DemoMember(
            key=c.key,
            public_id=public_id(self.rng),
            name=c.name,
            email=email,
            password=password_for(email),
            role=c.role,
            chapter=c.chapter,
            sponsor=c.sponsor,
            headline=f"{c.title} at {c.org}",
            location=c.location,
            joined_at=self.now - timedelta(days=c.joined_days_ago, hours=self.rng.randrange(24)),
            last_seen_at=self.now - timedelta(hours=self.rng.randrange(1, 72)),
            moving_to=c.moving_to,
            moving_on=moving_on,
        )
        self._add_member(member, c.trade)
        for kind, said in (("need", c.needs), ("offer", c.offers)):
            for text, tags, visibility, location in said:
                self._item(member, kind, text, tags, visibility, location or member.location, days_ago=None)

    def _new_name(self) -> str:
        while True:
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            if name not in self.names:
                return name

    def generated(self, chapter: str, n: int) -> None:
        spec = self.specs[chapter]
        trade = self.rng.choice(T.TRADES)
        name = self._new_name()
        location = spec.places[min(int(self.rng.expovariate(0.45)), len(spec.places) - 1)]
        city = location.split(",")[0]
        org = self.rng.choice(T.ORG_WORDS) + self.rng.choice(T.SUFFIXES)
        headline = self.rng.choice(T.HEADLINES).format(
            title=self.rng.choice(trade.titles), org=org, sector=self.rng.choice(T.SECTORS), city=city
        )
        newcomer = self.rng.random() < 0.08
        days = self.rng.randrange(3, 28) if newcomer else int(self.rng.uniform(45, 2400))
        elders = [m for m in self.by_chapter[chapter] if (self.now - m.joined_at).days > days + 14]
        sponsor = self.rng.choice(elders).key if elders and (newcomer or self.rng.random() < 0.35) else None
        email = self._email(name)
        member = DemoMember(
            key=f"m{n}",
            public_id=public_id(self.rng),
            name=name,
            email=email,
            password=password_for(email),
            role="member",
            chapter=chapter,
            sponsor=sponsor,
            headline=headline,
            location=location,
            joined_at=self.now - timedelta(days=days, hours=self.rng.randrange(24)),
            last_seen_at=self._last_seen(quiet=not newcomer and self.rng.random() < 0.12),
            digest_opt_out=self.rng.random() < 0.08,
        )
        self._add_member(member, trade.key)
        self._generated_items(member, trade, newcomer)

    # --- needs and offers ----------------------------------------------------------------------------------

    def _fill(self, template: str, member: DemoMember, trade: T.Trade) -> str:
        city = (member.location or "New York").split(",")[0]
        return template.format(
            city=city,
            tool=self.rng.choice(trade.tools),
            sector=self.rng.choice(T.SECTORS),
            n=self.rng.choice((12, 20, 40, 60, 150, 400)),
            pct=self.rng.choice((4, 6, 8, 9, 11, 12)),
            month=T.MONTHS[(self.now.month + self.rng.randrange(1, 4)) % 12],
        )

    def _generated_items(self, member: DemoMember, trade: T.Trade, newcomer: bool) -> None:
        needs = self.rng.choices((0, 1, 1, 2, 2, 3), k=1)[0]
        offers = self.rng.choices((0, 1, 1, 1, 2, 2), k=1)[0] if not newcomer else self.rng.choice((0, 1))
        for kind, count, templates, openers, closers in (
            ("need", needs, trade.needs, T.NEED_OPENERS, T.NEED_CLOSERS),
            ("offer", offers, trade.offers, T.OFFER_OPENERS, T.OFFER_CLOSERS),
        ):
            chosen = self.rng.sample(templates, min(count, len(templates)))
            for template in chosen:
                text = _voice(self.rng.choice(openers), self._fill(template, member, trade), self.rng.choice(closers))
                visibility = self.rng.choices(("chapter", "association", "leads"), weights=(64, 29, 7))[0]
                # an item's place is its owner's, as when a member adds one without naming a place
                self._item(
                    member, kind, text, trade.tags, visibility, member.location, days_ago=self.rng.uniform(0, 120)
                )
        if self.rng.random() < 0.12:  # a need outside one's own trade: careers, a contract to read, events
            other = TRADES[self.rng.choice(("careers", "contracts", "events", "finance"))]
            text = self._fill(self.rng.choice(other.needs), member, other)
            self._item(member, "need", text, other.tags, "chapter", member.location, days_ago=self.rng.uniform(0, 60))

    def _item(
        self,
        member: DemoMember,
        kind: str,
        text: str,
        tags: tuple[str, ...],
        visibility: str,
        location: str | None,
        days_ago: float | None,
    ) -> DemoItem:
        created = max(member.joined_at, self.now - timedelta(days=days_ago if days_ago is not None else 6))
        closed = days_ago is not None and days_ago > 20 and self.rng.random() < 0.15
        item = DemoItem(
            key=f"i{len(self.s.items) + 1}",
            public_id=public_id(self.rng),
            member=member.key,
            kind=kind,
            text=text,
            tags=tags,
            location=location,
            visibility=visibility,
            created_at=created,
            status="closed" if closed else "open",
            closed_at=created + (self.now - created) / 2 if closed else None,
        )
        self.s.items.append(item)
        return item

    def orphans(self) -> None:
        """Needs nobody in the demo can meet, open for five to ten weeks: the dashboard's "nobody can help"."""
        for n, (text, tags) in enumerate(ORPHAN_NEEDS):
            pool = [m for m in self.by_chapter[T.CHAPTERS[n % len(T.CHAPTERS)].key] if m.role == "member"]
            owner = pool[(n * 7) % len(pool)]
            self._item(owner, "need", text, tags, "chapter", owner.location, days_ago=35 + 9 * n)

    # --- the rest ------------------------------------------------------------------------------------------

    def handoff_and_audit(self) -> None:
        mover = next(m for m in self.s.members if m.key == MOVER)
        self.s.handoffs.append(DemoHandoff(MOVER, mover.chapter, "fl", "proposed", self.now - timedelta(days=2)))
        for chapter in self.s.chapters:
            self.s.audit.append(DemoAudit(ADMIN, "chapter.create", chapter.slug, "{}", self.now - timedelta(days=3000)))
        for c in CAST:
            if c.role == "lead":
                self.s.audit.append(
                    DemoAudit(ADMIN, "member.role", c.key, '{"role": "lead"}', self.now - timedelta(days=400))
                )

    def logins(self) -> None:
        picks = (("the mover (New York → Tampa)", MOVER), ("a chapter lead (AOP New York)", "harold"),
                 ("a chapter lead (AOP Florida)", "fiona"), ("the association admin", ADMIN))  # fmt: skip
        by_key = {m.key: m for m in self.s.members}
        for who, key in picks:
            m = by_key[key]
            self.s.logins.append(DemoLogin(who, m.name, m.email, m.password))
        plain = next(m for m in self.by_chapter["nj"] if m.key.startswith("m") and m.sponsor is None)
        self.s.logins.append(DemoLogin("a member (AOP New Jersey)", plain.name, plain.email, plain.password))


def make_scenario(now: datetime, seed: int = DEMO_SEED) -> Scenario:
    """Return the demo association as of `now` (naive UTC): the same records for the same `now` and `seed`."""
    b = _Builder(now, seed)
    b.s.chapters = [DemoChapter(c.key, c.slug, c.name, c.region, c.timezone) for c in T.CHAPTERS]
    for c in CAST:
        b.cast(c)
    n = 0
    for spec in T.CHAPTERS:
        while len(b.by_chapter[spec.key]) < spec.members:
            n += 1
            b.generated(spec.key, n)
    b.orphans()
    add_events(b.s, b.rng, now, b.by_chapter)
    add_introductions(b.s, b.rng, now)
    b.handoff_and_audit()
    b.logins()
    return b.s
