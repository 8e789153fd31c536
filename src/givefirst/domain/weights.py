"""Every tunable number of the scores in one frozen record, so that it is passed in and never global."""

from __future__ import annotations

from dataclasses import dataclass, field

from givefirst.domain.model import ExchangeKind, InteractionKind, Tier


def _kind_weights() -> dict[InteractionKind, float]:
    # A meeting tells more about a tie than an email (Gilbert & Karahalios 2009 rank "intimacy" and
    # "intensity" signals from richer channels above message counts).
    return {
        InteractionKind.MEETING: 3.0,
        InteractionKind.CALL: 2.0,
        InteractionKind.VIDEO: 2.0,
        InteractionKind.EVENT: 1.5,
        InteractionKind.MESSAGE: 1.0,
        InteractionKind.EMAIL: 1.0,
        InteractionKind.NOTE: 0.0,
    }


def _exchange_weights() -> dict[ExchangeKind, float]:
    return {
        ExchangeKind.INTRODUCTION: 3.0,
        ExchangeKind.JOB_LEAD: 3.0,
        ExchangeKind.REFERRAL: 3.0,
        ExchangeKind.RECOMMENDATION: 2.0,
        ExchangeKind.FAVOUR: 2.0,
        ExchangeKind.INVITATION: 1.5,
        ExchangeKind.ADVICE: 1.0,
        ExchangeKind.INFORMATION: 1.0,
        ExchangeKind.OTHER: 1.0,
    }


def _cadence_days() -> dict[Tier, int]:
    return {Tier.INNER: 14, Tier.CLOSE: 30, Tier.ACTIVE: 90, Tier.ACQUAINTANCE: 180}


@dataclass(frozen=True)
class Weights:
    """The parameters of tie strength, tiers, cadence, reciprocity and readiness (see docs/scores.md)."""

    half_life_days: float = 180.0  # interactions lose half their weight in about six months
    ledger_half_life_days: float = 365.0  # gives and asks are remembered longer than small talk
    kind_weights: dict[InteractionKind, float] = field(default_factory=_kind_weights)
    exchange_weights: dict[ExchangeKind, float] = field(default_factory=_exchange_weights)
    one_way_factor: float = 0.25  # one-way touches count a quarter: one-way email alone is a weak tie
    two_way_factor: float = 2.0  # each matched pair of inbound and outbound counts double
    ledger_factor: float = 1.0  # a give or a favour received is contact of substance
    history_weight: float = 1.5  # a long two-way history keeps a floor under a quiet tie
    history_full_years: float = 5.0
    history_full_count: float = 10.0
    saturation: float = 15.0  # strength = 1 − exp(−raw / saturation)
    tier_thresholds: tuple[float, float, float] = (0.85, 0.6, 0.3)  # inner, close, active
    dormant_years: float = 3.0
    cadence_days: dict[Tier, int] = field(default_factory=_cadence_days)
    at_risk_gap_multiple: float = 8.0
    at_risk_min_interactions: int = 3
    due_min_strength: float = 0.1  # weaker ties are not "due" (people --due --include-weak lists them)
    target_give_share: float = 0.5  # the give share of the ledger the user aims for
