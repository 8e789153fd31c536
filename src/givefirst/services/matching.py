"""The matching engine's use cases: keep the scored suggestions fresh, and read them for a person or everyone.

Incremental by fingerprint: each open need and offer is scored once for what it says (text, tags, place, whose
it is, the engine version). `refresh` re-scores only the items whose fingerprint changed — a new or edited need
against every offer, a new or edited offer against every need — and embeds only texts it has never seen
(`text_vectors`). Reading (`suggestions`, the plan) works on the stored pairs: freshness and the rules that
change with time (expiry, closed items, introductions made or declined) are applied when reading, so a stored
pair stays valid until its items change.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from givefirst.domain.match_score import (
    DEFAULT_WEIGHTS,
    ENGINE_VERSION,
    Item,
    MatchScore,
    Signal,
    broker_value,
    freshness,
    refresh_score,
)
from givefirst.domain.model import NeedOrOffer, Readiness
from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.services import match_depth, match_offers, match_shown
from givefirst.services.context import App
from givefirst.services.match_index import (  # noqa: F401 (INDEX_MODEL and the others are read as matching.*)
    INDEX_MODEL,
    OFFER_TOKENS,
    OFFER_VECTORS,
    STAMP,
    _cached_offer_index,
    _checked_key,
    _offer_index,
    _offers_key,
)
from givefirst.services.people import resolve_person
from givefirst.store import ledger as ledger_store
from givefirst.store import matching as store
from givefirst.store import needs as needs_store
from givefirst.store import people as people_store

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float32]

CORPUS = "corpus"  # a mark (item 0) holding the number of offers the last full pass learnt BM25's idf on
DRIFT, MIN_CORPUS = 0.25, 20  # a full pass again once the offers grew or shrank by a quarter (of at least 20)
READINESS_VALUE = {Readiness.READY: 1.0, Readiness.CAUTION: 0.6, Readiness.NOT_READY: 0.3}


def fingerprint(item: NeedOrOffer) -> str:
    """Return what an item was scored as: the engine version, then a hash of everything the score reads."""
    return _fingerprint(item.person_id, item.text, ",".join(item.tags), item.location)


def _fingerprint(person_id: int, text: str, tags: str, location: str | None) -> str:
    what = "\x1f".join((str(person_id), text, tags, location or ""))
    digest = hashlib.sha1(what.encode("utf-8")).hexdigest()
    return f"{ENGINE_VERSION}:{digest[: 39 - len(ENGINE_VERSION)]}"  # the column holds 40 characters


@dataclass
class RefreshReport:
    needs_scored: int = 0
    offers_scored: int = 0
    embedded: int = 0  # texts embedded now (the rest came from the cache)
    pairs: int = 0  # pairs stored by this refresh


def _rows(
    pairs: list[tuple[int, int, MatchScore]], needs: Sequence[Item], offers: Sequence[Item], at: datetime
) -> list[Any]:
    return _stored_rows(_stored(pairs), needs, offers, at)


def _stored(pairs: list[tuple[int, int, MatchScore]]) -> list[tuple[int, int, float, str]]:
    """Return (need index, offer index, score, signals) as stored: the score rounded, the signals as JSON."""
    return [(i, j, round(s.score, 6), encode_signals(s.signals)) for i, j, s in pairs]


def _stored_rows(
    stored: list[tuple[int, int, float, str]], needs: Sequence[Item], offers: Sequence[Item], at: datetime
) -> list[Any]:
    return [
        {"need_id": needs[i].record.id, "offer_id": offers[j].record.id, "score": score, "signals": signals,
         "computed_at": at}
        for i, j, score, signals in stored
    ]  # fmt: skip


def encode_signals(signals: tuple[Signal, ...]) -> str:
    """Return the signals as JSON: [[name, value, points, note], ...] (written by hand: thousands per pass)."""
    parts = (f'["{s.name}",{s.value:.4f},{s.points:.4f},{_quoted(s.note)}]' for s in signals)
    return "[" + ",".join(parts) + "]"


@cache
def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def decode_signals(text: str) -> tuple[Signal, ...]:
    return tuple(Signal(str(n), float(v), float(p), str(note)) for n, v, p, note in json.loads(text))


def refresh(
    conn: Connection,
    app: App,
    *,
    full: bool = False,
    need_id: int | None = None,
    depth: float = 0.0,
    top: int = 0,
) -> RefreshReport:
    """Re-score what changed since the last refresh (everything when `full`) and store the suggestions.

    `need_id`: only that need changed (it was just added or edited), so the other needs are not read.
    `top`, `depth`: the caller reads only the best `top` pairs of all, none below `depth` (the plan). The needs
    scored against every offer then keep only the pairs that could be among them (`match_engine.score_blocks`),
    the depth their lists reach is recorded (`match_depth`), and the caller checks that what it read is the best of
    all (`match_depth.deep_enough`). Without `top`, lists are whole. A new or edited need alone is always scored
    whole (it costs a few milliseconds).
    """
    from givefirst.domain.match_engine import read_item, score_pairs, shallow_depth, topic_text
    from givefirst.services.embedding import vectors_for
    from givefirst.services.match_workers import score_pairs_split

    # The full pass splits its needs across two processes itself (`match_workers`): BLAS threads would only
    # contend with it (and cost their spinning: 0.75 s of CPU at 20,000 people when it ran alone, for no gain).
    _one_blas_thread()
    if need_id is not None and not full:
        quick = _refresh_need(conn, app, need_id)
        if quick is not None:
            return quick
    report = RefreshReport()
    only = need_id is not None and not full  # one need added or edited: the other needs are not even read
    if need_id is not None and only:
        row = needs_store.item_row(conn, "need", need_id)
        need_records = [needs_store.to_record(row)] if row is not None and row.status == "open" else []
    else:
        need_records = store.all_open_items(conn, "need")
    offer_records = store.all_open_items(conn, "offer")
    if full:
        store.clear(conn)
    need_marks, offer_marks = store.marks(conn, "need"), store.marks(conn, "offer")
    need_prints = {r.id: fingerprint(r) for r in need_records}
    offer_prints = {r.id: fingerprint(r) for r in offer_records}
    stale_needs = [i for i, r in enumerate(need_records) if need_marks.get(r.id) != need_prints[r.id]]
    stale_offers = [j for j, r in enumerate(offer_records) if offer_marks.get(r.id) != offer_prints[r.id]]
    if only and stale_offers:  # offers changed elsewhere too (an import): do the whole refresh
        return refresh(conn, app)
    gone_needs = [] if only else [i for i in need_marks if i not in need_prints]
    gone_offers = [i for i in offer_marks if i not in offer_prints]
    store.replace_suggestions(conn, need_ids=gone_needs, offer_ids=gone_offers, rows=[])
    store.delete_marks(conn, "need", gone_needs)
    if match_depth.left_by_another_engine(conn):  # every need of that engine is scored again below
        match_depth.forget(conn)
    store.delete_marks(conn, "offer", gone_offers)
    if not stale_needs and not stale_offers:
        return report
    if not full and _corpus_drifted(conn, len(offer_records)):
        if only:
            return refresh(conn, app)
        store.clear(conn)  # BM25's idf was learnt on a much smaller or larger set of offers: score all again
        stale_needs, stale_offers, full = list(range(len(need_records))), list(range(len(offer_records))), True
    needs = [read_item(r) for r in need_records]
    offers = [read_item(r) for r in offer_records]
    stale_need_set = set(stale_needs)
    others = [i for i in range(len(needs)) if i not in stale_need_set] if stale_offers else []
    wanted = sorted(stale_need_set | set(others))  # only the needs scored now need their vectors
    found, embedded_needs = vectors_for(conn, [topic_text(need_records[i]) for i in wanted])
    position = {i: p for p, i in enumerate(wanted)}
    prints = [offer_prints[r.id] for r in offer_records]
    index, offer_vectors, embedded_offers = _offer_index(conn, offer_records, prints)
    report.embedded = embedded_needs + embedded_offers
    if others:
        # A new or edited offer against every need that is not re-scored below anyway.
        pairs = score_pairs(
            [needs[i] for i in others], found[[position[i] for i in others]], offers, offer_vectors, app.now,
            index=index, columns=stale_offers,
        )  # fmt: skip
        remapped = [(others[i], j, s) for i, j, s in pairs]
        rows = _rows(remapped, needs, offers, app.now)
        store.replace_suggestions(conn, offer_ids=[offer_records[j].id for j in stale_offers], rows=rows)
        # Each need keeps its best `per_item`, as a full pass does: the new pairs may push older ones out.
        report.pairs += len(rows) - store.keep_best(conn, [r["need_id"] for r in rows], DEFAULT_WEIGHTS.per_item)
    if stale_needs:
        store.replace_suggestions(conn, need_ids=[need_records[i].id for i in stale_needs], rows=[])

        def insert(block: list[tuple[int, int, float, str]]) -> None:
            rows = [(need_records[stale_needs[i]].id, offer_records[j].id, score, signals)
                    for i, j, score, signals in block]  # fmt: skip
            store.insert_suggestions(conn, rows, app.now)
            report.pairs += len(rows)

        # Every stale need against every offer (a full pass after an import: thousands of needs) on both cores,
        # each block's pairs stored as it comes (in this transaction: all of them or none).
        order = [position[i] for i in stale_needs]
        # A full pass scores every need it embedded, in order: their vectors as they are, not a copy (25 MB at
        # 100,000 people).
        need_vectors = found if order == list(range(len(found))) else found[order]
        score_pairs_split(
            [needs[i] for i in stale_needs], need_vectors, offers, offer_vectors, app.now, _stored, index=index,
            sink=insert, depth=depth if top else 0.0, top=top,
        )  # fmt: skip
        if top:  # every list is whole down to the `top`-th best score the pass returned, so to that of all stored
            made_to = shallow_depth(store.best_scores(conn, top), depth, top)
            match_depth.note(conn, app, [need_records[i].id for i in stale_needs], made_to)
    elif stale_offers and not others:
        store.replace_suggestions(conn, offer_ids=[offer_records[j].id for j in stale_offers], rows=[])
    store.set_marks(conn, "need", {need_records[i].id: need_prints[need_records[i].id] for i in stale_needs}, app.now)
    store.set_marks(
        conn, "offer", {offer_records[j].id: offer_prints[offer_records[j].id] for j in stale_offers}, app.now
    )
    if full:
        store.set_marks(conn, CORPUS, {0: f"{ENGINE_VERSION}:{len(offer_records)}"}, app.now)
    report.needs_scored, report.offers_scored = len(stale_needs), len(stale_offers)
    return report


def _one_blas_thread() -> None:
    """Let numpy's BLAS use one thread, unless numpy is already loaded (then it keeps what it started with) or
    the user chose (`OPENBLAS_NUM_THREADS`)."""
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _refresh_need(conn: Connection, app: App, need_id: int) -> RefreshReport | None:
    """Score one new or edited need against the offers (`_refresh_needs`); None when the general refresh must."""
    return _refresh_needs(conn, app, [need_id])


def _refresh_needs(conn: Connection, app: App, need_ids: Sequence[int]) -> RefreshReport | None:
    """Score these needs, one after the other, against the offers, reading only what that needs; None when the
    general refresh must do it (a need is not open, some offer changed since it was scored, the corpus drifted,
    nothing cached yet).

    The offers are read as bare fields (one query), their index and vectors come from the cache, once for all the
    needs, and an `Item` is made only for the offers short-listed for some need. Each need is scored as a need
    added alone is (its own product against every offer): what is stored is what the general refresh would store.
    """
    from givefirst.domain.match_engine import read_item, score_pairs, topic_text
    from givefirst.services import embedding

    found = [needs_store.item_row(conn, "need", need_id) for need_id in need_ids]
    if not found or any(row is None or row.status != "open" for row in found):
        return None
    _one_blas_thread()  # one vector against a matrix: BLAS threads would only cost their start-up
    records = [needs_store.to_record(row) for row in found]
    version = store.offers_version(conn)  # first: on PostgreSQL it holds off writers to offers until commit
    report = RefreshReport()
    key = _checked_key(conn, version)
    checked_now = key is None
    heads = None if version is None or key is None else match_offers.cached_heads(conn, version)
    rows = None if heads is not None else store.open_item_fields(conn, "offer")
    if key is None and rows is not None:  # the offers changed since last checked (or never were): every mark
        prints = [_fingerprint(int(r[1]), str(r[2]), ",".join(t for t in str(r[3]).split(",") if t), r[4])
                  for r in rows]  # fmt: skip
        offer_marks = store.marks(conn, "offer")
        if any(offer_marks.get(int(r[0])) != f for r, f in zip(rows, prints, strict=True)):
            return None  # an offer changed outside `refresh` (an import): the general refresh scores it too
        current = {int(r[0]) for r in rows}
        gone = [i for i in offer_marks if i not in current]
        store.replace_suggestions(conn, offer_ids=gone, rows=[])
        store.delete_marks(conn, "offer", gone)
        key = _offers_key(prints)
    assert key is not None  # (checked above, or the stamp said so)
    pending = [(need, mark) for need in records if store.mark_of(conn, "need", need.id) != (mark := fingerprint(need))]
    if not pending:
        return report
    if heads is None:
        heads = match_offers.OfferHeads.of(rows or [])
        if version is not None:  # until the next write to offers, the next need reads these instead of the rows
            match_offers.save_heads(conn, version, heads)
    if _corpus_drifted(conn, len(heads.ids)):
        return None
    cached_index = _cached_offer_index(conn, key)
    if cached_index is None or len(cached_index[1]) != len(heads.ids):
        return None
    if checked_now and version is not None:
        # Every open offer is scored as it reads now and its index is cached: until the next write to offers
        # bumps the version, adding a need reads these two marks instead of fingerprinting every offer.
        store.set_marks(conn, STAMP, {0: f"{ENGINE_VERSION}:{version}", 1: f"{ENGINE_VERSION}:{key}"}, app.now)
    index, offer_vectors = cached_index
    offers = match_offers.OfferItems(conn, heads.ids.tolist(), rows)  # (the offers made are shared by the needs)
    offer_people, offer_live = heads.people.tolist(), heads.live(app.now.date())
    for need, mark in pending:
        vector, embedded = embedding.vectors_for(conn, [topic_text(need)])
        item = [read_item(need)]  # (read once: scored, then stored, as the general refresh does)
        pairs = score_pairs(
            item, vector, offers, offer_vectors, app.now, index=index,
            offer_people=offer_people, offer_live=offer_live, read_ahead=offers.read_ahead,
        )  # fmt: skip
        suggestions = _rows(pairs, item, offers, app.now)
        store.replace_suggestions(conn, need_ids=[need.id], rows=suggestions)
        store.set_marks(conn, "need", {need.id: mark}, app.now)
        report.needs_scored += 1
        report.embedded += embedded
        report.pairs += len(suggestions)
    return report


def _corpus_drifted(conn: Connection, offers: int) -> bool:
    """Return True when the number of open offers moved by more than `DRIFT` since the last full pass."""
    mark = store.marks(conn, CORPUS).get(0, "")
    version, _, size = mark.partition(":")
    if version != ENGINE_VERSION or not size.isdigit():
        return True
    return abs(offers - int(size)) > DRIFT * max(int(size), MIN_CORPUS)


# Mark 0: the engine and the needs' and offers' versions at which no open item was found unscored.
FRESH = "fresh"


def ensure_fresh(
    conn: Connection, app: App, *, depth: float = 0.0, top: int = 0, needs: Sequence[int] | None = None
) -> RefreshReport | None:
    """Refresh when some open item was never scored by this engine, and make whole the lists that stop above
    `depth` (the lowest score the caller will read: 0 for whole lists).

    `top`: the caller reads only the best `top` pairs of all, none below `depth`, and asks
    `match_depth.deep_enough` whether what it read is the best of all. A full pass then keeps only what could be
    among them (the first `today` after an import: the plan reads the best 150), and no list is made whole here.
    `needs`: the caller reads only these needs' lists (a person's): only they are made whole (`deepen_needs`).

    Counting unscored items reads every need, offer and mark (34 ms at 100,000 people), so a count of none is
    remembered with the versions of the needs and offers it was made at (read first: the data counted is at least
    that new). While no need or offer is written, the answer stands and is one row read; a write to a mark alone
    (a refresh) leaves no item unscored, and a new engine is in the stamp. How deep the lists are is one more row.
    """
    versions = store.items_version(conn)
    stamp = None if versions is None else f"{ENGINE_VERSION}:{versions}"
    report = None
    if stamp is None or store.mark_of(conn, FRESH, 0) != stamp:
        if store.unscored_count(conn, ENGINE_VERSION) == 0:
            if stamp is not None:
                store.set_marks(conn, FRESH, {0: stamp}, app.now)
        else:
            report = refresh(conn, app, depth=depth, top=top)
    if top:
        return report
    if needs is not None:
        return deepen_needs(conn, app, needs, depth) or report
    return deepen(conn, app, depth) or report


def shown_depth(app: App, min_score: float | None = None) -> float:
    """Return the lowest score a caller reads that shows pairs by the display rule (`min_score` None) or from
    `min_score`: the depth to ask `ensure_fresh` for."""
    return match_shown.thresholds(app, min_score)[0]


def deepen(conn: Connection, app: App, depth: float) -> RefreshReport | None:
    """Score whole the needs whose lists may stop above `depth`; None when no list does.

    The first `today` after an import scores each need only as deep as the plan's best pairs need (at 100,000
    people, about half of a whole pass's work); the first caller that reads deeper does the rest here, once.
    """
    made_to = match_depth.made_to(conn)
    if made_to is None or made_to <= depth:
        return None
    ids = match_depth.shallow_ids(conn)
    store.delete_marks(conn, "need", ids)  # so that the refresh scores them again, whole
    match_depth.forget(conn)
    return refresh(conn, app)


def deepen_needs(conn: Connection, app: App, need_ids: Sequence[int], depth: float) -> RefreshReport | None:
    """Score whole these needs' lists where they may stop above `depth`; None when none does.

    A need's list is its own best offers, whatever the other needs' lists hold: a reader of a few needs' lists (a
    person's profile, an event's expected people) has them scored whole one by one, as a need just added is, with
    the offers' index and vectors read once for them all (at 100,000 people about 40 ms a need), instead of every
    list of the network (`deepen`: 17 s there). The others stay as deep as they are. The needs scored are no longer
    shallow (`match_depth.made_whole`): the next reader of them scores and writes nothing.
    """
    made_to = match_depth.made_to(conn)
    if made_to is None or made_to <= depth:
        return None
    shallow = sorted(set(match_depth.shallow_ids(conn)).intersection(need_ids))
    if not shallow:
        return None
    store.delete_marks(conn, "need", shallow)  # so that they are scored again, whole
    # The offers' heads, index and vectors read once for them all (at 100,000 people 25.6 MB of vectors a need).
    report = _refresh_needs(conn, app, shallow)
    if report is None:
        for need_id in shallow:  # the quick path could not: the general refresh, need by need
            report = refresh(conn, app, need_id=need_id)
    match_depth.made_whole(conn, shallow)  # the next reader of these lists scores nothing again
    return report


def rescore(app: App) -> RefreshReport:
    """Re-score everything from scratch (cached vectors are reused)."""
    with app.begin() as conn:
        return refresh(conn, app, full=True)


@dataclass(frozen=True)
class Suggestion:
    need: NeedOrOffer
    offer: NeedOrOffer
    match: MatchScore  # with freshness worked out at "now"
    needer: str = ""
    offerer: str = ""
    broker: float | None = None  # how well the user can make it (tie strength and readiness, both sides)
    mine: bool = False  # the offer is the user's own giveable
    own_need: bool = False  # the need is the user's: no introduction to broker, an ask to make

    def as_dict(self) -> dict[str, Any]:
        return {
            "need": {"id": self.need.id, "person_id": self.need.person_id, "person": self.needer,
                     "text": self.need.text, "tags": list(self.need.tags), "location": self.need.location},
            "offer": {"id": self.offer.id, "person_id": self.offer.person_id, "person": self.offerer,
                      "text": self.offer.text, "tags": list(self.offer.tags), "location": self.offer.location},
            "score": round(self.match.score, 4),
            "broker_value": None if self.broker is None else round(self.broker, 4),
            "yours": self.mine,
            "your_need": self.own_need,
            "signals": [{"name": s.name, "value": round(s.value, 4), "points": round(s.points, 4), "note": s.note}
                        for s in self.match.signals],
        }  # fmt: skip


def _now_score(row: Any, app: App) -> MatchScore:
    """A stored suggestion row's score at "now": its freshness worked out again."""
    stored = MatchScore(float(row.score), decode_signals(str(row.signals)))
    return refresh_score(stored, freshness(row.need_created_at, app.now, DEFAULT_WEIGHTS))


def _record(row: Any, prefix: str, item_id: int) -> NeedOrOffer:
    return NeedOrOffer(
        id=item_id,
        person_id=int(getattr(row, f"{prefix}_person_id")),
        text=str(getattr(row, f"{prefix}_text")),
        tags=tuple(t for t in str(getattr(row, f"{prefix}_tags")).split(",") if t),
        location=getattr(row, f"{prefix}_location"),
        created_at=getattr(row, f"{prefix}_created_at"),
        expires_on=getattr(row, f"{prefix}_expires_on"),
    )


def cached(
    conn: Connection,
    app: App,
    *,
    min_score: float | None = None,
    person_id: int | None = None,
    need_id: int | None = None,
    offer_id: int | None = None,
    tag: str | None = None,
    limit: int | None = None,
    given: frozenset[tuple[int, int]] | None = None,
    need_people: Sequence[int] | None = None,
) -> list[tuple[NeedOrOffer, NeedOrOffer, MatchScore]]:
    """Return the stored live suggestions the app shows at "now", best first (no refresh): by the display rule
    (`match_shown`: every pair at `[plan] match_threshold`, a need's best one at `match_best_threshold`), or every
    pair at or above `min_score` when one is given. `need_people`: only the needs of these people.

    Read a page at a time in stored-score order: freshness only lowers a stored score, so once `limit` pairs
    are found above the next page's best stored score, no later pair can overtake them. `given`: the pairs
    already acted on (`ledger.given_pairs`), when the caller has read them.
    """
    if given is None:
        given = ledger_store.given_pairs(conn)
    bars = match_shown.thresholds(app, min_score)
    floor = bars[0]
    out: list[tuple[NeedOrOffer, NeedOrOffer, MatchScore]] = []
    page = None if limit is None else max(limit + limit // 2, 50)  # a page more when freshness reorders them
    offset = 0
    while True:
        rows = store.suggestion_rows(conn, app.now.date(), person_id=person_id, need_id=need_id, offer_id=offer_id,
                                     tag=tag, min_score=floor, limit=page, offset=offset,
                                     need_people=need_people)  # fmt: skip
        found: list[tuple[NeedOrOffer, NeedOrOffer, MatchScore]] = []
        for row in rows:
            if (int(row.need_id), int(row.offer_id)) in given:
                continue
            need, offer = _record(row, "need", int(row.need_id)), _record(row, "offer", int(row.offer_id))
            if tag is not None and tag not in need.tags and tag not in offer.tags:
                continue
            scored = _now_score(row, app)
            if scored.score >= floor:
                found.append((need, offer, scored))
        out += match_shown.keep_shown(conn, app, found, bars, given, lambda r: _now_score(r, app).score)
        out.sort(key=lambda t: (-t[2].score, t[0].id, t[1].id))
        if page is None or len(rows) < page:
            break
        offset += page
        if limit is not None and len(out) >= limit and out[limit - 1][2].score >= float(rows[-1].score):
            break
    return out[:limit] if limit is not None else out


def _brokerage(conn: Connection, app: App, pids: set[int]) -> dict[int, tuple[float, float, str]]:
    """Return, per person, (tie strength, readiness value, name)."""
    out: dict[int, tuple[float, float, str]] = {}
    if not pids:
        return out
    # Imported here: the plan reads cached suggestions without judging anyone's readiness.
    from givefirst.domain.readiness import ask_readiness
    from givefirst.services.relationships import relationship_from_row

    for row in people_store.list_people(conn, include_me=True, person_ids=sorted(pids)):
        rel = relationship_from_row(row, app.now, app.weights)
        ready = ask_readiness(rel.stats, app.now, app.weights, strength=rel.strength.score,
                              cadence_days=rel.due.cadence_days)  # fmt: skip
        out[rel.person_id] = (rel.strength.score, READINESS_VALUE[ready.verdict], rel.name)
    return out


def _explain(conn: Connection, app: App, found: list[tuple[NeedOrOffer, NeedOrOffer, MatchScore]]) -> list[Suggestion]:
    me = app.me(conn)
    info = _brokerage(conn, app, {p for n, o, _ in found for p in (n.person_id, o.person_id)})
    out = []
    for need, offer, scored in found:
        mine = offer.person_id == me
        sides = [need.person_id] if mine else [need.person_id, offer.person_id]
        known = [info[p] for p in sides if p in info and p != me]
        broker = broker_value([k[0] for k in known], [k[1] for k in known]) if known else None
        out.append(
            Suggestion(
                need,
                offer,
                scored,
                info.get(need.person_id, (0, 0, "?"))[2],
                info.get(offer.person_id, (0, 0, "?"))[2],
                broker,
                mine,
                need.person_id == me,
            )
        )
    return out


def suggestions(
    app: App,
    *,
    person: str | None = None,
    tag: str | None = None,
    min_score: float | None = None,
    limit: int = 20,
) -> list[Suggestion]:
    """Return the best suggestions across the network (refreshing what changed first), filtered."""
    if limit < 1:
        raise InvalidInputError("--limit must be at least 1")
    if min_score is not None and not 0.0 <= min_score <= 1.0:
        raise InvalidInputError(f"--min-score must be between 0 and 1, not {min_score}")
    wanted = tag.strip().lower() if tag else None
    with app.begin() as conn:
        pid = resolve_person(conn, app, person) if person else None
        ensure_fresh(conn, app, depth=shown_depth(app, min_score))
        found = cached(conn, app, min_score=min_score, person_id=pid, tag=wanted, limit=limit)
        return _explain(conn, app, found)


@dataclass(frozen=True)
class PersonMatches:
    person_id: int
    name: str
    needs_met: list[Suggestion] = field(default_factory=list)  # their needs, met by others' offers
    offers_serving: list[Suggestion] = field(default_factory=list)  # their offers, serving others' needs


def for_person(app: App, ref: str, *, min_score: float | None = None, limit: int = 10) -> PersonMatches:
    """Return what can be done for one person: their needs others can meet, and whom their offers can serve."""
    with app.begin() as conn:
        pid = resolve_person(conn, app, ref)
        ensure_fresh(conn, app, depth=shown_depth(app, min_score))
        found = cached(conn, app, min_score=min_score, person_id=pid)
        explained = _explain(conn, app, found)
        name = str(people_store.person_row(conn, pid).name)
    met = [s for s in explained if s.need.person_id == pid][:limit]
    serving = [s for s in explained if s.offer.person_id == pid][:limit]
    return PersonMatches(pid, name, met, serving)


def for_need(app: App, need_id: int, *, min_score: float | None = None, limit: int = 10) -> list[Suggestion]:
    """Return the offers that meet one need, best first."""
    with app.begin() as conn:
        if needs_store.item_row(conn, "need", need_id) is None:
            raise NotFoundError(f"no need with id {need_id}")
        ensure_fresh(conn, app, depth=shown_depth(app, min_score), needs=[need_id])
        return for_item(conn, app, "need", need_id, min_score=min_score, limit=limit)


def for_item(
    conn: Connection, app: App, which: str, item_id: int, *, min_score: float | None = None, limit: int = 10
) -> list[Suggestion]:
    """Return one need's best suggestions (the offers that meet it) or one offer's (the needs it serves), best
    first, from the stored pairs as they are (the caller refreshed them)."""
    need_id, offer_id = (item_id, None) if which == "need" else (None, item_id)
    return _explain(conn, app, cached(conn, app, min_score=min_score, need_id=need_id, offer_id=offer_id, limit=limit))
