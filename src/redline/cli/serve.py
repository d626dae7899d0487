"""``redline serve``: the web dashboard and JSON API over an event database.

FastAPI and uvicorn are imported inside the command, so ``redline --help`` stays fast.
"""

from __future__ import annotations

import ipaddress
import os
import socket
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


def _wildcard(host: str) -> bool:
    return host in ("0.0.0.0", "::", "")


def served_hosts(host: str, allow: tuple[str, ...]) -> tuple[list[str], bool]:
    """The ``Host`` names the server answers to, besides ``localhost``, ``127.0.0.1`` and
    ``::1``: the address it listens on, the ``--allow-host`` names and, when it listens on
    every address (0.0.0.0 or ::), this machine's host name and any IP address literal (a
    DNS-rebinding page must use a name, never an address); the bool says "any IP"."""
    names = [host, *allow]
    if _wildcard(host):
        names += [socket.gethostname(), socket.getfqdn()]
    return [n for n in names if n and not _wildcard(n)], _wildcard(host)


@click.command("serve")
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but a loopback address makes the "
                   "dashboard reachable from other machines (it has no login).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests whose Host header is NAME (repeatable; "
                   "'*.example.org' for a domain's names): the name a reverse proxy or other "
                   "machines use. Other names get a 400 (a guard against DNS rebinding).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes (each with its own connection pool); more than 1 helps "
                   "only with more than one CPU core free.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=10.0,
              show_default=True, metavar="SECONDS",
              help="Stop any one database query after this long (the request gets a 503).")
@click.option("--reload", is_flag=True,
              help="Development: restart when redline's source changes.")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info", "debug"]),
              default="info", show_default=True, help="uvicorn's log level.")
def serve_cmd(db: str, host: str, port: int, allow_hosts: tuple[str, ...], workers: int,
              time_limit: float, reload: bool, log_level: str) -> None:
    """Serve the dashboard and the JSON API for an event database.

    \b
    Pages: / (overview), /events, /dyad/SOURCE/TARGET, /article/ID, /alerts.
    API: /api (index), /api/events, /api/articles/ID, /api/dyads, /api/dyads/SOURCE/TARGET,
    /api/alerts, /api/stats; schema at /openapi.json, readable at /api/docs.
    The database is opened read-only; nothing is fetched from the internet. Requests whose
    Host header is not localhost, 127.0.0.1, ::1, the --host address or an --allow-host name
    get a 400 (with --host 0.0.0.0 or ::, also this machine's name and any IP address).

    \b
    Example: redline serve --db redline.db        (then open http://127.0.0.1:8000)
    """
    from redline.errors import RedlineError
    from redline.web.app import DB_ENV, HOSTS_ENV, TIME_LIMIT_ENV, check_database

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
    names, any_ip = served_hosts(host, allow_hosts)
    if reload or workers > 1:
        import redline

        os.environ[DB_ENV] = os.path.abspath(db)
        os.environ[TIME_LIMIT_ENV] = str(time_limit)
        os.environ[HOSTS_ENV] = ",".join((["+"] if any_ip else []) + names)
        uvicorn.run("redline.web.app:app_from_env", factory=True, host=host, port=port,
                    reload=reload, workers=None if reload else workers,
                    reload_dirs=[os.path.dirname(redline.__file__)] if reload else None,
                    log_level=log_level)
        return
    from redline.web import create_app

    uvicorn.run(create_app(db, time_limit=time_limit, check=False, hosts=names,
                           any_ip_host=any_ip),
                host=host, port=port, log_level=log_level)
