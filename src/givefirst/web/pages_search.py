"""The search opened from any page with `/` or Ctrl/Cmd-K (issue 12): people, through the People page's own search
(same service, same read cache), and a fixed list of the app's pages and commands.

`static/search.js` draws it; this module only answers what matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Query, Request

from givefirst.web.pages_people import PeopleQuery, people_data

router = APIRouter()

MAX_PEOPLE = 8


@dataclass(frozen=True)
class Command:
    label: str
    url: str
    words: str  # other words someone may type for it

    def matches(self, terms: list[str]) -> bool:
        haystack = f"{self.label} {self.words}".lower()
        return all(t in haystack for t in terms)


COMMANDS = (
    Command("Today", "/today", "plan due done snooze home"),
    Command("People", "/people", "contacts list filter tag"),
    Command("Add someone", "/people/new", "new person contact create"),
    Command("Connect", "/connect", "introductions match board suggest"),
    Command("Events", "/events", "meetings calendar rsvp"),
    Command("Add an event", "/start#event", "new event meeting"),
    Command("Event mode", "/live", "live phone chapter meeting check in"),
    Command("Quick capture", "/capture", "met someone new person phone"),
    Command("My card", "/card", "qr vcard share contact"),
    Command("Network", "/network", "graph picture map"),
    Command("Stats", "/stats", "dunbar charts numbers balance"),
    Command("Warm paths", "/paths", "path reach organization place role"),
    Command("Import", "/import", "upload linkedin vcard csv mbox calendar"),
    Command("Review look-alikes", "/import/merges", "merge duplicates same person"),
    Command("Get started", "/start", "setup first run me goal chapter"),
)


def search_data(request: Request, q: str) -> dict[str, Any]:
    """Return the people whose name, title, notes or email hold the text (strongest ties first) and the commands
    whose name or words hold every word of it. No text: every command, no people."""
    terms = q.lower().split()
    people: list[dict[str, Any]] = []
    if terms:
        found = people_data(request, PeopleQuery.model_validate({"q": q.strip(), "sort": "strength"}))
        people = [
            {
                "id": p["id"],
                "name": p["name"],
                "is_me": bool(p.get("is_me")),
                "organization": p.get("organization") or "",
                "tier": p.get("tier") or "",
                "url": f"/people/{p['id']}",
            }
            for p in found["people"][:MAX_PEOPLE]
        ]
    commands = [{"label": c.label, "url": c.url} for c in COMMANDS if c.matches(terms)]
    return {"q": q, "people": people, "commands": commands}


@router.get("/search.json", tags=["search"], summary="People and pages matching a text (the search on every page)")
def search_json(request: Request, q: str = Query("", max_length=200)) -> dict[str, Any]:
    return search_data(request, q)
