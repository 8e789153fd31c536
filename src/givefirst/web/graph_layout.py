"""Where each person sits in the Network picture: rings around the user, one band per tier, colleagues together.

An ego network reads best as circles: the user in the middle, the inner circle closest, dormant ties at the edge.
Within a band a stronger tie sits nearer the middle; around it people are ordered by organization, so colleagues
sit side by side and the ties among them stay short. Computed in one pass (no force simulation), so the picture
of 2,000 people is ready at once and the browser only draws it.
"""

from __future__ import annotations

import math
from typing import Any

BANDS = {"inner": (60, 120), "close": (140, 240), "active": (260, 420), "acquaintance": (440, 700),
         "dormant": (720, 1000)}  # fmt: skip


def radial_layout(nodes: list[dict[str, Any]]) -> dict[int, tuple[float, float]]:
    """Return x, y for every node id."""
    by_tier: dict[str, list[dict[str, Any]]] = {}
    for n in nodes:
        by_tier.setdefault(n["tier"], []).append(n)
    out: dict[int, tuple[float, float]] = {}
    for tier, members in by_tier.items():
        low, high = BANDS.get(tier, (1000, 1200))
        members.sort(key=lambda n: ((n.get("organization") or "~").lower(), n["name"].lower(), n["id"]))
        count = len(members)
        # Big bands spread over several sub-rings, so that neighbours do not overlap.
        rings = max(1, min(8, math.ceil(count / max(12, int(2 * math.pi * low / 14)))))
        for i, n in enumerate(members):
            angle = 2 * math.pi * i / count + (0.15 if tier in ("close", "acquaintance") else 0.0)
            strength = float(n.get("strength") or 0.0)
            ring = i % rings
            radius = low + (high - low) * ((ring + (1 - strength)) / (rings + 1))
            out[int(n["id"])] = (round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1))
    return out
