"""HTML pages: home, search results, CSV export and the query-language help."""

from __future__ import annotations

import datetime as dt
import re

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
)

from portal.search import service
from portal.search.export import csv_rows, to_csv
from portal.search.facets import FACET_TITLES
from portal.search.help import help_content
from portal.search.links import search_url
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
    if any(v == "" for values in request.args.listvalues() for v in values):
        # A GET form sends its empty fields (from=&to=): answer at the clean URL.
        return redirect(search_url(req), 303)
    result = service.search(req)
    hits = {hit["id"]: hit for hit in result.results}
    groups = [(group, [hits[i] for i in group["results"]]) for group in result.groups]
    return render_template(
        "search.html",
        result=result,
        groups=groups,
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
    # Materialised inside the request: the searcher it reads belongs to this thread.
    # The byte-order mark tells Excel the file is UTF-8 ("£7.5m", not "Â£7.5m").
    body = "\ufeff" + "".join(to_csv(iter([header, *rows])))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{csv_name(req.q)}"'},
    )


def csv_name(q: str, today: dt.date | None = None) -> str:
    """Return a CSV file name made of the query and the date, safe for any disk."""
    words = re.sub(r"[^A-Za-z0-9]+", "-", q).strip("-")[:60].strip("-")
    day = today or dt.date.today()
    return f"oversight-{words or 'all-passages'}-{day:%Y-%m-%d}.csv"


@bp.get("/help")
def help_page():
    """Explain the query language with live examples."""
    return render_template("help.html", **help_content())
