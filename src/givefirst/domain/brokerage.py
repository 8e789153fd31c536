"""Burt's brokerage measures of one person's ego network, by matrix arithmetic.

Burt (1992, *Structural Holes*; 2004, "Structural holes and good ideas") reads how much a person can broker
from how little their contacts know each other. Two of his measures, with networkx's definitions (so the
figures are the same as `networkx.effective_size` and `networkx.constraint` on an undirected graph):

* **effective size** — contacts minus their redundancy. Unweighted, Borgatti's (1997) simplification:
  ``n − 2t / n`` for ``n`` contacts with ``t`` ties among them. It equals ``n`` when no two contacts know each
  other and falls toward 1 in a clique.
* **constraint** — how much of the ego's time and energy lead, directly or through a third contact, to the
  same people. With ``p_ij`` the share of i's tie weight that goes to j (``w_ij / Σ_k w_ik``):

      c_i = Σ_j ( p_ij + Σ_q p_iq · p_qj )²      over the ego's contacts j, q ≠ i, j

  which is, with P the row-normalised weight matrix and no self-ties, ``Σ_j (P + P²)_ij²`` over i's contacts.

networkx computes each p by walking neighbour lists, once per pair of pairs: 16 s for a 150-contact ego
network that is fairly knit. One row of P times P is the same sum in a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

Adjacency = Mapping[int, Mapping[int, float]]  # node → {neighbour: weight}; symmetric, weights > 0


@dataclass(frozen=True)
class Brokerage:
    contacts: int
    ties_among: int  # edges between the ego's contacts
    effective_size: float | None  # None without contacts (networkx gives nan)
    constraint: float | None

    @property
    def efficiency(self) -> float | None:
        if self.effective_size is None or not self.contacts:
            return None
        return self.effective_size / self.contacts


def ego_brokerage(ego: int, members: list[int], adjacency: Adjacency) -> Brokerage:
    """Return the brokerage of `ego` in the graph induced by `ego` and `members` on `adjacency`.

    Only edges between two nodes of the induced graph count, for the ego's contacts' own shares too (a
    contact's weight to someone outside the ego network is not part of it, as in networkx on the induced graph).
    Self-ties are ignored.
    """
    nodes = [ego, *dict.fromkeys(m for m in members if m != ego)]
    index = {node: i for i, node in enumerate(nodes)}
    weights = np.zeros((len(nodes), len(nodes)))
    for a in nodes:
        row = index[a]
        for b, w in adjacency.get(a, {}).items():
            col = index.get(b)
            if col is not None and col != row:
                weights[row, col] = w
                weights[col, row] = w  # an edge known from one side only still joins both
    contacts = np.flatnonzero(weights[0])
    n = len(contacts)
    if n == 0:
        return Brokerage(contacts=0, ties_among=0, effective_size=None, constraint=None)
    among = weights[np.ix_(contacts, contacts)]
    ties = int(np.count_nonzero(among)) // 2
    effective = n - 2.0 * ties / n
    totals = weights.sum(axis=1)
    shares = np.divide(weights, totals[:, None], out=np.zeros_like(weights), where=totals[:, None] > 0)
    direct = shares[0]
    indirect = direct @ shares  # Σ_q p_iq p_qj; the q = i and q = j terms are 0 without self-ties
    constraint = float(np.sum((direct[contacts] + indirect[contacts]) ** 2))
    return Brokerage(contacts=n, ties_among=ties, effective_size=float(effective), constraint=constraint)
