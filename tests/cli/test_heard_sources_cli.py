"""`givefirst import mbox --bodies`, `givefirst heard sources / off / on`, and `source set --bodies`, through the
real entry point: the text of kept bodies heard, sources turned off remembered, bad input in one line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_errors import one_line_error
from tests.cli.test_user_story import ok
from tests.conftest import Cli
from tests.services.test_heard_sources import ME, PRIYA, PRIYA_ASK, REPLY, write_mbox


def test_import_with_bodies_then_heard_hears_the_mail(cli: Cli, tmp_path: Path) -> None:
    box = write_mbox(tmp_path / "all.mbox", PRIYA, REPLY)
    ok(cli("import", "mbox", box, "--me", ME))
    assert json.loads(ok(cli("heard", "--json")).out)["scan"]["read"] == 0  # headers only: nothing to hear
    ok(cli("import", "mbox", box, "--bodies"))  # --me remembered
    found = json.loads(ok(cli("heard", "--json")).out)
    assert found["scan"]["read"] == 2
    [c] = found["candidates"]
    assert c["person"] == "Priya Natarajan" and PRIYA_ASK in c["sentence"]
    text = ok(cli("heard", "--no-scan")).out
    assert "from an email, 3 May 2022" in text

    listed = {s["source"]: s for s in json.loads(ok(cli("heard", "sources", "--json")).out)}
    assert listed["mbox"] == {"source": "mbox", "what": "mbox imports (bodies where kept)", "on": True, "texts": 2,
                              "bodies_kept": 2}  # fmt: skip
    shown = ok(cli("heard", "sources")).out
    assert "on   mbox" in shown and "2 mail bodies kept" in shown


def test_heard_off_is_remembered_and_on_brings_it_back(cli: Cli, tmp_path: Path) -> None:
    box = write_mbox(tmp_path / "all.mbox", PRIYA, REPLY)
    ok(cli("import", "mbox", box, "--me", ME, "--bodies"))
    said = ok(cli("heard", "off", "mbox")).out
    assert "leaves mbox out from now on" in said
    assert json.loads(ok(cli("heard", "--json")).out) == {
        "scan": {"read": 0, "proposed": 0, "already_known": 0, "broadcast": 0, "unattributed": 0,
                 "sources_off": ["mbox"]},
        "candidates": [],
    }  # fmt: skip
    assert "off  mbox" in ok(cli("heard", "sources")).out
    assert json.loads(ok(cli("heard", "on", "mbox", "--json")).out) == {"source": "mbox", "on": True}
    assert json.loads(ok(cli("heard", "--json")).out)["scan"]["proposed"] == 1


def test_bad_input_is_one_line(cli: Cli, tmp_path: Path) -> None:
    assert "no source 'gmail' to hear from" in one_line_error(cli("heard", "off", "gmail"))
    vcf = tmp_path / "a.vcf"
    vcf.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nEND:VCARD\n", encoding="utf-8")
    assert "--bodies is for mail" in one_line_error(cli("import", "vcard", str(vcf), "--bodies"))
    assert "no source named nope" in one_line_error(cli("source", "set", "nope", "--bodies", "on"))
    ok(cli("source", "add", "club", "feed", "--url", "https://example.org/club.ics"))
    assert "--bodies takes on or off" in one_line_error(cli("source", "set", "club", "--bodies", "maybe"))
    assert "only mail sources" in one_line_error(cli("source", "set", "club", "--bodies", "on"))
    assert "sources" in ok(cli("heard", "--help")).out and "--bodies" in ok(cli("source", "set", "--help")).out


def test_heard_off_can_forget_the_bodies_a_file_import_kept(cli: Cli, tmp_path: Path) -> None:
    box = write_mbox(tmp_path / "all.mbox", PRIYA, REPLY)
    ok(cli("import", "mbox", box, "--me", ME, "--bodies"))
    said = ok(cli("heard", "off", "mbox", "--forget-bodies")).out
    assert "2 kept mail bodies deleted" in said
    listed = {s["source"]: s for s in json.loads(ok(cli("heard", "sources", "--json")).out)}
    assert listed["mbox"]["on"] is False and listed["mbox"].get("bodies_kept", 0) == 0
    assert listed["mbox"]["texts"] == 2  # the mail itself stays, as headers
    ok(cli("heard", "on", "mbox"))
    assert json.loads(ok(cli("heard", "--json")).out)["candidates"] == []  # nothing left to hear in headers
