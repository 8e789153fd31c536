"""The machinery under the demo scenario: contacts in the making, touches in believable rhythms, records out."""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from givefirst.demo import content as T
from givefirst.demo.records import DemoInteraction, DemoPerson

YEAR = 365
KINDS = ("meeting", "call", "video", "email", "message")
HOURS = {"meeting": (8, 17), "call": (9, 17), "video": (9, 16), "email": (8, 18), "message": (8, 18), "event": (17, 18)}
WEEKDAY_ONLY = {"work", "client", "recruiter", "aop", "conf"}  # categories that meet on weekdays only
TUE_THU = (1, 2, 3)
MON_THU = (0, 1, 2, 3)
WEEKDAYS = (0, 1, 2, 3, 4)
_TIMELY = ("Tampa", "move", "Castellan")  # phrases that only make sense in the last months


@dataclass
class Contact:
    """A contact while it is being built: the touches decide met_on and the relationship's window."""

    key: str
    name: str
    org: str
    title: str
    location: str
    tags: tuple[str, ...]
    how_met: str  # may use {y}, {season}, {org} and the keys of `extra`
    category: str  # phrasing and kind mix, see content.SUMMARIES
    group: str
    introduced_by: str | None = None
    notes: str | None = None
    hartwell: bool = False
    phone_odds: float = 0.35
    extra: dict[str, str] = field(default_factory=dict)
    touches: list[datetime] = field(default_factory=list)

    @property
    def first(self) -> str:
        return self.name.split()[0]

    @property
    def state(self) -> str:
        return self.location.rsplit(", ", 1)[-1] if ", " in self.location else ""


def slug(text: str, sep: str = "-") -> str:
    """ASCII, lower case, words joined by `sep`: "Tomás O'Brien" -> "tomas-obrien"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", sep, plain).strip(sep)


def season(month: int) -> str:
    return ("winter", "spring", "summer", "fall")[(month % 12) // 3]


_TITLE_TAGS = (
    (("demand",), "demand-planning"),
    (("procurement", "buyer"), "procurement"),
    (("warehouse", "distribution", "fulfillment"), "warehousing"),
    (("transportation", "logistics", "carrier"), "logistics"),
    (("plant", "quality"), "manufacturing"),
    (("improvement",), "lean"),
    (("analyst", "data"), "analytics"),
    (("recruit", "talent", "search"), "recruiting"),
    (("cfo", "controller", "finance"), "finance"),
    (("s&op", "supply", "inventory"), "supply-chain"),
    (("operations", "coo", "owner"), "operations"),
)


def title_tag(title: str) -> str | None:
    """The professional tag a title implies, if any."""
    lowered = title.lower()
    for words, tag in _TITLE_TAGS:
        if any(w in lowered for w in words):
            return tag
    return None


class Builder:
    """Accumulates contacts and interactions, all drawn from one seeded RNG, relative to `today`."""

    def __init__(self, today: date, seed: int, reserved_names: set[str], reserved_phones: set[str]) -> None:
        self.today = today
        self.rng = random.Random(seed)
        self.contacts: dict[str, Contact] = {}
        self.interactions: list[DemoInteraction] = []
        self.names = set(reserved_names)
        self.phones = set(reserved_phones)

    # time ------------------------------------------------------------------------------------------------
    def weekday_ago(self, ago: int, days: Sequence[int], lo: int | None = None, hi: int | None = None) -> int:
        """The `ago` nearest to `ago` that falls on one of `days` (weekday numbers) and within [lo, hi]."""
        for delta in sorted(range(-6, 7), key=lambda d: (abs(d), -d)):
            cand = ago + delta
            in_range = (lo is None or cand >= lo) and (hi is None or cand <= hi)
            if in_range and self.day(cand).weekday() in days:
                return cand
        return ago

    def day(self, ago: int) -> date:
        return self.today - timedelta(days=ago)

    def at(self, ago: int, kind: str, weekdays: bool) -> datetime:
        """A plausible time of day for a touch of `kind`, `ago` days back (weekends moved to Friday)."""
        day = self.day(ago)
        if weekdays and day.weekday() >= 5:
            day -= timedelta(days=day.weekday() - 4)
        lo, hi = HOURS[kind]
        return datetime.combine(day, time(self.rng.randint(lo, hi), self.rng.randrange(0, 60, 5)))

    @staticmethod
    def clock(day: date, hhmm: str) -> datetime:
        hour, minute = hhmm.split(":")
        return datetime.combine(day, time(int(hour), int(minute)))

    # contacts --------------------------------------------------------------------------------------------
    def add(self, contact: Contact) -> Contact:
        assert contact.key not in self.contacts, contact.key
        self.contacts[contact.key] = contact
        return contact

    def new_name(self) -> str:
        while True:
            name = f"{self.rng.choice(T.FIRST_NAMES)} {self.rng.choice(T.LAST_NAMES)}"
            if name not in self.names and slug(name) not in self.contacts:
                self.names.add(name)
                return name

    def generated(
        self,
        group: str,
        category: str,
        orgs: Sequence[str],
        titles: Sequence[str],
        tags: tuple[str, ...],
        how_met: Sequence[str],
        job: tuple[str, str] | None = None,
    ) -> Contact:
        """A contact from the name tables; `job` forces its (organization, title)."""
        name = self.new_name()
        org, title = job or (self.rng.choice(orgs), self.rng.choice(titles))
        tag = title_tag(title)
        tags = tuple(dict.fromkeys((*tags, tag) if tag else tags))
        location = self.rng.choice(T.ORGS[org][1])
        how = self.rng.choice(how_met)
        return self.add(Contact(slug(name), name, org, title, location, tags, how, category, group))

    # touches ---------------------------------------------------------------------------------------------
    def _pick(self, texts: Sequence[str], ago: int, c: Contact) -> str:
        """A random text that makes sense `ago` days back (no talk of the move years before it)."""
        fitting = [
            t
            for t in texts
            if not (ago > 300 and any(w in t for w in _TIMELY))
            and not (c.state == "FL" and ago < 2 * YEAR and "Prospect Park" in t)
        ]
        return self.rng.choice(fitting or list(texts))

    def summary(self, c: Contact, kind: str, direction: str, ago: int) -> str:
        slot = kind if kind in ("meeting", "call", "video") else f"{kind}_{'out' if direction == 'outbound' else 'in'}"
        state = c.state
        region = state if state in ("NY", "NJ", "FL") else "NY" if state in ("CT", "PA") else "other"
        if region == "FL" and ago > 2 * YEAR:
            region = "NY"  # before the Florida years Jordan met people in New York
        template = self._pick(T.SUMMARIES[c.category][slot], ago, c)
        return template.format(
            first=c.first,
            topic=self._pick(T.TOPICS[c.category], ago, c),
            place=self.rng.choice(T.PLACES[region]),
            artifact=self.rng.choice(T.ARTIFACTS),
        )

    def touch(self, c: Contact, ago: int, kind: str | None = None, direction: str | None = None) -> None:
        """One interaction with `c`, `ago` days back; kind and direction drawn when not given."""
        kind = kind or self.rng.choices(KINDS, weights=T.KIND_MIX[c.category])[0]
        if direction is None:
            if kind in ("email", "message"):
                inbound = 0.75 if c.category == "recruiter" else 0.5
                direction = "inbound" if self.rng.random() < inbound else "outbound"
            else:
                direction = "mutual"
        at = self.at(ago, kind, c.category in WEEKDAY_ONLY)
        self.record(DemoInteraction(at, (c.key,), kind, direction, self.summary(c, kind, direction, ago)))

    def record(self, interaction: DemoInteraction) -> None:
        self.interactions.append(interaction)
        if interaction.at.date() < self.today:
            for key in interaction.people:
                self.contacts[key].touches.append(interaction.at)

    def series(self, c: Contact, start: int, last: int, gap: float, slow_after: int | None = None) -> None:
        """Touches from `last` days ago back to `start` days ago, about `gap` days apart (3x after `slow_after`)."""
        ago = float(last)
        while ago <= start:
            self.touch(c, round(ago))
            step = gap * self.rng.uniform(0.6, 1.4)
            if slow_after is not None and ago < slow_after:
                step *= 3
            ago += step

    def event(self, ago: int, keys: Sequence[str], summary: str, hhmm: str | None = None) -> None:
        """A group event (chapter meeting, mixer) on the evening of the day `ago` days back."""
        if keys:
            day = self.day(ago)
            at = self.clock(day, hhmm) if hhmm else datetime.combine(day, time(18, self.rng.choice((0, 30))))
            self.record(DemoInteraction(at, tuple(dict.fromkeys(keys)), "event", "mutual", summary))

    def regulars(self, ago: int, tag: str, odds: float, exclude: set[str]) -> list[str]:
        """Contacts tagged `tag` whose relationship spans the day, each present with probability `odds`."""
        day, found = self.day(ago), []
        for c in self.contacts.values():
            member = tag in c.tags and c.key not in exclude and c.category in ("aop", "fl", "friend")
            spans = member and c.touches and min(c.touches).date() <= day <= max(c.touches).date()
            if spans and self.rng.random() < odds:
                found.append(c.key)
        return found

    # output ----------------------------------------------------------------------------------------------
    def person(self, c: Contact) -> DemoPerson:
        """The record of a contact: addresses from name and organization, met_on from the first touch."""
        first = min(c.touches)
        local = f"{slug(c.first, '')}.{slug(c.name.split(' ', 1)[1], '')}"
        emails = [f"{local}@{T.ORGS[c.org][0]}.example"]
        if c.hartwell and c.org != "Hartwell Logistics":
            emails.append(f"{local}@{T.ORGS['Hartwell Logistics'][0]}.example")
        if c.category == "friend" or self.rng.random() < 0.15:
            emails.append(f"{local}@mail.example")
        phones: list[str] = []
        if self.rng.random() < c.phone_odds:
            codes = T.AREA_CODES.get(c.state, T.AREA_CODES["NY"])
            while not phones:
                phone = f"({self.rng.choice(codes)}) 555-01{self.rng.randrange(100):02d}"
                if phone not in self.phones:
                    self.phones.add(phone)
                    phones.append(phone)
        fields = {"y": str(first.year), "season": season(first.month), "org": c.org, **c.extra}
        return DemoPerson(
            key=c.key,
            name=c.name,
            emails=tuple(dict.fromkeys(emails)),
            phones=tuple(phones),
            organization=c.org,
            title=c.title,
            location=c.location,
            tags=c.tags,
            how_met=c.how_met.format(**fields),
            met_on=first.date(),
            introduced_by=c.introduced_by,
            notes=c.notes,
        )
