"""The JSON API: health, search, documents and passages."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, abort, jsonify, request

from portal import search as service
from portal.params import search_request

bp = Blueprint("api", __name__)


@bp.get("/healthz")
def healthz():
    """Report that the portal is up, with the served index's counts and version."""
    return jsonify(service.health())


@bp.get("/api/search")
def search():
    """Search passages; the same parameters as the search page."""
    result = asdict(service.search(search_request(request.args)))
    return jsonify(result)


@bp.get("/api/documents")
def documents():
    """List every indexed document with its metadata."""
    return jsonify({"documents": service.list_documents()})


@bp.get("/api/passages/<passage_id>")
def passage(passage_id: str):
    """Return one passage with its two neighbours either side."""
    record = service.get_passage(passage_id)
    if record is None:
        abort(404, f"no passage has the id {passage_id!r}")
    return jsonify(record)
