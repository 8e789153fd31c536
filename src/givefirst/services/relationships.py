"""A relationship as the user sees it: strength with its components, tier, cadence and balance, at "now"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from givefirst.domain.cadence import DueStatus, at_stake, due_status
from givefirst.domain.model import Explained, Tier, TieStats
from givefirst.domain.reciprocity import balance
from givefirst.domain.strength import strength_score, tie_strength, tier_for
from givefirst.domain.weights import Weights
from givefirst.store.people import LISTED_STATS_AT
from givefirst.store.stats import row_to_stats, stats_from_row


@dataclass(frozen=True)
class Relationship:
    person_id: int
    name: str
    organization: str | None
    title: str | None
    location: str | None
    stats: TieStats
    strength: Explained
    tier: Tier
    tier_overridden: bool
    due: DueStatus
    balance: float

    @property
    def at_stake(self) -> float:
        """What letting this tie slide would cost: strength × how overdue (domain/cadence.py)."""
        return at_stake(self.strength.score, self.due)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.person_id,
            "name": self.name,
            "organization": self.organization,
            "title": self.title,
            "location": self.location,
            "strength": round(self.strength.score, 4),
            "tier": self.tier.value,
            "cadence_days": self.due.cadence_days,
            "days_since_contact": None if self.due.days_since is None else round(self.due.days_since, 1),
            "due": self.due.due,
            "past_cadence": self.due.past_cadence,
            "at_stake": round(self.at_stake, 4),
            "at_risk": self.due.at_risk,
            "balance": round(self.balance, 3),
            "last_contact": None if self.stats.last_at is None else self.stats.last_at.isoformat(),
        }


def relationship_from_row(row: Any, now: datetime, w: Weights) -> Relationship:
    """Build a Relationship from a row of `store.people.list_people` (person columns plus tie_stats columns)."""
    stats = row_to_stats(row) if row.as_of is not None else TieStats(as_of=now)
    tier_override = Tier(row.tier_override) if row.tier_override else None
    strength = tie_strength(stats, now, w, row.strength_override)
    tier = tier_for(strength.score, stats, now, w, tier_override)
    return Relationship(
        person_id=int(row.id),
        name=str(row.name),
        organization=row.organization,
        title=row.title,
        location=row.location,
        stats=stats,
        strength=strength,
        tier=tier,
        tier_overridden=tier_override is not None,
        due=due_status(
            stats, tier, now, w, row.cadence_days, strength=strength.score, chosen=tier_override is not None
        ),
        balance=balance(stats, now, w),
    )


@dataclass(frozen=True, slots=True)
class Ranked:
    """What the People filters and sorts read of a relationship (`services.network.SORTS`), without the strength's
    named components or the balance: about half the cost of a `Relationship`, for ranking many to show a few."""

    row: Any
    person_id: int
    name: str
    stats: TieStats
    strength: Explained  # the score alone, no components
    tier: Tier
    due: DueStatus

    @property
    def at_stake(self) -> float:
        return at_stake(self.strength.score, self.due)


def ranked_from_row(row: Any, now: datetime, w: Weights) -> Ranked:
    """Score a row of `store.people.list_people` as `relationship_from_row` does, for what ranking needs only."""
    # (Unpacked by position: twelve look-ups by name were a third of the cost, with thousands of rows ranked.)
    stats = stats_from_row(row, LISTED_STATS_AT) or TieStats(as_of=now)
    tier_override = Tier(row.tier_override) if row.tier_override else None
    score = strength_score(stats, now, w, row.strength_override)
    tier = tier_for(score, stats, now, w, tier_override)
    due = due_status(stats, tier, now, w, row.cadence_days, strength=score, chosen=tier_override is not None)
    return Ranked(row, int(row.id), str(row.name), stats, Explained(score, ()), tier, due)
