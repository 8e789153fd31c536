"""Use cases: what a user can do with givefirst. The CLI and the web call these and nothing below them."""
