"""Pure domain: entities and scores. No I/O, no globals; "now" and weights are passed in."""
