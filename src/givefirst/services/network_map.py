"""The picture of the user's network: the people closest to the user and the ties among them, for drawing."""

from __future__ import annotations

from typing import Any

from givefirst.domain.model import Tier
from givefirst.errors import InvalidInputError
from givefirst.services.choices import choose
from givefirst.services.context import App
from givefirst.services.graph import load_network
from givefirst.services.relationships import Relationship, relationship_from_row
from givefirst.store import people as people_store

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
        net = load_network(conn, app)
        rows = people_store.list_people(conn, search=search or None)
    rels = [relationship_from_row(row, app.now, app.weights) for row in rows]
    chosen = sorted((r for r in rels if r.tier in wanted), key=lambda r: (-r.strength.score, r.person_id))[:limit]
    ids = {r.person_id for r in chosen}
    edges = [(a, b, p) for a in ids for b, p in net.edges.get(a, {}).items() if a < b and b in ids and p >= min_edge]
    edges.sort(key=lambda e: -e[2])
    return {
        "people_in_network": len(rels),
        "shown": len(chosen),
        "nodes": [_node(r) for r in chosen],
        "edges": [[a, b, round(p, 4)] for a, b, p in edges[: 2 * limit]],  # the strongest: a picture, not a hairball
    }


def _node(r: Relationship) -> dict[str, Any]:
    return {"id": r.person_id, "name": r.name, "tier": r.tier.value, "strength": round(r.strength.score, 4),
            "organization": r.organization}  # fmt: skip
