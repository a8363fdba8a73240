"""The search service: parse a query, run it, count facets, return plain data.

Views never touch Whoosh; they call :func:`search` and render what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup
from whoosh.query import Every, Query, Term, TermRange

from indexer.analysis.acronyms import read_acronyms
from indexer.analysis.vocabulary import read_vocabulary
from portal.index.generation import Generation
from portal.index.handle import get_index
from portal.index.names import display_name
from portal.search import cost, ranking
from portal.search import facets as facet_counts
from portal.search.describe import (
    describe,
    doc_url,
    echo,
    expansion_chips,
    result_links,
)
from portal.search.expand import Lexicon
from portal.search.grouping import GROUP_SIZE, group_by_document, page_of_groups
from portal.search.highlight import highlight, query_terms
from portal.search.links import pager, permalink_url, search_url
from portal.search.query import ParsedQuery, parse
from portal.search.spelling import correct

SORTS = ("relevance", "newest", "oldest")
TEXT_FIELDS = ("text", "label")


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
    date_from: str | None = None
    date_to: str | None = None
    group: bool = False  # results grouped by document
    expand: bool = True  # expand acronyms and long forms
    correct: bool = True  # show corrected results when the query finds nothing
    default_per_page: int = 20


@dataclass
class SearchResult:
    """What a search found, as plain data ready for a page, JSON or CSV."""

    query: str
    total: int
    page: int
    per_page: int
    pages: int
    results: list[dict]
    facets: dict[str, list[dict]]
    description: str
    suggestion: str | None = None
    corrected: str | None = None
    expansions: list[dict] = field(default_factory=list)
    understood: str = ""
    notices: list[str] = field(default_factory=list)
    chips: list[dict] = field(default_factory=list)
    pager: list[dict] = field(default_factory=list)
    links: dict[str, str | None] = field(default_factory=dict)
    echo: dict = field(default_factory=dict)
    grouped: bool = False
    groups: list[dict] = field(default_factory=list)  # when grouped: by document
    documents: int = 0  # how many documents the matches come from


def _read_lexicon(handle: Generation) -> Lexicon:
    """Read the acronyms and vocabulary of a generation."""
    return Lexicon(read_acronyms(handle.path), read_vocabulary(handle.path))


def lexicon(handle: Generation) -> Lexicon:
    """Return the acronyms and vocabulary of a generation, read once for it."""
    return handle.derive(_read_lexicon)


def parse_query(q: str, handle: Generation, expand: bool = True) -> Query:
    """Return the Whoosh query for ``q``: acronyms expanded, malformed input as words.

    An empty string matches every passage.
    """
    if not q.strip():
        return Every()
    return _parse(q, handle, expand).query


def _parse(q: str, handle: Generation, expand: bool) -> ParsedQuery:
    """Parse ``q`` against the handle's schema, expanding acronyms if asked."""
    return parse(q, handle.searcher.schema, lexicon(handle) if expand else None)


def highlight_text(text: str, query_or_q: Query | str, handle: Generation) -> Markup:
    """Return ``text`` HTML-escaped, the words ``query_or_q`` matches in ``<mark>``."""
    query = query_or_q
    if isinstance(query_or_q, str):
        query = parse_query(query_or_q, handle)
    terms = query_terms(query, handle.searcher.reader())
    return highlight(text, terms, whole=True)


def passage_record(handle: Generation, stored: dict) -> dict:
    """Return the public fields of a passage from its stored fields."""
    doc = handle.documents.get(stored["doc_id"], {})
    return {
        "id": stored["id"],
        "permalink": permalink_url(stored["id"]),
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
        "page": stored.get("page"),
        "ocr": bool(stored.get("ocr")),
        "text": stored.get("text", ""),
    }


def _date_docs(handle: Generation, req: SearchRequest) -> set[int] | None:
    """Return the passages dated inside the request's range (None: no range)."""
    if not (req.date_from or req.date_to):
        return None
    query = TermRange(
        "date", req.date_from or "0000-00-00", req.date_to or "9999-12-31"
    )
    return set(query.docs(handle.searcher))


def _term_exists(handle: Generation):
    """Return a test of whether the index holds a stem in a searched field."""
    reader = handle.searcher.reader()
    return lambda stem: any(reader.doc_frequency(f, stem) for f in TEXT_FIELDS)


@dataclass
class Matches:
    """Every passage a request matches, before ordering and paging."""

    handle: Generation
    req: SearchRequest
    parsed: ParsedQuery | None  # None for an empty query
    query: Query
    matching: set[int]  # matches of the query alone, for facet counts
    ranked: list[int]  # the matches best first (empty when not scored)
    hits: set[int]  # matches passing every filter
    dates: set[int] | None  # passages inside the date range (None: no range)
    q_run: str  # the query run: the request's, or its correction
    suggestion: str | None = None
    corrected: str | None = None

    def ordered(self, limit: int | None = None, page: int | None = None) -> list[int]:
        """Return the hits' document numbers in the order asked, a page or ``limit``."""
        found = ranking.order(self.handle, self.hits, self.ranked, self.req.sort)
        if page is not None:
            start = (page - 1) * self.req.per_page
            return found[start : start + self.req.per_page]
        return found[:limit]


def _match(handle: Generation, q: str, req: SearchRequest, restrict):
    """Return the parsed query (None if empty), the query, its matches and hits."""
    if not q.strip():
        query: Query = Every()
        parsed = None
    else:
        parsed = _parse(q, handle, req.expand)
        query = parsed.query
        cost.check_terms(query, handle.searcher.reader())
    matching, ranked = ranking.match(handle, query, scored=req.sort == "relevance")
    hits = matching if restrict is None else matching & restrict
    return parsed, query, matching, ranked, hits


def run_query(req: SearchRequest) -> Matches:
    """Find every passage a request matches, correcting a query that finds nothing.

    :raise BadRequestError: for a page below 1 or an unknown sort.
    """
    if req.page < 1:
        raise BadRequestError("page must be 1 or more")
    if req.sort not in SORTS:
        raise BadRequestError(f"sort must be one of {', '.join(SORTS)}")
    handle = get_index()
    dates = _date_docs(handle, req)
    restrict = facet_counts.allowed_docs(handle, req.filters)
    if dates is not None:
        restrict = dates if restrict is None else restrict & dates
    found = Matches(handle, req, *_match(handle, req.q, req, restrict), dates, req.q)
    if not req.q.strip():
        return found
    parsed = found.parsed
    source = req.q if parsed is None or not parsed.fallback else parsed.understood
    fix = correct(source, lexicon(handle), _term_exists(handle))
    if fix is None:
        return found
    if not found.hits and req.correct and fix.confident:
        again = _match(handle, fix.text, req, restrict)
        if again[-1]:
            found = Matches(handle, req, *again, dates, fix.text)
            found.corrected = fix.text
            return found
    found.suggestion = fix.text
    return found


def search(request: SearchRequest) -> SearchResult:
    """Run a search and return one page of highlighted results with facet counts.

    A request asked again of the same index generation is answered from the
    worker's memo (see :meth:`Generation.remember`), as a copy of its own.

    :raise BadRequestError: for a page below 1 or an unknown sort.
    """
    return get_index().remember(("search", repr(request)), lambda: _search(request))


def _search(request: SearchRequest) -> SearchResult:
    """Run a search without the memo."""
    found = run_query(request)
    handle = found.handle
    total = len(found.hits)
    doc_column = handle.values["doc"]
    groups = group_by_document(found.ordered(), lambda n: doc_column[n][0])
    units = len(groups) if request.group else total
    pages = max(1, -(-units // request.per_page))
    page = min(request.page, pages)
    records, grouped = [], []
    if total:
        terms = query_terms(found.query, handle.searcher.reader())
        if request.group:
            for doc_id, docnums in page_of_groups(groups, page, request.per_page):
                shown = [_result(found, terms, n) for n in docnums[:GROUP_SIZE]]
                grouped.append(_group(found, doc_id, shown, len(docnums)))
                records.extend(shown)
        else:
            records = [_result(found, terms, n) for n in found.ordered(page=page)]
    parsed = found.parsed
    notices = list(parsed.notices) if parsed else []
    if request.page > pages:
        notices.append(
            f"There is no page {request.page}: the results end on page {pages}, "
            "shown here."
        )
    return SearchResult(
        query=request.q,
        total=total,
        page=page,
        per_page=request.per_page,
        pages=pages,
        results=records,
        facets=facet_counts.count_facets(handle, found.matching, request, found.dates),
        description=describe(total, parsed, request, handle),
        suggestion=found.suggestion,
        corrected=found.corrected,
        expansions=expansion_chips(handle, parsed) if parsed else [],
        understood=parsed.understood if parsed else "",
        notices=notices,
        chips=facet_counts.chips(handle, request),
        pager=pager(request, page, pages),
        links=result_links(request, found.suggestion, found.corrected, parsed),
        echo=echo(request, page),
        grouped=request.group,
        groups=grouped,
        documents=len(groups),
    )


def _result(found: Matches, terms, docnum: int) -> dict:
    """Return one result: the passage's record with its snippet and links."""
    handle = found.handle
    record = passage_record(handle, handle.searcher.stored_fields(docnum))
    record["snippet"] = str(highlight(record["text"], terms))
    record["label_html"] = str(highlight(record["label"], terms, whole=True))
    record["doc_url"] = doc_url(record["doc_id"], record["id"], found.q_run)
    return record


def _group(found: Matches, doc_id: str, shown: list[dict], matches: int) -> dict:
    """Return one document's group: its name, best passages and the rest's link."""
    doc = found.handle.documents.get(doc_id, {})
    more = matches - len(shown)
    return {
        "doc_id": doc_id,
        "title": doc.get("title", doc_id),
        "display_name": display_name(doc) if doc else doc_id,
        "matches": matches,
        "results": [r["id"] for r in shown],
        "more": more,
        "more_url": doc_url(doc_id, "", found.q_run) if more else None,
        "within_url": search_url(found.req, doc=[doc_id], group=None),
    }


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
    neighbours = [
        passage_record(handle, hit.fields())
        for hit in document_hits(handle, record["doc_id"])
    ]
    at = next(i for i, p in enumerate(neighbours) if p["id"] == passage_id)
    record["before"] = neighbours[max(0, at - context) : at]
    record["after"] = neighbours[at + 1 : at + 1 + context]
    return record


def document_hits(handle: Generation, doc_id: str):
    """Return the hits of every passage of a document, in reading order."""
    return handle.searcher.search(
        Term("doc_id", doc_id), limit=None, sortedby="position"
    )


def health() -> dict:
    """Return the counts and version of the served index, and any fallback.

    ``status`` is ``degraded`` when the generation ``CURRENT`` names is damaged
    and an earlier intact one is served; ``notice`` then says which and why.
    """
    handle = get_index()
    manifest = handle.manifest
    return {
        "status": "degraded" if handle.notice else "ok",
        "notice": handle.notice or None,
        "documents": manifest["documents"],
        "passages": manifest["passages"],
        "index_version": manifest["generation"],
        "format_version": manifest["format_version"],
        "built_at": manifest["built_at"],
    }
