"""A Flask app serving the FTS5 side over HTTP, so both engines are timed end to end.

``q`` is an FTS5 MATCH expression; ``year``, ``author``, ``force``, ``doc`` and
``type`` filter as they do on the portal. Run it with gunicorn, as the portal is:
``BENCH_FTS_DB=var/bench/fts.sqlite gunicorn 'bench.fts_app:create_app()'``.
Each worker thread opens its own connection; the facet columns are loaded once
per worker, on its first request (as the portal opens its generation), and
shared by its threads, read-only.
"""

from __future__ import annotations

import os
import sqlite3
import threading

from flask import Flask, jsonify, request

from bench.fts import FACETS
from bench.fts_search import FacetColumns, search


def create_app(db_path: str | None = None) -> Flask:
    """Create the FTS5 search app over the database at ``db_path``."""
    app = Flask(__name__)
    app.json.sort_keys = False
    path = db_path or os.environ["BENCH_FTS_DB"]
    local, lock, loaded = threading.local(), threading.Lock(), {}

    def opened() -> tuple[sqlite3.Connection, FacetColumns]:
        """Return this thread's connection and the worker's facet columns."""
        if getattr(local, "db", None) is None:
            local.db = sqlite3.connect(path)
        with lock:
            if "columns" not in loaded:
                loaded["columns"] = FacetColumns(local.db)
        return local.db, loaded["columns"]

    @app.get("/api/search")
    def search_view():
        """Search passages with an FTS5 expression and facet filters."""
        q = request.args.get("q", "")
        filters = {n: request.args.getlist(n) for n in FACETS if n in request.args}
        try:
            per_page = int(request.args.get("per_page", 10))
            result = search(*opened(), q, filters, per_page)
        except (sqlite3.OperationalError, ValueError) as exc:
            return jsonify(
                {"ok": False, "error": {"status": 400, "message": str(exc)}}
            ), 400
        return jsonify(result)

    @app.get("/healthz")
    def healthz():
        """Report that the app is up."""
        return jsonify({"status": "ok"})

    return app
