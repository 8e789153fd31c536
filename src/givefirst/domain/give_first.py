"""The give-first question: when nothing is known that a strong tie needs, ask — as a give of attention.

"What are you working on, and how can I help?" is the most give-first question there is: it costs the other
person nothing, it is attention given, and its answer is the knowledge every give needs. The plan asks it,
instead of a plain check-in, of an inner, close or active tie with no open need known, or none said within
`FRESH_NEED_DAYS` (a need from last year may well be met).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from givefirst.domain.decay import days_between
from givefirst.domain.model import NeedOrOffer, Tier

TIERS = (Tier.INNER, Tier.CLOSE, Tier.ACTIVE)
FRESH_NEED_DAYS = 120  # "a few months"


def asks_first(tier: Tier, needs: Iterable[NeedOrOffer], now: datetime) -> bool:
    """Return True when the plan should ask this tie what they are working on."""
    if tier not in TIERS:
        return False
    return not any(n.created_at is None or days_between(n.created_at, now) <= FRESH_NEED_DAYS for n in needs)
