"""Which country a phone number written without a country code belongs to: the user's, when it is known."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from givefirst.ingest.identity import region_of_location
from givefirst.services.context import App
from givefirst.store import people as people_store


@dataclass(frozen=True)
class PhoneRegion:
    """The region local phone numbers are read in, and why; `code` None: nobody knows, numbers stay as written."""

    code: str | None
    because: str  # "your setting default_region", 'your location "Pune, India"', or ""

    def as_dict(self) -> dict[str, str | None]:
        return {"region": self.code, "because": self.because or None}


def phone_region(conn: Connection, app: App) -> PhoneRegion:
    """Return the region from the setting (config file, `givefirst init --region`), else the user's location.

    Nothing else: a number is never given a country that neither the user nor the data supports.
    """
    if app.settings.default_region:
        return PhoneRegion(app.settings.default_region, "your setting default_region")
    me = people_store.me_id(conn)
    location = people_store.person_row(conn, me).location if me is not None else None
    code = region_of_location(location)
    return PhoneRegion(code, f'your location "{location}"' if code else "")
