""" "Whom I can help this week": the needs a member's own offers meet, and two other members they could introduce.

Read from the engine's stored pairs (`matches`), best first, each with the engine's explanation (its named
signals), through the access rule; declined pairs and needs already introduced to that helper are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from givefirst.domain.match_score import Signal
from givefirst.hub.domain.events import HELP_THRESHOLD
from givefirst.hub.domain.model import Member
from givefirst.hub.services.context import Hub
from givefirst.hub.store import helping as store

LIMIT = 20


@dataclass(frozen=True)
class HelpNeed:
    score: float
    need_id: str
    need_text: str
    seeker: str
    seeker_id: str
    offer_id: str
    offer_text: str
    signals: tuple[Signal, ...] = field(default_factory=tuple)

    @property
    def why(self) -> str:
        """The signals that added most, in words ("similar meaning, shared words")."""
        adding = sorted((s for s in self.signals if s.points > 0.01), key=lambda s: -s.points)
        return ", ".join(s.note for s in adding[:2])

    @property
    def likely(self) -> bool:
        """Whether the engine counts it as help you can give (the hub's threshold); the rest are weaker matches."""
        return self.score >= HELP_THRESHOLD

    @property
    def lost(self) -> str:
        taking = [s for s in self.signals if s.points < -0.01]
        return ", ".join(f"{s.name}: {s.note}" for s in taking)

    def as_dict(self) -> dict[str, object]:
        return {"score": round(self.score, 4), "likely": self.likely, "need": {"id": self.need_id,
                "text": self.need_text, "member": self.seeker, "member_id": self.seeker_id},
                "your_offer": {"id": self.offer_id, "text": self.offer_text}, "why": self.why,
                "signals": [{"name": s.name, "value": round(s.value, 4), "points": round(s.points, 4),
                             "note": s.note} for s in self.signals]}  # fmt: skip


@dataclass(frozen=True)
class HelpPair:
    score: float
    need_id: str
    need_text: str
    seeker: str
    offer_id: str
    offer_text: str
    helper: str
    signals: tuple[Signal, ...] = field(default_factory=tuple)

    @property
    def why(self) -> str:
        adding = sorted((s for s in self.signals if s.points > 0.01), key=lambda s: -s.points)
        return ", ".join(s.note for s in adding[:2])

    def as_dict(self) -> dict[str, object]:
        return {"score": round(self.score, 4), "need": {"id": self.need_id, "text": self.need_text,
                "member": self.seeker}, "offer": {"id": self.offer_id, "text": self.offer_text,
                "member": self.helper}, "why": self.why}  # fmt: skip


@dataclass(frozen=True)
class HelpPage:
    needs: list[HelpNeed]
    pairs: list[HelpPair]

    @property
    def likely_needs(self) -> list[HelpNeed]:
        return [n for n in self.needs if n.likely]

    @property
    def weaker_needs(self) -> list[HelpNeed]:
        return [n for n in self.needs if not n.likely]

    def as_dict(self) -> dict[str, object]:
        return {"you_can_help": [n.as_dict() for n in self.needs], "you_could_introduce": [p.as_dict()
                for p in self.pairs]}  # fmt: skip


def _signals(text: str) -> tuple[Signal, ...]:
    from givefirst.services.matching import decode_signals

    try:
        return decode_signals(text) if text else ()
    except (ValueError, TypeError):
        return ()


def whom_i_can_help(hub: Hub, member: Member, limit: int = LIMIT) -> HelpPage:
    today = hub.now().date()
    with hub.engine.connect() as conn:
        needs = store.needs_i_can_meet(conn, member.viewer, today, limit)
        # An introduction draws on the member's standing with two people: only pairs the engine counts as help.
        pairs = store.pairs_i_could_introduce(conn, member.viewer, today, limit, HELP_THRESHOLD)
    return HelpPage(
        [HelpNeed(float(r.score), r.need_public_id, r.need_text, r.seeker_name, r.seeker_public_id,
                  r.offer_public_id, r.offer_text, _signals(r.explanation)) for r in needs],
        [HelpPair(float(r.score), r.need_public_id, r.need_text, r.seeker_name, r.offer_public_id, r.offer_text,
                  r.helper_name, _signals(r.explanation)) for r in pairs],
    )  # fmt: skip
