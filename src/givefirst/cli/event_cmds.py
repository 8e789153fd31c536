"""Events and chapters: `givefirst events` (triage), `event …`, `chapter …` and `member …`."""

from __future__ import annotations

from pathlib import Path

import typer

from givefirst.cli.base import app, console, lasting_objects, open_app, print_json
from givefirst.cli.parsing import parse_when
from givefirst.domain.words import plural

JSON = typer.Option(False, "--json", help="Print JSON for scripts.")
EVENT_ID = typer.Argument(..., metavar="ID", help="The event's id (see `givefirst events`).")
_SETTINGS = {"no_args_is_help": True, "rich_markup_mode": None,
             "context_settings": {"help_option_names": ["-h", "--help"]}}  # fmt: skip

event_app = typer.Typer(
    help=(
        "Events: meetups, conferences, chapter meetings — who will be there, whom you could help, what to do after.\n\n"
        '  givefirst event add "AOP NY chapter meeting" --on "2026-12-01 18:00" --chapter "AOP New York"\n\n'
        "  givefirst event import invitations.ics --chapter 'AOP New York'   (saved from the mailing list)\n\n"
        "  givefirst events   (ranked: whom you can help there, ties kept warm, your goals)\n\n"
        "  givefirst event prep 3  ·  event rsvp 3 yes  ·  event attended 3 --met 'Priya Natarajan' --met Raj"
    ),
    **_SETTINGS,  # type: ignore[arg-type]
)
app.add_typer(event_app, name="event")
chapter_app = typer.Typer(
    help="Chapters of an organization (an association's New York chapter): `chapter add`, `list`, `show`.",
    **_SETTINGS,  # type: ignore[arg-type]
)
app.add_typer(chapter_app, name="chapter")
member_app = typer.Typer(
    help="Chapter memberships, yours included ('me'), with a role and a sponsor: `member add`, `member remove`.",
    **_SETTINGS,  # type: ignore[arg-type]
)
app.add_typer(member_app, name="member")


@app.command()
def events(
    ctx: typer.Context,
    days: int = typer.Option(60, "--days", help="Look this many days ahead."),
    json_out: bool = JSON,
) -> None:
    """Upcoming events ranked by whom you could help there, ties you would keep warm, and your goals.

    Not by what you could get alone: the meeting in the city you are leaving is still full of your network.
    """
    from givefirst.services.event_triage import rank_events

    with lasting_objects():
        ranked = rank_events(open_app(ctx), days=days)
    if json_out:
        print_json([e.as_dict() for e in ranked])
        return
    out = console()
    if not ranked:
        out.print("No upcoming events: `givefirst event add` or `givefirst event import FILE.ics`.")
    for e in ranked:
        r = e.row
        rsvp = f"  [RSVP {r.rsvp}]" if r.rsvp != "none" else ""
        out.print(f"\n#{r.id}  {r.starts_at:%a %d %b %H:%M}  {r.title}  — score {e.triage.score:.2f}{rsvp}")
        if e.facts.location:
            out.print(f"     {e.facts.location}")
        for reason in e.triage.reasons:
            out.print(f"     · {reason.strip()}" if not reason.startswith("  ") else f"         {reason.strip()}")
        out.print(f"     Prep: givefirst event prep {r.id}")


@event_app.command("add")
def event_add(
    ctx: typer.Context,
    title: str = typer.Argument(..., help="What it is."),
    on: str = typer.Option(..., "--on", metavar="WHEN", help="When: 'YYYY-MM-DD HH:MM', a date, 'tomorrow', '3d'."),
    ends: str | None = typer.Option(None, "--ends", metavar="WHEN", help="When it ends."),
    where: str | None = typer.Option(None, "--where", "--location", help="Where (default: the chapter's place)."),
    chapter: str | None = typer.Option(None, "--chapter", help="The chapter holding it (its members are expected)."),
    expect: list[str] = typer.Option([], "--expect", help="Someone expected there (repeatable)."),
    note: str = typer.Option("", "--note", "-m", help="Notes."),
) -> None:
    """Add an event, with the people you expect there."""
    from givefirst.services.events import EventInput, add_event

    application = open_app(ctx)
    starts = parse_when(on, application.now, "--on")
    ends_at = parse_when(ends, application.now, "--ends") if ends else None
    eid = add_event(application, EventInput(title, starts, ends_at, where, chapter, list(expect), note))
    console().print(f"Event #{eid}: {title} on {starts:%a %d %b %H:%M} — `givefirst event prep {eid}`")


@event_app.command("import")
def event_import(
    ctx: typer.Context,
    file: Path = typer.Argument(
        ..., help="An .ics file (invitations saved from a chapter's list, a feed saved locally)."
    ),
    chapter: str | None = typer.Option(None, "--chapter", help="The chapter the events belong to."),
    json_out: bool = JSON,
) -> None:
    """Import events from an iCalendar file: every event in the next year (and the last month), attendees or not.

    Re-importing the same file updates the events (by UID) instead of adding them twice.
    """
    from givefirst.services.events import import_events

    report = import_events(open_app(ctx), file, chapter)
    if json_out:
        print_json({"added": report.added, "updated": report.updated, "unknown_attendees": report.unknown_attendees,
                    "skipped": [{"origin": o, "reason": r} for o, r in report.skipped]})  # fmt: skip
        return
    out = console()
    out.print(f"Events: {report.added} added, {report.updated} updated, {len(report.skipped)} skipped; "
              f"{plural(report.unknown_attendees, 'attendee')} not in your network")  # fmt: skip
    for origin, reason in report.skipped[:10]:
        out.print(f"  skipped {origin}: {reason}")


@event_app.command("expect")
def event_expect(
    ctx: typer.Context, event_id: int = EVENT_ID, people: list[str] = typer.Argument(..., help="People expected.")
) -> None:
    """Add people you expect at an event."""
    from givefirst.services.events import expect

    console().print(f"{expect(open_app(ctx), event_id, people)} expected at event #{event_id}")


@event_app.command("rsvp")
def event_rsvp(
    ctx: typer.Context,
    event_id: int = EVENT_ID,
    answer: str = typer.Argument(..., help="yes, maybe, no or none."),
) -> None:
    """Record your RSVP (a 'no' takes the event out of your plan)."""
    from givefirst.services.events import rsvp

    console().print(rsvp(open_app(ctx), event_id, answer.strip().lower()))


@event_app.command("attended")
def event_attended(
    ctx: typer.Context,
    event_id: int = EVENT_ID,
    met: list[str] = typer.Option([], "--met", help="Someone you talked with (repeatable)."),
    note: str = typer.Option("", "--note", "-m", help="What you talked about (the timeline entry)."),
) -> None:
    """Mark an event attended: everyone you met is logged, with a follow-up in `today` within 48 hours."""
    from givefirst.services.events import attended

    console().print(attended(open_app(ctx), event_id, list(met), note))


@event_app.command("prep")
def event_prep(ctx: typer.Context, event_id: int = EVENT_ID, json_out: bool = JSON) -> None:
    """A prep sheet: who is likely there, what they need, what you can offer, whom to introduce to whom."""
    from givefirst.services.event_triage import prep_sheet

    sheet = prep_sheet(open_app(ctx), event_id)
    if json_out:
        print_json(sheet)
        return
    out = console()
    ev = sheet["event"]
    out.print(
        f"Prep: {ev['title']} — {ev['starts_at'][:16].replace('T', ' ')}"
        + (f", {ev['location']}" if ev["location"] else "")
    )
    out.print("\nWhy go:")
    for reason in sheet["why_go"]:
        out.print(f"  {reason.strip()}" if reason.startswith("  ") else f"· {reason}")
    out.print(f"\nWho is likely there ({len(sheet['people'])}):")
    for p in sheet["people"]:
        job = ", ".join(x for x in (p["title"], p["organization"]) if x)
        last = f"; last contact {p['last_contact']}" if p["last_contact"] else ""
        out.print(f"  {p['name']}{' — ' + job if job else ''} ({p['warmth']}{last})")
        for need in p["needs"]:
            out.print(f"      needs: {need}")
        for h in p["you_can_help"]:
            out.print(f"      you can help: {h}")
        for f in p["for_you"]:
            out.print(f"      for you: {f}")
    if sheet["what_you_can_offer"]:
        out.print("\nWhat you can offer:")
        for o in sheet["what_you_can_offer"]:
            out.print(f"  {o}")
    if sheet["introductions"]:
        out.print("\nWhom to introduce to whom:")
        for pair in sheet["introductions"]:
            out.print(f"  {pair}")
    out.print(f"\nAfterwards: givefirst event attended {ev['id']} --met NAME --met NAME")


@chapter_app.command("add")
def chapter_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The chapter's name ('AOP New York')."),
    org: str = typer.Option(..., "--org", help="The organization it belongs to ('AOP')."),
    place: str | None = typer.Option(None, "--place", help="Where it meets ('New York, NY')."),
) -> None:
    """Add a chapter of an organization."""
    from givefirst.services.events import add_chapter

    cid = add_chapter(open_app(ctx), org, name, place)
    console().print(f"Chapter #{cid}: {name} — `givefirst member add me '{name}'` if you belong")


@chapter_app.command("list")
def chapter_list(ctx: typer.Context, json_out: bool = JSON) -> None:
    """List chapters, their members and whether you are one."""
    from givefirst.services.events import list_chapters

    found = list_chapters(open_app(ctx))
    if json_out:
        print_json(found)
        return
    out = console()
    if not found:
        out.print("No chapters yet: givefirst chapter add 'AOP New York' --org AOP --place 'New York, NY'")
    for c in found:
        mine = (
            " · you are a member" + (f" (sponsor: {c['your_sponsor']})" if c["your_sponsor"] else "")
            if c["you_are_a_member"]
            else ""
        )
        where = c["location"] or "no place"
        out.print(f"#{c['id']}  {c['name']} ({c['organization']}, {where}): {c['members']} members{mine}")


@chapter_app.command("show")
def chapter_show(
    ctx: typer.Context, chapter: str = typer.Argument(..., help="Name or id."), json_out: bool = JSON
) -> None:
    """Show a chapter's members, their roles and sponsors."""
    from givefirst.services.events import chapter_members

    data = chapter_members(open_app(ctx), chapter)
    if json_out:
        print_json(data)
        return
    out = console()
    out.print(f"{data['name']} ({data['location'] or 'no place'}): {plural(len(data['members']), 'member')}")
    for m in data["members"]:
        sponsor = f", sponsored by {m['sponsor']}" if m["sponsor"] else ""
        out.print(f"  {m['name']} — {m['role']}{sponsor}")


@member_app.command("add")
def member_add(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="A person, or 'me'."),
    chapter: str = typer.Argument(..., help="The chapter's name or id."),
    role: str = typer.Option("member", "--role", help="member, officer or sponsor."),
    sponsor: str | None = typer.Option(None, "--sponsor", help="Who sponsored them in (your sponsor, for 'me')."),
) -> None:
    """Add a member to a chapter (or change their role and sponsor)."""
    from givefirst.services.events import add_member

    console().print(add_member(open_app(ctx), person, chapter, role=role, sponsor=sponsor))


@member_app.command("remove")
def member_remove(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="A person, or 'me'."),
    chapter: str = typer.Argument(..., help="The chapter's name or id."),
) -> None:
    """Remove a member from a chapter."""
    from givefirst.services.events import remove_member

    console().print(remove_member(open_app(ctx), person, chapter))
