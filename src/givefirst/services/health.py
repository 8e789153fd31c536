"""Network health beyond counts: brokerage in the user's ego network, and a picture of it all (`stats --plot`).

Brokerage follows Burt's structural holes (1992; 2004, "Structural holes and good ideas"): a network whose
contacts do not know each other gives non-redundant information and the chance to connect people. Two of his
measures, computed on the user's ego network by `domain/brokerage.py` (networkx's definitions, matrix arithmetic):

* effective size — the number of contacts minus their redundancy (how many of the others each one knows);
  equal to the number of contacts when none of them know each other;
* constraint — how much the user's time and energy go to contacts who are themselves tied together; low
  constraint (toward 0) is brokerage, high (toward 1) a closed circle.

The ego network is the user and their 150 strongest ties (Dunbar's meaningful contacts), with every edge the
graph knows between those contacts, weighted by probability.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from givefirst.domain.brokerage import ego_brokerage
from givefirst.errors import InvalidInputError
from givefirst.services.context import App
from givefirst.services.graph import load_ego_network

EGO_SIZE = 150
MIN_STRENGTH = 0.05  # below this the user hardly knows them: not part of the ego network


def brokerage(conn: Connection, app: App, strengths: Mapping[int, float] | None = None) -> dict[str, Any]:
    """Return Burt's effective size, efficiency and constraint for the user's ego network.

    `strengths`: every tie's strength (person id → score), when the caller has already computed them.
    """
    net, members = load_ego_network(conn, app, EGO_SIZE, MIN_STRENGTH, strengths)
    if not members:
        return {"contacts": 0, "effective_size": None, "efficiency": None, "constraint": None, "edges_among": 0}
    ego = ego_brokerage(net.me, members, net.edges)
    return {
        "contacts": ego.contacts,
        "effective_size": None if ego.effective_size is None else round(ego.effective_size, 2),
        "efficiency": None if ego.efficiency is None else round(ego.efficiency, 4),
        "constraint": None if ego.constraint is None else round(ego.constraint, 4),
        "edges_among": ego.ties_among,
    }


def check_plot_target(path: Path) -> None:
    """Refuse a picture that could not be drawn, before any work: a wrong name, a missing folder, no matplotlib.

    matplotlib (with the fonts and image libraries it brings, about 85 MB) is an optional extra: a PNG is all it
    is used for, and the web app's Stats page draws the same charts as SVG without it.
    """
    if path.suffix.lower() != ".png":
        raise InvalidInputError(f"--plot writes a PNG picture: give a file name ending in .png, not {path.name!r}")
    if not path.parent.exists():
        raise InvalidInputError(f"cannot write {path}: directory {path.parent} does not exist")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise InvalidInputError(
            "--plot needs matplotlib, an optional extra: pip install 'givefirst[plot]' "
            "(or see the same charts without it on the web app's Stats page: givefirst serve)"
        ) from None


def plot_stats(data: dict[str, Any], path: Path) -> Path:
    """Draw the network's health in one PNG: tiers against Dunbar, status, give/ask by month, brokerage."""
    check_plot_target(path)
    import matplotlib

    matplotlib.use("Agg")  # files only: never a window, works without a display
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(12, 8.5), dpi=110)
    fig.suptitle(f"Network health on {data['as_of'][:10]} — {data['people']} people", fontsize=14)

    ax = axes[0][0]
    layers = [t for t in data["tiers"] if t["dunbar_layer"]]
    names = [t["tier"] for t in layers]
    ax.bar(names, [t["cumulative"] for t in layers], color="#4C72B0", label="your ties (cumulative)")
    ax.plot(names, [t["dunbar_layer"] for t in layers], "o--", color="#DD8452", label="Dunbar's layers 5/15/50/150")
    for i, t in enumerate(layers):
        ax.annotate(str(t["cumulative"]), (i, t["cumulative"]), ha="center", va="bottom", fontsize=9)
    ax.set_title("Tiers against Dunbar's layers")
    ax.set_ylabel("people")
    ax.legend(fontsize=8)

    ax = axes[0][1]
    dormant, at_risk, due = data["dormant"], data["at_risk"], data["due"]
    parts = {"due now": due, "at risk": at_risk, "dormant": dormant, "never contacted": data["never_contacted"]}
    ax.barh(list(parts), list(parts.values()), color=["#55A868", "#C44E52", "#8172B2", "#937860"])
    for i, v in enumerate(parts.values()):
        ax.annotate(str(v), (v, i), va="center", fontsize=9, xytext=(3, 0), textcoords="offset points")
    ax.set_title(f"Ties needing care — {data['dormant_share']:.0%} of known ties dormant")
    ax.invert_yaxis()

    ax = axes[1][0]
    months = data["ledger_by_month"]
    x = range(len(months))
    ax.bar([i - 0.27 for i in x], [m["gave"] for m in months], width=0.27, label="gave", color="#55A868")
    ax.bar(list(x), [m["asked"] for m in months], width=0.27, label="asked", color="#C44E52")
    ax.bar([i + 0.27 for i in x], [m["received"] for m in months], width=0.27, label="received", color="#4C72B0")
    ax.set_xticks(list(x), [m["month"][2:] for m in months], rotation=45, fontsize=8)
    share = data["balance"]["give_share"]
    target = data["balance"]["target_give_share"]
    ax.set_title(f"Give / ask by month — give share {share:.0%} (target {target:.0%})" if share is not None
                 else "Give / ask by month")  # fmt: skip
    ax.legend(fontsize=8)

    ax = axes[1][1]
    b = data.get("brokerage") or {}
    if b.get("contacts"):
        ax.bar(["contacts", "effective size"], [b["contacts"], b["effective_size"]], color=["#4C72B0", "#55A868"])
        ax.set_title(f"Brokerage (Burt): constraint {b['constraint']:.2f}, efficiency {b['efficiency']:.0%}")
        note = f"{b['edges_among']} ties known among your {b['contacts']} strongest contacts"
        note += "; lower constraint = more structural holes to bridge"
        ax.text(0.5, -0.16, note, transform=ax.transAxes, ha="center", fontsize=8)
    else:
        ax.set_title("Brokerage: no ties yet")
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
