"""The give/ask balance: per relationship and over the whole network.

balance = decayed gives − decayed takes, where a give is something the user gave (done) and a take is an ask the
user made (whatever its outcome: asking draws on the relationship) or a favour received. Each entry weighs by
its kind (`Weights.exchange_weights`) and halves every `ledger_half_life_days`, because an old favour is
remembered less than last month's (Grant's *Give and Take*; decayed like tie strength, see `decay.py`).

The overall give share = Σ gives / (Σ gives + Σ takes) over the network, compared to the user's own target
(`target_give_share`): balance, not martyrdom.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from givefirst.domain.decay import decay_to
from givefirst.domain.model import TieStats
from givefirst.domain.weights import Weights


def balance(stats: TieStats, now: datetime, w: Weights) -> float:
    """Return decayed gives minus decayed takes at `now` (positive: the user has given more)."""
    s = decay_to(stats, now, w.half_life_days, w.ledger_half_life_days)
    return s.gives - s.takes


@dataclass(frozen=True, slots=True)
class OverallBalance:
    gives: float
    takes: float
    target_give_share: float

    @property
    def give_share(self) -> float | None:
        total = self.gives + self.takes
        return None if total <= 0 else self.gives / total

    @property
    def on_target(self) -> bool:
        share = self.give_share
        return share is None or share >= self.target_give_share


def overall_balance(all_stats: Iterable[TieStats], now: datetime, w: Weights) -> OverallBalance:
    """Return the user's decayed gives and takes summed over every relationship.

    Summed exactly (`math.fsum`), so that the totals do not depend on the order of the relationships.
    """
    gives: list[float] = []
    takes: list[float] = []
    for stats in all_stats:
        s = decay_to(stats, now, w.half_life_days, w.ledger_half_life_days)
        gives.append(s.gives)
        takes.append(s.takes)
    return OverallBalance(math.fsum(gives), math.fsum(takes), w.target_give_share)
