"""Mail bodies (kept only with --bodies): the words a person wrote, from real-shaped messages, against goldens;
and the mbox and maildir readers handing the message over only when asked."""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import pytest

from givefirst.ingest import mbox
from givefirst.ingest.email_headers import RawHeaders, parse_headers
from givefirst.ingest.mail_body import MAX_CHARS, MAX_RAW_BYTES, body_text, html_to_text
from givefirst.ingest.mbox import scan_maildir_message, scan_mbox

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "mail-body"
GOLDEN = HERE / "golden" / "mail-body"
SAMPLES = sorted(p.name for p in DATA.glob("*.eml"))


@pytest.mark.parametrize("name", SAMPLES)
def test_body_text_matches_its_golden(name: str) -> None:
    text = body_text((DATA / name).read_bytes())
    golden = GOLDEN / f"{Path(name).stem}.txt"
    if os.environ.get("GIVEFIRST_WRITE_GOLDEN"):  # to draft a new golden; review it by eye before committing
        golden.write_text(text + "\n", encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8").removesuffix("\n")


def test_the_goldens_cover_each_case() -> None:
    assert {"multipart-alternative.eml", "html-only.eml", "quoted-reply.eml", "signature-signoff.eml",
            "signature-delimiter.eml", "charset-latin1.eml", "unknown-charset.eml",
            "base64-with-attachments.eml"} <= set(SAMPLES)  # fmt: skip


def test_what_is_cut_is_really_gone() -> None:
    quoted = body_text((DATA / "quoted-reply.eml").read_bytes())
    assert "dentist" not in quoted and "Mexico" not in quoted and "Original" not in quoted
    html = body_text((DATA / "html-only.eml").read_bytes())
    assert "never shown" not in html and "color" not in html and "Do you have room" not in html
    assert "Ops lead" not in html  # Gmail's signature block
    signed = body_text((DATA / "signature-delimiter.eml").read_bytes())
    assert "hiring roofers" not in signed  # a statement in a signature is no statement to the user
    attached = body_text((DATA / "base64-with-attachments.eml").read_bytes())
    assert "not the message" not in attached


def test_a_long_body_is_capped_at_a_sentence_end() -> None:
    sentence = "We are looking for volunteers to sort donations on Saturday mornings. "
    raw = b"Subject: long\nContent-Type: text/plain\n\n" + (sentence * 200).encode()
    text = body_text(raw)
    assert len(text) <= MAX_CHARS and text.endswith("mornings.")
    unbroken = b"Subject: long\n\n" + b"x" * (MAX_CHARS * 2)
    assert body_text(unbroken).endswith("…") and len(body_text(unbroken)) == MAX_CHARS + 1


def test_no_text_part_or_broken_structure_gives_no_body_never_an_error() -> None:
    only_pdf = b"Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n"
    assert body_text(only_pdf) == ""
    broken = b'Content-Type: multipart/mixed; boundary="x"\n\n--x\nContent-Type: text/plain\n\nstill read\n'
    assert body_text(broken) == "still read"  # no closing boundary: what is there is read
    assert body_text(b"") == ""


def test_html_blocks_become_lines() -> None:
    assert html_to_text("<p>One</p><p>Two<br>Three</p>").split() == ["One", "Two", "Three"]
    assert "\n" in html_to_text("<div>a</div><div>b</div>")


def _mbox(*messages: bytes) -> bytes:
    return b"".join(b"From someone@example.com Sat Jan  1 00:00:00 2022\n" + m.rstrip(b"\n") + b"\n\n"
                    for m in messages)  # fmt: skip


MESSAGES = [(DATA / n).read_bytes().replace(b"\r\n", b"\n") for n in SAMPLES]


def test_an_mbox_hands_over_each_message_only_with_bodies() -> None:
    data = _mbox(*MESSAGES)
    plain = list(scan_mbox(io.BytesIO(data), "x.mbox"))
    full = list(scan_mbox(io.BytesIO(data), "x.mbox", bodies=True))
    assert all(isinstance(r, RawHeaders) and r.body is None for r in plain)
    assert [r.fields for r in full] == [r.fields for r in plain]  # type: ignore[union-attr]
    texts = [body_text(r.body or b"") for r in full if isinstance(r, RawHeaders)]
    assert texts == [body_text(m) for m in MESSAGES]
    first = full[0]
    assert isinstance(first, RawHeaders)
    parsed = parse_headers(first)
    assert getattr(parsed, "body", None) == first.body and first.body


def test_bodies_survive_chunk_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The slow path (a message across chunks) keeps the same bytes as the fast one."""
    data = _mbox(*MESSAGES)
    whole = [r.body for r in scan_mbox(io.BytesIO(data), "x.mbox", bodies=True) if isinstance(r, RawHeaders)]
    monkeypatch.setattr(mbox, "CHUNK_SIZE", 97)
    chunked = [r.body for r in scan_mbox(io.BytesIO(data), "x.mbox", bodies=True) if isinstance(r, RawHeaders)]
    assert [body_text(b or b"") for b in chunked] == [body_text(b or b"") for b in whole]
    assert all(body_text(b or b"") for b in chunked[:3])


def test_a_huge_message_is_read_only_up_to_the_cap() -> None:
    big = b"From: a@example.com\nSubject: big\n\nWe need a welder.\n" + b"y" * (MAX_RAW_BYTES * 2) + b"\n"
    [found] = [r for r in scan_mbox(io.BytesIO(_mbox(big)), "x.mbox", bodies=True) if isinstance(r, RawHeaders)]
    assert found.body is not None and len(found.body) == MAX_RAW_BYTES
    maildir = scan_maildir_message(big, "cur/1:2,", bodies=True)
    assert isinstance(maildir, RawHeaders) and maildir.body is not None and len(maildir.body) == MAX_RAW_BYTES
    assert body_text(maildir.body).startswith("We need a welder.")
    assert scan_maildir_message(big, "cur/1:2,").body is None  # type: ignore[union-attr]


SINGLE_PARTS = [
    b"Subject: a\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
    b"We need a caf=C3=A9 owner who knows payroll =\r\nin Tampa.\r\n\r\n-- \r\nAna\r\n",
    b'Subject: b\nContent-Type: text/plain; charset="iso-8859-1"\nContent-Transfer-Encoding: base64\n\n'
    + base64.encodebytes("Je cherche un café. Merci!\n> cité\n".encode("latin-1")),
    b"Subject: c\n\nNo Content-Type at all: plain ASCII, looking for a plumber.\n",
    b"Subject: d\nContent-Type: TEXT/PLAIN;\n charset=windows-1252\n\n"
    b"Folded parameters \x93quoted\x94 go to the parser.\n",
    b"Subject: e\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + "Olá, ñ.\n".encode(),
    b"Subject: f\nContent-Type: text/plain; charset=x-unknown\nContent-Transfer-Encoding: 8bit\n\nla\xe9\n",
]


def _multi(kind: str, *parts: bytes, preamble: bytes = b"", boundary: str = "BB") -> bytes:
    body = preamble + b"".join(b"\r\n--" + boundary.encode() + b"\r\n" + p for p in parts)
    return f"Subject: m\r\nContent-Type: {kind};\r\n boundary=\"{boundary}\"\r\n\r\n".encode() + body + \
        b"\r\n--" + boundary.encode() + b"--\r\nepilogue\r\n"  # fmt: skip


PLAIN_QP = b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" \
    b"We are looking for a caf=C3=A9 manager.\r\n"  # fmt: skip
HTML = b"Content-Type: text/html; charset=utf-8\r\n\r\n<p>HTML: we are hiring two RNs.</p>"
ALTERNATIVE = _multi("multipart/alternative", PLAIN_QP, HTML, boundary="inner").removeprefix(b"Subject: m\r\n")
MULTIPARTS = [
    _multi("multipart/mixed", ALTERNATIVE,
           b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK",
           preamble=b"This is a multi-part message in MIME format."),
    _multi("multipart/alternative", HTML),
    _multi("multipart/mixed", b"Content-Type: text/plain\r\nContent-Disposition: attachment\r\n\r\nnot this",
           b"\r\nno headers at all: a plain part, we need a plumber."),
    _multi("multipart/mixed", HTML, PLAIN_QP),
    _multi("multipart/mixed", b"Content-Type: message/rfc822\r\n\r\nSubject: fwd\r\n\r\nForwarded: I need a van."),
    _multi("multipart/alternative", b"Content-Type: text/plain; charset*=utf-8''x\r\n\r\nRFC 2231 charset."),
]  # fmt: skip
QUICK = [*MULTIPARTS[:4], *(m for m in MESSAGES if b"multipart" in m or b"text/html" in m)]


def test_the_quick_reading_takes_the_usual_shapes_and_leaves_the_rest() -> None:
    from givefirst.ingest.mail_body import _quick_text

    assert all(_quick_text(raw) is not None for raw in QUICK)
    assert _quick_text(MULTIPARTS[4]) is None and _quick_text(MULTIPARTS[5]) is None  # forwarded; RFC 2231
    assert body_text(MULTIPARTS[0]) == "We are looking for a café manager."
    assert body_text(MULTIPARTS[1]) == "HTML: we are hiring two RNs."


@pytest.mark.parametrize(
    "raw", [*SINGLE_PARTS, *MESSAGES, *MULTIPARTS], ids=lambda r: r.split(b"\n", 1)[0][:30].decode("latin-1")
)
def test_the_quick_reading_of_one_plain_part_agrees_with_the_email_package(
    raw: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from givefirst.ingest import mail_body

    quick = body_text(raw)
    monkeypatch.setattr(mail_body, "_quick_text", lambda data: None)
    assert quick == body_text(raw) and quick


def test_a_thanks_that_is_no_sign_off_keeps_what_follows() -> None:
    opening = b"Subject: x\n\nThanks!\n\nDo you know a good plumber in Tampa?\n\nAna\n"
    assert body_text(opening) == "Thanks!\n\nDo you know a good plumber in Tampa?\n\nAna"
    ps = b"Subject: x\n\nGreat to see you.\n\nThanks,\nAlso: we are hiring two line cooks.\n"
    assert "hiring two line cooks" in body_text(ps)
    signed = b"Subject: x\n\nWe need a van on Saturday.\n\nBest regards,\nAna Ruiz\nDirector\n+1 813 555 0142\n"
    assert body_text(signed) == "We need a van on Saturday."
