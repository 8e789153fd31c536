"""The hub's web pages and JSON API (`create_hub_app`)."""
