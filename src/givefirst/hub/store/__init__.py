"""The hub's database: its schema, its migrations and every SQL query the hub runs."""
