"""HTML pages: the home page and the search results page."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from portal import search as service
from portal.params import search_request

bp = Blueprint("views", __name__)


@bp.get("/")
def home():
    """Show the search form and the documents in the corpus."""
    return render_template("home.html", documents=service.list_documents())


@bp.get("/search")
def search():
    """Show one page of search results with facets."""
    req = search_request(request.args)
    result = service.search(req)
    args = request.args.to_dict(flat=False)
    pages = [
        {
            "number": n,
            "url": url_for("views.search", **(args | {"page": [n]})),
            "current": n == result.page,
        }
        for n in range(max(1, result.page - 4), min(result.pages, result.page + 4) + 1)
    ]
    return render_template("search.html", result=result, req=req, pages=pages)
