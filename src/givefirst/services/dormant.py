"""Dormant ties worth reviving, ranked as the daily plan ranks them (domain/dormant.py), with their reasons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from givefirst.domain import messages
from givefirst.domain.dormant import Revival
from givefirst.domain.plan import dormant_ties
from givefirst.errors import InvalidInputError
from givefirst.services.context import App
from givefirst.services.plan_inputs import gather


@dataclass(frozen=True)
class DormantTie:
    person_id: int
    name: str
    years_silent: float
    revival: Revival
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.person_id, "name": self.name, "years_silent": round(self.years_silent, 1),
            "score": round(self.revival.score, 4), "parts": {k: round(v, 3) for k, v in self.revival.parts.items()},
            "reasons": list(self.revival.reasons), "message": self.message,
            "command": f"givefirst done revive:{self.person_id}",
        }  # fmt: skip


def list_dormant(app: App, limit: int = 10) -> list[DormantTie]:
    """Return the best dormant ties to revive now, best first."""
    if limit < 1:
        raise InvalidInputError("--limit must be at least 1")
    with app.begin() as conn:
        data = gather(conn, app)
    out = []
    for r in dormant_ties(data, app.now, app.weights, app.plan_settings)[:limit]:
        p = data.people[r.person_id]
        years = (app.now - p.stats.last_at).days / 365.25 if p.stats.last_at else 0.0
        give = next(
            (x.removeprefix("you could give first: ") for x in r.reasons if x.startswith("you could give")), None
        )
        opener = f"I came across something that may help with what you're after: {give}" if give else None
        out.append(DormantTie(r.person_id, p.name, years, r, messages.revive(p.name, years, opener)))
    return out
