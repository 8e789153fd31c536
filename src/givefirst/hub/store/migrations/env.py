"""Alembic environment of the hub: migrations run on a connection handed over by `givefirst.hub.store.migrate`."""

from __future__ import annotations

from alembic import context

from givefirst.hub.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run hub migrations through givefirst.hub.store.migrate.upgrade")
context.configure(
    connection=connection, target_metadata=metadata, render_as_batch=True, version_table="hub_alembic_version"
)
with context.begin_transaction():
    context.run_migrations()
