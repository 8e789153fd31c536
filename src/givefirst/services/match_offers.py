"""The open offers as scoring one new need reads them: whose each is and until when it is live, for all of them,
and the rest (text, tags, place) only for the few short-listed for the need.

`OfferHeads` (every open offer's id, person and expiry, by id) is cached per version of the offers
(`store.offers_version`, bumped by every write to offers): while the version is the same, so are the offers, and
adding a need reads 25,000 offers' heads as one blob instead of 25,000 rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, overload

from sqlalchemy import Connection

from givefirst.domain.match_score import Item
from givefirst.domain.model import NeedOrOffer
from givefirst.store import matching as store

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

OFFER_HEADS = "offer-heads"  # text_vectors model: OfferHeads by the offers' version (only the newest is kept)
NEVER = 2**62  # the expiry (a day's ordinal) of an offer without one


@dataclass(frozen=True)
class OfferHeads:
    ids: NDArray[np.int64]
    people: NDArray[np.int64]
    expires: NDArray[np.int64]  # date.toordinal(), NEVER for none

    @classmethod
    def of(cls, rows: Sequence[Any]) -> OfferHeads:
        """From rows of (id, person_id, text, tags, location, expires_on), as `store.open_item_fields` reads."""
        import numpy as np

        table = np.array([(r[0], r[1], NEVER if r[5] is None else r[5].toordinal()) for r in rows], dtype=np.int64)
        table = table.reshape(-1, 3)
        return cls(table[:, 0].copy(), table[:, 1].copy(), table[:, 2].copy())

    def live(self, today: date) -> list[bool]:
        out: list[bool] = (self.expires >= today.toordinal()).tolist()
        return out

    def dump(self) -> bytes:
        import numpy as np

        return np.stack([self.ids, self.people, self.expires]).astype("<i8").tobytes()

    @classmethod
    def load(cls, blob: bytes) -> OfferHeads:
        import numpy as np

        table = np.frombuffer(blob, dtype="<i8").reshape(3, -1).astype(np.int64)
        return cls(table[0], table[1], table[2])


def cached_heads(conn: Connection, version: int) -> OfferHeads | None:
    blob = store.vectors(conn, OFFER_HEADS, {str(version)}).get(str(version))
    return None if blob is None else OfferHeads.load(blob)


def save_heads(conn: Connection, version: int, heads: OfferHeads) -> None:
    store.delete_vectors(conn, OFFER_HEADS)
    store.save_vectors(conn, OFFER_HEADS, {str(version): heads.dump()})


class OfferItems(Sequence[Item]):
    """The open offers as `score_pairs` reads them: an Item is made when one is looked up, from the row already
    read or else from one read now by id (the few short-listed offers of one need)."""

    def __init__(self, conn: Connection, ids: Sequence[int], rows: Sequence[Any] | None = None) -> None:
        self.conn, self.ids, self.rows = conn, ids, rows
        self.made: dict[int, Item] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def read_ahead(self, js: Sequence[int]) -> None:
        """Read the rows of these offers (by index) that no `Item` was made for yet, in one query: scoring one
        need looks up the dozens it short-lists one after the other (64 queries were a third of adding a need)."""
        if self.rows is not None:
            return
        wanted = [self.ids[j] for j in js if j not in self.made]
        if len(wanted) > 1:
            found = store.items_fields(self.conn, "offer", wanted)
            for j in js:
                row = found.get(self.ids[j])
                if row is not None and j not in self.made:
                    self.made[j] = _item(row)

    @overload
    def __getitem__(self, j: int) -> Item: ...

    @overload
    def __getitem__(self, j: slice) -> Sequence[Item]: ...

    def __getitem__(self, j: int | slice) -> Item | Sequence[Item]:
        if isinstance(j, slice):
            return [self[i] for i in range(*j.indices(len(self)))]
        found = self.made.get(j)
        if found is None:
            r = self.rows[j] if self.rows is not None else store.item_fields(self.conn, "offer", self.ids[j])
            found = self.made[j] = _item(r)
        return found


def _item(r: Any) -> Item:
    """Return the Item of a row of (id, person_id, text, tags, location, expires_on)."""
    tags = tuple(t for t in str(r[3]).split(",") if t)
    return Item(NeedOrOffer(id=int(r[0]), person_id=int(r[1]), text=str(r[2]), tags=tags, location=r[4],
                            expires_on=r[5]))  # fmt: skip
