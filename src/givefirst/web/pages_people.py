"""People (search, filters, sorting, pages, bulk tagging, adding someone) and a Person's page (with quick log)."""

from __future__ import annotations

import math
from datetime import date, datetime, time
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from givefirst.errors import GivefirstError, InvalidInputError
from givefirst.web.context import (
    MAX_ID,
    as_id,
    flash,
    read_form,
    render,
    render_cached,
    request_app,
    text,
    web_state,
)
from givefirst.web.pages_today import LOG_KINDS

router = APIRouter()
Id = Annotated[int, Path(ge=1, le=MAX_ID)]

PAGE_SIZE = 50
TIERS = ("inner", "close", "active", "acquaintance", "dormant")
SORTS = ("name", "strength", "recent", "due")
Sort = Literal["name", "strength", "recent", "due"]
TierName = Literal["", "inner", "close", "active", "acquaintance", "dormant"]


class PeopleQuery(BaseModel):
    q: str = Field("", max_length=200, description="Text in the name, title, notes or an email")
    tag: str = Field("", max_length=100)
    tier: TierName = ""
    location: str = Field("", max_length=200)
    org: str = Field("", max_length=200)
    due: bool = False
    at_risk: bool = False
    sort: Sort = "name"
    page: int = Field(1, ge=1, le=100_000)


def people_data(request: Request, query: PeopleQuery) -> dict[str, Any]:
    """Return one page of people passing the filters, with the totals and what the filters can offer."""
    from givefirst.services.people import tag_names
    from givefirst.services.people_view import ordered_people, page_of

    app = request_app(request)
    cache = web_state(request).cache
    filters = (query.q, query.tag, query.tier, query.location, query.org, query.due, query.at_risk, query.sort)

    def everyone() -> list[int]:
        # Everyone passing the filters, in order, as ids (scored as columns); only the page is built in full.
        return ordered_people(
            app, search=query.q or None, tag=query.tag or None, location=query.location or None,
            organization=query.org or None, tier=query.tier or None, due=query.due, at_risk=query.at_risk,
            sort=query.sort,
        )  # fmt: skip

    ids = cache.get(("people", *filters), app.now, everyone)
    pages = max(1, math.ceil(len(ids) / PAGE_SIZE))
    start = (query.page - 1) * PAGE_SIZE

    def rows() -> list[dict[str, Any]]:
        return [r.as_dict() for r in page_of(app, ids[start : start + PAGE_SIZE])]

    # The page's fifty people (read and scored one by one: 3-5 ms) are derived data too, kept with the order
    # they come from until the database changes; a request only renders them. Nobody changes them (read-only).
    return {
        "total": len(ids),
        "page": query.page,
        "pages": pages,
        "page_size": PAGE_SIZE,
        "people": cache.get(("people-page", *filters, query.page), app.now, rows),
        "tags": cache.get(("tags",), app.now, lambda: tag_names(app)),
    }


def _query_string(query: dict[str, Any], **changes: Any) -> str:
    """Return the query string of these filters (`PeopleQuery.model_dump()`) with some changed."""
    values = {**query, **changes}
    return urlencode({k: ("1" if v is True else v) for k, v in values.items() if v not in ("", False, None)})


@router.get("/people", include_in_schema=False)
def people_page(request: Request, query: Annotated[PeopleQuery, Query()]) -> Response:
    message = request.query_params.get("done")

    values = query.model_dump()  # once: the page's links are all made from it

    def build() -> dict[str, Any]:
        data = people_data(request, query)
        links = {
            "prev": _query_string(values, page=query.page - 1) if query.page > 1 else None,
            "next": _query_string(values, page=query.page + 1) if query.page < data["pages"] else None,
            "self": _query_string(values),
        }
        sort_links = {s: _query_string(values, sort=s, page=1) for s in SORTS}
        filtered = any((query.q, query.tag, query.tier, query.location, query.org, query.due, query.at_risk))
        return {"data": data, "query": query, "links": links, "tiers": TIERS, "sorts": SORTS, "message": message,
                "sort_links": sort_links, "filtered": filtered}  # fmt: skip

    if message:  # a one-off page after bulk tagging
        return render(request, "people.html", build())
    return render_cached(request, ("people", *values.values()), "people.html", build)


@router.get("/people.json", tags=["people"], summary="People, filtered, sorted and paginated (50 a page)")
def people_json(request: Request, query: Annotated[PeopleQuery, Query()]) -> dict[str, Any]:
    return people_data(request, query)


class TagIn(BaseModel):
    ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(min_length=1, max_length=5000)
    add: list[str] = Field(default_factory=list, max_length=20)
    remove: list[str] = Field(default_factory=list, max_length=20)


def _tag(request: Request, ids: list[int], add: list[str], remove: list[str]) -> int:
    from givefirst.services.people import tag_people

    changed = tag_people(request_app(request), ids, add, remove)
    web_state(request).cache.changed()
    return changed


@router.post("/people/tags.json", tags=["people"], summary="Add or remove tags on several people at once")
def tag_json(request: Request, body: TagIn) -> dict[str, int]:
    return {"changed": _tag(request, body.ids, body.add, body.remove)}


@router.post("/people/tags", include_in_schema=False)
async def tag_form(request: Request) -> Response:
    form = await read_form(request)
    raw = form.get("ids", [])
    ids = [i for i in (as_id(str(v)) for v in (raw if isinstance(raw, list) else [raw])) if i is not None]
    back = text(form, "back")
    tag, action = text(form, "tag"), text(form, "action")
    if not ids or not tag:  # back to the same list and filters, saying what is missing
        said = "Tick at least one person to tag." if not ids else "Type the tag to add or remove."
    else:
        add, remove = ([tag], []) if action != "remove" else ([], [tag])
        changed = await run_in_threadpool(_tag, request, ids, add, remove)
        verb = "Tagged" if action != "remove" else "Untagged"
        said = f"{verb} {changed} people {'with' if action != 'remove' else 'from'} {tag}"
    done = urlencode({"done": said})
    return RedirectResponse(f"/people?{back}&{done}" if back else f"/people?{done}", status_code=303)


# Adding someone ------------------------------------------------------------------------------------------------

PERSON_FIELDS = ("name", "email", "phone", "org", "title", "location", "tags", "how_met", "notes")


def _person_input(form: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    from givefirst.services.people import PersonInput, email_problem

    errors: dict[str, str] = {}
    name = text(form, "name")
    if not name:
        errors["name"] = "A person needs a name."
    email = text(form, "email")
    if email and (problem := email_problem(email)):
        errors["email"] = problem
    data = PersonInput(
        name=name, emails=[email] if email else [], phones=[text(form, "phone")] if text(form, "phone") else [],
        organization=text(form, "org") or None, title=text(form, "title") or None,
        location=text(form, "location") or None, tags=[text(form, "tags")] if text(form, "tags") else [],
        how_met=text(form, "how_met") or None, notes=text(form, "notes") or None,
    )  # fmt: skip
    return data, errors


@router.get("/people/new", include_in_schema=False)
def new_person_page(request: Request) -> Response:
    return render(request, "person_new.html", {"form": {}, "errors": {}})


@router.post("/people/new", include_in_schema=False)
async def new_person(request: Request) -> Response:
    from givefirst.services.people import add_person

    form = await read_form(request)
    values = {k: text(form, k) for k in PERSON_FIELDS}
    data, errors = _person_input(form)
    if not errors:
        try:
            pid = await run_in_threadpool(add_person, request_app(request), data)
        except GivefirstError as exc:
            errors[_field_of(str(exc))] = str(exc)
        else:
            web_state(request).cache.changed()
            flash(request, f"Added {values['name']}.")
            return RedirectResponse(f"/people/{pid}", status_code=303)
    return render(request, "person_new.html", {"form": values, "errors": errors}, status=400)


def _field_of(message: str) -> str:
    lowered = message.lower()
    for word, name in (("email", "email"), ("phone", "phone"), ("name", "name"), ("tag", "tags")):
        if word in lowered:
            return name
    return "_form"


# One person ----------------------------------------------------------------------------------------------------


def person_data(request: Request, pid: int) -> dict[str, Any]:
    from givefirst.services.network import profile

    app = request_app(request)

    def build() -> dict[str, Any]:
        data = profile(app, f"#{pid}", 30).as_dict()
        if data.get("is_me"):  # the user's own items can be published to a joined hub (issue 16)
            from givefirst.services.hub_publish import choices_and_marks

            data["hub"] = choices_and_marks(app, [n["id"] for n in data["needs"]], [o["id"] for o in data["offers"]])
        return data

    return web_state(request).cache.get(("person", pid), app.now, build)


@router.get("/people/{pid:int}.json", tags=["people"], summary="One person: profile, strength, timeline, ledger")
def person_json(request: Request, pid: Id) -> dict[str, Any]:
    return person_data(request, pid)


@router.get("/people/{pid:int}", include_in_schema=False)
def person_page(request: Request, pid: Id) -> Response:
    data = person_data(request, pid)
    if data["id"] != pid:  # merged into someone else: their page is the one
        return RedirectResponse(f"/people/{data['id']}", status_code=303)
    return render_cached(request, ("person", pid), "person.html", lambda: _person_context(data, {}, {}, None))


def _person_context(
    data: dict[str, Any], form: dict[str, str], errors: dict[str, str], notice: str | None
) -> dict[str, Any]:
    return {"p": data, "form": form, "errors": errors, "flash": notice, "log_kinds": LOG_KINDS,
            "ledger_what": LEDGER_WHAT, "ledger_kinds": LEDGER_KINDS}  # fmt: skip


def _person_page(
    request: Request, data: dict[str, Any], form: dict[str, str], errors: dict[str, str], notice: str | None,
    status: int = 200,
) -> Response:  # fmt: skip
    return render(request, "person.html", _person_context(data, form, errors, notice), status=status)


class LogIn(BaseModel):
    kind: str = Field("message", max_length=20, description="message, email, call, video, meeting, note")
    summary: str = Field("", max_length=4000)
    on: date | None = Field(None, description="When it happened (default: now)")


def _log(request: Request, pid: int, kind: str, summary: str, on: date | None) -> int:
    from givefirst.services.activity import log_interaction, parse_interaction_kind

    app = request_app(request)
    at = None if on is None or on == app.now.date() else datetime.combine(on, time(12, 0))
    iid = log_interaction(app, [f"#{pid}"], kind=parse_interaction_kind(kind), summary=summary, at=at)
    web_state(request).cache.changed()
    return iid


@router.post("/people/{pid:int}/log.json", tags=["people"], summary="Log an interaction with this person")
def log_json(request: Request, pid: Id, body: LogIn) -> dict[str, int]:
    return {"interaction_id": _log(request, pid, body.kind, body.summary, body.on)}


@router.post("/people/{pid:int}/log", include_in_schema=False)
async def log_form(request: Request, pid: Id) -> Response:
    form = await read_form(request)
    values = {k: text(form, k) for k in ("kind", "summary", "on")}
    errors: dict[str, str] = {}
    on: date | None = None
    if values["on"]:
        try:
            on = date.fromisoformat(values["on"])
        except ValueError:
            errors["on"] = "A date like 2026-03-01."
    if values["kind"] and values["kind"] not in (*LOG_KINDS, "note"):
        errors["kind"] = f"Choose one of {', '.join(LOG_KINDS)}."
    if not errors:
        try:
            await run_in_threadpool(_log, request, pid, values["kind"] or "message", values["summary"], on)
        except InvalidInputError as exc:
            errors["on" if "date" in str(exc) or "future" in str(exc) else "summary"] = str(exc)
    if errors:
        data = await run_in_threadpool(person_data, request, pid)
        return _person_page(request, data, values, errors, None, status=400)
    flash(request, "Logged." + (f" {values['kind'] or 'message'}: {values['summary']}" if values["summary"] else ""),
          at="log")  # fmt: skip
    return RedirectResponse(f"/people/{pid}#log", status_code=303)


class ItemIn(BaseModel):
    which: Literal["need", "offer"]
    text: str = Field(min_length=1, max_length=2000)
    tags: list[str] = Field(default_factory=list, max_length=20)
    expires_on: date | None = None


def _add_item(
    request: Request, pid: int, which: str, words: str, tags: list[str], expires: date | None, publish: str = ""
) -> tuple[int, list[str]]:
    from givefirst.services.needs import record_item

    visibility, hub = (None, None)
    if publish:
        from givefirst.services.hub_publish import parse_choice

        visibility, hub = parse_choice(publish)
    done = record_item(request_app(request), which, f"#{pid}", words, tags=tags, expires_on=expires,
                       publish=visibility, hub=hub)  # fmt: skip
    web_state(request).cache.changed()
    return done.id, done.hub_lines


@router.post("/people/{pid:int}/items.json", tags=["people"], summary="Record a need or an offer of this person")
def item_json(request: Request, pid: Id, body: ItemIn) -> dict[str, int]:
    return {"id": _add_item(request, pid, body.which, body.text, body.tags, body.expires_on)[0]}


@router.post("/people/{pid:int}/items", include_in_schema=False)
async def item_form(request: Request, pid: Id) -> Response:
    form = await read_form(request)
    values = {k: text(form, k) for k in ("which", "item_text", "item_tags", "expires_on", "publish")}
    errors: dict[str, str] = {}
    which = values["which"] if values["which"] in ("need", "offer") else ""
    if not which:
        errors["which"] = "A need or an offer?"
    if not values["item_text"]:
        errors["item_text"] = "Say what it is, in their words."
    expires: date | None = None
    if values["expires_on"]:
        try:
            expires = date.fromisoformat(values["expires_on"])
        except ValueError:
            errors["expires_on"] = "A date like 2026-03-01."
    if not errors:
        try:
            tags = [values["item_tags"]] if values["item_tags"] else []
            _, hub_lines = await run_in_threadpool(
                _add_item, request, pid, which, values["item_text"], tags, expires, values["publish"]
            )
        except InvalidInputError as exc:
            where = "expires_on" if "expiry" in str(exc) else "publish" if values["publish"] else "item_text"
            errors[where] = str(exc)
    if errors:
        data = await run_in_threadpool(person_data, request, pid)
        if "publish" in errors and not data.get("hub"):  # a contact's page shows no "Publish to": say it by the text
            errors["item_text"] = errors.pop("publish")
        return _person_page(request, data, values, errors, None, status=400)
    flash(request, " ".join([f"Recorded the {which}.", *hub_lines]), at="items")
    return RedirectResponse(f"/people/{pid}#items", status_code=303)


LEDGER_WHAT = ("gave", "promised", "received", "asked")
LEDGER_KINDS = ("introduction", "job_lead", "referral", "information", "advice", "recommendation", "invitation",
                "favour", "other")  # fmt: skip


class LedgerIn(BaseModel):
    what: Literal["gave", "promised", "received", "asked"]
    description: str = Field(min_length=1, max_length=2000)
    kind: Literal["introduction", "job_lead", "referral", "information", "advice", "recommendation", "invitation",
                  "favour", "other"] = "other"  # fmt: skip
    due_on: date | None = Field(None, description="For a promise: when it is due")


def _ledger(request: Request, pid: int, body: LedgerIn) -> dict[str, Any]:
    """Record a give, a promise, help received or an ask; an ask comes back with its readiness (warn, never block)."""
    from givefirst.domain.model import ExchangeDirection, ExchangeStatus
    from givefirst.services.ledger import ask, parse_kind, record

    app = request_app(request)
    kind = parse_kind(body.kind)
    out: dict[str, Any] = {"what": body.what}
    if body.what == "asked":
        result = ask(app, f"#{pid}", body.description, kind=kind)
        r = result.readiness
        out |= {"id": result.exchange_id, "ask_readiness": {"verdict": r.verdict.value, "reasons": list(r.reasons),
                                                            "alternative": r.alternative}}  # fmt: skip
    else:
        direction = ExchangeDirection.RECEIVED if body.what == "received" else ExchangeDirection.GAVE
        status = ExchangeStatus.PROMISED if body.what == "promised" else ExchangeStatus.DONE
        out["id"] = record(app, f"#{pid}", direction, body.description, kind=kind, status=status,
                           due_on=body.due_on if body.what == "promised" else None)  # fmt: skip
    web_state(request).cache.changed()
    return out


@router.post(
    "/people/{pid:int}/ledger.json", tags=["people"], summary="Record a give, a promise, help received or an ask"
)
def ledger_json(request: Request, pid: Id, body: LedgerIn) -> dict[str, Any]:
    return _ledger(request, pid, body)


@router.post("/people/{pid:int}/ledger", include_in_schema=False)
async def ledger_form(request: Request, pid: Id) -> Response:
    form = await read_form(request)
    values = {k: text(form, k) for k in ("what", "ledger_kind", "description", "due_on")}
    errors: dict[str, str] = {}
    if values["what"] not in LEDGER_WHAT:
        errors["what"] = "Gave, promised, received or asked?"
    if values["ledger_kind"] and values["ledger_kind"] not in LEDGER_KINDS:
        errors["ledger_kind"] = "Choose a kind from the list."
    if not values["description"]:
        errors["description"] = "Say what it was, e.g. “intro to a Tampa CFO”."
    due: date | None = None
    if values["due_on"]:
        try:
            due = date.fromisoformat(values["due_on"])
        except ValueError:
            errors["due_on"] = "A date like 2026-03-01."
    message = ""
    if not errors:
        body = LedgerIn.model_validate({"what": values["what"], "description": values["description"][:2000],
                                        "due_on": due, "kind": values["ledger_kind"] or "other"})  # fmt: skip
        try:
            done = await run_in_threadpool(_ledger, request, pid, body)
        except InvalidInputError as exc:
            errors["due_on" if "due date" in str(exc) else "description"] = str(exc)
        else:
            message = {"gave": "Recorded what you gave.", "promised": "Recorded your promise; Today will remind you.",
                     "received": "Recorded what you received.", "asked": "Recorded the ask."}[body.what]  # fmt: skip
            readiness = done.get("ask_readiness")
            if readiness:
                message += f" Readiness: {readiness['verdict'].replace('_', ' ')}"
                message += f" — {'; '.join(readiness['reasons'])}." if readiness["reasons"] else "."
                if readiness["alternative"]:
                    message += f" {_give_first(readiness['alternative'])}"
    if errors:
        data = await run_in_threadpool(person_data, request, pid)
        return _person_page(request, data, values, errors, None, status=400)
    flash(request, message, at="ledger")
    return RedirectResponse(f"/people/{pid}#ledger", status_code=303)


def _give_first(alternative: str) -> str:
    """Return the give-first alternative as a sentence that says so once ("Give first: …")."""
    return alternative if alternative.lower().startswith("give first") else f"Give first: {alternative}"


# Editing someone -----------------------------------------------------------------------------------------------

EDIT_FIELDS = ("name", "org", "title", "location", "tags", "email", "how_met", "notes", "tier", "cadence")


def _edit_values(data: dict[str, Any]) -> dict[str, str]:
    """Return the edit form's fields as the person is now."""
    return {
        "name": data["name"], "org": data["organization"] or "", "title": data["title"] or "",
        "location": data["location"] or "", "tags": ", ".join(data["tags"]), "email": "",
        "how_met": data["how_met"] or "", "notes": data["notes"] or "",
        "tier": data["tier"] if data.get("tier_overridden") else "auto", "cadence": "",
    }  # fmt: skip


@router.get("/people/{pid:int}/edit", include_in_schema=False)
def edit_page(request: Request, pid: Id) -> Response:
    data = person_data(request, pid)
    return render(request, "person_edit.html", {"p": data, "form": _edit_values(data), "errors": {}, "tiers": TIERS})


@router.post("/people/{pid:int}/edit", include_in_schema=False)
async def edit(request: Request, pid: Id) -> Response:
    from givefirst.services.people import PersonInput, clean_tags, edit_person, email_problem

    form = await read_form(request)
    values = {k: text(form, k) for k in EDIT_FIELDS}
    data = await run_in_threadpool(person_data, request, pid)
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = "A person needs a name."
    if values["email"] and (problem := email_problem(values["email"])):
        errors["email"] = problem
    if values["tier"] not in ("auto", *TIERS):
        errors["tier"] = "Choose a tier, or auto."
    cadence: int | None = None
    if values["cadence"]:
        if not values["cadence"].isdigit() or not 0 <= int(values["cadence"]) <= 3650:
            errors["cadence"] = "A number of days (0 goes back to the tier's default)."
        else:
            cadence = int(values["cadence"])
    if not errors:
        wanted = clean_tags([values["tags"]])
        changes = PersonInput(
            name=values["name"], emails=[values["email"]] if values["email"] else [], organization=values["org"],
            title=values["title"], location=values["location"], tags=wanted, how_met=values["how_met"],
            notes=values["notes"], tier=values["tier"], cadence_days=cadence,
        )  # fmt: skip
        removed = [t for t in data["tags"] if t not in wanted]
        try:
            await run_in_threadpool(edit_person, request_app(request), f"#{pid}", changes, remove_tags=removed)
        except GivefirstError as exc:
            errors[_field_of(str(exc))] = str(exc)
        else:
            web_state(request).cache.changed()
            flash(request, f"Saved your changes to {values['name']}.")
            return RedirectResponse(f"/people/{pid}", status_code=303)
    context = {"p": data, "form": values, "errors": errors, "tiers": TIERS}
    return render(request, "person_edit.html", context, status=400)
