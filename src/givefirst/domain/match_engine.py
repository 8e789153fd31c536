"""Scoring many needs against many offers at once: BM25 (bm25s) and sentence vectors in, explained pairs out.

Pure computation on what it is given (texts' tokens, vectors as arrays, "now", weights): no I/O. numpy and
bm25s are imported inside the functions, so that importing this module (the daily plan does, through the
service) costs nothing when the cached suggestions are fresh.

The work is blocked: for each block of needs the relevance and intent of every offer is an array operation;
only the best `per_item` offers of each need that could still reach the floor are scored exactly (place,
freshness, explanation) in Python.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from givefirst.domain.gazetteer import find_places, strip_places
from givefirst.domain.match_cosines import (
    ROWS_AT_ONCE,
    block_cosines,
    few_cosines,
    largest_norm,
    pair_cosines,
    product_error,
    upper_block_cosines,
)
from givefirst.domain.match_exact import ExactScorer
from givefirst.domain.match_lexical import LexicalIndex
from givefirst.domain.match_score import (
    DEFAULT_WEIGHTS,
    Item,
    MatchScore,
    MatchWeights,
    combine,
    fresh_factor,
    freshness,
    is_live,
    semantic_value,
    semantic_values,
)
from givefirst.domain.match_text import ALIAS, acronyms, initialisms, tokens
from givefirst.domain.match_topk import best_first, best_in_rows, first_in_rows
from givefirst.domain.model import NeedOrOffer

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float32]

BLOCK = 256  # needs per cosine product at most (the product is BLOCK × every offer: 26 MB at 100,000 people)
CELLS = 512 * 5_000  # need × offer cells per block: fewer needs against more offers, so that a block's arrays
# (cosine, lexical, bound, caps: ~10 MB each) do not grow with the network (at 100,000 people, 102 needs a block)
CANDIDATES = 2  # times `per_item`: pairs scored exactly per need at first (more only when these cannot settle it)
WIDEST = 8  # times `per_item`: at most this many scored per need in all (the top k is exact when it settles there)
CAP_MARGIN = 1e-3  # logit units added to the caps: float32 rounding stays far below it


def read_item(record: NeedOrOffer) -> Item:
    """Return the item with its market side and place worked out."""
    return Item(record)


def topic_text(record: NeedOrOffer) -> str:
    """Return what an item is about: its text without the places it names.

    The place signal weighs places (with metro areas and states, which words cannot); left in the text they
    would count twice and make two unrelated local statements look alike ("a realtor in South Tampa" and "a
    pediatric practice in South Tampa"). A place in another country than the speaker's home stays: it is the
    topic ("thinking of retiring to Spain" and "went through Spain's residency paperwork").
    """
    home = frozenset(r.country for r in find_places(record.location) if r.country) or None
    return strip_places(record.text, home) or record.text.lower()


def item_tokens(record: NeedOrOffer) -> list[str]:
    """Return the words BM25 indexes for an offer: the topic text's content words, the tags, and its
    abbreviations and the initials of its runs of words (`match_text.alias_tokens`)."""
    topic = topic_text(record)
    return tokens(topic) + [t.lower() for t in record.tags] + _aliases(record.text, topic, query=False)


def query_tokens(record: NeedOrOffer) -> list[str]:
    """Return the words a need asks BM25 for: as `item_tokens`, with the abbreviation tokens turned around."""
    topic = topic_text(record)
    return tokens(topic) + [t.lower() for t in record.tags] + _aliases(record.text, topic, query=True)


def _is_place(word: str) -> bool:
    return bool(find_places(word))


def _aliases(text: str, topic: str, *, query: bool) -> list[str]:
    # Abbreviations from the text as written (capitals), not places ("FL"); initials from the topic (no places).
    mine, runs = acronyms(text, _is_place), initialisms(topic)
    if query:
        return sorted({f"{ALIAS}i:{a}" for a in mine} | {f"{ALIAS}a:{r}" for r in runs})
    return sorted({f"{ALIAS}a:{a}" for a in mine} | {f"{ALIAS}i:{r}" for r in runs})


def _cap_logits(
    semantic: FloatArray, lexical: FloatArray, w: MatchWeights, scratch: FloatArray, out: FloatArray | None = None
) -> FloatArray:
    """Return the logit of the highest chance each pair could reach (intent and place at their best), a little
    above it.

    The chance rises with every signal (its weights are positive), so a pair scored exactly never exceeds its
    cap. Compared as logits (the sigmoid keeps their order) in float32: no exponential over the whole block; the
    margin covers float32 rounding. `scratch`: an array of the same shape the caller does not need now; `out`:
    one to write the caps into.
    """
    import numpy as np

    c = w.calibration
    # `c.semantic · semantic + c.lexical · lexical + best`, in place (no array per step), the same float32 sums
    z: FloatArray = np.multiply(semantic, np.float32(c.semantic), out=out)
    z += np.multiply(lexical, np.float32(c.lexical), out=scratch)
    z += np.float32(c.best_case() + CAP_MARGIN)
    return z


def _bounds(
    semantic: FloatArray, lexical: FloatArray, w: MatchWeights, scratch: FloatArray, out: FloatArray | None = None
) -> FloatArray:
    """Return each pair's relevance, `w.semantic · semantic + w.lexical · lexical`, in float32 (in place in `out`;
    the same operations on a block or on a few cells, so the same bits)."""
    import numpy as np

    bound: FloatArray = np.multiply(semantic, w.semantic, out=out)
    bound += np.multiply(lexical, w.lexical, out=scratch)
    return bound


def _exact_reach(
    rows: Any,
    columns: Any,
    need_vectors: FloatArray,
    offer_vectors: FloatArray,
    block: tuple[FloatArray, FloatArray, FloatArray, FloatArray],
    limits: Any,
    w: MatchWeights,
) -> tuple[Any, Any]:
    """Make exact the cells (`rows`, `columns`) of a block read as upper bounds, and return those that still reach
    their row's limit.

    `block`: the block's cosines, lexical scores, relevances and caps, each written over at those cells with the
    value the exact cosine gives (`pair_cosines`, then the same float32 operations as the whole block's).
    `need_vectors`: the block's rows; `offer_vectors`: its columns. Every other cell's cap is at or above its exact
    cap, and under the limit, so it is under it exactly too: the cells kept are those an exact block keeps."""
    import numpy as np

    cosine, lexical, bound, zcap = block
    exact = pair_cosines(need_vectors, offer_vectors, rows, columns)
    lex = lexical[rows, columns]
    semantic = semantic_values(exact, w)
    cosine[rows, columns] = exact
    bound[rows, columns] = _bounds(semantic, lex, w, np.empty_like(semantic))
    caps = _cap_logits(semantic, lex, w, np.empty_like(semantic))
    zcap[rows, columns] = caps
    keep = caps >= limits[rows]
    return rows[keep], columns[keep]


def _chance_of(z: float, fresh_part: float) -> float:
    """Return the cap (a chance) of a cap logit."""
    return 0.0 if z == -math.inf else fresh_part / (1.0 + math.exp(-max(z, -40.0)))


def _logit_of(chance: float) -> float:
    return -math.inf if chance <= 0.0 else math.inf if chance >= 1.0 else math.log(chance / (1.0 - chance))


def shallow_depth(scores: Iterable[float], depth: float, top: int) -> float:
    """Return a depth every need's list of a `score_blocks` call with `depth` and `top` is whole down to: the
    `top`-th best of the scores it returned (or of any larger set of stored scores that holds them), `depth`
    when fewer were returned."""
    found = heapq.nlargest(top, scores) if top else []
    return max(depth, found[-1]) if top and len(found) == top else depth


def score_pairs(
    needs: Sequence[Item],
    need_vectors: FloatArray,
    offers: Sequence[Item],
    offer_vectors: FloatArray,
    now: datetime,
    w: MatchWeights = DEFAULT_WEIGHTS,
    *,
    index: LexicalIndex | None = None,
    per_item: int | None = None,
    columns: Sequence[int] | None = None,
    offer_people: Sequence[int] | None = None,
    offer_live: Sequence[bool] | None = None,
    read_ahead: Callable[[Sequence[int]], None] | None = None,
    depth: float = 0.0,
    top: int = 0,
) -> list[tuple[int, int, MatchScore]]:
    """Return (need index, offer index, score) for the pairs at or above the floor, at most `per_item` per need:
    `score_blocks`'s pairs, every block's in turn."""
    blocks = score_blocks(needs, need_vectors, offers, offer_vectors, now, w, index=index, per_item=per_item,
                          columns=columns, offer_people=offer_people, offer_live=offer_live,
                          read_ahead=read_ahead, depth=depth, top=top)  # fmt: skip
    return [pair for block in blocks for pair in block]


def score_blocks(
    needs: Sequence[Item],
    need_vectors: FloatArray,
    offers: Sequence[Item],
    offer_vectors: FloatArray,
    now: datetime,
    w: MatchWeights = DEFAULT_WEIGHTS,
    *,
    index: LexicalIndex | None = None,
    per_item: int | None = None,
    columns: Sequence[int] | None = None,
    offer_people: Sequence[int] | None = None,
    offer_live: Sequence[bool] | None = None,
    share: float = 1.0,
    live_vectors: FloatArray | None = None,
    forget_needs: bool = False,
    outers: Iterable[int] | None = None,
    read_ahead: Callable[[Sequence[int]], None] | None = None,
    depth: float = 0.0,
    top: int = 0,
) -> Iterator[list[tuple[int, int, MatchScore]]]:
    """Yield, for each `BLOCK` of needs in turn (an empty list for a block without pairs), (need index, offer
    index, score) for the pairs at or above the floor, at most `per_item` per need (a caller that stores them
    need not hold every block's scores at once).
    `share`: the part of `CELLS` this call's smaller blocks may use (two processes scoring at once use half
    each); which needs share a small block does not change any need's pairs.

    Vectors are L2-normalised rows (float32). `index` is the BM25 index of all the offers' tokens (built when
    not given); `columns` limits the offers scored (one new offer against every need) while the BM25 statistics
    stay those of all the offers. Same-person and expired pairs are never returned. `offer_people` and
    `offer_live` (every offer's person id and whether it is live at `now`) spare reading every offer's record:
    then only the offers short-listed for a need are looked up in `offers`. `live_vectors`: the live offers'
    rows of `offer_vectors` in a full pass, when the caller has them (two processes then share one copy).
    `forget_needs`: drop each need's readings (`Item.forget`) once its pairs are scored, in a pass that scores
    each need once (at 100,000 people they are 40 MB). `outers`: the blocks to score, each by the index of its
    first need (a multiple of `BLOCK`), taken one at a time as the pass comes to it; default every block in turn.
    `read_ahead`: told the offers (indices into `offers`) about to be scored exactly, before they are looked up,
    so that a sequence that reads them from a database can read them in one query.
    `depth`: a score under which no pair is wanted (the lowest a caller will show). Each need then gets the pairs of
    its list that reach it, exactly those (its list at depth 0, cut there), and only the offers whose cap reaches
    it are scored. `top`: only the best `top` pairs of the whole call are wanted (the plan reads the best 150):
    once that many are found, the `top`-th best score found so far is the depth of the blocks after it. Every
    need's list then holds all its pairs at or above the depth its block was scored at, which is never above the
    `top`-th best score returned (`shallow_depth`).
    """
    import numpy as np

    if not needs or not offers:
        return
    index = index or LexicalIndex([item_tokens(o.record) for o in offers])
    keep = per_item if per_item is not None else w.per_item
    # Intent, place and freshness can only lower a pair's relevance: the best few by relevance are scored exactly.
    shortlist = CANDIDATES * keep
    cols = np.arange(len(offers)) if columns is None else np.asarray(columns, dtype=np.int64)
    # An item already expired never comes back unless edited (which re-scores it): it is left out of the blocks
    # (an expired offer's column, an expired need's row), which a network's old items would otherwise fill.
    live = (
        np.array([is_live(offers[j].record, now) for j in cols.tolist()], dtype=bool)
        if offer_live is None
        else np.asarray(offer_live, dtype=bool)[cols]
    )
    # The cosine product of a block is taken over its live needs and the live offers asked for, in float64 and
    # rounded once (`cosines`: the same bits whatever the product's shape). With fewer than two live offers the
    # product is taken against every offer asked for, and the live cells are read out.
    if columns is not None:  # a full pass reads every row as it is (a copy would be 25 MB at 100,000 people)
        offer_vectors = offer_vectors[cols]
    live_at = None if live.all() else np.flatnonzero(live)  # the live columns' places in the product
    rows_of = [i for i, n in enumerate(needs) if is_live(n.record, now)]  # the needs scored, in order
    # The needs make one product (a need added alone): the offers are not copied or re-indexed for them, each row
    # is taken whole and its live cells read out (`few_cosines`; the same BM25 sums as a restricted index's).
    few = len(rows_of) <= ROWS_AT_ONCE and len(needs) <= BLOCK
    whole_index = index if few and columns is None and live_at is not None else None
    if live_at is not None:
        cols = cols[live_at]
        if columns is None and whole_index is None:
            index = index.restricted(cols)
    if not len(cols) or not rows_of:
        return
    all_cols: list[int] = cols.tolist()
    people = (
        np.array([offers[j].record.person_id for j in all_cols])
        if offer_people is None
        else np.asarray(offer_people)[cols]
    )
    need_people: list[int] = [n.record.person_id for n in needs]
    # A person's own offers, found by a binary search in the columns sorted by person (stable: each person's
    # columns in order): a dict of every person's columns cost 10 ms at 25,000 offers for one new need.
    by_person = np.argsort(people, kind="stable")
    people_sorted = people[by_person]
    exact = ExactScorer(offers, w).exact
    rows_per_block = max(64, min(BLOCK, int(CELLS * share) // len(all_cols)))
    # The block's arrays are made once and written into, block after block: made anew, each 10 MB array of every
    # block came from the heap between smaller objects that outlive it (the allocator's threshold for mapping a
    # large block of its own rises as such arrays are freed), and the process's memory crept up by tens of MB.
    shape = (min(rows_per_block, len(rows_of)), len(all_cols))
    lexical_buffer, semantic_buffer, bound_buffer, caps_buffer, scratch_buffer = (
        np.empty(shape, dtype=np.float32) for _ in range(5)
    )
    if not few and (live_vectors is None or columns is not None):
        live_vectors = offer_vectors if live_at is None else offer_vectors[live_at]
    two_live = not few and live_vectors is not None and len(live_vectors) >= 2
    # The live offers' vectors in float64, made when a block first needs them (36 MB at 100,000 people, where 29 %
    # of the offers have expired); a need added alone converts a slice at a time (`few_cosines`), and a block cut at
    # a depth takes the float32 product (`upper_block_cosines`).
    live64: list[Any] = []
    every64: list[Any] = []  # every offer asked for in float64, made only if a block needs it
    lifts: list[float] = []  # how far a float32 product's cell may be off (`product_error`), found when first needed

    def live_offers64() -> Any:
        if not live64:
            live64.append(live_vectors.astype(np.float64) if two_live and live_vectors is not None else None)
        return live64[0]

    def lift() -> float:
        if not lifts:
            lifts.append(product_error(need_vectors.shape[1], largest_norm(need_vectors), largest_norm(live_vectors)))
        return lifts[0]

    def every_offer() -> Any:
        if not every64:
            every64.append(offer_vectors.astype(np.float64))
        return every64[0]

    products_buffer = np.empty(min(BLOCK, len(needs)) * len(all_cols), dtype=np.float32)
    best: list[float] = []  # with `top`: the best `top` scores returned so far, as a min-heap
    for outer in range(0, len(needs), BLOCK) if outers is None else outers:
        live_rows = rows_of[bisect.bisect_left(rows_of, outer) : bisect.bisect_left(rows_of, outer + BLOCK)]
        if not live_rows:
            yield []  # one list per BLOCK of needs, pairs or not: a caller can tell how far the pass has come
            continue
        end = min(outer + BLOCK, len(needs))
        # Cut at a depth from the start (the depth asked for, or the `top`-th best so far: it only rises), a block
        # reads only the cells whose cap reaches the cut: it takes the float32 product, reads it as if each cell were
        # as high as it may be, and makes exact only the few cells that then reach the cut (`_exact_reach`).
        upper = two_live and (max(depth, best[0]) if top and len(best) == top else depth) > 0.0
        if upper:
            assert live_vectors is not None  # (`two_live`)
            products = upper_block_cosines(need_vectors, outer, end, live_rows, live_vectors, products_buffer)
        elif few:  # (every offer asked for, then the live ones read out)
            products = few_cosines(need_vectors[np.asarray(live_rows, dtype=np.intp)], offer_vectors)
            products = products if live_at is None else products[:, live_at]
        else:
            products = block_cosines(need_vectors, outer, end, live_rows, every_offer, live_offers64(), live_at,
                                     products_buffer)  # fmt: skip
        out: list[tuple[int, int, MatchScore]] = []
        for start in range(0, len(live_rows), rows_per_block):
            stop = min(start + rows_per_block, len(live_rows))
            block_rows = live_rows[start:stop]  # the needs of this block, by their index in `needs`
            cut = max(depth, best[0]) if top and len(best) == top else depth  # this block's depth
            cosine = products[start:stop]
            if columns is None:  # each need's row written in place (no row arrays stacked)
                lexical = lexical_buffer[: stop - start]
                for row, i in enumerate(block_rows):
                    if whole_index is not None:
                        lexical[row] = whole_index.scores(query_tokens(needs[i].record))[live_at]
                    else:
                        index.scores(query_tokens(needs[i].record), out=lexical[row])
            else:  # a few offers (a new one) against every need: only their entries are read
                lexical = index.scores_at([query_tokens(needs[i].record) for i in block_rows], all_cols)
            # The block's arrays are computed in place where the values allow it (the same float32 operations as
            # `w.semantic · semantic + w.lexical · lexical` and so on): a block is millions of cells, and each
            # new array was as much memory traffic as the arithmetic.
            semantic = semantic_values(cosine, w, out=semantic_buffer[: stop - start], lift=lift() if upper else 0.0)
            scratch = scratch_buffer[: stop - start]
            bound = _bounds(semantic, lexical, w, scratch, out=bound_buffer[: stop - start])
            persons = [need_people[i] for i in block_rows]
            firsts = np.searchsorted(people_sorted, persons, "left").tolist()
            lasts = np.searchsorted(people_sorted, persons, "right").tolist()
            own = [(row, by_person[first:last]) for row, (first, last) in enumerate(zip(firsts, lasts, strict=True))
                   if last > first]  # a few columns per need, not a mask  # fmt: skip
            for row, columns_of_own in own:
                bound[row, columns_of_own] = 0.0
            fresh_parts = np.array([fresh_factor(freshness(needs[i].record.created_at, now, w), w)
                                    for i in block_rows])  # fmt: skip
            # The chance a pair could reach at best, as a logit; -inf for a pair whose product cannot reach the floor.
            zcap = _cap_logits(semantic, lexical, w, scratch, out=caps_buffer[: stop - start])
            fresh32 = fresh_parts.astype(np.float32)
            for row, columns_of_own in own:  # never a candidate, whatever the floor (at 0 a bound of 0 passes it)
                zcap[row, columns_of_own] = -np.inf
            k = min(shortlist, zcap.shape[1])
            if cut > 0.0:
                # A pair's score is its chance times the need's freshness part, and its cap bounds the chance: an
                # offer whose cap is below the logit of `cut / fresh part` cannot reach `cut` and is not scored.
                # The cap's margin (`CAP_MARGIN`) covers the limit's rounding to float32. At a high cut few pairs
                # reach it: the floor is tested on those alone (the same float32 products as the whole block's),
                # and the block's caps are rewritten to those pairs, the rest -inf, as the masks below would leave.
                limits = np.array([_logit_of(cut / f) for f in fresh_parts.tolist()], dtype=np.float32)
                reach_rows, reach = np.nonzero(zcap >= limits[:, None])
                if upper:  # (caps of cosines as high as they may be: the cells that reach are made exact)
                    assert live_vectors is not None
                    reach_rows, reach = _exact_reach(reach_rows, reach, need_vectors[block_rows], live_vectors,
                                                     (cosine, lexical, bound, zcap), limits, w)  # fmt: skip
                passes = ~(bound[reach_rows, reach] * fresh32[reach_rows] < w.floor)
                reach_rows, reach = reach_rows[passes], reach[passes]
                values = zcap[reach_rows, reach]
                zcap.fill(-np.inf)
                zcap[reach_rows, reach] = values
                picked_rows, picked = first_in_rows(reach_rows, reach, values, stop - start, k)
            else:
                assert not upper  # (a block is read as upper bounds only when cut from its start)
                np.putmask(zcap, np.multiply(bound, fresh32[:, None], out=scratch) < w.floor, -np.inf)
                # The best few offers of every need in the block by that cap (none below the floor), as plain lists.
                picked_rows, picked = best_in_rows(zcap, k)
            counts = np.bincount(picked_rows, minlength=stop - start).tolist()
            columns_at = picked.tolist()
            if read_ahead is not None:
                read_ahead([all_cols[c] for c in columns_at])
            bounds_at = bound[picked_rows, picked].tolist()
            caps_at = zcap[picked_rows, picked].tolist()
            cosines_at = cosine[picked_rows, picked].tolist()
            lexicals_at = lexical[picked_rows, picked].tolist()
            at = 0
            for row, count in enumerate(counts):
                cands, zs = columns_at[at : at + count], caps_at[at : at + count]
                bounds, cosines, lexicals = (
                    bounds_at[at : at + count],
                    cosines_at[at : at + count],
                    lexicals_at[at : at + count],
                )
                at += count
                i = block_rows[row]
                need = needs[i]
                fresh = freshness(need.record.created_at, now, w)
                fresh_part = fresh_factor(fresh, w)
                scored = (
                    exact(need, all_cols[c], b, cos, lex, fresh_part)
                    for c, b, cos, lex in zip(cands, bounds, cosines, lexicals, strict=True)
                )
                ranked = [r for r in scored if r is not None]
                # Intent and place only lower a pair's chance: its cap bounds its exact score. When the short-list's
                # weakest cap is below the k-th exact score, no offer left out could enter the top k. Else score on,
                # best cap first, until none can: the lists are an exact top k whatever the short-list's size (and
                # the same as one offer at a time gives) as long as it settles within WIDEST · k candidates; past
                # them the cost of a full pass would grow with the network.
                mine = heapq.nlargest(keep, ((r[0], -r[1]) for r in ranked))
                kth = mine[-1][0] if len(mine) == keep else 0.0
                # Fewer than k offers with a cap above the floor: none was left out.
                weakest = _chance_of(min(zs), fresh_part) if count == k else 0.0
                if k < zcap.shape[1] and weakest >= kth and weakest > 0.0:
                    zrow = zcap[row]
                    # Those not scored yet, by column: the short-listed ones' caps are set to -inf first (this
                    # row's caps are read nowhere else now; `setdiff1d` sorted the whole rest for the same list).
                    zrow[cands] = -np.inf
                    more = np.flatnonzero(zrow >= np.float32(max(_logit_of(kth / fresh_part), -1e30)))
                    heapq.heapify(mine)
                    # At most this many more scored, best cap first: WIDEST · k offers scored in all.
                    order = best_first(zrow, more, max(WIDEST * keep - len(cands), 0))
                    if read_ahead is not None:
                        read_ahead([all_cols[c] for c in order.tolist()])
                    further = zip(
                        order.tolist(),
                        zrow[order].tolist(),
                        bound[row, order].tolist(),
                        cosine[row, order].tolist(),
                        lexical[row, order].tolist(),
                        strict=True,
                    )
                    for c, z, b, cos, lex in further:
                        if len(mine) == keep and _chance_of(z, fresh_part) < mine[0][0]:
                            break
                        j = all_cols[c]
                        found = exact(need, j, b, cos, lex, fresh_part)
                        if found is not None:
                            ranked.append(found)
                            if len(mine) < keep:
                                heapq.heappush(mine, (found[0], -j))
                            elif (found[0], -j) > mine[0]:
                                heapq.heapreplace(mine, (found[0], -j))
                ranked.sort(key=lambda t: (-t[0], t[1]))
                for _, j, cos, lex, intent, place in ranked[:keep]:
                    score = combine(semantic_value(cos, w), lex, intent, place, fresh, w)
                    if score.score < cut:  # (a pair under it scored on the way: not wanted)
                        continue
                    out.append((i, j, score))
                    if top:
                        if len(best) < top:
                            heapq.heappush(best, score.score)
                        elif score.score > best[0]:
                            heapq.heapreplace(best, score.score)
                if forget_needs:  # its pairs are scored: what was read from its text is of no more use
                    need.forget()
        yield out
