"""Import: upload files, watch the import run, read its report; and review the look-alikes it proposes."""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from starlette.datastructures import UploadFile

from givefirst.errors import InvalidInputError, NotFoundError
from givefirst.web.context import MAX_ID, WebState, flash, is_htmx, render, request_app, web_state

router = APIRouter()
Id = Annotated[int, PathParam(ge=1, le=MAX_ID)]

# What each kind accepts; a LinkedIn export is its CSV files (or the zip LinkedIn sends).
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "linkedin": ("LinkedIn export (Connections.csv, messages.csv, Invitations.csv, or the zip)", (".csv", ".zip")),
    "vcard": ("vCard contacts (.vcf)", (".vcf", ".vcard")),
    "google": ("Google Contacts CSV", (".csv",)),
    "outlook": ("Outlook contacts CSV", (".csv",)),
    "csv": ("Contacts CSV (Google or Outlook, detected)", (".csv",)),
    "ics": ("Calendar (.ics)", (".ics",)),
    "mbox": ("Mail archive (.mbox), headers only", (".mbox",)),
}
REVIEW_PAGE = 50  # look-alikes shown at once, best first; deciding them brings the next ones
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Job:
    id: str
    kind: str
    files: list[str]
    done: int = 0
    current: str = ""
    finished: bool = False
    report: dict[str, Any] | None = None
    error: str | None = None
    folder: Path | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "files": self.files, "records_done": self.done,
                "current": self.current, "finished": self.finished, "report": self.report,
                "error": self.error}  # fmt: skip


def safe_name(name: str) -> str:
    """Return an upload's file name reduced to its last part in safe characters (no path can be smuggled)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = SAFE_NAME.sub("_", base).lstrip(".")
    return cleaned[:100] or "upload"


@router.get("/import", include_in_schema=False)
def import_page(request: Request) -> Response:
    from givefirst.web.sync_runner import sources_data  # the live sources' section (their last sync)

    context = {"kinds": KINDS, "errors": {}, "form": {}, "limits": web_state(request).limits}
    return render(request, "import.html", {**context, "sources": sources_data(request)})


@router.post("/import", include_in_schema=False)
async def upload(request: Request) -> Response:
    state = web_state(request)
    limits = state.limits
    length = request.headers.get("content-length")
    errors: dict[str, str] = {}
    if length is None or not length.isdigit():
        raise InvalidInputError("an upload must say how large it is (Content-Length)")
    if int(length) > limits.max_upload_bytes:
        mb = limits.max_upload_bytes // (1024 * 1024)
        return render(request, "import.html", {"kinds": KINDS, "form": {}, "limits": limits,
                                               "errors": {"files": f"Too large: at most {mb} MB at once."}},
                      status=413)  # fmt: skip
    form = await request.form(max_files=limits.max_files, max_part_size=limits.max_field_bytes)
    kind = str(form.get("kind") or "")
    me = str(form.get("me") or "").strip()
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if kind not in KINDS:
        errors["kind"] = "Choose what kind of files these are."
    if not uploads:
        errors["files"] = "Choose at least one file."
    elif kind in KINDS:
        allowed = KINDS[kind][1]
        wrong = [f.filename for f in uploads if not str(f.filename).lower().endswith(allowed)]
        if wrong:
            errors["files"] = f"{', '.join(str(w) for w in wrong[:3])}: expected {' or '.join(allowed)} for this kind."
    if me and ("@" not in me or " " in me):
        errors["me"] = "Your email address, like you@example.com."
    if errors:
        return render(request, "import.html", {"kinds": KINDS, "errors": errors, "form": {"kind": kind, "me": me},
                                               "limits": limits}, status=400)  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="givefirst-upload-"))
    names: list[str] = []
    for n, upload_file in enumerate(uploads):
        # Each upload in a folder of its own, under its own name (two may share one): the report names it as sent.
        target = folder / f"{n:02d}" / safe_name(str(upload_file.filename))
        if kind == "linkedin":  # LinkedIn's parser knows its files by name, side by side in one folder
            target = folder / safe_name(str(upload_file.filename))
        target.parent.mkdir(exist_ok=True)
        with target.open("wb") as out:
            await run_in_threadpool(shutil.copyfileobj, upload_file.file, out)
        names.append(str(upload_file.filename))
    job = Job(id=secrets.token_urlsafe(8), kind=kind, files=names, folder=folder)
    with state.jobs_lock:
        state.jobs[job.id] = job
    threading.Thread(target=_run, args=(state, job, me), daemon=True).start()
    return RedirectResponse(f"/import/jobs/{job.id}", status_code=303)


def _run(state: WebState, job: Job, me: str) -> None:
    from givefirst.services.importer import ImportOptions, import_paths

    assert job.folder is not None
    try:
        files = sorted(p for p in job.folder.rglob("*") if p.is_file())
        paths = [str(job.folder)] if job.kind == "linkedin" and not any(p.suffix == ".zip" for p in files) else [
            str(p) for p in files
        ]  # fmt: skip

        def progress(label: str, done: int) -> None:
            job.current, job.done = Path(label).name, done

        options = ImportOptions(me=frozenset({me.lower()}) if me else frozenset())
        report = import_paths(state.app(), job.kind, paths, options, progress=progress)
        job.report = _without_folder(report.as_dict(), str(job.folder))
    except Exception as exc:  # the page shows any failure; the server keeps going
        message = str(exc) or type(exc).__name__  # naming the upload, not the server's temporary folder
        job.error = _without_folder(message, str(job.folder), "the upload")
    finally:
        state.cache.changed()
        shutil.rmtree(job.folder, ignore_errors=True)
        job.finished = True


def _without_folder(value: Any, folder: str, itself: str = "upload") -> Any:
    """Return a report with every mention of the server's temporary folder gone (and of the numbered folder each
    upload sits in): it names the uploads only, as they were sent."""
    if isinstance(value, str):
        return re.sub(re.escape(folder) + r"/(?:\d{2}/)?", "", value).replace(folder, itself)
    if isinstance(value, dict):
        return {k: _without_folder(v, folder, itself) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_folder(v, folder, itself) for v in value]
    return value


def _job(request: Request, job_id: str) -> Job:
    job = web_state(request).jobs.get(job_id)
    if job is None:
        raise NotFoundError("no such import (imports are kept until the server stops)")
    assert isinstance(job, Job)
    return job


@router.get("/import/jobs/{job_id}.json", tags=["import"], summary="An import's progress and, once done, its report")
def job_json(request: Request, job_id: str) -> dict[str, Any]:
    return _job(request, job_id).as_dict()


@router.get("/import/jobs/{job_id}", include_in_schema=False)
def job_page(request: Request, job_id: str) -> Response:
    job = _job(request, job_id).as_dict()
    template = "_job.html" if is_htmx(request) else "import_job.html"
    return render(request, template, {"job": job, "reasons": _reasons(job)})


def _reasons(job: dict[str, Any]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for f in (job["report"] or {}).get("files", []):
        for s in f["skipped"]:
            label = ("imported, but " if s.get("imported") else "skipped: ") + s["reason"]
            counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items(), key=lambda kv: -kv[1])[:15]


def merges_data(request: Request) -> dict[str, Any]:
    from givefirst.services.merging import list_merges, lookalikes

    app = request_app(request)
    found = lookalikes(app)
    return {"total": len(found), "lookalikes": found[:REVIEW_PAGE], "merges": list_merges(app)[:20]}


@router.get("/import/merges", include_in_schema=False)
def merges_page(request: Request) -> Response:
    return render(request, "merges.html", {"data": merges_data(request), "flash": None})


@router.get("/import/merges.json", tags=["import"], summary="Look-alikes to review, and the merges made")
def merges_json(request: Request) -> dict[str, Any]:
    return merges_data(request)


class DecisionIn(BaseModel):
    decision: Literal["merge", "reject"]


def _decide(request: Request, candidate_id: int, decision: str) -> str:
    from givefirst.services.merging import decide

    outcome = decide(request_app(request), candidate_id, decision == "merge")
    web_state(request).cache.changed()
    if outcome is None:
        return "Kept apart; they will not be proposed again."
    return f"Merged {outcome.merged} into {outcome.kept}."


@router.post("/import/merges/{candidate_id:int}.json", tags=["import"], summary="Merge a look-alike pair or not")
def decide_json(request: Request, candidate_id: Id, body: DecisionIn) -> dict[str, str]:
    return {"message": _decide(request, candidate_id, body.decision)}


@router.post("/import/merges/{candidate_id:int}", include_in_schema=False)
async def decide_form(request: Request, candidate_id: Id) -> Response:
    form = await request.form()
    decision = str(form.get("decision") or "")
    if decision not in ("merge", "reject"):
        raise InvalidInputError("merge or reject?")
    message = await run_in_threadpool(_decide, request, candidate_id, decision)
    flash(request, message)  # post/redirect/get: a reload does not decide again
    return RedirectResponse("/import/merges", status_code=303)
