"""`givefirst hub sync`: for each joined hub, push the outbox (what the user published, edited or closed here),
then bring back what the hub holds for the member (services/hub_pull.py). A hub that does not answer is reported
and skipped: it never blocks the others, nor the local app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from givefirst.errors import NotFoundError
from givefirst.services import credentials, hub_membership, hub_publish, hub_pull
from givefirst.services.context import App
from givefirst.services.hub_client import HubRefused, HubUnreachable
from givefirst.store import hub_links as links_store


@dataclass
class HubSynced:
    name: str
    ok: bool
    lines: list[str] = field(default_factory=list)
    error: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"hub": self.name, "ok": self.ok, "lines": self.lines, "error": self.error}


def sync(app: App, name: str | None = None, progress: Callable[[str], None] | None = None) -> list[HubSynced]:
    """Sync every joined hub (or the one named); return what each did."""
    say = progress or (lambda _line: None)
    with app.begin() as conn:
        links = links_store.all_links(conn)
    if name is not None:
        links = [link for link in links if link.name == name]
        if not links:
            raise NotFoundError(f"no joined hub is named {name!r} (givefirst hub status lists them)")
    results: list[HubSynced] = []
    for link in links:
        done = HubSynced(link.name, ok=False)
        say(f"{link.name}: syncing with {link.url}")
        try:
            with hub_membership.open_client(link) as client:
                pushed = hub_publish.push_outbox(app, link, client)
                for line in pushed:
                    say(line)
                pulled = hub_pull.pull(app, link, client)
                for line in pulled:
                    say(f"{link.name}: {line}")
                done.lines = [*pushed, *pulled]
            with app.begin() as conn:
                links_store.mark_synced(conn, link.id, app.now)
            done.ok = True
            say(f"{link.name}: done")
        except (HubUnreachable, HubRefused, credentials.CredentialError) as exc:
            why = str(exc)
            if isinstance(exc, HubRefused) and exc.status == 401:
                why += f" (then: givefirst hub leave {link.name} --keep-published, and join again with the new token)"
            done.error = why
            with app.begin() as conn:
                links_store.mark_failed(conn, link.id, why)
                links_store.add_report(conn, link.id, "error", why, app.now)
            say(f"{link.name}: skipped, {why}")
        results.append(done)
    return results
