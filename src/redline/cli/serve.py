"""``redline serve``: the web dashboard and JSON API over an event database.

FastAPI and uvicorn are imported inside the command, so ``redline --help`` stays fast.
"""

from __future__ import annotations

import ipaddress
import os
import sys

import click

from redline.cli.store import _db_option


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("serve")
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but a loopback address makes the "
                   "dashboard reachable from other machines (it has no login).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=10.0,
              show_default=True, metavar="SECONDS",
              help="Stop any one database query after this long (the request gets a 503).")
@click.option("--reload", is_flag=True,
              help="Development: restart when redline's source changes.")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info", "debug"]),
              default="info", show_default=True, help="uvicorn's log level.")
def serve_cmd(db: str, host: str, port: int, time_limit: float, reload: bool,
              log_level: str) -> None:
    """Serve the dashboard and the JSON API for an event database.

    \b
    Pages: / (overview), /events, /dyad/SOURCE/TARGET, /article/ID, /alerts.
    API: /api (index), /api/events, /api/articles/ID, /api/dyads, /api/dyads/SOURCE/TARGET,
    /api/alerts, /api/stats; schema at /openapi.json, readable at /api/docs.
    The database is opened read-only; nothing is fetched from the internet.

    \b
    Example: redline serve --db redline.db        (then open http://127.0.0.1:8000)
    """
    from redline.errors import RedlineError
    from redline.web.app import DB_ENV, TIME_LIMIT_ENV, check_database

    try:
        check_database(db)
    except RedlineError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)

    import uvicorn

    if not _loopback(host):
        click.echo(f"warning: listening on {host}: anyone who can reach this machine can read "
                   "the database through the dashboard", err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"serving {db} on http://{shown}:{port} (Ctrl-C to stop)", err=True)
    if reload:
        import redline

        os.environ[DB_ENV] = os.path.abspath(db)
        os.environ[TIME_LIMIT_ENV] = str(time_limit)
        uvicorn.run("redline.web.app:app_from_env", factory=True, host=host, port=port,
                    reload=True, reload_dirs=[os.path.dirname(redline.__file__)],
                    log_level=log_level)
        return
    from redline.web import create_app

    uvicorn.run(create_app(db, time_limit=time_limit, check=False), host=host, port=port,
                log_level=log_level)
