"""The contact-to-contact edges of the graph: computed from the evidence, cached, and kept up to date in place.

Edges come from evidence (`domain/graph.py`) read in a handful of scans: shared interactions, employers and
company mail domains, introductions made, relationships recorded. They do not depend on "now"'s hour, so they are
cached in `graph_edges`. Triggers note every change to that evidence in `graph_changes` (migration 0014); reading
the cache first recomputes the edges among the people the notes name — a one-person call names nobody else, a
meeting names the people on it, a new employer names the organization's people — instead of rebuilding the whole
graph after every write. The whole graph is built again only when there is no cache, when the evidence rules
change (`GRAPH_VERSION`), after a person is deleted, when the notes name too many people to be worth it, and
once a month (each interaction's weight fades with its age, read at the time its edges were computed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from givefirst.domain import graph as g
from givefirst.services.context import App
from givefirst.store import graph as store
from givefirst.store import people as people_store

# Mail providers: an address there says nothing about an employer.
FREE_MAIL = frozenset((
    "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "hotmail.com", "outlook.com", "live.com", "msn.com",
    "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "gmx.com", "gmx.de", "web.de",
    "mail.com", "fastmail.com", "zoho.com", "yandex.ru", "qq.com", "163.com", "comcast.net", "verizon.net",
    "att.net", "mail.example", "example.com",
))  # fmt: skip


Row = tuple[str, int, float, str]  # an edge's evidence: kind, count, probability, detail
Edge = tuple[int, int, float, tuple[Row, ...]]
Pair = tuple[int, int]
GRAPH_VERSION = "g3"  # bump when the evidence rules change: the cached edges are rebuilt
REAGE = timedelta(days=30)  # a cache older than this is rebuilt, so that every interaction's age is read afresh
MIN_WHOLE = 500  # notes naming more people than this and than a quarter of the network: rebuild whole instead
MAX_PART = 5_000


def domain_of(address: str) -> str | None:
    """Return a company's mail domain from an address (None for a mail provider's)."""
    domain = address.rpartition("@")[2].lower()
    return domain if domain and domain not in FREE_MAIL else None


def contact_edges(conn: Connection, now: datetime, among: Collection[int] | None = None) -> list[Edge]:
    """Return every contact-to-contact edge from the evidence: (first, second, strength, evidence rows).

    With `among`, only the edges between two of those people (each computed exactly as in the whole graph: a
    meeting's or an employer's size still counts everyone on it).
    """
    return list(_drain(_evidence(conn, now, among)))


def _evidence(conn: Connection, now: datetime, among: Collection[int] | None) -> dict[int, tuple[Row, ...]]:
    """Return each pair's evidence rows ([kind, count, probability, detail]), as `contact_edges` reads them.

    A pair is one int, `first << 32 | second` (`_drain` reads it back): at 100,000 people there are a million
    shared-meeting pairs and as many colleague pairs, and a tuple of two ids was three objects each.
    """
    keep = None if among is None else set(among)
    # One dict per kind of evidence, keyed by the pair (lower id first): flat dicts keep 500,000 interactions fast.
    shared: dict[g.EvidenceKind, dict[int, list[float]]] = defaultdict(dict)  # pair → [count, Π(1 − p)]
    group: list[int] = []
    group_id, group_kind, group_at = -1, "", now
    rows = store.shared_interactions(conn, g.MAX_GROUP, involving=None if keep is None else sorted(keep))
    for iid, pid, kind, at in (*rows, (-2, -1, "", now)):
        if iid != group_id:
            read = g.interaction_probability(group_kind, len(group) - 1, (now - group_at).days) if group else None
            if read is not None:
                slots, miss = shared[read[0]], 1.0 - read[1]
                inside = sorted(group if keep is None else [p for p in group if p in keep])
                for i, a in enumerate(inside):
                    high = a << 32
                    for b in inside[i + 1 :]:
                        pair = high | b
                        slot = slots.get(pair)
                        if slot is None:
                            slots[pair] = [1.0, miss]
                        else:
                            slot[0] += 1.0
                            slot[1] *= miss
            group, group_id, group_kind, group_at = [], iid, kind, at
        group.append(pid)

    # One employer counts once per pair: the most telling group (the smallest) wins.
    # (1, name) for an organization, (0, domain) for a company email domain: at equal size the name is kept.
    groups: dict[tuple[int, str], set[int]] = defaultdict(set)
    for pid, org in store.employers(conn, colleagues_of=keep):
        groups[(1, org)].add(pid)
    for pid, address in _addresses(conn, keep):
        domain = domain_of(address)
        if domain:
            groups[(0, domain)].add(pid)
    employer: dict[int, tuple[float, str]] = {}
    for (_, name), members in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        p = g.employer_probability(len(members))
        if p is None:
            continue
        ordered, value = sorted(members if keep is None else members & keep), (p, name)
        for i, a in enumerate(ordered):
            high = a << 32
            for b in ordered[i + 1 :]:
                employer[high | b] = value  # smaller groups come later and overwrite: the best one stays

    recorded: dict[int, tuple[g.EvidenceKind, float, str]] = {}
    for a, b in store.introduced_pairs(conn):
        if a != b and (keep is None or (a in keep and b in keep)):
            recorded[min(a, b) << 32 | max(a, b)] = (g.EvidenceKind.INTRODUCED, g.INTRODUCED_P, "")
    linked: dict[int, tuple[float, str]] = {}
    for link in store.links(conn):
        if keep is not None and not (link.first_id in keep and link.second_id in keep):
            continue
        linked[int(link.first_id) << 32 | int(link.second_id)] = (g.link_probability(link.kind), str(link.kind))

    # Each pair's slot is let go as its evidence is written: at 100,000 people there are a million pairs, and
    # holding both forms at once (and then the list returned) was most of the build's 850 MB.
    evidence: dict[int, tuple[Row, ...]] = {}
    for kind in list(shared):
        slots = shared.pop(kind)
        while slots:
            pair, (count, miss) = slots.popitem()
            evidence[pair] = (*evidence.get(pair, ()), (kind.value, int(count), round(1.0 - miss, 6), ""))
    while employer:
        pair, (p, name) = employer.popitem()
        evidence[pair] = (*evidence.get(pair, ()), (g.EvidenceKind.EMPLOYER.value, 1, round(p, 6), name))
    for pair, (kind, p, detail) in recorded.items():
        evidence[pair] = (*evidence.get(pair, ()), (kind.value, 1, p, detail))
    for pair, (p, detail) in linked.items():
        evidence[pair] = (*evidence.get(pair, ()), (g.EvidenceKind.LINK.value, 1, p, detail))
    return evidence


LOW = (1 << 32) - 1


def _drain(evidence: dict[int, tuple[Row, ...]]) -> Iterator[Edge]:
    """Yield each pair's edge (first, second, strength, evidence rows), letting the pair go as it is yielded."""
    while evidence:
        pair, ev = evidence.popitem()
        yield pair >> 32, pair & LOW, g.noisy_or(e[2] for e in ev), ev


def _addresses(conn: Connection, keep: set[int] | None) -> list[tuple[int, str]]:
    """Return (person id, address) of everyone whose company mail domain is one of `keep`'s (everyone's: None).

    Every address at those domains, so that each domain's size is the whole one; up to `store.CHUNK` domains
    are looked for in the database (a list the database compares each address's domain with), more read with
    everyone's.
    """
    if keep is None:
        return store.email_addresses(conn)
    return _addresses_at(conn, {d for _, a in store.email_addresses(conn, of=keep) if (d := domain_of(a))})


def _addresses_at(conn: Connection, domains: set[str]) -> list[tuple[int, str]]:
    """Return (person id, address) of everyone with an address at one of these company mail domains."""
    found = store.email_addresses(conn) if len(domains) > store.CHUNK else store.email_addresses(conn, at=domains)
    return [(pid, address) for pid, address in found if domain_of(address) in domains]


@dataclass(frozen=True)
class Upkeep:
    """What bringing the cache up to date did: "current" (nothing to do), "updated" (the edges among the people
    the notes name were recomputed), "rebuilt" (the whole graph built again and cached) or "stale" (only a
    whole rebuild would do, and it was not asked for)."""

    state: str
    recomputed: int = 0  # people whose edges among themselves were recomputed


def bring_up_to_date(conn: Connection, app: App, *, whole: bool = True, force: bool = False) -> Upkeep:
    """Bring the edge cache up to date with the evidence, in place when the notes allow, else whole.

    `whole=False`: do not build the whole graph (a caller that needs a few edges computes them itself instead);
    a cache only older than a month is then brought up to date in place all the same. `force`: build the whole
    graph even when the cache is current.
    """
    mark = store.cache_mark(conn)
    if force or mark is None or mark[0] != GRAPH_VERSION:
        return _whole(conn, app) if whole else Upkeep("stale")
    if whole and app.now - mark[1] > REAGE:
        return _whole(conn, app)
    if not store.pending_changes(conn):
        return Upkeep("current")
    store.lock_writers_out(conn)
    changes = store.pending_changes(conn)  # as they stand now that no writer can add to them
    if not changes:  # another reader brought it up to date while this one waited
        return Upkeep("current")
    people = None if "all" in changes else affected_people(conn, changes)
    if people is not None and len(people) <= _part_limit(conn):
        store.replace_edges_among(conn, people, contact_edges(conn, app.now, among=people))
        store.clear_changes(conn)
        return Upkeep("updated", recomputed=len(people))
    return _whole(conn, app) if whole else Upkeep("stale")


def _whole(conn: Connection, app: App) -> Upkeep:
    store.lock_writers_out(conn)  # a write noted while the graph is read would be cleared with the others
    # Written as they are drained from the evidence, not held as a list as well: at 100,000 people a million
    # edges (the build's peak went from 850 to under 500 MB). Its readers then read the cache.
    store.save_edges(conn, _drain(_evidence(conn, app.now, None)), GRAPH_VERSION, app.now)
    return Upkeep("rebuilt")


def affected_people(conn: Connection, changes: dict[str, set[str]]) -> set[int]:
    """Return the people every edge whose evidence changed lies between: both its ends are among them.

    A changed interaction changes the pairs of the people on it (its size is in every pair's chance); a group
    (an organization, a company mail domain) that gained or lost someone changes the pairs of all its members
    (its size is too), so its members are named unless it is too big to count either way; someone merged, or
    whose employer changed, may have left or joined groups. Recorded links and introductions name their ends.
    """

    def ids(kind: str) -> set[int]:
        return {int(k) for k in changes.get(kind, ())}

    people = ids("person") | ids("member") | store.people_of_interactions(conn, ids("interaction"))
    organizations = ids("organization")
    domains = {d for d in map(domain_of, changes.get("email", ())) if d}
    if changes.get("member"):
        theirs, emails = store.groups_of(conn, ids("member"))
        organizations |= theirs
        domains |= {d for d in map(domain_of, emails) if d}
    by_domain: dict[str | None, set[int]] = defaultdict(set)
    for pid, address in _addresses_at(conn, domains):  # none asked for: none read
        by_domain[domain_of(address)].add(pid)
    groups = [set(m) for m in store.organization_members(conn, organizations).values()] + list(by_domain.values())
    for members in groups:
        # A group one bigger than the largest that counts may have just grown past it: its pairs are gone.
        if len(members) <= g.EMPLOYER_MAX_GROUP + 1:
            people.update(members)
    return people


def _part_limit(conn: Connection) -> int:
    """Return how many people may be recomputed in place: past that, one whole build is cheaper."""
    return max(MIN_WHOLE, min(MAX_PART, people_store.count_people(conn) // 4))
