"""The hub's matching: the personal app's engine on the association's needs and offers, within what each sees.

`match_all` is the full pass: every open need against every offer it may meet, block by block (the needs
whose owners may meet the same offers, `hub.domain.matching.blocks`), with one BM25 index of all the offers so
that every pair is scored on the same statistics; each need keeps its best `per_item` offers. `match_item` is
the incremental one, for an item just added or edited: a need against the offers it may meet, or an offer
against the needs it may meet. It reads only the candidates that can reach the engine's floor — those sharing
a word or a tag with the item (`item_terms`) or close enough in meaning (`least_cosine`) — and learns BM25's
statistics on them, so its scores can differ a little from a full pass until the next one (the worker runs one
nightly, `givefirst hub worker`, or on demand, `givefirst hub match`).

Vectors are kept in `item_vectors` with the hash of the text they were made from: only changed texts are
embedded again. Pairs between two members one of whom declined an introduction to the other are not kept.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from givefirst.domain.match_lexical import LexicalIndex
from givefirst.domain.match_score import DEFAULT_WEIGHTS, Item, MatchScore
from givefirst.domain.model import NeedOrOffer
from givefirst.hub.domain.access import Role, Viewer, Visibility
from givefirst.hub.domain.matching import Group, blocks, least_cosine, member_pair
from givefirst.hub.services import jobs
from givefirst.hub.services.context import Hub
from givefirst.hub.store import items as item_store
from givefirst.hub.store import matching as store
from givefirst.hub.store.access import visible_items

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float32]

EMBED_BATCH = 2000
MOST_CANDIDATES = 2000  # an incremental pass reads at most this many of the closest counterparts


class ColumnIndex(LexicalIndex):
    """The BM25 index of all offers, scoring a block's many columns as whole rows (`scores(q)[columns]`).

    `LexicalIndex.scores_at` reads a few columns' entries one by one, for one new offer; a block of the full
    pass asks for thousands of columns at once, where summing the query's postings over every offer and
    picking the block's columns is the same sums in the same order, and far faster.
    """

    def scores_at(self, queries: Sequence[list[str]], columns: Sequence[int]) -> FloatArray:
        import numpy as np

        cols = np.asarray(columns, dtype=np.int64)
        if not queries:
            return np.zeros((0, len(cols)), dtype=np.float32)
        out: FloatArray = np.vstack([self.scores(q)[cols] for q in queries])
        return out


@dataclass
class MatchReport:
    needs: int = 0
    offers: int = 0
    embedded: int = 0  # texts embedded now; the others' vectors came from item_vectors
    blocks: int = 0
    pairs: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process's CPU time: on a shared machine it moves far less than the wall time

    def as_dict(self) -> dict[str, Any]:
        return {"needs": self.needs, "offers": self.offers, "embedded": self.embedded, "blocks": self.blocks,
                "pairs": self.pairs, "seconds": round(self.seconds, 3),
                "cpu_seconds": round(self.cpu_seconds, 3)}  # fmt: skip


def _record(row: Any) -> NeedOrOffer:
    return NeedOrOffer(
        id=int(row.id), person_id=int(row.member_id), text=str(row.text),
        tags=tuple(t for t in str(row.tags).split(",") if t), location=row.location, created_at=row.created_at,
        expires_on=row.expires_on,
    )  # fmt: skip


def _group(row: Any) -> Group:
    return Group(int(row.chapter_id), Role(row.role), Visibility(row.visibility))


def _vectors(
    conn: Any, records: Sequence[NeedOrOffer], report: MatchReport, stored: dict[int, tuple[str, bytes]] | None = None
) -> FloatArray:
    """Return one vector per record: from item_vectors when its text is unchanged, else embedded and kept."""
    import numpy as np

    from givefirst.domain.match_engine import topic_text
    from givefirst.services.embedding import DIM, embed, text_hash

    topics = [topic_text(r) for r in records]
    hashes = [text_hash(t) for t in topics]
    if stored is None:
        stored = store.vectors(conn, [r.id for r in records]) if len(records) < 20_000 else store.vectors(conn)
    out = np.zeros((len(records), DIM), dtype=np.float32)
    missing = []
    for k, (r, h) in enumerate(zip(records, hashes, strict=True)):
        found = stored.get(r.id)
        if found is not None and found[0] == h:
            out[k] = np.frombuffer(found[1], dtype="<f4")
        else:
            missing.append(k)
    for start in range(0, len(missing), EMBED_BATCH):
        part = missing[start : start + EMBED_BATCH]
        fresh = embed([topics[k] for k in part])
        out[part] = fresh
        store.save_vectors(conn, {records[k].id: (hashes[k], fresh[n].astype("<f4").tobytes())
                                  for n, k in enumerate(part)})  # fmt: skip
    report.embedded += len(missing)
    return out


def _rows(pairs: list[tuple[int, int, MatchScore]], needs: Sequence[Item], offers: Sequence[Item], hub: Hub,
          declined: set[tuple[int, int]]) -> list[dict[str, Any]]:  # fmt: skip
    from givefirst.services.matching import encode_signals

    now = hub.now()
    out = []
    for i, j, s in pairs:
        need, offer = needs[i].record, offers[j].record
        if member_pair(need.person_id, offer.person_id) in declined:
            continue
        out.append({"need_id": need.id, "offer_id": offer.id, "score": round(s.score, 6),
                    "explanation": encode_signals(s.signals), "computed_at": now})  # fmt: skip
    return out


def match_all(hub: Hub) -> MatchReport:
    """Score every open need against every offer its owner and the offer's owner may both see; replace the pairs."""
    from givefirst.domain.match_engine import item_tokens, read_item, score_pairs

    started, cpu = time.perf_counter(), time.process_time()
    report = MatchReport()
    with hub.engine.begin() as conn:
        rows = store.open_items(conn, hub.now().date())
        need_rows = [r for r in rows if r.kind == "need"]
        offer_rows = [r for r in rows if r.kind == "offer"]
        report.needs, report.offers = len(need_rows), len(offer_rows)
        need_records, offer_records = [_record(r) for r in need_rows], [_record(r) for r in offer_rows]
        vectors = _vectors(conn, need_records + offer_records, report)
        need_vectors, offer_vectors = vectors[: len(need_records)], vectors[len(need_records) :]
        declined = store.declined_member_pairs(conn)
        out: list[dict[str, Any]] = []
        if need_records and offer_records:
            needs, offers = [read_item(r) for r in need_records], [read_item(r) for r in offer_records]
            index = ColumnIndex([item_tokens(r) for r in offer_records])
            people = [r.person_id for r in offer_records]
            live = [True] * len(offer_records)  # open_items reads only live items
            found = blocks([_group(r) for r in need_rows], [_group(r) for r in offer_rows])
            report.blocks = len(found)
            for need_idx, offer_idx in found:
                pairs = score_pairs(
                    [needs[i] for i in need_idx], need_vectors[need_idx], offers, offer_vectors, hub.now(),
                    index=index, columns=offer_idx, offer_people=people, offer_live=live,
                )  # fmt: skip
                out += _rows([(need_idx[i], j, s) for i, j, s in pairs], needs, offers, hub, declined)
        store.clear_matches(conn)
        store.insert_matches(conn, out)
        store.analyze_matches(conn)
        report.pairs = len(out)
    report.seconds, report.cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    return report


def _owner_viewer(row: Any) -> Viewer:
    return Viewer(member_id=int(row.member_id), chapter_id=int(row.chapter_id), role=Role(row.role))


def match_item(hub: Hub, item_id: int) -> MatchReport:
    """Score one item just added or edited against the other side it may meet, and store its pairs."""
    from givefirst.domain.match_engine import item_tokens, read_item, score_pairs

    started, cpu = time.perf_counter(), time.process_time()
    report = MatchReport()
    today = hub.now().date()
    with hub.engine.begin() as conn:
        item = item_store.item_by_id(conn, item_id)
        fields = store.items_fields(conn, [item_id])
        if item is None or not fields or item.status != "open" or (item.expires_on and item.expires_on < today):
            if item is not None:
                store.delete_matches(conn, [item_id])
            return report
        row = fields[0]
        record = _record(row)
        # The counterparts the item's owner may see and whose owners may see the item.
        others = store.counterparts(conn, item, visible_items(_owner_viewer(row)), today)
        if sum(1 for r in others if r.vector is None) > EMBED_BATCH:
            # Many counterparts were never embedded (a bulk import): the full pass embeds them in batches; until
            # it has run, this item meets those that were.
            jobs.enqueue(hub, "match_all", {}, conn=conn)
            others = [r for r in others if r.vector is not None]
        if not others:
            store.delete_matches(conn, [item_id])
            return report
        # The counterparts' stored vectors as they are: each was embedded when its own text last changed.
        stored = {int(r.id): (str(r.text_hash), bytes(r.vector)) for r in others if r.vector is not None}
        missing = [_record(r) for r in store.items_fields(conn, [int(r.id) for r in others if r.vector is None])]
        if missing:
            _vectors(conn, missing, report, {})
            stored.update(store.vectors(conn, [r.id for r in missing]))
        import numpy as np

        theirs = np.frombuffer(b"".join(stored[r.id][1] for r in others), dtype="<f4").reshape(len(others), -1)
        mine = _vectors(conn, [record], report)
        cosine = (theirs @ mine[0]).tolist()
        sharing = set(store.sharing_terms(conn, _match_terms(record), "offer" if item.kind == "need" else "need",
                                          today, limit=MOST_CANDIDATES))  # fmt: skip
        floor = least_cosine()
        most = MOST_CANDIDATES if item.kind == "need" else MOST_CANDIDATES // 2  # an offer is scored need by need
        ranked = sorted((k for k, r in enumerate(others) if cosine[k] >= floor or r.id in sharing),
                        key=lambda k: -cosine[k])[:most]  # fmt: skip
        # Only the short-listed counterparts are read whole; one closed since the first read is left out.
        found = {int(r.id): r for r in store.items_fields(conn, [int(others[k].id) for k in ranked])}
        picked = sorted(k for k in ranked if int(others[k].id) in found)
        fields = [found[int(others[k].id)] for k in picked]
        declined = store.declined_member_pairs(conn)
        if item.kind == "need":
            report.needs, report.offers = 1, len(picked)
            offers = [read_item(_record(r)) for r in fields]
            need = [read_item(record)]
            pairs = score_pairs(need, mine, offers, theirs[picked], hub.now(),
                                index=LexicalIndex([item_tokens(o.record) for o in offers]))  # fmt: skip
            rows = _rows(pairs, need, offers, hub, declined)
            store.replace_need_matches(conn, [item_id], rows)
            report.pairs = len(rows)
        else:
            report.needs, report.offers = len(picked), 1
            needs = [read_item(_record(r)) for r in fields]
            # BM25 learns how common each word is among offers: the new offer's neighbours on the board.
            neighbours = [r for r in store.items_fields(conn, store.sharing_terms(
                conn, _match_terms(record), "offer", today, limit=MOST_CANDIDATES)) if r.id != item_id]  # fmt: skip
            offers = [read_item(record)] + [read_item(_record(r)) for r in neighbours]
            offer_vectors = np.zeros((len(offers), mine.shape[1]), dtype=np.float32)
            offer_vectors[0] = mine[0]  # only the new offer is scored (column 0): the others lend their words
            pairs = score_pairs(needs, theirs[picked], offers, offer_vectors, hub.now(),
                                index=LexicalIndex([item_tokens(o.record) for o in offers]), columns=[0])  # fmt: skip
            rows = _rows(pairs, needs, offers, hub, declined)
            report.pairs = store.add_offer_matches(conn, item_id, rows, DEFAULT_WEIGHTS.per_item)
    report.seconds, report.cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    return report


def _match_terms(record: NeedOrOffer) -> list[str]:
    """Return the word and tag terms of an item: a counterpart sharing none has no lexical signal with it."""
    from givefirst.hub.domain.items import item_terms

    # BM25 reads a tag as a word: a need's word meets an offer's tag, and the other way round.
    bare = {t[2:] for t in item_terms(record.text, record.tags, None) if not t.startswith("p:")}
    return sorted({f"{p}:{b}" for b in bare for p in ("w", "t")})


def _run_match_item(hub: Hub, payload: dict[str, Any]) -> object:
    return match_item(hub, int(payload["item_id"]))


def _run_match_all(hub: Hub, payload: dict[str, Any]) -> object:
    return match_all(hub)


jobs.register("match_item", _run_match_item)
jobs.register("match_all", _run_match_all)
