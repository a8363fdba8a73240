"""A Flask app serving the FTS5 side over HTTP, so both engines are timed end to end.

``q`` is an FTS5 MATCH expression; ``year``, ``author``, ``force``, ``doc`` and
``type`` filter as they do on the portal. Run it with gunicorn, as the portal is:
``BENCH_FTS_DB=var/bench/fts.sqlite gunicorn 'bench.fts_app:create_app()'``.
"""

from __future__ import annotations

import os
import sqlite3

from flask import Flask, g, jsonify, request

from bench import fts


def create_app(db_path: str | None = None) -> Flask:
    """Create the FTS5 search app over the database at ``db_path``."""
    app = Flask(__name__)
    app.json.sort_keys = False
    path = db_path or os.environ["BENCH_FTS_DB"]

    def connection() -> sqlite3.Connection:
        """Return this worker's connection, opened once (sync workers: one thread)."""
        if "db" not in g:
            g.db = app.config.setdefault("_DB", sqlite3.connect(path))
        return g.db

    @app.get("/api/search")
    def search():
        """Search passages with an FTS5 expression and facet filters."""
        q = request.args.get("q", "")
        filters = {n: request.args.getlist(n) for n in fts.FACETS if n in request.args}
        per_page = int(request.args.get("per_page", 10))
        try:
            result = fts.search(connection(), q, filters, per_page)
        except sqlite3.OperationalError as exc:
            return jsonify(
                {"ok": False, "error": {"status": 400, "message": str(exc)}}
            ), 400
        return jsonify(result)

    @app.get("/healthz")
    def healthz():
        """Report that the app is up."""
        return jsonify({"status": "ok"})

    return app
