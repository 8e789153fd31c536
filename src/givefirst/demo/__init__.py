"""The embedded demo network: a deterministic scenario, written as plain records."""
