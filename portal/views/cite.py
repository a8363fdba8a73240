"""Citation files, feeds, browser search, crawlers and bulk data."""

from __future__ import annotations

import datetime as dt
import re

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    stream_with_context,
    url_for,
)

from portal.cite import bulk, crawl, feed
from portal.cite.formats import FORMATS, export
from portal.cite.items import document_item, passage_item
from portal.index.handle import get_index
from portal.reader import documents as reader
from portal.search.params import search_request
from portal.search.service import highlight_text, passage_record, run_query

bp = Blueprint("cite", __name__)
_FORMAT = "<any(ris, bib, 'csl.json'):fmt>"


def _file(body: str, fmt: str, stem: str) -> Response:
    """Send a reference file of ``fmt`` named after ``stem``."""
    mimetype, _ = FORMATS[fmt]
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", stem)[:80].strip("-") or "citation"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


@bp.get(f"/docs/<doc_id>.{_FORMAT}")
def document_file(doc_id: str, fmt: str):
    """Send one document's reference in RIS, BibTeX or CSL-JSON."""
    doc = get_index().documents.get(doc_id) if reader.DOC_ID.fullmatch(doc_id) else None
    if doc is None:
        abort(404, f"no document has the id {doc_id[:80]!r}")
    url = url_for("reader.document", doc_id=doc_id, _external=True)
    return _file(export([document_item(doc, url)], fmt), fmt, doc_id)


@bp.get(f"/p/<passage_id>.{_FORMAT}")
def passage_file(passage_id: str, fmt: str):
    """Send one passage's reference (its document, located) in a reference format."""
    if reader.resolve_permalink(passage_id).status != "live":
        abort(404, f"no live passage has the id {passage_id[:40]!r}")
    url = url_for("reader.passage", passage_id=passage_id, _external=True)
    data = reader.get_passage(passage_id, url)
    item = passage_item(data["doc"], data["passage"], url)
    return _file(export([item], fmt), fmt, passage_id)


@bp.get(f"/search.{_FORMAT}")
def search_file(fmt: str):
    """Send every document behind a search's results as one bibliography."""
    req = search_request(request.args)
    found = run_query(req)
    handle, docs = found.handle, {}
    for docnum in found.ordered(limit=current_app.config["CSV_LIMIT"]):
        doc_id = handle.searcher.stored_fields(docnum)["doc_id"]
        docs.setdefault(doc_id, handle.documents.get(doc_id))
    items = [
        document_item(doc, url_for("reader.document", doc_id=doc_id, _external=True))
        for doc_id, doc in docs.items()
        if doc
    ]
    stem = f"oversight-{req.q or 'all'}-{dt.date.today():%Y-%m-%d}"
    return _file(export(items, fmt), fmt, stem)


@bp.get("/search.atom")
def search_feed():
    """Follow a search: its newest passages as an Atom feed."""
    req = search_request(request.args)
    found = run_query(req)
    handle = found.handle
    entries = []
    for first_seen, stored in feed.newest(handle, found.hits):
        record = passage_record(handle, stored)
        doc = handle.documents.get(record["doc_id"], {})
        date = reader.long_date(record["date"])
        entries.append(
            {
                "url": url_for(
                    "reader.passage", passage_id=record["id"], _external=True
                ),
                "title": f"{record['doc_title']} ({date})",
                "author": doc.get("author") or doc.get("organisation") or "",
                "updated": first_seen,
                "html": highlight_text(record["text"], found.q_run, handle)
                if found.q_run.strip()
                else record["text"],
            }
        )
    args = request.args.to_dict(flat=False)
    title = f"Oversight Portal: {req.q}" if req.q else "Oversight Portal: all passages"
    body = feed.atom(
        title,
        url_for("cite.search_feed", _external=True, **args),
        url_for("views.search", _external=True, **args),
        entries,
    )
    return Response(body, mimetype="application/atom+xml")


@bp.get("/opensearch.xml")
def opensearch():
    """Describe the search for browsers (OpenSearch 1.1)."""
    root = request.url_root
    html = url_for("views.search", _external=True) + "?q={searchTerms}"
    atom = url_for("cite.search_feed", _external=True) + "?q={searchTerms}"
    body = crawl.opensearch(root, html, atom)
    return Response(body, mimetype="application/opensearchdescription+xml")


@bp.get("/robots.txt")
def robots():
    """Tell crawlers what to index and where the sitemap is."""
    body = crawl.robots(url_for("cite.sitemap_index", _external=True))
    return Response(body, mimetype="text/plain")


@bp.get("/sitemap.xml")
def sitemap_index():
    """List the sitemaps: documents, then passages in files of 50,000."""
    handle = get_index()
    files = max(1, -(-len(handle.ids) // crawl.SITEMAP_LIMIT))
    urls = [url_for("cite.sitemap_documents", _external=True)] + [
        url_for("cite.sitemap_passages", number=n, _external=True)
        for n in range(1, files + 1)
    ]
    return Response(crawl.sitemap_index(urls), mimetype="application/xml")


@bp.get("/sitemap-documents.xml")
def sitemap_documents():
    """List every document's page."""
    docs = get_index().documents.values()
    urls = (
        (url_for("reader.document", doc_id=d["id"], _external=True), d.get("date"))
        for d in sorted(docs, key=lambda d: d["id"])
    )
    return Response(crawl.sitemap(urls), mimetype="application/xml")


@bp.get("/sitemap-passages-<int:number>.xml")
def sitemap_passages(number: int):
    """List one file's worth of passage pages (50,000 at most)."""
    ids = sorted(get_index().ids)
    start = (number - 1) * crawl.SITEMAP_LIMIT
    if number < 1 or (start >= len(ids) and number > 1):
        abort(404, f"there is no passage sitemap number {number}")
    urls = (
        (url_for("reader.passage", passage_id=pid, _external=True), None)
        for pid in ids[start : start + crawl.SITEMAP_LIMIT]
    )
    return Response(crawl.sitemap(urls), mimetype="application/xml")


@bp.get("/data")
def about_data():
    """Describe the bulk downloads, their fields and how metadata is extracted."""
    handle = get_index()
    return render_template(
        "cite/data.html",
        generation=handle.path.name,
        passages=len(handle.ids),
        documents=len(handle.documents),
        passage_columns=bulk.PASSAGE_COLUMNS,
        document_fields=bulk.DOCUMENT_FIELDS,
        permalink_fields=bulk.PERMALINK_FIELDS,
    )


def _passages_csv(handle, root):
    return bulk.passages_csv(bulk.passage_rows(handle, root))


def _passages_jsonl(handle, root):
    return bulk.passages_jsonl(bulk.passage_rows(handle, root))


_BULK = {
    "passages.csv": ("text/csv", _passages_csv),
    "passages.jsonl": ("application/x-ndjson", _passages_jsonl),
    "documents.json": ("application/json", lambda h, _: bulk.documents_json(h)),
    "permalinks.jsonl": ("application/x-ndjson", lambda h, _: bulk.permalinks_jsonl(h)),
}
_BULK_NAMES = ", ".join(repr(name) for name in _BULK)


@bp.get(f"/data/<any({_BULK_NAMES}):name>")
def bulk_file(name: str):
    """Stream one bulk download, named with the generation it comes from."""
    handle = get_index()
    mimetype, make = _BULK[name]
    stem, ext = name.split(".", 1)
    filename = f"oversight-{stem}-{handle.path.name}.{ext}"
    body = stream_with_context(make(handle, request.url_root))
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
