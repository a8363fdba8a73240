"""The search service: parse a query, run it, count facets, return plain data.

Views never touch Whoosh; they call :func:`search` and render what it returns.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field

from whoosh import highlight
from whoosh.qparser import FieldAliasPlugin, MultifieldParser, OrGroup
from whoosh.query import Every, Query, Term

from indexer.schema import FACET_FIELDS, QUERY_FIELDS, build_schema
from portal.index import IndexHandle, get_index

SORTS = {"relevance", "newest", "oldest"}
SEARCH_FIELDS = ("text", "label", "section", "title")


class BadRequestError(ValueError):
    """A search parameter is out of range; the message says which and why."""


@dataclass
class SearchRequest:
    """Everything a search page or API call can ask for."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20
    sort: str = "relevance"


@dataclass
class SearchResult:
    """What a search found, as plain data ready for a page or JSON."""

    query: str
    total: int
    page: int
    per_page: int
    pages: int
    results: list[dict]
    facets: dict[str, list[dict]]
    description: str
    suggestion: str | None = None


def make_parser(schema=None) -> MultifieldParser:
    """Return the query parser: words OR-ed, more matching words ranking higher."""
    schema = schema or build_schema()
    parser = MultifieldParser(
        list(SEARCH_FIELDS),
        schema,
        fieldboosts={"text": 1.0, "label": 1.5, "section": 0.7, "title": 0.5},
        group=OrGroup.factory(0.9),
    )
    aliases = {}
    for alias, target in QUERY_FIELDS.items():
        if alias != target:
            aliases.setdefault(target, []).append(alias)
    parser.add_plugin(FieldAliasPlugin(aliases))
    return parser


def parse_query(q: str, handle: IndexHandle) -> Query:
    """Return the Whoosh query for ``q``; an empty string matches every passage."""
    if not q.strip():
        return Every()
    return make_parser(handle.searcher.schema).parse(q)


def _allowed(handle: IndexHandle, filters: dict[str, list[str]], skip: str = ""):
    """Return the document numbers passing every facet filter but ``skip``."""
    allowed = None
    for name, chosen in filters.items():
        if name == skip or not chosen:
            continue
        wanted = set(chosen)
        column = handle.values[name]
        docs = {n for n, vals in enumerate(column) if wanted.intersection(vals)}
        allowed = docs if allowed is None else allowed & docs
    return allowed


def count_facets(
    handle: IndexHandle, matching: set[int], filters: dict[str, list[str]]
) -> dict[str, list[dict]]:
    """Count each facet's values over the matches passing the other facets' filters."""
    facets = {}
    for name in FACET_FIELDS:
        allowed = _allowed(handle, filters, skip=name)
        docs = matching if allowed is None else matching & allowed
        column = handle.values[name]
        counts = Counter(v for n in docs for v in column[n])
        chosen = set(filters.get(name, ()))
        for value in chosen:
            counts.setdefault(value, 0)
        order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if name == "year":
            order = sorted(counts.items(), reverse=True)
        facets[name] = [
            {
                "value": v,
                "count": c,
                "selected": v in chosen,
                "label": _facet_label(handle, name, v),
            }
            for v, c in order
        ]
    return facets


def _facet_label(handle: IndexHandle, name: str, value: str) -> str:
    if name == "doc" and value in handle.documents:
        doc = handle.documents[value]
        return f"{doc['title']} ({doc['date'] or 'undated'})"
    return value


def _snippet(hit, text: str) -> str:
    snippet = hit.highlights("text", text=text, top=3) if text else ""
    if snippet:
        return snippet
    short = text if len(text) <= 300 else text[:300].rsplit(" ", 1)[0] + " …"
    return html.escape(short)


def passage_record(handle: IndexHandle, stored: dict) -> dict:
    """Return the public fields of a passage from its stored fields."""
    doc = handle.documents.get(stored["doc_id"], {})
    return {
        "id": stored["id"],
        "permalink": f"/p/{stored['id']}",
        "doc_id": stored["doc_id"],
        "doc_title": stored.get("title", ""),
        "date": stored.get("date") or None,
        "year": int(stored["year"]) if stored.get("year") else None,
        "author": stored.get("author", ""),
        "author_role": doc.get("author_role", ""),
        "type": stored.get("type", ""),
        "forces": [f for f in stored.get("forces", "").split(",") if f],
        "section": stored.get("section", ""),
        "kind": stored.get("kind", ""),
        "label": stored.get("label", ""),
        "position": stored.get("position", 0),
        "text": stored.get("text", ""),
    }


def describe(total: int, q: str, filters: dict[str, list[str]]) -> str:
    """Return a sentence saying what was searched for and how much was found."""
    noun = "passage" if total == 1 else "passages"
    parts = [f"{total:,} {noun}"]
    parts.append(f"matching {q.strip()}" if q.strip() else "in document order")
    for name, chosen in filters.items():
        if chosen:
            parts.append(f"{name} {' or '.join(chosen)}")
    return ", ".join([" ".join(parts[:2]), *parts[2:]])


def search(request: SearchRequest) -> SearchResult:
    """Run a search and return one page of highlighted results with facet counts.

    :raise BadRequestError: for a page below 1 or an unknown sort.
    """
    if request.page < 1:
        raise BadRequestError("page must be 1 or more")
    if request.sort not in SORTS:
        raise BadRequestError(f"sort must be one of {', '.join(sorted(SORTS))}")
    handle = get_index()
    searcher = handle.searcher
    query = parse_query(request.q, handle)
    matching = set(query.docs(searcher))
    allowed = _allowed(handle, request.filters)
    hits_allowed = matching if allowed is None else matching & allowed
    total = len(hits_allowed)
    pages = max(1, -(-total // request.per_page))
    page = min(request.page, pages)
    if request.sort == "relevance" and request.q.strip():
        sortedby, reverse = None, False
    else:
        sortedby = ["date", "doc_id", "position"]
        reverse = request.sort == "newest"
    results = searcher.search_page(
        query,
        page,
        pagelen=request.per_page,
        filter=hits_allowed,
        sortedby=sortedby,
        reverse=reverse,
        terms=True,
    )
    results.results.fragmenter = highlight.ContextFragmenter(maxchars=320, surround=80)
    results.results.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
    records = []
    for hit in results:
        record = passage_record(handle, hit.fields())
        record["snippet"] = _snippet(hit, record["text"])
        records.append(record)
    return SearchResult(
        query=request.q,
        total=total,
        page=page,
        per_page=request.per_page,
        pages=pages,
        results=records,
        facets=count_facets(handle, matching, request.filters),
        description=describe(total, request.q, request.filters),
    )


def list_documents() -> list[dict]:
    """Return every indexed document's metadata, oldest first."""
    docs = get_index().documents.values()
    return sorted(docs, key=lambda d: (d.get("date") or "", d["id"]))


def get_passage(passage_id: str, context: int = 2) -> dict | None:
    """Return a passage with ``context`` neighbours before and after, or None."""
    handle = get_index()
    docnum = handle.ids.get(passage_id)
    if docnum is None:
        return None
    searcher = handle.searcher
    record = passage_record(handle, searcher.stored_fields(docnum))
    neighbours = _document_passages(handle, record["doc_id"])
    at = next(i for i, p in enumerate(neighbours) if p["id"] == passage_id)
    record["before"] = neighbours[max(0, at - context) : at]
    record["after"] = neighbours[at + 1 : at + 1 + context]
    return record


def _document_passages(handle: IndexHandle, doc_id: str) -> list[dict]:
    hits = handle.searcher.search(
        Term("doc_id", doc_id), limit=None, sortedby="position"
    )
    return [passage_record(handle, hit.fields()) for hit in hits]


def health() -> dict:
    """Return the counts and version of the served index."""
    handle = get_index()
    manifest = handle.manifest
    return {
        "status": "ok",
        "documents": manifest["documents"],
        "passages": manifest["passages"],
        "index_version": manifest["generation"],
        "format_version": manifest["format_version"],
        "built_at": manifest["built_at"],
    }
