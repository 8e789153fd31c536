"""Network health: tier sizes against Dunbar's layers, ties due and at risk, dormancy, the give/ask balance."""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import func, select

from givefirst.domain.model import Tier
from givefirst.domain.reciprocity import OverallBalance
from givefirst.domain.tiescores import TIERS, TieColumns, TieScores, score
from givefirst.services import tiestats
from givefirst.services.context import App
from givefirst.services.health import brokerage
from givefirst.store import ledger as ledger_store
from givefirst.store import people as people_store
from givefirst.store import stats as stats_store
from givefirst.store.schema import exchanges, interactions, needs, offers, plan_actions

# Dunbar's layers are cumulative: about 5 intimates, 15 close, 50 good friends, 150 meaningful contacts.
DUNBAR = {Tier.INNER: 5, Tier.CLOSE: 15, Tier.ACTIVE: 50, Tier.ACQUAINTANCE: 150}


def network_stats(app: App, columns: TieColumns | None = None) -> dict[str, Any]:
    """Return the health of the network at "now" as plain data (the CLI renders it, `--json` prints it).

    Everyone's tie is scored at once, as columns (`domain/tiescores.py`: the same numbers as scoring each
    relationship, a tenth of the time); only the few people named in the result are read by name. `columns`:
    everyone's, already read (`people_view.everyone`; the Stats page reads them once for this and its list of
    ties at risk); nothing here depends on their order.
    """
    now = app.now
    with app.begin() as conn:
        if columns is None:
            tiestats.refresh_if_settings_changed(conn, app.weights)
            columns = stats_store.tie_columns(conn, ordered=False)
        scores = score(columns, now, app.weights)
        # All of them less the planned few: the count of all reads the smallest index, the planned ones their
        # partial index, where counting the real ones directly scans every row (0.38 s at 2,500,000).
        interaction_count = (
            conn.execute(select(func.count()).select_from(interactions)).scalar_one()
            - conn.execute(
                select(func.count()).select_from(interactions).where(interactions.c.planned.is_(True))
            ).scalar_one()
        )
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
        ego = brokerage(conn, app, dict(zip(scores.person_id.tolist(), scores.strength.tolist(), strict=True)))
        giving, owed = _most(scores, columns.name, give=True), _most(scores, columns.name, give=False)
        names = people_store.names_of(conn, [pid for pid, _ in giving + owed])

    count = len(scores.person_id)
    codes = np.bincount(scores.tier, minlength=len(TIERS)).tolist()
    tiers = Counter({tier: codes[i] for i, tier in enumerate(TIERS) if codes[i]})
    cumulative, running = {}, 0
    for tier in (Tier.INNER, Tier.CLOSE, Tier.ACTIVE, Tier.ACQUAINTANCE):
        running += tiers.get(tier, 0)
        cumulative[tier] = running
    known = int(scores.contacted.sum())
    # Summed exactly, as `reciprocity.overall_balance` does: the same totals in any order.
    balance = OverallBalance(
        math.fsum(scores.gives.tolist()), math.fsum(scores.takes.tolist()), app.weights.target_give_share
    )
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
        "people": count,
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
        "due": int(scores.due.sum()),
        "at_risk": int(scores.at_risk.sum()),
        "dormant": tiers.get(Tier.DORMANT, 0),
        "dormant_share": round(tiers.get(Tier.DORMANT, 0) / known, 4) if known else 0.0,
        "never_contacted": count - known,
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
        "most_giving_to": [{"name": names[pid], "balance": round(b, 2)} for pid, b in giving],
        "brokerage": ego,
        "most_owed": [{"name": names[pid], "balance": round(b, 2)} for pid, b in owed],
    }


def _most(scores: TieScores, names: list[str], *, give: bool) -> list[tuple[int, float]]:
    """Return (person id, balance) of the three ties the user has given most to (or owes most), if any.

    Equal balances go in the people's order (name lower-cased, then id), as a stable sort of the people's list
    would: the scores come in no particular order, so only the few at or past the third balance are sorted.
    """
    key = -scores.balance if give else scores.balance
    if not len(key):
        return []
    last = min(2, len(key) - 1)
    near = np.flatnonzero(key <= np.partition(key, last)[last]).tolist()
    picked = sorted(near, key=lambda i: (float(key[i]), names[i].lower(), int(scores.person_id[i])))[:3]
    found = [(int(scores.person_id[i]), float(scores.balance[i])) for i in picked]
    return [(pid, b) for pid, b in found if (b > 0 if give else b < 0)]


def _month_start(now: datetime, months_back: int) -> datetime:
    year, month = now.year, now.month - months_back
    while month < 1:
        month += 12
        year -= 1
    return datetime(year, month, 1)
