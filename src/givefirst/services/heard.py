"""Hearing needs and offers in what is already stored, and reviewing them (accept, edit, reject, skip).

What is read: interactions' texts (LinkedIn messages, kept in full; the summaries the user logged for meetings,
calls and notes; calendar meetings' titles and descriptions) and the notes on people (typed, or a vCard's NOTE).
Emails are read where their body was kept (a source the user turned bodies on for: `--bodies`), with their
subject; the others only when asked for (`mail=True`), by their subject line, which is seldom a statement.
A source turned off (`set_source`, remembered; or `sources_off`, for one run) is not read. Reading is
incremental: each text read is marked with its fingerprint, and a re-run reads only what is new or changed (a
body or description kept since makes its interaction new again). On SQLite a re-run checks only the interactions
above the highest id the last scan checked, unless something may have made an older one readable (`scan`).

Whose statement: a message someone sent is theirs ("I'm looking for…"); a message the user sent, in the first
person, is the user's (asks and giveables); the user's note about someone is that person's when it speaks of
them ("she needs…"), the user's when it says "I". A statement already recorded for that person (the same
content words as an open need or offer), already proposed, or rejected is never proposed again (a digest of
person, kind and words). A body that went to several people is a mass message: its statements are withdrawn.

Accepting records the need or offer with the same store and matching calls as `givefirst need` / `offer`
(scored at once, so it goes straight into matching and the plan), in the same transaction as the decision.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from givefirst.domain import heard as domain
from givefirst.domain.match_text import content_words
from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.services import matching
from givefirst.services.context import App
from givefirst.store import heard as store
from givefirst.store import mail as mail_store
from givefirst.store import needs as needs_store
from givefirst.store import people as people_store

READ_KINDS = ("message", "meeting", "call", "video", "note", "event")
SAME_AS_RECORDED = 0.5  # share of content words in common with an open item: already known
SCAN_PAGE = 5_000  # unread interactions read, scanned and marked at a time (all in the one transaction)
# What `store.unread_interactions` counts as readable, besides the kinds, the mail option and the sources off
# (all three recorded with the mark): change it and bump this, or the marks left by older scans would skip rows.
READ_RULE = 1
# Ids above the mark that a scan which read nothing checks again next time rather than move the mark: moving it is
# a write, which changes the file and with it the web app's stamp (every cached page computed again), where such a
# scan wrote nothing before. Checking 20,000 more ids costs about 10 ms.
RECHECK_SPAN = 20_000
# How a source is named in a provenance line; the user's own logs (manual, the demo's) are "your …".
SOURCE_NAMES = {"linkedin": "LinkedIn", "vcard": "vCard", "ics": "calendar", "caldav": "calendar"}
NOTES = "notes"  # the source name of the notes on people
# What each source is, for `heard sources`; a live source's interactions are "caldav:NAME" (or "feed:NAME").
SOURCE_TITLES = {
    "linkedin": "LinkedIn messages", "manual": "what you log (meetings, calls, notes)", NOTES: "notes on people",
    "vcard": "vCard contacts' notes", "ics": "calendar imports (titles and descriptions)",
    "mbox": "mbox imports (bodies where kept)", "maildir": "maildir imports (bodies where kept)",
    "imap": "IMAP sources (bodies where kept)", "demo": "the demo's logged meetings and messages",
    "caldav": "CalDAV calendar (titles and descriptions)",
}  # fmt: skip
KIND_NAMES = {"message": "message", "email": "email", "meeting": "meeting notes", "call": "call notes",
              "video": "call notes", "note": "note", "event": "event notes"}  # fmt: skip


@dataclass
class ScanReport:
    read: int = 0
    proposed: int = 0
    already_known: int = 0  # proposed or decided before, or recorded as a need or offer
    broadcast: int = 0  # statements of mass messages, not proposed
    unattributed: int = 0  # whose statement could not be told (a group message, a note on several people)
    sources_off: list[str] = field(default_factory=list)


def _fingerprint(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _author(kind: str, direction: str) -> str:
    """Return who wrote an interaction's text: "them", "me" or "note" (the user, about the people in it)."""
    if kind in ("message", "email"):
        return {"inbound": "them", "outbound": "me"}.get(direction, "note")
    return "note"


def _text(row: Any) -> str:
    """Return what an interaction says: its summary (an email's subject), then its description or body."""
    return "\n\n".join(str(t) for t in (row.summary, row.details, row.body) if t)


def scan(app: App, *, mail: bool = False, sources_off: tuple[str, ...] = ()) -> ScanReport:
    """Read what is new since the last scan and store the statements heard as proposed candidates.

    `sources_off` leaves sources out for this run, besides those turned off for good (`set_source`).

    Which interactions are unread is decided by their read marks, as always; the mark (`heard_scanned`, SQLite
    only) just spares checking those that cannot have become readable: every interaction up to it was checked by
    an earlier complete scan, under conditions recorded with it, and triggers (migration 0016) lower it when a row
    at or below it may have become readable since (deleted newest rows whose ids come back, a text, kind, source
    or key changed, a body stored, a read mark deleted). A scan whose kinds, mail option or sources reach further
    than the recorded conditions (a source turned on, `--mail`) checks everything again, once: those are rare,
    and a whole check costs what every scan cost before (1.4 s at 2,500,000 interactions). Without the mark, a scan
    with nothing new checked all of them; with it, it checks the few above. Rows edited after they were read are
    not read again unless their mark goes (as before: a mark is only looked up, not compared).
    """
    with app.begin() as conn:
        held = store.scanned(conn)  # first: on SQLite it holds other writers off until the new mark is stored
        off = tuple(sorted(set(sources_off) | _remembered_off(conn)))
        report = ScanReport(sources_off=list(off))
        me = app.me(conn)
        found: list[tuple[int, domain.Heard, dict[str, Any]]] = []
        bodies: set[str] = set()  # the digests of the bodies read now
        now = _conditions(off, mail)
        start, checked = _start(held, now)
        top = store.last_interaction_id(conn) if held is not None else 0
        last = start
        while True:  # a page at a time: a first scan of an imported history reads millions (2.6 GB held at once)
            rows = store.unread_interactions(conn, READ_KINDS, off, mail, after_id=last, limit=SCAN_PAGE)
            if not rows:
                break
            last = int(rows[-1].id)
            report.read += _scan_interactions(conn, app, me, rows, found, bodies, report)
        report.read += _scan_notes(conn, app, me, found, off)
        # Everything up to `top` is checked now. Recorded when this scan writes anyway, or when leaving the mark
        # where it is would have later scans check many ids again (see RECHECK_SPAN).
        record = (top, json.dumps(checked, sort_keys=True))
        if held is not None and record != held and (report.read or top - start >= RECHECK_SPAN):
            store.set_scanned(conn, *record)
        # Nothing read: the bodies sent to many are those the last scan marked (counting them again cost 0.7 s with
        # 1,400,000 texts read before).
        if not report.read:
            return report
        # Only a body read now can have become a mass message (as above): a few bodies read are counted alone
        # (0.7 s for all of them at 1,400,000 texts read before); many, in one pass over all.
        mass = store.mass_bodies(conn, domain.MASS_RECIPIENTS, bodies if len(bodies) <= SCAN_PAGE else None)
        report.broadcast += store.mark_broadcast(conn, mass, app.now)
        if found:  # the open items' words (1.3 s at 50,000 items) matter only to what was heard now, from whom
            whose = {pid for pid, _, _ in found}
            recorded = {kind: _recorded(conn, kind, whose) for kind in ("need", "offer")}
            _store_found(conn, app, found, recorded, mass, report)
    return report


def _conditions(off: tuple[str, ...], mail: bool) -> dict[str, Any]:
    """Return what a scan reads under: the rule, the kinds, the mail option and the sources left out."""
    return {"rule": READ_RULE, "kinds": sorted(READ_KINDS), "mail": mail, "off": sorted(off)}


def _start(held: tuple[int, str] | None, now: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Return the id above which this scan checks the interactions, and the conditions everything up to the new
    mark will have been checked under.

    The recorded mark holds while the scan reads no more than it did: the same rule, no kind it left out, mail
    only if it read mail, every source it left out still left out. Then the rows up to the mark were checked under
    the recorded conditions and those above under these: together, under the narrower of the two. Otherwise the
    scan starts from the first interaction, and everything is checked under these conditions."""
    if held is None or not held[0]:
        return 0, now
    try:
        then = json.loads(held[1])
    except ValueError:
        return 0, now
    if not isinstance(then, dict) or then.get("rule") != now["rule"]:
        return 0, now
    kinds, was_off = set(then.get("kinds") or ()), set(then.get("off") or ())
    if not set(now["kinds"]) <= kinds or (now["mail"] and not then.get("mail")) or not was_off <= set(now["off"]):
        return 0, now
    narrower = {"rule": now["rule"], "kinds": sorted(kinds & set(now["kinds"])),
                "mail": bool(then.get("mail")) and now["mail"], "off": sorted(was_off | set(now["off"]))}  # fmt: skip
    return held[0], narrower


def _scan_interactions(conn: Any, app: App, me: int, rows: list[Any], found: list[Any], bodies: set[str],
                       report: ScanReport) -> int:  # fmt: skip
    """Read one page of unread interactions into `found` (their body digests into `bodies`) and mark them read;
    return how many."""
    who = store.participants(conn, [int(r.id) for r in rows])
    reads = []
    for row in rows:
        pids = who.get(int(row.id), [])
        author = _author(str(row.kind), str(row.direction))
        text = _text(row)
        body = domain.body_digest(text) if author in ("them", "me") and len(pids) == 1 else None
        if body is not None:
            bodies.add(body)
        reads.append({"origin_id": int(row.id), "fingerprint": _fingerprint(text), "body_digest": body,
                      "person_id": pids[0] if len(pids) == 1 else None, "read_at": app.now})  # fmt: skip
        origin = {"said_at": row.occurred_at, "source": str(row.source), "origin": "interaction",
                  "origin_id": int(row.id), "origin_kind": str(row.kind), "body_digest": body}  # fmt: skip
        for statement in domain.proposed(text, author):
            pid = _whose(statement, author, pids, me)
            if pid is None:
                report.unattributed += 1
            else:
                found.append((pid, statement, origin))
    store.mark_read(conn, "interaction", reads)
    return len(reads)


def _scan_notes(conn: Any, app: App, me: int, found: list[Any], sources_off: tuple[str, ...]) -> int:
    """Read the people's notes that are new or changed; return how many."""
    if NOTES in sources_off:
        return 0
    seen = store.read_fingerprints(conn, "person_note")
    reads = []
    for row in store.people_notes(conn):
        text = str(row.notes)
        fingerprint = _fingerprint(text)
        if seen.get(int(row.id)) == fingerprint:
            continue
        reads.append({"origin_id": int(row.id), "fingerprint": fingerprint, "body_digest": None,
                      "person_id": int(row.id), "read_at": app.now})  # fmt: skip
        origin = {"said_at": row.updated_at, "source": NOTES, "origin": "person_note", "origin_id": int(row.id),
                  "origin_kind": "note", "body_digest": None}  # fmt: skip
        for statement in domain.proposed(text, "note"):
            pid = me if row.is_me or statement.voice == "speaker" else int(row.id)
            found.append((pid, statement, origin))
    store.mark_read(conn, "person_note", reads)
    return len(reads)


def _whose(statement: domain.Heard, author: str, pids: list[int], me: int) -> int | None:
    """Return whose need or offer a statement is, or None when it cannot be told."""
    if author in ("me", "note") and statement.voice == "speaker":
        return me
    return pids[0] if len(pids) == 1 else None


def _recorded(conn: Any, kind: str, people: set[int]) -> dict[int, list[frozenset[str]]]:
    """Return the content words of these people's open needs (or offers), by person."""
    out: dict[int, list[frozenset[str]]] = {}
    for item in needs_store.open_items(conn, kind, people=people):
        out.setdefault(item.person_id, []).append(content_words(item.text))
    return out


def _already_recorded(words: frozenset[str], known: list[frozenset[str]]) -> bool:
    return any(words and k and len(words & k) / min(len(words), len(k)) >= SAME_AS_RECORDED for k in known)


def _store_found(conn: Any, app: App, found: list[Any], recorded: dict[str, Any], mass: set[str],
                 report: ScanReport) -> None:  # fmt: skip
    digests = {domain.statement_digest(str(pid), s.kind, s.sentence) for pid, s, _ in found}
    known = store.known_digests(conn, digests)
    rows = []
    for pid, statement, origin in found:
        digest = domain.statement_digest(str(pid), statement.kind, statement.sentence)
        if digest in known or _already_recorded(
            content_words(statement.sentence), recorded[statement.kind].get(pid, [])
        ):
            report.already_known += 1
            continue
        known.add(digest)
        status = "broadcast" if origin["body_digest"] in mass else "proposed"
        report.broadcast += status == "broadcast"
        report.proposed += status == "proposed"
        rows.append({"person_id": pid, "kind": statement.kind, "sentence": statement.sentence.strip(),
                     "confidence": statement.confidence, "status": status, "digest": digest, "created_at": app.now,
                     **origin})  # fmt: skip
    store.insert_candidates(conn, rows)


# --- review ------------------------------------------------------------------------------------------------


def provenance(row: Any, person: str | None = None) -> str:
    """Return where a candidate was heard, for people: "from a LinkedIn message, 3 May 2022"."""
    when = f"{row.said_at.day} {row.said_at:%B %Y}"
    if row.origin == "person_note":
        return f"from your notes on {person}" if person else "from your notes"
    kind, source = str(row.origin_kind), SOURCE_NAMES.get(str(row.source).split(":")[0])
    if kind in ("message", "email"):
        said = f"{source} {kind}" if source else kind
        return f"from {'an' if said[0] in 'aeiouAEIOU' else 'a'} {said}, {when}"
    what = KIND_NAMES.get(kind, kind)
    return f"from {'a ' + source + ' ' + kind if source else 'your ' + what}, {when}"


def _view(row: Any) -> dict[str, Any]:
    return {
        "id": int(row.id), "person_id": int(row.person_id), "person": "you" if row.is_me else str(row.person),
        "kind": str(row.kind), "sentence": str(row.sentence), "confidence": float(row.confidence),
        "said_at": row.said_at.isoformat(), "source": str(row.source), "status": str(row.status),
        "provenance": provenance(row, str(row.person)), "item_id": row.item_id,
    }  # fmt: skip


def list_candidates(app: App, status: str = "proposed", limit: int | None = None) -> list[dict[str, Any]]:
    """Return candidates in a status (proposed by default; "all" for every one), the surest first."""
    statuses = ("proposed", "accepted", "rejected", "skipped", "broadcast") if status == "all" else (status,)
    if status != "all" and status not in ("proposed", "accepted", "rejected", "skipped", "broadcast"):
        raise InvalidInputError(f"no status {status!r}: proposed, accepted, rejected, skipped, broadcast or all")
    with app.begin() as conn:
        return [_view(r) for r in store.candidates(conn, statuses, limit, tuple(_remembered_off(conn)))]


def count_open(app: App) -> int:
    with app.begin() as conn:
        return store.count_open(conn, tuple(_remembered_off(conn)))


# --- which sources are read (remembered) ---------------------------------------------------------------------


def _remembered_off(conn: Any) -> set[str]:
    return {source for source, on in store.source_settings(conn).items() if not on}


def sources(app: App) -> list[dict[str, Any]]:
    """Return each source `heard` may read: its name, what it is, on or off, its texts, and (mail) bodies kept."""
    from givefirst.store import mail as mail_store

    with app.begin() as conn:
        settings = store.source_settings(conn)
        counts = store.interaction_sources(conn, READ_KINDS)
        counts[NOTES] = len(store.people_notes(conn))
        bodies = mail_store.count_bodies(conn)
    kept: dict[str, int] = {}
    for name, n in bodies.items():  # "imap:work" bodies are read as the "imap" source's emails
        kept[name.split(":")[0]] = kept.get(name.split(":")[0], 0) + n
    names = sorted(set(counts) | set(settings), key=lambda s: (s != NOTES, s))
    return [
        {"source": name, "what": SOURCE_TITLES.get(name.split(":")[0], name), "on": settings.get(name, True),
         "texts": counts.get(name, 0), **({"bodies_kept": kept[name]} if name in kept else {})}
        for name in names
    ]  # fmt: skip


def set_source(app: App, source: str, on: bool, *, forget_bodies: bool = False) -> dict[str, Any]:
    """Turn a source on or off for `heard`, remembered (the CLI, the web page and the background sync obey it).

    Off: its texts are not read, and its open candidates are not listed (they come back when it is on again);
    what was accepted stays. The source may be one not imported yet (linkedin, mbox…): it stays off when it is.
    `forget_bodies` (off only) also deletes the mail bodies the source kept (an mbox or maildir import with
    `--bodies`, or a mail source): the interactions stay, as headers.
    """
    if forget_bodies and on:
        raise InvalidInputError("--forget-bodies goes with `heard off`: turning a source on keeps what it holds")
    name = source.strip().lower()
    with app.begin() as conn:
        present = set(store.interaction_sources(conn, READ_KINDS)) | set(store.source_settings(conn))
        if name not in present | set(SOURCE_TITLES) and name.split(":")[0] not in ("caldav", "feed"):
            known = ", ".join(sorted(present | set(SOURCE_TITLES)))
            raise InvalidInputError(f"no source {source!r} to hear from: {known}")
        store.set_source(conn, name, on, app.now)
        if forget_bodies:
            return {"source": name, "on": on, "bodies_forgotten": mail_store.forget_bodies(conn, name)}
    return {"source": name, "on": on}


def _open_candidate(conn: Any, candidate_id: int) -> Any:
    row = store.candidate(conn, candidate_id)
    if row is None:
        raise NotFoundError(f"no heard candidate with id {candidate_id}")
    if row.status not in ("proposed", "skipped"):
        raise InvalidInputError(f"candidate {candidate_id} was already {row.status}")
    return row


def accept(app: App, candidate_id: int, text: str | None = None) -> dict[str, Any]:
    """Record a candidate as the person's need or offer (its sentence, or `text` when edited); return it."""
    if text is not None and not text.strip():
        raise InvalidInputError("the edited text is empty: say what the need or offer is")
    with app.begin() as conn:
        row = _open_candidate(conn, candidate_id)
        pid = int(row.person_id)
        person = people_store.person_row(conn, pid)
        while person.merged_into_id is not None:  # merged away since: the need is the kept person's
            person = people_store.person_row(conn, person.merged_into_id)
        item_id = needs_store.insert_item(
            conn, str(row.kind), person_id=int(person.id), text=" ".join((text or str(row.sentence)).split()),
            tags=(), location=person.location, expires_on=None, created_at=app.now,
        )  # fmt: skip
        matching.refresh(conn, app, need_id=item_id if row.kind == "need" else None)
        store.decide(conn, candidate_id, "accepted", app.now, item_id)
        return {**_view(store.candidate(conn, candidate_id)), "item_id": item_id}


def decide(app: App, candidate_id: int, status: str) -> dict[str, Any]:
    """Reject (never proposed again) or skip (kept aside, not listed) a candidate."""
    if status not in ("rejected", "skipped"):
        raise InvalidInputError(f"a candidate can be rejected or skipped, not {status!r}")
    with app.begin() as conn:
        _open_candidate(conn, candidate_id)
        store.decide(conn, candidate_id, status, app.now)
        return _view(store.candidate(conn, candidate_id))


def provenance_of(app: App, kind: str, item_ids: list[int]) -> dict[int, str]:
    """Return, for needs (or offers) that came from an accepted candidate, where they were heard."""
    with app.begin() as conn:
        rows = store.provenance_rows(conn, kind, item_ids)
        return {item: provenance(row) for item, row in rows.items()}
