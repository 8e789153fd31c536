"""The chapter's needs in the plan: the needs pulled from a hub's board scored, with the personal app's matching
engine and its calibrated threshold, against the user's own open offers and their contacts' open offers.

Everything here is local. Acting on one (`givefirst done chapter:N:M`) sends the hub only an offer of help with
that need and the user's message (a neutral one by default): never a contact's name, offer or id, nor the text
of an offer the user did not publish.
"""

from __future__ import annotations

from collections.abc import MutableMapping

from sqlalchemy import Connection

from givefirst.domain.model import ExchangeDirection, ExchangeKind, ExchangeStatus, NeedOrOffer
from givefirst.domain.plan_model import CHAPTER_MESSAGE, ChapterGive, PersonView
from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.services.context import App
from givefirst.store import hub_board
from givefirst.store import needs as needs_store

PER_NEED = 3  # offers kept per chapter need: the plan shows one, and a contact once a day


def _need(row: object) -> NeedOrOffer:
    r = row  # a row of hub_board.open_needs
    tags = tuple(t for t in str(r.tags).split(",") if t)  # type: ignore[attr-defined]
    # A hub member is no local person: a negative id keeps the engine's same-person rule from ever firing.
    return NeedOrOffer(int(r.id), -int(r.id), str(r.text), tags, r.location, r.created_at)  # type: ignore[attr-defined]


def chapter_gives(conn: Connection, app: App, people: MutableMapping[int, PersonView]) -> list[ChapterGive]:
    """Return the pulled chapter needs the user's or a contact's open offer meets (at or above the threshold).

    `people`: the plan's snapshot of the network. Only the offers of the user and of the contacts they know well
    enough to broker are scored (the plan would drop the others): the engine's exact scoring is what costs.
    """
    rows = hub_board.open_needs(conn)
    if not rows:
        return []  # no hub joined, or nothing on its board: no engine to load
    from givefirst.domain.strength import strength_score

    me, floor = app.me(conn), app.plan_settings.broker_min_strength
    every_offer = needs_store.open_items(conn, "offer", app.now.date())
    _complete(conn, app, people, {o.person_id for o in every_offer} - {me})
    brokers = {pid for pid, p in people.items()
               if strength_score(p.stats, app.now, app.weights, p.strength_override) >= floor}  # fmt: skip
    offers = [o for o in every_offer if o.person_id == me or o.person_id in brokers]
    if not offers:
        return []
    from givefirst.domain.match_engine import read_item, score_pairs, topic_text
    from givefirst.services.embedding import vectors_for

    needs = [_need(r) for r in rows]
    need_vectors, _ = vectors_for(conn, [topic_text(n) for n in needs])
    offer_vectors, _ = vectors_for(conn, [topic_text(o) for o in offers])  # cached: the engine embedded them
    scored = score_pairs([read_item(n) for n in needs], need_vectors, [read_item(o) for o in offers], offer_vectors,
                         app.now, per_item=PER_NEED)  # fmt: skip
    threshold = app.plan_settings.match_threshold
    return [
        ChapterGive(
            int(rows[i].id),
            str(rows[i].chapter),
            str(rows[i].member_name),
            str(rows[i].text),
            offers[j],
            s.score,
            rows[i].last_error,
        )
        for i, j, s in scored
        if s.score >= threshold
    ]


def _complete(conn: Connection, app: App, people: MutableMapping[int, PersonView], wanted: set[int]) -> None:
    """Add to `people` the offerers the plan's shortlist left out (the plan reads only whom it can use)."""
    missing = wanted - people.keys()
    if not missing:
        return
    from givefirst.services.plan_shortlist import person_view
    from givefirst.store.stats import relationship_rows_of

    for r in relationship_rows_of(conn, missing):
        people[int(r.id)] = person_view(r, app.now)


def act(app: App, key: str, board_id: int, offer_id: int, note: str = "") -> tuple[str, int | None]:
    """Offer help with a chapter need on the hub; with a contact's offer, promise here to connect them.

    Returns (what was done, the contact's id or None). The hub first: when it does not answer, nothing is
    recorded and the item stays in the plan (HubUnreachable says so).
    """
    from givefirst.services import hub_intros
    from givefirst.services.hub_membership import open_client
    from givefirst.services.ledger import record_in
    from givefirst.store import hub_links, plan_state
    from givefirst.store import people as people_store

    with app.begin() as conn:
        row = hub_board.board_item(conn, board_id)
        if row is None or row.kind != "need":
            raise NotFoundError(f"no chapter need {board_id}: it left the hub's board (run givefirst hub sync)")
        if row.offered_at is not None:
            raise InvalidInputError(f"you already offered help with chapter need {board_id}")
        offer = needs_store.item_row(conn, "offer", offer_id)
        if offer is None or offer.status != "open":
            raise NotFoundError(f"no open offer {offer_id}")
        contact = None if int(offer.person_id) == app.me(conn) else int(offer.person_id)
        link = hub_links.link_by_name(conn, str(row.hub_name))
        assert link is not None  # the board row cascades with its hub
    message = note.strip() or CHAPTER_MESSAGE  # the user's words only: no contact, no unpublished offer
    with open_client(link) as client:
        intro = client.offer_help(str(row.public_id), message)
    chapter = f"{row.chapter} chapter" if row.chapter else link.name
    with app.begin() as conn:
        hub_board.mark_offered(conn, board_id, app.now)
        hub_intros.record_intro(conn, app, link, intro)
        said = f"Offered your help to {row.member_name} ({chapter}) on the hub: “{row.text}”"
        if contact is not None:
            name = str(people_store.person_row(conn, contact).name)
            record_in(conn, app, contact, ExchangeDirection.GAVE,
                      f"Connect {name} with {row.member_name} ({chapter}), who needs: {row.text}",
                      kind=ExchangeKind.INTRODUCTION, status=ExchangeStatus.PROMISED)  # fmt: skip
            said += f"; promised to connect {name} (not named to the hub)"
        plan_state.record_action(conn, item_key=key, kind="chapter", action="done", person_id=contact, at=app.now)
    return said, contact
