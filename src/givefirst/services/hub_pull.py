"""What a sync brings from a hub into the personal app (the board, the chapter's events, hub introductions).

Being written (issue 16): `pull` is called by services/hub_sync.py after the outbox is pushed.
"""

from __future__ import annotations

from givefirst.services.context import App
from givefirst.services.hub_client import HubClient
from givefirst.store.hub_links import HubLink


def pull(app: App, link: HubLink, client: HubClient) -> list[str]:
    """Bring what the hub holds for this member into the local database; return lines for the sync's report."""
    return []
