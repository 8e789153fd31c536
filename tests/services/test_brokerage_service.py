"""Stats' brokerage on a real database: the same figures whether the edge cache is fresh, stale or absent."""

from __future__ import annotations

from datetime import timedelta

from givefirst.domain.brokerage import ego_brokerage
from givefirst.domain.model import InteractionKind
from givefirst.services.activity import log_interaction
from givefirst.services.context import App
from givefirst.services.graph import contact_edges, load_ego_network, load_network
from givefirst.services.health import EGO_SIZE, MIN_STRENGTH, brokerage
from givefirst.services.links import link
from givefirst.services.people import PersonInput, add_person, set_me
from givefirst.store import graph as graph_store
from tests.conftest import NOW


def _network(app: App) -> list[str]:
    set_me(app, PersonInput(name="Jordan Reyes", emails=["jordan@reyes.example"]))
    names = []
    for i in range(12):
        org = "Acme" if i % 3 == 0 else ("Birch" if i % 3 == 1 else None)
        name = f"Person {i:02d}"
        add_person(app, PersonInput(name=name, emails=[f"p{i}@mail{i % 2}.example"], organization=org))
        names.append(name)
    for i, name in enumerate(names):
        for day in range(1, 2 + i * 3, 5):
            log_interaction(app, [name], kind=InteractionKind.CALL, at=NOW - timedelta(days=day))
    log_interaction(app, names[:3], kind=InteractionKind.MEETING, at=NOW - timedelta(days=4))
    log_interaction(app, [names[4], names[7], names[9]], kind=InteractionKind.MEETING, at=NOW - timedelta(days=40))
    log_interaction(app, names, kind=InteractionKind.EVENT, at=NOW - timedelta(days=10))  # too many to count
    link(app, names[1], names[11], "friend")
    return names


def test_brokerage_is_the_same_on_a_stale_and_a_fresh_edge_cache(app: App) -> None:
    names = _network(app)
    with app.begin() as conn:
        stale = brokerage(conn, app)  # no cache yet: the edges among the ego network are computed on the spot
        assert graph_store.cache_mark(conn) is None  # and the whole graph is not rebuilt for it
        net = load_network(conn, app)  # builds the cache
        members = sorted(net.user_strength, key=lambda p: -net.user_strength[p])[:EGO_SIZE]
        members = [p for p in members if net.user_strength[p] >= MIN_STRENGTH]
        whole = ego_brokerage(net.me, members, net.edges)
        fresh = brokerage(conn, app)
    assert stale == fresh
    assert stale["contacts"] == whole.contacts == len(names)
    assert stale["edges_among"] == whole.ties_among > 0
    assert stale["constraint"] == round(whole.constraint or 0, 4)


def test_edges_among_a_few_are_those_of_the_whole_graph(app: App) -> None:
    names = _network(app)
    with app.begin() as conn:
        whole = {(a, b): p for a, b, p, _ in contact_edges(conn, app.now)}
        _, members = load_ego_network(conn, app, 5, 0.0)
        few = {(a, b): p for a, b, p, _ in contact_edges(conn, app.now, among=members)}
    keep = set(members)
    assert len(members) == 5 and len(names) > 5
    assert few == {pair: p for pair, p in whole.items() if pair[0] in keep and pair[1] in keep}


def test_no_ties_no_brokerage(app: App) -> None:
    set_me(app, PersonInput(name="Jordan Reyes"))
    with app.begin() as conn:
        assert brokerage(conn, app)["contacts"] == 0


def test_addresses_at_many_domains_are_read_by_their_domain(app: App) -> None:
    """The domain list the database compares with finds every address there, an odd one with two "@" too."""
    set_me(app, PersonInput(name="Jordan Reyes", emails=["jordan@acme.example"]))
    add_person(app, PersonInput(name="Ada", emails=["ada@acme.example", "ada@mail.example"]))
    add_person(app, PersonInput(name="Ben", emails=["ben@birch.example"]))
    add_person(app, PersonInput(name="Cy", emails=["cy@sub.acme.example"]))
    odd = add_person(app, PersonInput(name="Odd"))
    with app.begin() as conn:
        conn.execute(graph_store.identities.insert().values(person_id=odd, kind="email", value='"a@b"@acme.example'))
        found = graph_store.email_addresses(conn, at={"acme.example", "birch.example"})
        everyone = graph_store.email_addresses(conn)
    wanted = {"acme.example", "birch.example"}
    exact = sorted((p, a) for p, a in everyone if a.rpartition("@")[2] in wanted)
    assert sorted(p_a for p_a in found if p_a[1].rpartition("@")[2] in wanted) == exact
    assert sorted(a for _, a in exact) == ['"a@b"@acme.example', "ada@acme.example", "ben@birch.example"]
