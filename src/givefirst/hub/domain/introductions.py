"""Introductions on the hub: BNI's referral and lead, double opt-in, outcomes and public thanks (pure rules).

A *referral* means the member with the need asked to be put in touch (they expect the call); a *lead* is only a
tip — nobody asked yet. Either way both sides answer before anything is shared: contact details appear to the
two of them only once both accepted, and one "no" ends it and keeps the pair from being proposed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from givefirst.errors import InvalidInputError

KINDS = {
    "referral": "Referral — the member with the need asked to be put in touch",
    "lead": "Lead — a tip only: nobody has asked to be contacted yet",
}
OUTCOMES = {"helped": "this helped", "hired": "hired", "no_thanks": "no thanks"}
PENDING, ACCEPTED, DECLINED = "pending", "accepted", "declined"
MAX_MESSAGE = 1000


@dataclass(frozen=True, slots=True)
class Introduction:
    id: int
    public_id: str
    kind: str
    need_id: int | None
    offer_id: int | None
    proposer_id: int | None
    seeker_id: int | None
    helper_id: int | None
    seeker_answer: str
    helper_answer: str
    message: str
    created_at: datetime
    connected_at: datetime | None
    outcome: str | None
    outcome_note: str
    outcome_at: datetime | None
    seeker_thanks_public: bool
    helper_thanks_public: bool

    @property
    def state(self) -> str:
        """waiting (an answer is missing), declined, or connected (both accepted)."""
        if DECLINED in (self.seeker_answer, self.helper_answer):
            return "declined"
        if self.seeker_answer == ACCEPTED and self.helper_answer == ACCEPTED:
            return "connected"
        return "waiting"

    def side_of(self, member_id: int) -> str | None:
        """Return "seeker", "helper" or "proposer" for a member taking part, None for anyone else."""
        if member_id == self.seeker_id:
            return "seeker"
        if member_id == self.helper_id:
            return "helper"
        if member_id == self.proposer_id:
            return "proposer"
        return None

    def waiting_for(self, member_id: int) -> bool:
        side = self.side_of(member_id)
        answer = self.seeker_answer if side == "seeker" else self.helper_answer if side == "helper" else None
        return answer == PENDING and self.state == "waiting"

    @property
    def thanked_publicly(self) -> bool:
        """Both sides agreed to a public thanks, for an introduction that helped."""
        return self.seeker_thanks_public and self.helper_thanks_public and self.outcome in ("helped", "hired")


def clean_kind(kind: str) -> str:
    value = (kind or "").strip().lower()
    if value not in KINDS:
        raise InvalidInputError(f"kind must be referral or lead, not {kind!r}")
    return value


def clean_message(message: str | None) -> str:
    value = (message or "").strip()
    if len(value) > MAX_MESSAGE:
        raise InvalidInputError(f"message: at most {MAX_MESSAGE} characters")
    return value


def answer_field(intro: Introduction, member_id: int) -> str:
    """Return the column the member's answer goes in; a clear error when they cannot answer (any more)."""
    side = intro.side_of(member_id)
    if side not in ("seeker", "helper"):
        raise InvalidInputError("only the two members being introduced answer an introduction")
    if intro.state != "waiting":
        raise InvalidInputError(f"this introduction is already {intro.state}")
    field = f"{side}_answer"
    if getattr(intro, field) != PENDING:
        raise InvalidInputError("you already answered this introduction")
    return field


def check_outcome(intro: Introduction, member_id: int, outcome: str) -> str:
    if intro.side_of(member_id) not in ("seeker", "helper"):
        raise InvalidInputError("only the two members introduced record how it went")
    if intro.state != "connected":
        raise InvalidInputError("an outcome is recorded once both sides accepted the introduction")
    value = (outcome or "").strip().lower().replace(" ", "_")
    if value not in OUTCOMES:
        raise InvalidInputError(f"outcome must be one of {', '.join(OUTCOMES)}, not {outcome!r}")
    return value
