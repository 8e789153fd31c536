"""Taking back what a plan action wrote (Done or Snooze, undone from the page): each row it added or changed."""

from __future__ import annotations

from sqlalchemy import Connection, delete, update

from givefirst.store.schema import events, exchanges, interaction_people, interactions, plan_actions, snoozes


def delete_interaction(conn: Connection, interaction_id: int) -> None:
    conn.execute(delete(interaction_people).where(interaction_people.c.interaction_id == interaction_id))
    conn.execute(delete(interactions).where(interactions.c.id == interaction_id))


def delete_exchange(conn: Connection, exchange_id: int) -> None:
    conn.execute(delete(exchanges).where(exchanges.c.id == exchange_id))


def set_exchange_status(conn: Connection, exchange_id: int, status: str) -> None:
    conn.execute(update(exchanges).where(exchanges.c.id == exchange_id).values(status=status, completed_at=None))


def reopen_follow_up(conn: Connection, interaction_id: int) -> None:
    conn.execute(update(interactions).where(interactions.c.id == interaction_id).values(follow_up_done=False))


def plan_again(conn: Connection, interaction_id: int) -> None:
    conn.execute(update(interactions).where(interactions.c.id == interaction_id).values(planned=True))


def set_rsvp(conn: Connection, event_id: int, rsvp: str) -> None:
    conn.execute(update(events).where(events.c.id == event_id).values(rsvp=rsvp))


def delete_snooze(conn: Connection, snooze_id: int) -> None:
    conn.execute(delete(snoozes).where(snoozes.c.id == snooze_id))


def delete_action(conn: Connection, action_id: int) -> None:
    conn.execute(delete(plan_actions).where(plan_actions.c.id == action_id))
