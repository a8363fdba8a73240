"""Reader pages: a whole document, its original file, and one passage's permalink."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from portal.cite.pages import citation
from portal.findings.marks import mark_findings
from portal.reader import documents as service
from portal.search.service import BadRequestError

bp = Blueprint("reader", __name__)

# Original files are served as text or PDF to read in place; anything a browser
# could run (HTML) is sent as a download instead.
_INLINE = {".txt": "text/plain", ".md": "text/plain"}
_INLINE_BINARY = {".pdf": "application/pdf"}


def _pdf_url(doc: dict) -> str:
    """Return the original file's address when it is a PDF, else ``""``."""
    if not str(doc.get("source", "")).lower().endswith(".pdf"):
        return ""
    return url_for("reader.source", doc_id=doc["id"], _external=True)


@bp.get("/docs/<doc_id>")
def document(doc_id: str):
    """Show a whole document: metadata, headings, every passage with its anchor."""
    hl = request.args.get("hl", "")
    if len(hl) > current_app.config["MAX_QUERY_LENGTH"]:
        raise BadRequestError(
            f"hl is longer than {current_app.config['MAX_QUERY_LENGTH']} characters"
        )
    data = service.get_document(doc_id, hl)
    if data is None:
        abort(404, f"no document has the id {doc_id[:80]!r}")
    mark_findings(data["passages"])
    for link in data["relations"]:
        link["url"] = (
            url_for("reader.document", doc_id=link["doc_id"]) if link["doc_id"] else ""
        )
    url = url_for("reader.document", doc_id=doc_id, _external=True)
    cite = citation(
        data["doc"],
        url,
        lambda fmt: url_for("cite.document_file", doc_id=doc_id, fmt=fmt),
        pdf_url=_pdf_url(data["doc"]),
    )
    return render_template(
        "reader/document.html",
        hl=hl,
        cite=cite,
        source_url=url_for("reader.source", doc_id=doc_id),
        search_url=url_for("views.search"),
        **data,
    )


@bp.get("/docs/<doc_id>/source")
def source(doc_id: str):
    """Send the original file of a document, found by its id, never by a path."""
    found = service.source_file(doc_id, Path(current_app.config["CORPUS_DIR"]))
    if found is None:
        abort(404, f"no original file is available for the document {doc_id[:80]!r}")
    path, name = found
    suffix = path.suffix.lower()
    mimetype = _INLINE.get(suffix) or _INLINE_BINARY.get(suffix)
    response = send_file(
        path,
        mimetype=mimetype or "application/octet-stream",
        as_attachment=mimetype is None,
        download_name=name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@bp.get("/p/<passage_id>")
def passage(passage_id: str):
    """Show one passage with its context and citation, or say where it went."""
    link = service.resolve_permalink(passage_id)
    if link.status == "moved":
        target = url_for("reader.passage", passage_id=link.to, **{"from": passage_id})
        return redirect(target, 308)
    if link.status == "gone":
        doc_url = (
            url_for("reader.document", doc_id=link.archived["doc"])
            if link.archived["doc_title"]
            else ""
        )
        page = render_template("reader/gone.html", link=link, doc_url=doc_url)
        return page, 410
    if link.status != "live":
        abort(404, link.message)
    # The canonical address starts with BASE_URL, never with the Host header.
    url = current_app.config["BASE_URL"] + url_for(
        "reader.passage", passage_id=passage_id
    )
    data = service.get_passage(passage_id, url, request.args.get("from", ""))
    doc_id = data["doc"]["id"]
    cite = citation(
        data["doc"],
        url,
        lambda fmt: url_for("cite.passage_file", passage_id=passage_id, fmt=fmt),
        passage=data["passage"],
        pdf_url=_pdf_url(data["doc"]),
    )
    return render_template(
        "reader/passage.html",
        cite=cite,
        url=url,
        doc_url=url_for("reader.document", doc_id=doc_id, _anchor=passage_id),
        source_url=url_for("reader.source", doc_id=doc_id),
        **data,
    )
