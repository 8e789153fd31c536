"""The hub's pure rules: no I/O, no globals; "now" is passed in."""
