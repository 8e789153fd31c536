"""Ask readiness: can this relationship carry an ask right now? Warn, never block.

Four signals, each adding concern points with a reason a person can read:

* balance (`reciprocity.balance`): taken more than given recently (−1 or worse: 2 points; below 0: 1);
* time since the last real touch: over a year (2) or past the tie's cadence (1) — asking out of the blue;
* time since the last ask: within 30 days (2) or 90 days (1) — asks in a row wear a tie;
* tie strength: below 0.1 (2) or below 0.3 (1) — weak ties carry information, not big favours (Granovetter).
* an unkept promise to them (1).

0 points: ready; 1–2: caution; 3 or more: not ready. When not ready, the give-first alternative (found by the
service from the person's open needs) is offered, else a plain check-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from givefirst.domain.decay import days_between
from givefirst.domain.model import Readiness, TieStats
from givefirst.domain.reciprocity import balance
from givefirst.domain.weights import Weights


@dataclass(frozen=True, slots=True)
class AskReadiness:
    verdict: Readiness
    points: int
    reasons: tuple[str, ...]  # the concerns, worst first
    strengths: tuple[str, ...]  # what speaks for asking
    alternative: str | None  # the give-first action to take instead, when not ready


def ask_readiness(
    stats: TieStats,
    now: datetime,
    w: Weights,
    *,
    strength: float,
    cadence_days: int | None,
    open_promises: int = 0,
    alternatives: tuple[str, ...] = (),
) -> AskReadiness:
    """Return whether an ask of this person is ready, cautious or not ready, and why."""
    concerns: list[tuple[int, str]] = []
    good: list[str] = []
    bal = balance(stats, now, w)
    if bal <= -1.0:
        concerns.append((2, f"you have taken more than you gave lately (balance {bal:+.1f})"))
    elif bal < 0:
        concerns.append((1, f"the give/ask balance is slightly negative ({bal:+.1f})"))
    elif bal >= 1.0:
        good.append(f"you have given more than you took (balance {bal:+.1f})")

    if stats.last_at is None:
        concerns.append((2, "you have never been in touch"))
    else:
        since = days_between(stats.last_at, now)
        if since > 365:
            concerns.append((2, f"no contact for {since / 365.25:.1f} years — the ask would come out of the blue"))
        elif cadence_days is not None and since > cadence_days:
            concerns.append((1, f"last contact {since:.0f} days ago, past your usual {cadence_days}-day rhythm"))
        else:
            good.append(f"in touch recently ({max(since, 0):.0f} days ago)")

    if stats.last_ask_at is not None:
        since_ask = days_between(stats.last_ask_at, now)
        if since_ask < 30:
            concerns.append((2, f"you already asked {max(since_ask, 0):.0f} days ago"))
        elif since_ask < 90:
            concerns.append((1, f"you asked {since_ask:.0f} days ago"))

    if strength < 0.1:
        concerns.append((2, f"a weak tie (strength {strength:.2f})"))
    elif strength < 0.3:
        concerns.append((1, f"a light tie (strength {strength:.2f})"))
    else:
        good.append(f"a solid tie (strength {strength:.2f})")

    if open_promises:
        concerns.append((1, f"you still owe them {open_promises} promised give{'s' if open_promises > 1 else ''}"))

    concerns.sort(key=lambda c: -c[0])
    points = sum(p for p, _ in concerns)
    verdict = Readiness.READY if points == 0 else Readiness.CAUTION if points < 3 else Readiness.NOT_READY
    alternative = None
    if verdict is not Readiness.READY:
        alternative = alternatives[0] if alternatives else "Check in first with something useful to them, no ask"
    return AskReadiness(verdict, points, tuple(r for _, r in concerns), tuple(good), alternative)
