"""Merging two records of one person keeps all history, and undoing it restores both exactly."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from givefirst.domain.model import ExchangeDirection, ExchangeKind, InteractionKind
from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.services import merging
from givefirst.services.activity import log_interaction
from givefirst.services.context import App
from givefirst.services.ledger import record
from givefirst.services.needs import add_item
from givefirst.services.network import list_people, profile
from givefirst.services.people import PersonInput, add_person, resolve_person
from givefirst.store.schema import metadata

NOW = datetime(2026, 11, 25, 12)


def two_records_of_ana(app: App) -> tuple[int, int]:
    a = add_person(app, PersonInput(name="Ana Ruiz", emails=["ana@acme.example"], organization="Acme", tags=["aop"]))
    b = add_person(app, PersonInput(name="Ana Ruiz-Castillo", emails=["ana.ruiz@gmail.example"],
                                    location="Tampa, FL", tags=["friend"]))  # fmt: skip
    c = add_person(app, PersonInput(name="Ben Cho", introduced_by=str(b)))
    log_interaction(app, [str(a)], kind=InteractionKind.MEETING, at=NOW - timedelta(days=40))
    log_interaction(app, [str(b)], kind=InteractionKind.CALL, at=NOW - timedelta(days=10))
    log_interaction(app, [str(a), str(b), str(c)], kind=InteractionKind.EVENT, at=NOW - timedelta(days=5))
    record(app, str(b), ExchangeDirection.GAVE, "intro to a CFO", kind=ExchangeKind.INTRODUCTION)
    add_item(app, "need", str(b), "Looking for a warehouse in Tampa")
    return a, b


def snapshot(app: App) -> dict[str, list[dict[str, object]]]:
    """Every row of every table, except the merge log itself and what is recomputed or timestamped."""
    tables: dict[str, list[dict[str, object]]] = {}
    with app.begin() as conn:
        for table in metadata.sorted_tables:
            if table.name in ("merges", "merge_candidates", "tie_stats"):
                continue
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).mappings().all()
            if table.name == "data_versions":  # counters of writes only grow: merging and undoing are two writes
                rows = [{"name": r["name"]} for r in rows]
            if table.name == "match_marks":  # "nothing unscored at these versions": a cache of a question
                rows = [r for r in rows if r["kind"] != "fresh"]
            tables[table.name] = [{k: v for k, v in r.items() if k != "updated_at"} for r in rows]
    return tables


def test_merge_folds_everything_in_and_unmerge_restores_it(app: App) -> None:
    a, b = two_records_of_ana(app)
    before = snapshot(app)
    outcome = merging.merge_people(app, str(a), str(b))
    kept = profile(app, str(a))
    assert {v for k, v, _ in kept.identities if k == "email"} == {"ana@acme.example", "ana.ruiz@gmail.example"}
    assert kept.tags == ["aop", "friend"]
    assert kept.relationship.location == "Tampa, FL"  # filled in from the merged record
    assert kept.relationship.stats.touches == 3  # the shared event counts once
    assert [e["description"] for e in kept.ledger] == ["intro to a CFO"]
    assert [n["text"] for n in kept.needs] == ["Looking for a warehouse in Tampa"]
    assert [r.name for r in list_people(app)] == ["Ana Ruiz", "Ben Cho"]
    with app.begin() as conn:
        assert resolve_person(conn, app, "ana.ruiz@gmail.example") == a
        assert resolve_person(conn, app, str(b)) == a  # an old id leads to where they went
        assert profile(app, "Ben Cho").introduced_by == "Ana Ruiz"
    assert [m["id"] for m in merging.list_merges(app)] == [outcome.merge_id]

    merging.unmerge(app, outcome.merge_id)
    assert snapshot(app) == before
    assert merging.list_merges(app) == []
    with pytest.raises(InvalidInputError, match="already undone"):
        merging.unmerge(app, outcome.merge_id)


def test_a_later_merge_must_be_undone_first(app: App) -> None:
    a, b = two_records_of_ana(app)
    c = add_person(app, PersonInput(name="A. Ruiz"))
    first = merging.merge_people(app, str(a), str(b))
    second = merging.merge_people(app, str(a), str(c))
    with pytest.raises(InvalidInputError, match=f"undo the later merge {second.merge_id} first"):
        merging.unmerge(app, first.merge_id)
    merging.unmerge(app, second.merge_id)
    merging.unmerge(app, first.merge_id)
    assert len(list_people(app)) == 4


def test_the_user_always_survives_a_merge(app: App) -> None:
    other = add_person(app, PersonInput(name="Jordan R.", emails=["jordan@old.example"]))
    outcome = merging.merge_people(app, str(other), "me")
    with app.begin() as conn:
        assert resolve_person(conn, app, "jordan@old.example") == app.me(conn)
    assert outcome.merge_id > 0


def test_lookalikes_are_proposed_never_merged_and_can_be_rejected(app: App) -> None:
    a = add_person(app, PersonInput(name="Katherine Johnson", organization="NASA"))
    b = add_person(app, PersonInput(name="Katherine Jonson", organization="NASA"))
    add_person(app, PersonInput(name="Dorothy Vaughan"))
    d = add_person(app, PersonInput(name="Jon Katherine Smith"))
    with app.begin() as conn:
        assert merging.propose_lookalikes(conn, app) == 1
        assert merging.propose_lookalikes(conn, app) == 0  # a pair is proposed once
    pending = merging.lookalikes(app)
    assert [(c["first"]["id"], c["second"]["id"]) for c in pending] == [(a, b)]
    assert "both at nasa" in pending[0]["reasons"]
    assert len(list_people(app)) == 4  # nothing merged silently
    merging.decide(app, pending[0]["id"], accept=False)
    assert merging.lookalikes(app) == []
    with pytest.raises(NotFoundError):
        merging.decide(app, pending[0]["id"], accept=True)
    assert d > 0
