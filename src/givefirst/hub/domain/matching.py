"""Which needs may meet which offers on the hub: the access rule applied both ways, by blocks (pure).

A pair is proposed only when each side may see the other's item. `can_see` depends on the viewer's chapter and
role and on the item's owner's chapter and visibility (an owner seeing their own item is no pair: the engine
never pairs a member with themself), so every item falls in a group (chapter, role, visibility) and whether two
groups may meet is the rule asked once per pair of groups. Needs whose groups may meet the same offers form a
block, scored against exactly those offers in one call of the engine.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from givefirst.domain.match_score import DEFAULT_WEIGHTS, MatchWeights
from givefirst.hub.domain.access import Role, Viewer, Visibility, can_see


class Group(NamedTuple):
    chapter_id: int
    role: Role
    visibility: Visibility


def _sees(viewer: Group, item: Group) -> bool:
    # Two different members (ids -1 and -2): being the owner never lets a group see another's item.
    return can_see(Viewer(-1, viewer.chapter_id, viewer.role), -2, item.chapter_id, item.visibility)


def may_meet(need: Group, offer: Group) -> bool:
    """Return True when the owner of each item may see the other's item."""
    return _sees(need, offer) and _sees(offer, need)


def blocks(need_groups: Sequence[Group], offer_groups: Sequence[Group]) -> list[tuple[list[int], list[int]]]:
    """Return (need indexes, offer indexes) blocks: each need is in one, with every offer it may meet."""
    offers_by_group: dict[Group, list[int]] = defaultdict(list)
    for j, g in enumerate(offer_groups):
        offers_by_group[g].append(j)
    needs_by_group: dict[Group, list[int]] = defaultdict(list)
    for i, g in enumerate(need_groups):
        needs_by_group[g].append(i)
    by_audience: dict[frozenset[Group], list[int]] = defaultdict(list)
    for g, needs in needs_by_group.items():
        audience = frozenset(h for h in offers_by_group if may_meet(g, h))
        by_audience[audience].extend(needs)
    out = []
    for audience, needs in by_audience.items():
        offers = sorted(j for h in audience for j in offers_by_group[h])
        if offers:
            out.append((sorted(needs), offers))
    return out


def least_cosine(w: MatchWeights = DEFAULT_WEIGHTS) -> float:
    """Return the cosine under which a pair sharing no word cannot reach the engine's floor.

    Relevance is `semantic · s + lexical · l`; with no shared word l is 0, so s must reach floor / semantic,
    and s rises linearly from `sem_floor` to `sem_ceiling` up to its knee.
    """
    needed = w.floor / w.semantic
    return w.sem_floor + needed * (w.sem_ceiling - w.sem_floor)


def member_pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)
