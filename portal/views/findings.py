"""Findings pages and their twins: /findings, /findings/<id>, /api/findings, CSV."""

from __future__ import annotations

import csv
import io

from flask import (
    Blueprint,
    Response,
    abort,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from indexer.document.gazetteer import FORCE_BY_CODE
from indexer.findings.model import KIND_NAMES
from portal.findings import service
from portal.index.handle import get_index
from portal.search.service import passage_record

bp = Blueprint("findings", __name__)


def _link(endpoint: str):
    per_page = request.args.get("per_page", "").strip()

    def link(filters: dict[str, list[str]], page: int = 1) -> str:
        extra = {"page": page} if page > 1 else {}
        if per_page:
            extra["per_page"] = per_page
        return url_for(endpoint, **{k: v for k, v in filters.items() if v}, **extra)

    return link


def _passage(pid: str) -> dict | None:
    handle = get_index()
    if pid not in handle.ids:
        return None
    return passage_record(handle, handle.searcher.stored_fields(handle.ids[pid]))


def _detail(finding: dict) -> dict:
    """Return a finding with its passages, response documents and links filled in."""
    handle = get_index()
    supporting = [p for p in map(_passage, finding["supporting"]) if p]
    responses = []
    for response in finding["responses"]:
        doc = handle.documents.get(response["doc_id"], {})
        responses.append(
            response
            | {
                "doc_title": doc.get("title", response["doc_id"]),
                "doc_label": _doc_label(doc),
                "doc_date": doc.get("date"),
                "doc_url": url_for(
                    "reader.document",
                    doc_id=response["doc_id"],
                    _anchor=response["passage_id"],
                ),
                "diff_url": url_for(
                    "compare.diff", a=finding["passage_id"], b=response["passage_id"]
                ),
                "permalink": url_for(
                    "reader.passage", passage_id=response["passage_id"]
                ),
            }
        )
    by_id = service.get_findings().by_id
    recurrences = [
        r | {"statement": by_id[r["id"]]["statement"], "url": _url(r["id"])}
        for r in finding["recurrences"]
        if r["id"] in by_id
    ]
    return finding | {
        "supporting_passages": supporting,
        "responses": responses,
        "recurrences": recurrences,
        "report_url": url_for(
            "reader.document",
            doc_id=finding["report"]["id"],
            _anchor=finding["passage_id"],
        ),
        "kind_name": KIND_NAMES[finding["kind"]],
        "force_names": _force_names(finding["forces"]),
    }


def _doc_label(doc: dict) -> str:
    """Return "Letter from Matthew Barber" for a document, or its type alone."""
    kind = (doc.get("type") or "document").replace("-", " ").capitalize()
    return f"{kind} from {doc['author']}" if doc.get("author") else kind


def _force_names(codes: list[str]) -> str:
    return ", ".join(FORCE_BY_CODE[c].name if c in FORCE_BY_CODE else c for c in codes)


def _url(finding_id: str, external: bool = False) -> str:
    return url_for("findings.finding", finding_id=finding_id, _external=external)


def _public(finding: dict) -> dict:
    return finding | {"url": _url(finding["id"], external=True)}


@bp.get("/findings")
def findings():
    """List the findings with facets: kind, force, report, year, grade, answered."""
    result = service.list_findings(request.args, _link("findings.findings"))
    result["findings"] = [
        f | {"url": _url(f["id"]), "force_names": _force_names(f["forces"])}
        for f in result["findings"]
    ]
    return render_template(
        "findings/list.html",
        result=result,
        kind_names=KIND_NAMES,
        facet_titles=service.FACET_TITLES,
        api_url=url_for("findings.api_findings", **request.args.to_dict(flat=False)),
        csv_url=url_for("findings.findings_csv", **request.args.to_dict(flat=False)),
    )


@bp.get("/findings/<finding_id>")
def finding(finding_id: str):
    """Show one finding: its paragraphs, the answers beside it, its recurrences."""
    status, found = service.resolve(finding_id)
    if status == "moved":
        return redirect(url_for("findings.finding", finding_id=found["to"]), 308)
    if found is None:
        abort(404, f"no finding has the id {finding_id[:40]!r}")
    return render_template("findings/finding.html", f=_detail(found))


@bp.get("/api/findings")
def api_findings():
    """Return the findings matching the filters as JSON, with facet counts."""
    result = service.list_findings(request.args, _link("findings.api_findings"))
    result["findings"] = [_public(f) for f in result["findings"]]
    return jsonify({"ok": True, **result})


@bp.get("/api/findings/<finding_id>")
def api_finding(finding_id: str):
    """Return one finding as JSON; a re-worded finding's old id answers 308."""
    status, found = service.resolve(finding_id)
    if status == "moved":
        return redirect(url_for("findings.api_finding", finding_id=found["to"]), 308)
    if found is None:
        abort(404, f"no finding has the id {finding_id[:40]!r}")
    return jsonify({"ok": True, "finding": _public(found)})


@bp.get("/findings.csv")
def findings_csv():
    """Return the findings matching the filters as CSV, one row per finding."""
    result = service.list_findings(
        request.args, _link("findings.findings_csv"), paged=False
    )
    out = io.StringIO()
    csv.writer(out).writerows(service.csv_rows(result["findings"], request.url_root))
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=findings.csv"},
    )
