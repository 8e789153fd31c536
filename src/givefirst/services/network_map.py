"""The picture of the user's network: the people closest to the user and the ties among them, for drawing."""

from __future__ import annotations

from typing import Any

import numpy as np

from givefirst.domain.model import Tier
from givefirst.domain.tiescores import TIERS, score
from givefirst.errors import InvalidInputError
from givefirst.services import tiestats
from givefirst.services.choices import choose
from givefirst.services.context import App
from givefirst.services.graph_edges import bring_up_to_date
from givefirst.store import graph as graph_store
from givefirst.store import people as people_store
from givefirst.store import stats as stats_store

MAX_NODES = 5000


def network_map(
    app: App, *, limit: int = 2000, tiers: list[str] | None = None, search: str | None = None, min_edge: float = 0.05
) -> dict[str, Any]:
    """Return the `limit` strongest ties (of these tiers, matching `search`) and the edges among them.

    Each node carries its tier, tie strength and organization; each edge the probability that the two know each
    other well enough to introduce (from `services.graph`). The user is not a node: every node is their tie.
    """
    if not 1 <= limit <= MAX_NODES:
        raise InvalidInputError(f"show between 1 and {MAX_NODES} people")
    wanted = {choose(Tier, t, "tier") for t in tiers} if tiers else set(Tier)
    with app.begin() as conn:
        tiestats.refresh_if_settings_changed(conn, app.weights)
        if search:
            cols = stats_store.columns_of_people(people_store.list_people(conn, search=search))
        else:
            cols = stats_store.tie_columns(conn)
        scores = score(cols, app.now, app.weights)
        # Everyone scored as columns; the chosen few read by name, and only the edges among them.
        keep = np.isin(scores.tier, [TIERS.index(t) for t in wanted])
        order = np.lexsort((scores.person_id, -scores.strength))
        picked = order[keep[order]][:limit].tolist()
        ids = [int(scores.person_id[i]) for i in picked]
        facts = {int(r.id): r for r in people_store.list_people(conn, person_ids=ids)} if ids else {}
        edges = [(a, b, p) for a, b, p in _edges_among(conn, app, ids) if p >= min_edge]
    edges.sort(key=lambda e: (-e[2], e[0], e[1]))  # the strongest first; equal ones in a fixed order
    nodes = [
        {"id": pid, "name": facts[pid].name, "tier": scores.tier_of(i).value,
         "strength": round(float(scores.strength[i]), 4), "organization": facts[pid].organization}
        for i, pid in zip(picked, ids, strict=True)
    ]  # fmt: skip
    return {
        "people_in_network": len(scores.person_id),
        "shown": len(ids),
        "nodes": nodes,
        "edges": [[a, b, round(p, 4)] for a, b, p in edges[: 2 * limit]],  # the strongest: a picture, not a hairball
    }


def _edges_among(conn: Any, app: App, ids: list[int]) -> list[tuple[int, int, float]]:
    """Return the contact edges among these people (lower id first), from the graph's cache.

    The cache is brought up to date first, as `services.graph.load_network` does; when that takes a whole
    rebuild, it is kept for the next view (computing the edges among 2,000 people alone costs more: their
    meetings are most of the history). Then only these people's edges are read, not the graph.
    """
    if not ids:
        return []
    bring_up_to_date(conn, app)
    found = graph_store.cached_edges(conn, among=ids)
    # Lower id first; a pair recorded both ways (a link written the other way round) counts once, the later
    # value winning, as it does when the whole graph is loaded into `Network.edges`.
    pairs: dict[tuple[int, int], float] = {}
    for a, b, p in found:
        pairs[(a, b) if a < b else (b, a)] = p
    return [(a, b, p) for (a, b), p in pairs.items()]
