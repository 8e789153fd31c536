"""One person per real person: merging by hand, fuzzy look-alikes for review, and undoing a merge."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.ingest.names import comparable_name
from givefirst.services import tiestats
from givefirst.services.context import App
from givefirst.services.people import resolve_person
from givefirst.store import merges as store
from givefirst.store import people as people_store
from givefirst.store.schema import identities, organizations, people

# A look-alike is proposed when the names are this similar (rapidfuzz token-sort ratio, 0–100) …
NAME_ALONE = 90.0
# … or this similar with corroboration: the same organization, or email local parts that look alike.
NAME_WITH_SUPPORT = 80.0
PER_PERSON = 3  # proposals per person at most, best first


def merge_in(conn: Connection, app: App, kept: int, merged: int, reason: str) -> int:
    """Merge inside an open transaction (used by imports for exact identity matches); return the merge id."""
    if kept == merged:
        raise InvalidInputError("cannot merge a person with themself")
    me = app.me(conn)
    if merged == me:
        kept, merged = merged, kept  # the user's own record always survives
    merge_id = store.merge_rows(conn, kept, merged, reason, app.now)
    pair = (min(kept, merged), max(kept, merged))
    for row in store.open_candidates(conn):
        if (row.first_id, row.second_id) == pair:
            store.set_candidate_status(conn, row.id, "merged")
    tiestats.refresh(conn, [kept, merged], app.weights)
    return merge_id


@dataclass(frozen=True)
class MergeOutcome:
    merge_id: int
    kept: str
    merged: str


def merge_people(app: App, ref_a: str, ref_b: str) -> MergeOutcome:
    """Merge the person `ref_b` names into the one `ref_a` names (all history kept; undo with unmerge)."""
    with app.begin() as conn:
        a, b = resolve_person(conn, app, ref_a), resolve_person(conn, app, ref_b)
        names = people_store.person_row(conn, a).name, people_store.person_row(conn, b).name
        merge_id = merge_in(conn, app, a, b, "merged by hand")
    return MergeOutcome(merge_id, names[0], names[1])


def unmerge(app: App, merge_id: int) -> MergeOutcome:
    """Undo a merge: the merged person and everything that moved with them come back."""
    with app.begin() as conn:
        row = store.merge_row(conn, merge_id)
        if row is None:
            raise NotFoundError(f"no merge with id {merge_id} (see `givefirst merges`)")
        if row.undone_at is not None:
            raise InvalidInputError(f"merge {merge_id} was already undone")
        later = store.later_merges_touching(conn, merge_id, (int(row.kept_id), int(row.merged_id)))
        if later:
            raise InvalidInputError(f"undo the later merge {later[-1]} first: it involves the same people")
        kept, merged = store.unmerge_rows(conn, merge_id, app.now)
        tiestats.refresh(conn, [kept, merged], app.weights)
        names = people_store.person_row(conn, kept).name, people_store.person_row(conn, merged).name
    return MergeOutcome(merge_id, names[0], names[1])


def list_merges(app: App) -> list[dict[str, Any]]:
    with app.begin() as conn:
        rows = store.list_merges(conn)
        return [
            {
                "id": r.id,
                "kept": {"id": r.kept_id, "name": people_store.person_row(conn, r.kept_id).name},
                "merged": {"id": r.merged_id, "name": people_store.person_row(conn, r.merged_id).name},
                "reason": r.reason,
                "at": r.merged_at.isoformat(),
            }
            for r in rows
        ]


# Look-alikes ---------------------------------------------------------------------------------------------------


@dataclass
class _Profile:
    name: str
    organization: str | None
    locals: set[str]


def lookalike_profiles(conn: Connection) -> dict[int, _Profile]:
    query = (
        select(people.c.id, people.c.name, organizations.c.name.label("org"))
        .select_from(people.outerjoin(organizations, organizations.c.id == people.c.organization_id))
        .where(people.c.merged_into_id.is_(None), people.c.is_me.is_(False))
    )
    result = {
        int(r.id): _Profile(comparable_name(r.name), (r.org or "").lower() or None, set()) for r in conn.execute(query)
    }
    for r in conn.execute(select(identities.c.person_id, identities.c.value).where(identities.c.kind == "email")):
        if int(r.person_id) in result:
            result[int(r.person_id)].locals.add(str(r.value).split("@")[0].replace(".", "").replace("_", ""))
    return result


def _block_keys(name: str) -> tuple[str, ...]:
    """People who could be the same share the first three letters of their first or of their last name."""
    tokens = name.split()
    return ("f:" + tokens[0][:3], "l:" + tokens[-1][:3]) if tokens else ()


def propose_lookalikes(conn: Connection, app: App) -> int:
    """Find people who look like the same person (never merging them) and record them for review.

    Names are compared once per distinct name, within blocks that share the first letters of a first or last
    name, in rapidfuzz's C++ (a 30,000-person address book takes seconds). Each person gets at most
    `PER_PERSON` proposals, best first, and a name many people share ("John Smith") is proposed only with
    corroboration (same organization, alike email names), so namesakes do not bury the real duplicates.
    """
    from rapidfuzz import fuzz, process

    profiles = lookalike_profiles(conn)
    known = store.known_pairs(conn)
    holders: dict[str, list[int]] = defaultdict(list)
    for pid, p in sorted(profiles.items()):
        if p.name:
            holders[p.name].append(pid)
    names = list(holders)
    blocks: dict[str, list[str]] = defaultdict(list)
    for name in names:
        for key in _block_keys(name):
            blocks[key].append(name)
    similar: dict[str, dict[str, float]] = {name: {name: 100.0} for name in names}
    for name in names:
        for key in _block_keys(name):
            hits = process.extract(
                name,
                blocks[key],
                scorer=fuzz.token_sort_ratio,
                score_cutoff=NAME_WITH_SUPPORT,
                limit=PER_PERSON * 4 + 1,
            )
            for other, score, _ in hits:
                similar[name][other] = max(similar[name].get(other, 0.0), float(score))
    found: dict[tuple[int, int], dict[str, Any]] = {}
    proposed: dict[int, int] = defaultdict(int)
    for name in names:
        for other, score in sorted(similar[name].items(), key=lambda kv: -kv[1]):
            common = len(holders[name]) > 2 or len(holders[other]) > 2
            for a in holders[name]:
                for b in holders[other]:
                    pair = (min(a, b), max(a, b))
                    if a >= b or pair in known or pair in found:
                        continue
                    if proposed[a] >= PER_PERSON or proposed[b] >= PER_PERSON:
                        continue
                    if _consider(found, pair, profiles[a], profiles[b], score, app, common_name=common):
                        proposed[a] += 1
                        proposed[b] += 1
    store.add_candidates(conn, list(found.values()))
    return len(found)


def _consider(
    found: dict[tuple[int, int], dict[str, Any]], pair: tuple[int, int], pa: _Profile, pb: _Profile,
    name_score: float, app: App, *, common_name: bool = False,
) -> bool:  # fmt: skip
    """Record a pair when the names alone, or the names with corroboration, make them look the same."""
    from rapidfuzz import fuzz

    reasons = [f"names {name_score:.0f}% alike"]
    same_org = bool(pa.organization and pa.organization == pb.organization)
    if same_org:
        reasons.append(f"both at {pa.organization}")
    locals_alike = any(fuzz.ratio(x, y) >= 90 for x in pa.locals for y in pb.locals)
    if locals_alike:
        reasons.append("email names alike")
    if (name_score < NAME_ALONE or common_name) and not (same_org or locals_alike):
        return False
    score = min(100.0, name_score + (5 if same_org else 0) + (5 if locals_alike else 0)) / 100
    found[pair] = {
        "first_id": pair[0], "second_id": pair[1], "score": round(score, 4), "reasons": "; ".join(reasons),
        "status": "proposed", "created_at": app.now,
    }  # fmt: skip
    return True


def lookalikes(app: App) -> list[dict[str, Any]]:
    """Look for new look-alikes, then return every proposed one still open, best first."""
    with app.begin() as conn:
        propose_lookalikes(conn, app)
        return [
            {"id": r.id, "first": {"id": r.first_id, "name": r.first_name},
             "second": {"id": r.second_id, "name": r.second_name}, "score": r.score, "reasons": r.reasons}
            for r in store.open_candidates(conn)
        ]  # fmt: skip


def decide(app: App, candidate_id: int, accept: bool) -> MergeOutcome | None:
    """Merge a proposed pair (the second into the first) or reject it for good."""
    with app.begin() as conn:
        row = store.candidate_row(conn, candidate_id)
        if row is None or row.status != "proposed":
            raise NotFoundError(f"no open look-alike with id {candidate_id}")
        if not accept:
            store.set_candidate_status(conn, candidate_id, "rejected")
            return None
        names = people_store.person_row(conn, row.first_id).name, people_store.person_row(conn, row.second_id).name
        merge_id = merge_in(conn, app, int(row.first_id), int(row.second_id), f"look-alike: {row.reasons}")
    return MergeOutcome(merge_id, names[0], names[1])
