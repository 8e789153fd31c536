"""The hub's use cases: each takes a `Hub` (engine, clock, settings) and the member acting."""
