"""`givefirst serve`: the web app on this machine (127.0.0.1 unless told otherwise, with a token off loopback)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import typer

from givefirst.cli.base import app, console, state

if TYPE_CHECKING:
    from rich.console import Console


@app.command()
def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; anything but loopback needs --token."),
    port: int = typer.Option(8765, "--port", "-p", help="Port to listen on."),
    token: str | None = typer.Option(
        None, "--token", envvar="GIVEFIRST_TOKEN", help="Access token (12+ characters), or 'auto' to make one."
    ),
    demo: bool = typer.Option(False, "--demo", help="Build the demo network into its own file and serve that."),
    open_browser: bool = typer.Option(False, "--open", help="Open the app in your browser."),
    no_sync: bool = typer.Option(False, "--no-sync", help="Do not sync the saved sources in the background."),
) -> None:
    """Open givefirst in your browser: Today, People, Connect, Stats, Import, each with a JSON twin.

    It listens on 127.0.0.1 (only this machine) by default. To reach it from elsewhere, bind another address and
    set an access token (--token SECRET, or --token auto to have one made and printed); without one it will not
    start. While it runs, the saved sources (givefirst sources) sync in the background when due, unless
    --no-sync. Stop it with Ctrl-C.

    On your phone: serve with --host 0.0.0.0 --token auto and scan the QR code printed here (or shown at
    /phone on this machine) with the phone on the same Wi-Fi: it opens event mode, signed in.

    Examples: givefirst serve --open · givefirst serve --demo --open · givefirst serve --host 0.0.0.0 --token auto
    """
    from givefirst.web.security import check_bind, new_token

    if token == "auto":
        token = new_token()
    check_bind(host, token)
    st = state(ctx)
    settings = st.settings()
    out = console()
    if demo:
        from givefirst.config import user_data_dir
        from givefirst.services.context import open_app
        from givefirst.services.demo import build_demo, prepare_demo_database

        target = st.database or str(user_data_dir() / "demo.db")
        if not st.database:
            user_data_dir().mkdir(parents=True, exist_ok=True)
        settings = replace(settings, database=prepare_demo_database(target), database_is_default=False)
        with out.status("Building the demo network…"):
            application = open_app(settings)
            try:
                counts = build_demo(application)
            finally:
                application.close()
        out.print(f"Demo network built in {target}: {counts['people']} people.")

    import uvicorn

    from givefirst.web import create_app

    web = create_app(settings, token=token, host=host, background_sync=not no_sync)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    shown = f"[{shown}]" if ":" in shown else shown
    url = f"http://{shown}:{port}/today" + (f"?token={token}" if token else "")
    out.print(f"givefirst is serving {settings.database} at {url}", markup=False, soft_wrap=True)
    if token:
        out.print(f"Access token: {token}  (anyone with it can read and change your network)", markup=False)
    _phone_link(out, host, port, token)
    out.print("Stop it with Ctrl-C.")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(0.8, webbrowser.open, args=(url,)).start()
    uvicorn.run(web, host=host, port=port, log_level="warning", access_log=False)


def _phone_link(out: Console, host: str, port: int, token: str | None) -> None:
    """Print the phone's sign-in link and its QR code, when the server is reachable from the network."""
    from givefirst.web.lan import login_url

    link = login_url(host, port, token)
    if link is None:
        return
    import io

    import segno

    drawn = io.StringIO()
    segno.make(link, error="m").terminal(out=drawn, compact=True)
    out.print(f"On your phone (same network): scan this, or open {link}", markup=False, soft_wrap=True)
    out.print(drawn.getvalue(), markup=False, highlight=False, soft_wrap=True)
