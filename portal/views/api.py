"""The JSON API: health, search, documents and passages."""

from __future__ import annotations

from dataclasses import fields

from flask import Blueprint, abort, jsonify, redirect, request, url_for

from portal.reader import documents as reader_service
from portal.search import service
from portal.search.params import search_request

bp = Blueprint("api", __name__)


@bp.get("/healthz")
def healthz():
    """Report that the portal is up, with the served index's counts and version."""
    return jsonify(service.health())


@bp.get("/api/search")
def search():
    """Search passages; the same parameters as the search page."""
    result = service.search(search_request(request.args))
    # Shallow: the result holds plain lists and dicts already, and a deep copy of
    # every facet link cost more than the search itself at 100k passages.
    return jsonify({f.name: getattr(result, f.name) for f in fields(result)})


@bp.get("/api/documents")
def documents():
    """List every indexed document with its metadata."""
    return jsonify({"documents": service.list_documents()})


@bp.get("/api/passages/<passage_id>")
def passage(passage_id: str):
    """Return one passage with its two neighbours either side.

    An old id re-anchored after a correction redirects permanently to the new id;
    a removed passage answers 410 with its archived text.
    """
    link = reader_service.resolve_permalink(passage_id)
    if link.status == "moved":
        return redirect(url_for("api.passage", passage_id=link.to), 308)
    if link.status == "gone":
        archived = link.archived | {"id": passage_id}
        if archived["doc_title"]:
            archived["doc_url"] = url_for("reader.document", doc_id=archived["doc"])
        error = {"status": 410, "message": link.message}
        return jsonify({"ok": False, "error": error, "archived": archived}), 410
    record = service.get_passage(passage_id) if link.status == "live" else None
    if record is None:
        abort(404, link.message)
    return jsonify(record)
