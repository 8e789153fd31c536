"""Rendering results for people: Rich tables and panels. No logic beyond presentation."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from givefirst.domain.model import ItemKind, Readiness
from givefirst.domain.words import plural

if TYPE_CHECKING:  # only types: `today` must not pay for importing the modules behind `show`
    from givefirst.domain.plan import PlanItem
    from givefirst.domain.readiness import AskReadiness
    from givefirst.services.network import Profile
    from givefirst.services.relationships import Relationship

SECTION_TITLES = {
    ItemKind.OWE: "What you owe",
    ItemKind.GIVE: "Give first",
    ItemKind.KEEP_IN_TOUCH: "Keep in touch",
    ItemKind.DORMANT: "Revive a dormant tie",
    ItemKind.UPCOMING: "Coming up",
}
VERDICT_STYLE = {Readiness.READY: "bold green", Readiness.CAUTION: "bold yellow", Readiness.NOT_READY: "bold red"}


def _ago(days: float | None) -> str:
    if days is None:
        return "never"
    if days < 1:
        return "today"
    if days < 60:
        return f"{days:.0f}d ago"
    if days < 730:
        return f"{days / 30.4:.0f}mo ago"
    return f"{days / 365.25:.1f}y ago"


def render_plan(out: Console, items: list[PlanItem], now: datetime, weak_past_cadence: int = 0) -> None:
    """Print the plan; with nothing in it, say why (`weak_past_cadence`: ties past their cadence but too weak)."""
    out.print(Text(f"Today, {now:%A %d %B %Y} — {plural(len(items), 'thing')} to do for your network", style="bold"))
    if not items and weak_past_cadence:
        out.print(
            f"Nothing due: {plural(weak_past_cadence, 'tie')} past their cadence "
            f"{'is' if weak_past_cadence == 1 else 'are'} too weak to be due. See them with "
            "givefirst people --due --include-weak, and mark those that matter: givefirst edit NAME --tier close. "
            "givefirst heard lists needs heard in your messages.",
            markup=False,
        )
        return
    if not items:
        out.print("Nothing due. Add people (givefirst add), log touches (givefirst log) and needs (givefirst need).")
        return
    section = None
    for n, item in enumerate(items, 1):
        if item.kind is not section:
            section = item.kind
            out.print()
            out.print(Text(SECTION_TITLES[item.kind], style="bold underline"))
        out.print(Text(f"{n}. {item.title}", style="bold"))
        for reason in item.why:
            out.print(Text(f"   · {reason}", style="dim"))
        out.print(Text(f"   ✉ {item.message}"))
        out.print(Text(f"   ✓ {item.command}    ⏸ givefirst snooze {item.key}", style="cyan"))


def render_people(out: Console, rels: list[Relationship], total: int | None = None) -> None:
    from rich.table import Table  # (not imported by `today`: the plan is no table)

    table = Table(show_edge=False, pad_edge=False)
    for column in ("id", "name", "organization", "location", "tier", "strength", "last contact", "due"):
        table.add_column(column, justify="right" if column in ("id", "strength", "last contact") else "left")
    for r in rels:
        due = "at risk" if r.due.at_risk else ("due" if r.due.due else "")
        table.add_row(
            str(r.person_id),
            r.name,
            r.organization or "",
            r.location or "",
            r.tier.value + ("*" if r.tier_overridden else ""),
            f"{r.strength.score:.2f}",
            _ago(r.due.days_since),
            due,
        )
    out.print(table)
    out.print(Text(_shown(len(rels), total, "person", "people"), style="dim"))


def _shown(shown: int, total: int | None, one: str, many: str) -> str:
    """The footer of a listing: how many, and how to see the rest when it shows a page."""
    if total is None or total <= shown:
        return plural(shown, one, many)
    return f"{shown} of {plural(total, one, many)} (--limit N to see more, --limit 0 for all)"


def render_readiness(out: Console, name: str, r: AskReadiness) -> None:
    out.print(Text(f"Ask readiness with {name}: {r.verdict.value.upper()}", style=VERDICT_STYLE[r.verdict]))
    for reason in r.reasons:
        out.print(f"  ✗ {reason}")
    for good in r.strengths:
        out.print(f"  ✓ {good}")
    if r.alternative:
        out.print(Text(f"  → {r.alternative}", style="bold"))


def render_profile(out: Console, p: Profile) -> None:
    rel, person = p.relationship, p.person
    credentials = f", {person.credentials}" if getattr(person, "credentials", None) else ""  # "CPA", "Ph.D."
    head = f"{rel.name}{credentials}" + (" (you)" if p.is_me else "") + f"  · id {rel.person_id}"
    out.print(Text(head, style="bold"))
    line = " · ".join(x for x in (rel.title, rel.organization, rel.location) if x)
    if line:
        out.print(line)
    for kind, value, _ in p.identities:
        out.print(Text(f"{kind}: {value}", style="dim"))
    if p.tags:
        out.print("tags: " + ", ".join(p.tags))
    if person.how_met or p.introduced_by or person.met_on:
        met = ", ".join(x for x in (person.how_met, person.met_on and f"on {person.met_on}",
                                     p.introduced_by and f"introduced by {p.introduced_by}") if x)  # fmt: skip
        out.print(f"met: {met}")
    if getattr(person, "birthday", None):
        out.print(f"birthday: {person.birthday}")
    if person.notes:
        out.print(f"notes: {person.notes}")
    if not p.is_me:
        out.print()
        due = f"every {plural(rel.due.cadence_days, 'day')}" if rel.due.cadence_days else "no cadence"
        state = "at risk" if rel.due.at_risk else "due now" if rel.due.due else "not due"
        out.print(Text(f"Tie strength {rel.strength.score:.2f} · {rel.tier.value} · {due} · {state}", style="bold"))
        for c in rel.strength.components:
            out.print(Text(f"  {c.name:<18} {c.value:6.2f}  {c.note}", style="dim"))
        out.print(f"Last real contact: {_ago(rel.due.days_since)}; give/ask balance {rel.balance:+.2f}")
        if p.readiness is not None:
            render_readiness(out, rel.name, p.readiness)
    _section(out, "Needs", [f"#{n['id']} {n['text']}" + _status(n) for n in p.needs])
    _section(out, "Offers", [f"#{o['id']} {o['text']}" + _status(o) for o in p.offers])
    _section(out, "Ledger", [
        f"{e['occurred_at'][:10]}  {e['direction']:<8} {e['kind']:<14} {e['description']}"
        + ("" if e["status"] == "done" else f"  [{e['status']}]")
        for e in p.ledger
    ])  # fmt: skip
    _section(out, "Timeline", [
        f"{t['at'][:10]}  {t['kind']:<7} {t['direction']:<8} {t['summary']}" + (" [planned]" if t["planned"] else "")
        + (f"  (with {', '.join(t['with_others'])})" if t["with_others"] else "")
        for t in p.timeline
    ])  # fmt: skip


def _status(item: dict[str, Any]) -> str:
    return "" if item["status"] == "open" else f"  [{item['status']}]"


def _section(out: Console, title: str, lines: list[str]) -> None:
    if not lines:
        return
    out.print()
    out.print(Text(title, style="bold underline"))
    for line in lines:
        out.print(Text(line))


def render_items(out: Console, which: str, items: list[dict[str, Any]], total: int | None = None) -> None:
    from rich.table import Table  # (not imported by `today`: the plan is no table)

    table = Table(show_edge=False, pad_edge=False)
    for column in ("id", "person", which, "tags", "location", "expires"):
        table.add_column(column)
    for i in items:
        said = i["text"] + (f" ({i['heard']})" if i.get("heard") else "")  # provenance of a heard one
        table.add_row(str(i["id"]), i["person"], said, ", ".join(i["tags"]), i["location"] or "",
                      (i["expires_on"] or "") + (" (expired)" if i["expired"] else ""))  # fmt: skip
    out.print(table)
    out.print(Text(_shown(len(items), total, which, which + "s"), style="dim"))


def render_stats(out: Console, s: dict[str, Any]) -> None:
    from rich.table import Table  # (not imported by `today`: the plan is no table)

    counts = f"{plural(s['people'], 'person')}, {plural(s['interactions'], 'interaction')}"
    out.print(Text(f"Your network on {s['as_of'][:10]}: {counts}", style="bold"))
    table = Table(title="Tiers against Dunbar's layers", show_edge=False, pad_edge=False)
    for column in ("tier", "people", "cumulative", "Dunbar layer"):
        table.add_column(column, justify="left" if column == "tier" else "right")
    for t in s["tiers"]:
        table.add_row(t["tier"], str(t["count"]), str(t["cumulative"] or ""), str(t["dunbar_layer"] or ""))
    out.print(table)
    out.print(f"Due for a touch: {s['due']}   at risk: {s['at_risk']}   never contacted: {s['never_contacted']}")
    out.print(f"Dormant: {s['dormant']} ({s['dormant_share']:.0%} of ties with history)")
    b = s["balance"]
    share = "no exchanges yet" if b["give_share"] is None else f"{b['give_share']:.0%} of your exchanges are gives"
    verdict = "on target" if b["on_target"] else "below your target — give first"
    out.print(f"Give/ask balance: {share} (target {b['target_give_share']:.0%}, {verdict})")
    out.print(
        f"Open needs: {s['open_needs']}   open offers: {s['open_offers']}   promised gives: {s['promised_gives']}"
    )
    out.print(f"Plan items done in the last 30 days: {s['plan_items_done_30_days']}")
    ego = s.get("brokerage") or {}
    if ego.get("contacts"):
        out.print(
            f"Brokerage: your {ego['contacts']} strongest ties have an effective size of {ego['effective_size']} "
            f"(efficiency {ego['efficiency']:.0%}) and a constraint of {ego['constraint']:.2f} — "
            + (
                "a closed circle: introduce people across it"
                if ego["constraint"] > 0.3
                else "many structural holes to bridge"
            )
        )
    months = Table(title="Gives and asks, last 12 months", show_edge=False, pad_edge=False)
    for column in ("month", "gave", "asked", "received"):
        months.add_column(column, justify="left" if column == "month" else "right")
    for m in s["ledger_by_month"]:
        months.add_row(m["month"], str(m["gave"]), str(m["asked"]), str(m["received"]))
    out.print(months)
