"""What a results page says about a search: the sentence, the chips and the links."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.index.generation import Generation
from portal.search import facets as facet_counts
from portal.search.links import doc_url, permalink_url, search_url
from portal.search.query import ParsedQuery

if TYPE_CHECKING:  # search imports this module; the type is only for hints
    from portal.search.service import SearchRequest


def expansion_chips(handle: Generation, parsed: ParsedQuery) -> list[dict]:
    """Return the expansions with the title and links of where each is defined."""
    chips = []
    for item in parsed.expansions:
        place = item["defined_in"]
        defined = None
        if place:
            doc = handle.documents.get(place["doc_id"], {})
            defined = {
                **place,
                "doc_title": doc.get("title", place["doc_id"]),
                "date": doc.get("date"),
                "permalink": permalink_url(place["passage_id"]),
                "url": doc_url(place["doc_id"], place["passage_id"], item["acronym"]),
            }
        chips.append({**item, "defined_in": defined})
    return chips


def describe(total: int, parsed: ParsedQuery | None, req: SearchRequest, handle) -> str:
    """Return a sentence saying how the query was understood and what was found."""
    noun = "passage" if total == 1 else "passages"
    head = f"{total:,} {noun}"
    if parsed is not None and parsed.understood:
        head += f" matching {parsed.understood}"
        expanded = [e["acronym"] for e in parsed.expansions]
        if expanded:
            head += f" ({', '.join(expanded)} expanded)"
    elif req.q.strip():
        head += " matching nothing searchable"
    else:
        head += " in document order" if req.sort == "relevance" else ""
    parts = [head]
    for name, chosen in req.filters.items():
        labels = [facet_counts.facet_label(handle, name, v) for v in chosen]
        prefix = {"year": "in", "doc": "in", "type": "type"}.get(name, name)
        parts.append(f"{prefix} {' or '.join(labels)}")
    if req.date_from or req.date_to:
        parts.append(
            f"dated {req.date_from or 'any time'} to {req.date_to or 'today'}"
            if req.date_from and req.date_to
            else (
                f"dated from {req.date_from}"
                if req.date_from
                else f"dated up to {req.date_to}"
            )
        )
    if req.sort != "relevance":
        parts.append(f"{req.sort} first")
    return ", ".join(parts)


def result_links(req, suggestion, corrected, parsed) -> dict[str, str | None]:
    """Return the links a results page offers: correction, literal search, CSV."""
    return {
        "suggestion": search_url(req, q=suggestion) if suggestion else None,
        "original": search_url(req, correct="0") if corrected else None,
        "literal": search_url(req, expand="0")
        if parsed and parsed.expansions
        else None,
        "expanded": None if req.expand else search_url(req, expand=None),
        "csv": search_url(req, "/search.csv"),
        "json": search_url(req, "/api/search"),
        "atom": search_url(req, "/search.atom"),
        "toggle_group": search_url(req, group=None if req.group else "doc"),
        "ris": search_url(req, "/search.ris"),
        "bib": search_url(req, "/search.bib"),
        "csl_json": search_url(req, "/search.csl.json"),
        "self": search_url(req, page=str(req.page) if req.page > 1 else None),
    }


def echo(req: SearchRequest, page: int | None = None) -> dict:
    """Return the request as understood, for a JSON client to check.

    ``page`` is the page answered: past the last page, the last one, with
    ``page_asked`` saying what was asked.
    """
    answered = req.page if page is None else page
    extra = {"page_asked": req.page} if answered != req.page else {}
    return extra | {
        "q": req.q,
        "filters": req.filters,
        "from": req.date_from,
        "to": req.date_to,
        "sort": req.sort,
        "page": answered,
        "per_page": req.per_page,
        "group": "doc" if req.group else None,
        "expand": req.expand,
        "correct": req.correct,
    }
