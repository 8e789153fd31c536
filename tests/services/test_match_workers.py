"""Issue 13: the full pass split across two processes (`match_workers`) stores exactly what one process stores:
the same pairs, scores and signals, in the same order — on random networks, when the child fails, when forking
is not safe, and through `refresh` on SQLite and PostgreSQL (the child must not disturb the connection)."""

from __future__ import annotations

import os
import random
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select

from givefirst.config import Settings
from givefirst.domain import match_engine
from givefirst.domain.match_engine import item_tokens, read_item, score_pairs
from givefirst.domain.match_lexical import LexicalIndex
from givefirst.services import match_workers, matching
from givefirst.services.context import App, open_app
from givefirst.services.needs import add_item
from givefirst.services.people import PersonInput, add_person
from givefirst.store.schema import match_suggestions
from tests.conftest import NOW
from tests.domain.test_match_exact import _random_network, _vectors

SMALL_BLOCK = 16  # a few dozen needs make several blocks


def _inputs(seed: int) -> tuple[Any, ...]:
    needs, offers = _random_network(seed)
    needs += _random_network(seed + 50)[0]
    return (
        [read_item(n) for n in needs],
        _vectors(needs),
        [read_item(o) for o in offers],
        _vectors(offers),
        LexicalIndex([item_tokens(o) for o in offers]),
    )


def _forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the forks this process makes (the child's own count stays in the child)."""
    made: list[int] = []
    fork = os.fork

    def counted() -> int:
        made.append(1)
        return fork()

    monkeypatch.setattr(os, "fork", counted)
    return made


@pytest.mark.parametrize("seed", range(4))
def test_two_processes_give_the_pairs_of_one(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    monkeypatch.setattr(match_engine, "BLOCK", SMALL_BLOCK)
    needs, need_vectors, offers, offer_vectors, index = _inputs(seed)
    assert len(needs) > 3 * SMALL_BLOCK
    alone = matching._stored(score_pairs(needs, need_vectors, offers, offer_vectors, NOW, index=index))
    made = _forks(monkeypatch)
    parent = os.getpid()

    def tagged(pairs: Any) -> Any:  # each pair says which process scored it
        return [(*pair, os.getpid()) for pair in matching._stored(pairs)]

    split = match_workers.score_pairs_split(needs, need_vectors, offers, offer_vectors, NOW, tagged, index=index,
                                            processes=2)  # fmt: skip
    assert made == [1], "some blocks must have been scored by a child"
    assert [pair[:-1] for pair in split] == alone
    assert {pair[-1] for pair in split} - {parent}, "the child's blocks must hold pairs"


def test_a_failing_child_s_half_is_scored_by_the_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(match_engine, "BLOCK", SMALL_BLOCK)
    needs, need_vectors, offers, offer_vectors, index = _inputs(9)
    alone = matching._stored(score_pairs(needs, need_vectors, offers, offer_vectors, NOW, index=index))
    parent = os.getpid()

    def convert(pairs: Any) -> Any:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return matching._stored(pairs)

    made = _forks(monkeypatch)
    split = match_workers.score_pairs_split(needs, need_vectors, offers, offer_vectors, NOW, convert, index=index,
                                            processes=2)  # fmt: skip
    assert made == [1] and split == alone


def test_no_fork_beside_another_thread_or_when_told_not_to(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(match_engine, "BLOCK", SMALL_BLOCK)
    needs, need_vectors, offers, offer_vectors, index = _inputs(3)
    alone = matching._stored(score_pairs(needs, need_vectors, offers, offer_vectors, NOW, index=index))
    made = _forks(monkeypatch)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not match_workers.can_fork()
        split = match_workers.score_pairs_split(needs, need_vectors, offers, offer_vectors, NOW, matching._stored,
                                                index=index, processes=2)  # fmt: skip
    finally:
        stop.set()
        other.join()
    assert made == [] and split == alone
    monkeypatch.setenv("GIVEFIRST_MATCH_WORKERS", "1")
    assert match_workers.workers() == 1
    monkeypatch.setenv("GIVEFIRST_MATCH_WORKERS", "2")
    assert match_workers.workers(10 * match_workers.SPLIT_CELLS) == 2  # asked for: split whatever the size
    monkeypatch.delenv("GIVEFIRST_MATCH_WORKERS")
    assert match_workers.workers(match_workers.SPLIT_CELLS + 1) == 1  # too large to split unasked (memory)
    assert match_workers.workers(1000) == min(2, len(os.sched_getaffinity(0)))
    monkeypatch.setenv("GIVEFIRST_MATCH_WORKERS", "1")
    split = match_workers.score_pairs_split(needs, need_vectors, offers, offer_vectors, NOW, matching._stored,
                                            index=index)  # fmt: skip
    assert made == [] and split == alone


@pytest.mark.parametrize("processes", [1, 2])
def test_a_sink_takes_every_pair_block_by_block_and_nothing_is_kept(
    monkeypatch: pytest.MonkeyPatch, processes: int
) -> None:
    """`refresh` stores a full pass's pairs as they come (`sink`): every pair returned without one reaches it,
    once, in whole blocks each in its order (the child's blocks come between the parent's), several blocks and
    not one list at the end."""
    monkeypatch.setattr(match_engine, "BLOCK", SMALL_BLOCK)
    needs, need_vectors, offers, offer_vectors, index = _inputs(5)
    alone = matching._stored(score_pairs(needs, need_vectors, offers, offer_vectors, NOW, index=index))
    made = _forks(monkeypatch)
    blocks: list[list[Any]] = []
    kept = match_workers.score_pairs_split(needs, need_vectors, offers, offer_vectors, NOW, matching._stored,
                                           index=index, processes=processes, sink=blocks.append)  # fmt: skip
    assert kept == []
    assert sorted(pair for block in blocks for pair in block) == sorted(alone)
    for block in blocks:  # each block is a run of the one-process list
        if block:
            start = alone.index(block[0])
            assert alone[start : start + len(block)] == block
    if processes == 1:
        assert [pair for block in blocks for pair in block] == alone
    assert len(made) == (processes - 1)
    assert len([b for b in blocks if b]) > 2, "this process's blocks must reach the sink one by one"


@pytest.mark.parametrize("how", ["raises", "dies"])
@pytest.mark.parametrize("sink", [False, True])
def test_a_child_failing_part_way_leaves_the_blocks_it_took_to_the_parent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, how: str, sink: bool
) -> None:
    """The child sends two blocks, then fails (an exception, or it dies without a word) in its third: the
    parent keeps what it sent and scores the blocks it took and did not send, so every pair comes once."""
    monkeypatch.setattr(match_engine, "BLOCK", SMALL_BLOCK)
    needs, need_vectors, offers, offer_vectors, index = _inputs(11)
    alone = matching._stored(score_pairs(needs, need_vectors, offers, offer_vectors, NOW, index=index))
    parent, calls = os.getpid(), []
    assert len(needs) > 6 * SMALL_BLOCK, "the child must be able to take several blocks"
    failed = tmp_path / "failed"

    def convert(pairs: Any) -> Any:
        if os.getpid() != parent:
            calls.append(1)
            if len(calls) == 3:
                failed.touch()
                if how == "dies":
                    os._exit(3)
                raise RuntimeError("the child fails")
        else:
            time.sleep(0.05)  # a slow parent: the child takes its third block before the parent takes them all
        return matching._stored(pairs)

    made = _forks(monkeypatch)
    blocks: list[list[Any]] = []
    split = match_workers.score_pairs_split(needs, need_vectors, offers, offer_vectors, NOW, convert, index=index,
                                            processes=2, sink=blocks.append if sink else None)  # fmt: skip
    got = [pair for block in blocks for pair in block] if sink else split
    assert made == [1] and sorted(got) == sorted(alone) and len(got) == len(alone)
    assert failed.exists(), "the child must have failed part way"
    if not sink:
        assert split == alone


def test_the_blocks_are_taken_once_each_from_both_ends() -> None:
    claims = match_workers.Claims(7)
    front, back = claims.front(), claims.back()
    taken = [next(front), next(back), next(back), next(front), next(back)]
    assert taken == [0, 6, 5, 1, 4]
    assert list(front) == [2, 3] and list(back) == []
    assert claims.taken_from_back() == range(4, 7)
    claims.close()


def test_two_processes_take_every_block_once() -> None:
    """A forked child takes from the back while this process takes from the front: no block twice or missed."""
    claims = match_workers.Claims(200)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            with os.fdopen(write_end, "w") as out:
                out.write(" ".join(str(b) for b in claims.back()))
        finally:
            os._exit(0)
    os.close(write_end)
    mine = list(claims.front())
    with os.fdopen(read_end) as pipe:
        theirs = [int(b) for b in pipe.read().split()]
    os.waitpid(pid, 0)
    assert sorted(mine + theirs) == list(range(200))
    assert mine == sorted(mine) and theirs == sorted(theirs, reverse=True)
    assert claims.taken_from_back() == range(min(theirs, default=200), 200)
    claims.close()


def _network(app: App, seed: int) -> None:
    needs, offers = _random_network(seed)
    rng = random.Random(seed)
    people = [str(add_person(app, PersonInput(name=f"Person {k}", location=rng.choice(["Tampa, FL", "Austin, TX"]))))
              for k in range(12)]  # fmt: skip
    for kind, items in (("offer", offers[:30]), ("need", needs[:60])):
        for item in items:
            add_item(app, kind, people[item.person_id % len(people)], item.text, tags=item.tags,
                     location=item.location)  # fmt: skip


def _pairs(app: App) -> list[tuple[Any, ...]]:
    with app.begin() as conn:
        rows = conn.execute(select(match_suggestions.c.need_id, match_suggestions.c.offer_id,
                                   match_suggestions.c.score, match_suggestions.c.signals)
                            .order_by("need_id", "offer_id")).all()  # fmt: skip
    return [tuple(r) for r in rows]


def test_a_full_refresh_stores_the_same_on_two_processes(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(match_engine, "BLOCK", SMALL_BLOCK)
    twin = open_app(Settings(database=str(tmp_path / "twin.db"), today=NOW.date()), now=NOW)
    try:
        _network(app, 5)
        _network(twin, 5)
        made = _forks(monkeypatch)
        monkeypatch.setenv("GIVEFIRST_MATCH_WORKERS", "2")
        report = matching.rescore(app)
        assert made == [1] and report.needs_scored > 3 * SMALL_BLOCK
        monkeypatch.setenv("GIVEFIRST_MATCH_WORKERS", "1")
        matching.rescore(twin)
        assert made == [1]
        stored = _pairs(app)
        assert stored and stored == _pairs(twin)
        with app.begin() as conn:  # the connection still works after the child left
            assert conn.execute(select(match_suggestions.c.need_id)).first() is not None
    finally:
        twin.close()


def test_inserted_rows_are_those_replace_suggestions_stores(app: App, other_app: App) -> None:
    """The full pass's quicker insert stores what `replace_suggestions` stores, byte for byte on SQLite."""
    from sqlalchemy import text

    from givefirst.store import matching as store

    for application in (app, other_app):
        _network(application, 7)
    query = text("SELECT n.id AS need_id, o.id AS offer_id FROM needs n, offers o ORDER BY n.id DESC, o.id")
    with app.begin() as conn:
        pairs = [(int(r.need_id), int(r.offer_id)) for r in conn.execute(query)][:300]
    assert len(pairs) == 300
    rows = [(n, o, round(random.Random(n * 1000 + o).random(), 6), f'[["x",{n}.5,0.25,"é \\"{o}\\""]]')
            for n, o in pairs]  # fmt: skip
    twice = (*rows[0][:2], 0.5, "[]")  # a pair given twice: its first row is kept
    with app.begin() as conn:
        store.replace_suggestions(conn, need_ids=[n for n, _ in pairs], rows=[])
        store.insert_suggestions(conn, [*rows, twice], NOW)
    dicts = [{"need_id": n, "offer_id": o, "score": s, "signals": g, "computed_at": NOW} for n, o, s, g in rows]
    with other_app.begin() as conn:
        store.replace_suggestions(conn, need_ids=[n for n, _ in pairs], rows=dicts)
    assert _pairs(app) == _pairs(other_app)
    assert set(rows) <= set(_pairs(app)) and twice not in _pairs(app)
    if app.engine.dialect.name == "sqlite":
        raw = "SELECT need_id, offer_id, score, signals, computed_at, typeof(computed_at) FROM match_suggestions " \
              "ORDER BY rowid"  # fmt: skip
        with app.begin() as a, other_app.begin() as b:
            assert a.execute(text(raw)).all() == b.execute(text(raw)).all()


def test_halved_small_blocks_in_each_process_give_the_same_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each process uses half the cells per small block (memory): 64 needs a block where one process uses 128."""
    needs, need_vectors, offers, offer_vectors, index = _inputs(20)
    for seed in (21, 22):
        more, more_vectors, *_ = _inputs(seed)
        needs, need_vectors = needs + more, np.vstack([need_vectors, more_vectors])
    monkeypatch.setattr(match_engine, "BLOCK", 128)
    monkeypatch.setattr(match_engine, "CELLS", 128 * len(offers))
    assert len(needs) > 2 * 128
    alone = matching._stored(score_pairs(needs, need_vectors, offers, offer_vectors, NOW, index=index))
    made = _forks(monkeypatch)
    split = match_workers.score_pairs_split(
        needs, need_vectors, offers, offer_vectors, NOW, matching._stored, index=index, processes=2
    )
    assert made == [1] and split == alone
