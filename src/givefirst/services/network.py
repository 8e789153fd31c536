"""Reading the network: the people list with its filters, and one person's whole profile."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from givefirst.domain.model import Tier
from givefirst.domain.readiness import AskReadiness
from givefirst.errors import InvalidInputError
from givefirst.services import tiestats
from givefirst.services.choices import choose
from givefirst.services.context import App
from givefirst.services.due_candidates import may_be_due
from givefirst.services.ledger import readiness_for
from givefirst.services.people import resolve_person
from givefirst.services.relationships import Ranked, Relationship, ranked_from_row, relationship_from_row
from givefirst.store import interactions as interactions_store
from givefirst.store import ledger as ledger_store
from givefirst.store import needs as needs_store
from givefirst.store import people as people_store

SORTS = {
    "name": lambda r: (r.name.lower(), r.person_id),
    "strength": lambda r: (-r.strength.score, r.name.lower()),
    "recent": lambda r: (-(r.stats.last_at.timestamp() if r.stats.last_at else 0.0), r.name.lower()),
    # The plan's own priority: what is at stake, strength × how overdue (domain/cadence.py).
    "due": lambda r: (-r.at_stake, r.name.lower()),
}


def list_people(
    app: App,
    *,
    search: str | None = None,
    tag: str | None = None,
    location: str | None = None,
    organization: str | None = None,
    tier: str | None = None,
    due: bool = False,
    at_risk: bool = False,
    sort: str = "name",
    limit: int | None = None,
    include_weak: bool = False,
) -> list[Relationship]:
    """Return the people that pass every filter, sorted by name, strength, recent contact or what is at stake.

    `due` keeps the ties due for a touch; with `include_weak`, also those past their cadence but below the
    strength floor (docs/scores.md). `limit` (0 or None: no limit) keeps the first ones.
    """
    return people_page(
        app, search=search, tag=tag, location=location, organization=organization, tier=tier, due=due,
        at_risk=at_risk, sort=sort, limit=limit, include_weak=include_weak, count=False,
    )[0]  # fmt: skip


def people_page(
    app: App,
    *,
    search: str | None = None,
    tag: str | None = None,
    location: str | None = None,
    organization: str | None = None,
    tier: str | None = None,
    due: bool = False,
    at_risk: bool = False,
    sort: str = "name",
    limit: int | None = None,
    include_weak: bool = False,
    count: bool = True,
) -> tuple[list[Relationship], int]:
    """Return the first `limit` people of `list_people` and, with `count`, how many there are in all.

    The cost follows the page, not the network, where SQL can choose the page: by name without a tier, due or
    at-risk filter, the page is read with LIMIT. With `due`, only those who may be due (`store.due.may_be_due`,
    a conservative bound in SQL) are scored, and the exact rule (`domain.cadence`) decides among them.
    """
    if sort not in SORTS:
        raise InvalidInputError(f"unknown sort {sort!r}: choose one of {', '.join(SORTS)}")
    wanted_tier = choose(Tier, tier, "tier") if tier else None
    filters: dict[str, Any] = {"search": search, "tag": tag, "location": location, "organization": organization}
    with app.begin() as conn:
        if sort == "name" and wanted_tier is None and not due and not at_risk:
            rows = people_store.list_people(conn, **filters, limit=limit or None)
            total = len(rows)
            if count and limit and total == limit:
                total = people_store.count_listed(conn, **filters)
            return [relationship_from_row(row, app.now, app.weights) for row in rows], total
        # Scored below: with sums kept under other half-lives the scores would be wrong (as `today` does).
        tiestats.refresh_if_settings_changed(conn, app.weights)
        if due:
            rows = people_store.list_people(conn, **filters, where=may_be_due(app.now, app.weights, include_weak))
        else:
            rows = people_store.list_people(conn, **filters)
    if limit and len(rows) > limit:
        # Many rows for one page: ranked on the bare numbers, only the page's people built in full (building every
        # candidate's Relationship was most of `people --due`: 3,200 of them at 20,000 people).
        ranked = [ranked_from_row(row, app.now, app.weights) for row in rows]
        kept = [r for r in ranked if _passes(r, wanted_tier, due, at_risk, include_weak)]
        kept.sort(key=SORTS[sort])
        return [relationship_from_row(r.row, app.now, app.weights) for r in kept[:limit]], len(kept)
    result = []
    for row in rows:
        rel = relationship_from_row(row, app.now, app.weights)
        if _passes(rel, wanted_tier, due, at_risk, include_weak):
            result.append(rel)
    result.sort(key=SORTS[sort])
    return (result[:limit] if limit else result), len(result)


def _passes(rel: Relationship | Ranked, tier: Tier | None, due: bool, at_risk: bool, include_weak: bool) -> bool:
    if tier is not None and rel.tier is not tier:
        return False
    if due and not (rel.due.past_cadence if include_weak else rel.due.due):
        return False
    return not (at_risk and not rel.due.at_risk)


@dataclass
class Profile:
    relationship: Relationship
    person: Any  # the people row
    is_me: bool
    introduced_by: str | None
    identities: list[tuple[str, str, str | None]]
    tags: list[str]
    timeline: list[dict[str, Any]]
    ledger: list[dict[str, Any]]
    needs: list[dict[str, Any]]
    offers: list[dict[str, Any]]
    readiness: AskReadiness | None

    def as_dict(self) -> dict[str, Any]:
        rel = self.relationship
        return {
            **rel.as_dict(),
            "tier_overridden": rel.tier_overridden,
            "is_me": self.is_me,
            "credentials": self.person.credentials,
            "how_met": self.person.how_met,
            "met_on": self.person.met_on.isoformat() if self.person.met_on else None,
            "birthday": self.person.birthday.isoformat() if self.person.birthday else None,
            "introduced_by": self.introduced_by,
            "notes": self.person.notes,
            "emails": [v for k, v, _ in self.identities if k == "email"],
            "phones": [v for k, v, _ in self.identities if k == "phone"],
            "urls": [v for k, v, _ in self.identities if k == "url"],
            "tags": self.tags,
            "strength_components": [
                {"name": c.name, "value": round(c.value, 4), "note": c.note} for c in rel.strength.components
            ],
            "ask_readiness": None
            if self.readiness is None
            else {
                "verdict": self.readiness.verdict.value,
                "reasons": list(self.readiness.reasons),
                "in_favour": list(self.readiness.strengths),
                "alternative": self.readiness.alternative,
            },
            "timeline": self.timeline,
            "ledger": self.ledger,
            "needs": self.needs,
            "offers": self.offers,
        }


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None and hasattr(value, "isoformat") else value


def profile(app: App, ref: str, timeline_limit: int = 15) -> Profile:
    """Return everything givefirst knows about one person."""
    with app.begin() as conn:
        pid = resolve_person(conn, app, ref)
        person = people_store.person_row(conn, pid)
        row = people_store.list_people(conn, include_me=True, person_ids=[pid])[0]
        rel = relationship_from_row(row, app.now, app.weights)
        introducer = people_store.person_row(conn, person.introduced_by_id) if person.introduced_by_id else None
        events = interactions_store.timeline(conn, pid, timeline_limit)
        others = interactions_store.participants(conn, [e.id for e in events])
        names = {p: people_store.person_row(conn, p).name for ids in others.values() for p in ids if p != pid}
        timeline = [
            {
                "id": e.id,
                "at": e.occurred_at.isoformat(),
                "kind": e.kind,
                "direction": e.direction,
                "summary": e.summary,
                "planned": bool(e.planned),
                "with_others": [names[p] for p in others.get(e.id, []) if p != pid],
            }
            for e in events
        ]
        ledger = [
            {k: _iso(v) for k, v in r._mapping.items() if k not in {"person_id", "created_at"}}
            for r in ledger_store.exchanges_of(conn, pid)
        ]
        needs = [_item(r) for r in needs_store.items_of(conn, "need", pid)]
        offers = [_item(r) for r in needs_store.items_of(conn, "offer", pid)]
        readiness = None if person.is_me else readiness_for(conn, app, pid, rel)
        return Profile(
            relationship=rel,
            person=person,
            is_me=bool(person.is_me),
            introduced_by=introducer.name if introducer else None,
            identities=people_store.identities_of(conn, pid),
            tags=people_store.tags_of(conn, pid),
            timeline=timeline,
            ledger=ledger,
            needs=needs,
            offers=offers,
            readiness=readiness,
        )


def _item(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "text": r.text,
        "tags": [t for t in r.tags.split(",") if t],
        "location": r.location,
        "status": r.status,
        "created_at": _iso(r.created_at),
        "expires_on": _iso(r.expires_on),
    }
