"""Adding, editing and finding people through the services, on a real database."""

from __future__ import annotations

import pytest

from givefirst.errors import AmbiguousError, InvalidInputError, NotFoundError
from givefirst.services.context import App
from givefirst.services.network import list_people, profile
from givefirst.services.people import PersonInput, add_person, edit_person, resolve_person, set_me


def test_resolve_by_id_email_and_name(app: App) -> None:
    a = add_person(app, PersonInput(name="Priya Shah", emails=["Priya@Acme.example"]))
    b = add_person(app, PersonInput(name="Priya Patel"))
    with app.begin() as conn:
        assert resolve_person(conn, app, str(a)) == a
        assert resolve_person(conn, app, f"#{b}") == b
        assert resolve_person(conn, app, "PRIYA@acme.example") == a
        assert resolve_person(conn, app, "priya shah") == a
        assert resolve_person(conn, app, "patel") == b
        with pytest.raises(AmbiguousError, match="matches 2 people"):
            resolve_person(conn, app, "Priya")
        with pytest.raises(NotFoundError):
            resolve_person(conn, app, "Nobody")
        with pytest.raises(NotFoundError, match="no person with id 999"):
            resolve_person(conn, app, "999")


def test_an_exact_name_wins_over_partial_matches(app: App) -> None:
    ana = add_person(app, PersonInput(name="Ana Ruiz"))
    add_person(app, PersonInput(name="Ana Ruiz-Castillo"))
    with app.begin() as conn:
        assert resolve_person(conn, app, "ana ruiz") == ana


def test_a_failed_add_writes_nothing(app: App) -> None:
    add_person(app, PersonInput(name="Ana Ruiz", emails=["ana@x.example"]))
    with pytest.raises(InvalidInputError, match="already belongs"):
        add_person(app, PersonInput(name="Someone Else", emails=["new@x.example", "ana@x.example"]))
    names = [r.name for r in list_people(app)]
    assert names == ["Ana Ruiz"]
    with app.begin() as conn, pytest.raises(NotFoundError):
        resolve_person(conn, app, "new@x.example")


def test_edit_overrides_and_tags(app: App) -> None:
    pid = add_person(app, PersonInput(name="Ben Cho", tags=["AOP NY, client"]))
    edit_person(app, "Ben Cho", PersonInput(tier="close", cadence_days=21, strength=0.8, tags=["mentor"]),
                remove_tags=["client"])  # fmt: skip
    p = profile(app, str(pid))
    assert p.tags == ["aop-ny", "mentor"]
    assert p.relationship.tier.value == "close" and p.relationship.tier_overridden
    assert p.relationship.due.cadence_days == 21
    assert p.relationship.strength.score == pytest.approx(0.8)
    edit_person(app, "Ben Cho", PersonInput(tier="auto", cadence_days=0, strength=-1))
    p = profile(app, str(pid))
    assert not p.relationship.tier_overridden and p.relationship.strength.score == 0.0


def test_me_is_a_person(app: App) -> None:
    me = set_me(app, PersonInput(name="Jordan Reyes", emails=["jordan@reyes.example"]))
    with app.begin() as conn:
        assert resolve_person(conn, app, "me") == me
    assert profile(app, "me").is_me
    assert [r.name for r in list_people(app)] == []  # the user is not in their own people list
