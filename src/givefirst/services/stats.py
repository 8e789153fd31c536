"""Network health: tier sizes against Dunbar's layers, ties due and at risk, dormancy, the give/ask balance."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from givefirst.domain.model import Tier
from givefirst.domain.reciprocity import overall_balance
from givefirst.services import tiestats
from givefirst.services.context import App
from givefirst.services.health import brokerage
from givefirst.services.relationships import relationship_from_row
from givefirst.store import ledger as ledger_store
from givefirst.store import people as people_store
from givefirst.store.schema import exchanges, interactions, needs, offers, plan_actions

# Dunbar's layers are cumulative: about 5 intimates, 15 close, 50 good friends, 150 meaningful contacts.
DUNBAR = {Tier.INNER: 5, Tier.CLOSE: 15, Tier.ACTIVE: 50, Tier.ACQUAINTANCE: 150}


def network_stats(app: App) -> dict[str, Any]:
    """Return the health of the network at "now" as plain data (the CLI renders it, `--json` prints it)."""
    now = app.now
    with app.begin() as conn:
        tiestats.refresh_if_settings_changed(conn, app.weights)
        rels = [relationship_from_row(r, now, app.weights) for r in people_store.list_people(conn)]
        interaction_count = conn.execute(
            select(func.count()).select_from(interactions).where(interactions.c.planned.is_(False))
        ).scalar_one()
        open_needs = conn.execute(select(func.count()).select_from(needs).where(needs.c.status == "open")).scalar_one()
        open_offers = conn.execute(
            select(func.count()).select_from(offers).where(offers.c.status == "open")
        ).scalar_one()
        promised = conn.execute(
            select(func.count())
            .select_from(exchanges)
            .where(exchanges.c.direction == "gave", exchanges.c.status == "promised")
        ).scalar_one()
        acted = conn.execute(
            select(func.count())
            .select_from(plan_actions)
            .where(plan_actions.c.action == "done", plan_actions.c.at >= now - timedelta(days=30))
        ).scalar_one()
        history = ledger_store.monthly_totals(conn, _month_start(now, 11))
        ego = brokerage(conn, app, {r.person_id: r.strength.score for r in rels})

    tiers = Counter(r.tier for r in rels)
    cumulative, running = {}, 0
    for tier in (Tier.INNER, Tier.CLOSE, Tier.ACTIVE, Tier.ACQUAINTANCE):
        running += tiers.get(tier, 0)
        cumulative[tier] = running
    known = [r for r in rels if r.stats.last_at is not None]
    balance = overall_balance((r.stats for r in rels), now, app.weights)
    months: dict[str, Counter[str]] = {}
    for i in range(11, -1, -1):
        months[_month_start(now, i).strftime("%Y-%m")] = Counter()
    for row in history:
        month = row.occurred_at.strftime("%Y-%m")
        if month in months:
            if row.direction == "gave" and row.status == "done":
                months[month]["gave"] += 1
            elif row.direction == "asked":
                months[month]["asked"] += 1
            elif row.direction == "received" and row.status == "done":
                months[month]["received"] += 1
    share = balance.give_share
    return {
        "as_of": now.isoformat(),
        "people": len(rels),
        "interactions": int(interaction_count),
        "tiers": [
            {
                "tier": tier.value,
                "count": tiers.get(tier, 0),
                "cumulative": cumulative.get(tier),
                "dunbar_layer": DUNBAR.get(tier),
            }
            for tier in Tier
        ],
        "due": sum(1 for r in rels if r.due.due),
        "at_risk": sum(1 for r in rels if r.due.at_risk),
        "dormant": tiers.get(Tier.DORMANT, 0),
        "dormant_share": round(tiers.get(Tier.DORMANT, 0) / len(known), 4) if known else 0.0,
        "never_contacted": len(rels) - len(known),
        "balance": {
            "gives": round(balance.gives, 3),
            "takes": round(balance.takes, 3),
            "give_share": None if share is None else round(share, 4),
            "target_give_share": balance.target_give_share,
            "on_target": balance.on_target,
        },
        "ledger_by_month": [
            {"month": m, "gave": c["gave"], "asked": c["asked"], "received": c["received"]} for m, c in months.items()
        ],
        "open_needs": int(open_needs),
        "open_offers": int(open_offers),
        "promised_gives": int(promised),
        "plan_items_done_30_days": int(acted),
        "most_giving_to": [
            {"name": r.name, "balance": round(r.balance, 2)}
            for r in sorted(rels, key=lambda r: -r.balance)[:3]
            if r.balance > 0
        ],
        "brokerage": ego,
        "most_owed": [
            {"name": r.name, "balance": round(r.balance, 2)}
            for r in sorted(rels, key=lambda r: r.balance)[:3]
            if r.balance < 0
        ],
    }


def _month_start(now: datetime, months_back: int) -> datetime:
    year, month = now.year, now.month - months_back
    while month < 1:
        month += 12
        year -= 1
    return datetime(year, month, 1)
