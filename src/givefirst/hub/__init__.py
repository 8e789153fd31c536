"""givefirst hub: one association's chapters and members giving first together, on a shared server.

The same layers as the personal app, inside this package: `domain` (pure rules: who may see what, regions,
roles) ← `store` (the hub's own schema, migrations and every SQL query) ← `services` (use cases, reusing the
personal app's matching engine and domain rules) ← `web` (pages and the JSON API) and `givefirst.cli.hub_cmds`.
The hub never reads or writes a personal database, and a personal database never holds hub tables.
"""
