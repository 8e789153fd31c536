"""The quick path of adding one need: the same tokens, table, BM25 scores and stored pairs as the general way."""

from __future__ import annotations

import marshal
import random
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select, update

from givefirst.config import Settings
from givefirst.domain.match_lexical import LexicalIndex
from givefirst.services import embedding, matching
from givefirst.services.context import App, open_app
from givefirst.services.needs import add_item
from givefirst.services.people import PersonInput, add_person
from givefirst.store import matching as store
from givefirst.store.schema import match_marks, match_suggestions, offers
from tests.conftest import NOW

TEXTS = [
    "Looking for a fractional CFO who knows logistics, Tampa or remote",
    "We're hiring SREs, Miami office, onsite",
    "",
    " ",
    "  two  spaces and a trailing one ",
    "Émigré café naïve — “quotes” 日本語 テスト 🚀🎉 ü",
    "tab\there\nnewline\r\n",
    "\u2581already a word marker",
    "C++/C#, .NET; node.js & TypeScript (100%) — $5k/mo?",
    "👩‍💻 dev · Ωμέγα Привет мир مرحبا 한국어 हिन्दी",
    "\x00\x01 control characters",
    "a" * 300,
    "antidisestablishmentarianism supercalifragilistic",
]


def test_a_few_texts_are_tokenised_exactly_as_the_tokenizers_library_does(app: App) -> None:
    alphabet = "abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789.,;:!?-—'\"()éüñ日本🚀\t"
    rnd = random.Random(4)
    texts = TEXTS + ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 120))) for _ in range(500)]
    library = embedding.load_tokenizer()
    with app.begin() as conn:
        merges = embedding._merges(conn)  # built from the tokenizer file, then cached
        assert store.vector_count(conn, embedding.BPE_MODEL) == 1
        assert embedding._merges(conn).pairs == merges.pairs  # read back from the cache
    for text in texts:
        assert embedding._bpe(text, merges) == library.encode(text, add_special_tokens=False).ids, text
    with app.begin() as conn:  # a special token's text is left to the library
        assert embedding._few_token_ids(conn, ["a <s> b"]) is None
        assert embedding._few_token_ids(conn, ["x"] * (embedding.FEW + 1)) is None


def test_vectors_of_a_few_texts_are_the_library_path_s(app: App) -> None:
    texts = [t for t in TEXTS if t.strip()]
    with app.begin() as conn:
        few, embedded = embedding.vectors_for(conn, texts)
    assert embedded == len(texts)
    assert np.array_equal(few, embedding.embed(texts))


def test_the_mapped_table_is_the_shipped_one() -> None:
    from safetensors.numpy import load_file

    shipped = load_file(str(embedding.model_files()[0]))["embedding.weight"]
    table = embedding.load_table()
    assert table.dtype == shipped.dtype and np.array_equal(np.asarray(table), shipped)


def test_the_lexical_index_scores_as_bm25s_and_reads_back_the_same() -> None:
    import bm25s  # type: ignore[import-untyped]

    docs = [["data", "engineer", "tampa"], ["cfo", "logistics"], [], ["data", "data", "spark"], ["realtor", "tampa"]]
    index = LexicalIndex(docs)
    loaded = LexicalIndex.load(index.dump())
    theirs = bm25s.BM25()
    theirs.index([d or ["∅"] for d in docs], show_progress=False)
    for query in (["data", "tampa"], ["data", "data", "nothing"], ["cfo"], ["unknown"], []):
        known = [t for t in query if t in theirs.vocab_dict and index.doc_freq(t)]
        expected = np.zeros(len(docs), dtype=np.float32)
        if known:
            ceiling = sum(index.idf(t) for t in set(query))
            raw = np.asarray(theirs.get_scores(known), dtype=np.float32)
            expected = np.sqrt(np.clip(raw / np.float32(ceiling), 0.0, 1.0))
        assert np.array_equal(index.scores(query), expected), query
        assert np.array_equal(loaded.scores(query), expected), query
    assert [loaded.doc_freq(t) for t in ("data", "tampa", "", "∅", "nope")] == [2, 2, 0, 1, 0]
    queries = [["data", "tampa"], ["tampa", "data", "data"], [], ["nothing"], ["realtor", "cfo", "spark"]]
    for columns in ([0], [4], [3, 0], [2]):
        expected_rows = np.vstack([index.scores(q)[columns] for q in queries])
        assert np.array_equal(loaded.scores_at(queries, columns), expected_rows), columns


def _network(app: App) -> dict[str, int]:
    def person(name: str, location: str) -> str:
        return str(add_person(app, PersonInput(name=name, location=location)))

    dana, sam, kim = person("Dana Lee", "Brooklyn, NY"), person("Sam Ortiz", "Tampa, FL"), person("Kim Park", "Tampa")
    add_item(app, "offer", sam, "I'm hiring a data engineer for my analytics team in Tampa — Python")
    add_item(app, "offer", kim, "Data engineer (Python, Spark) — open to full-time roles in Tampa")
    add_item(app, "offer", kim, "Happy to review résumés for data people")
    add_item(app, "need", sam, "Looking for a realtor to help a new hire relocate to Tampa")
    matching.rescore(app)  # a full pass: the offers' index and vectors are cached, the corpus is known
    return {"dana": int(dana), "sam": int(sam), "kim": int(kim)}


def _stored(app: App) -> tuple[list[Any], list[Any]]:
    with app.begin() as conn:
        pairs = conn.execute(select(match_suggestions).order_by("need_id", "offer_id")).all()
        marks = conn.execute(select(match_marks.c.kind, match_marks.c.item_id, match_marks.c.fingerprint)
                             .where(match_marks.c.kind != matching.STAMP)  # what the offers were checked at
                             .order_by("kind", "item_id")).all()  # fmt: skip
    return [tuple(r) for r in pairs], [tuple(r) for r in marks]


@pytest.fixture
def twin(tmp_path: Path) -> Any:
    """A second database, built the same way, whose refresh always takes the general path."""
    other = open_app(Settings(database=str(tmp_path / "twin.db"), today=NOW.date()), now=NOW)
    yield other
    other.close()


@pytest.mark.parametrize("offer_changed_outside", [False, True])
@pytest.mark.parametrize("one_offer_expired", [False, True])
def test_adding_a_need_stores_what_the_general_refresh_stores(
    app: App, twin: App, monkeypatch: pytest.MonkeyPatch, offer_changed_outside: bool, one_offer_expired: bool
) -> None:
    people = _network(app)
    assert _network(twin) == people
    for application in (app, twin):
        with application.begin() as conn:
            if offer_changed_outside:  # as a merge or an import would: the quick path must not be taken
                conn.execute(update(offers).where(offers.c.id == 3).values(text="Hiring a Spark engineer in Tampa"))
            if one_offer_expired:  # (no part of what was scored: a need is scored against the live offers only)
                conn.execute(update(offers).where(offers.c.id == 2).values(expires_on=NOW.date() - timedelta(days=1)))
    quick = []
    general = matching._refresh_need

    def spy(conn: Any, application: App, need_id: int) -> Any:
        report = general(conn, application, need_id) if application is app else None
        quick.append(report is not None)
        return report

    monkeypatch.setattr(matching, "_refresh_need", spy)
    dana = str(people["dana"])
    added = []
    for text in ("Data engineer moving to Tampa — looking for my next data engineering role (Python, Spark)",
                 "Looking for someone to review my résumé"):  # fmt: skip
        added.append(add_item(app, "need", dana, text))
        assert add_item(twin, "need", dana, text) == added[-1]
    # a changed offer sends the first addition the general way, which scores that offer too; then all is quick
    assert quick == [not offer_changed_outside, False, True, False]
    assert _stored(app) == _stored(twin)
    best = matching.for_need(app, added[0], min_score=0.0)
    assert best and best[0].offer.person_id == people["sam"]


def test_a_new_offer_s_index_reuses_the_others_words_and_vectors_and_is_the_same(app: App) -> None:
    people = _network(app)
    add_item(app, "offer", str(people["sam"]), "Spare ticket to a data engineering conference in Tampa")
    models = (matching.INDEX_MODEL, matching.OFFER_VECTORS, matching.OFFER_TOKENS)
    with app.begin() as conn:
        reused = [store.any_vector(conn, m) for m in models]
        assert all(reused)
        records = store.all_open_items(conn, "offer")
        for model in models:
            store.delete_vectors(conn, model)
        _, _, embedded = matching._offer_index(conn, records, [matching.fingerprint(r) for r in records])
        assert embedded == 0  # every text's vector is cached
        rebuilt = [store.any_vector(conn, m) for m in models]
    assert rebuilt[:2] == reused[:2]  # built from scratch: the same index and vectors, byte for byte
    assert rebuilt[2] is not None and reused[2] is not None
    assert marshal.loads(rebuilt[2]) == marshal.loads(reused[2])  # and the same words


def test_offers_read_ahead_in_one_query_are_the_offers_read_one_by_one(app: App) -> None:
    from givefirst.services.match_offers import OfferItems

    _network(app)
    with app.begin() as conn:
        ids = [int(r[0]) for r in store.open_item_fields(conn, "offer")]
        one_by_one = OfferItems(conn, ids)
        ahead = OfferItems(conn, ids)
        wanted = list(range(0, len(ids), 2))
        ahead.read_ahead(wanted)
        assert sorted(ahead.made) == wanted  # read, and only these
        for j in range(len(ids)):
            assert ahead[j].record == one_by_one[j].record
