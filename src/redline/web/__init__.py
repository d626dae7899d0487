"""``redline serve``: a local web app over one event database.

    from redline.web import create_app
    app = create_app("redline.db")          # a FastAPI app; run it with uvicorn

The JSON API lives under ``/api`` (schema at ``/openapi.json``, a readable version at
``/api/docs``); the dashboard pages (overview, events, dyad, article, alerts) are built from
the same calls (:mod:`redline.web.data`) and each links to its JSON. Everything is served from
the package: no CDN, no map tiles, nothing fetched from the internet.

Modules: :mod:`~redline.web.app` (the app, the start-up check), :mod:`~redline.web.api`,
:mod:`~redline.web.pages`, :mod:`~redline.web.data` (what both show),
:mod:`~redline.web.errors` (one error shape), :mod:`~redline.web.charts` (SVG),
:mod:`~redline.web.highlight` (the article's marked-up text).

Importing this package imports FastAPI; the CLI imports it only when ``serve`` runs.
"""

from __future__ import annotations

from redline.web.app import check_database, create_app

__all__ = ["check_database", "create_app"]
