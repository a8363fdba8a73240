"""HTML pages: home, search results, CSV export and the query-language help."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request

from portal.search import service
from portal.search.export import csv_rows, to_csv
from portal.search.facets import FACET_TITLES
from portal.search.help import help_content
from portal.search.params import search_request

bp = Blueprint("views", __name__)
FACET_SHOWN = 8  # facet values listed before the rest fold under "more"
FORCES_SHOWN = 4  # forces named in a result's line before "and N other forces"


@bp.get("/")
def home():
    """Show the search form and the documents in the corpus."""
    return render_template("home.html", documents=service.list_documents())


@bp.get("/search")
def search():
    """Show one page of search results with facets, chips and corrections."""
    req = search_request(request.args)
    result = service.search(req)
    return render_template(
        "search.html",
        result=result,
        req=req,
        facet_titles=FACET_TITLES,
        facet_shown=FACET_SHOWN,
        forces_shown=FORCES_SHOWN,
    )


@bp.get("/search.csv")
def search_csv():
    """Download every passage the search matches (up to CSV_LIMIT) as CSV."""
    req = search_request(request.args)
    # Links start with BASE_URL: a Host header must not rewrite them.
    root = current_app.config["BASE_URL"] + "/"
    rows = csv_rows(req, root, current_app.config["CSV_LIMIT"])
    header = next(rows)  # run the search now, so a bad request is a 400, not a cut file
    # Materialised inside the request: the index handle belongs to this thread.
    body = "".join(to_csv(iter([header, *rows])))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="passages.csv"'},
    )


@bp.get("/help")
def help_page():
    """Explain the query language with live examples."""
    return render_template("help.html", **help_content())
