"""The search service: parse a query, run it, count facets, return plain data.

Views never touch Whoosh; they call :func:`search` and render what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from markupsafe import Markup
from whoosh.query import Every, Query, TermRange

from indexer.analysis.acronyms import read_acronyms
from indexer.analysis.vocabulary import read_vocabulary
from portal.index.generation import Generation
from portal.index.handle import get_index
from portal.index.names import display_name
from portal.search import advice, cost, lookup, ranking
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
from portal.search.links import pager, search_url
from portal.search.query import ParsedQuery, parse
from portal.search.records import (  # noqa: F401 (their home before the split)
    document_hits,
    get_passage,
    health,
    list_documents,
    passage_record,
)

# The request and result types live in request.py; their names stay importable here.
from portal.search.request import (  # noqa: E402
    SORTS,
    TEXT_FIELDS,
    BadRequestError,
    SearchRequest,
    SearchResult,
)
from portal.search.spelling import correct
from portal.search.tidy import tidy


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


def _date_docs(handle: Generation, req: SearchRequest) -> np.ndarray | None:
    """Return the passages dated inside the request's range, a bool array by
    document number (None: no range)."""
    if not (req.date_from or req.date_to):
        return None
    query = TermRange(
        "date", req.date_from or "0000-00-00", req.date_to or "9999-12-31"
    )
    docs = np.fromiter(query.docs(handle.searcher), np.int64)
    return facet_counts.passages_mask(handle, docs)


def _term_exists(handle: Generation):
    """Return a test of whether the index holds a stem in a searched field."""
    reader = handle.searcher.reader()
    return lambda stem: any(reader.doc_frequency(f, stem) for f in TEXT_FIELDS)


@dataclass
class Matches:
    """Every passage a request matches, before ordering and paging.

    Matches and hits are int64 arrays of document numbers, so a search matching
    hundreds of thousands of passages never turns them into Python objects;
    :attr:`hits` gives them as a set for callers that want one.
    """

    handle: Generation
    req: SearchRequest
    parsed: ParsedQuery | None  # None for an empty query
    query: Query
    matching_docs: np.ndarray  # matches of the query alone (ascending), for facets
    hit_scores: np.ndarray | None  # in hit_docs order (None: not scored)
    hit_docs: np.ndarray  # matches passing every filter, ascending
    dates: np.ndarray | None  # bool by document number: inside the date range
    q_run: str  # the query run: the request's, or its correction
    suggestion: str | None = None
    corrected: str | None = None
    offers: list[dict] = field(default_factory=list)  # author/recipient filters

    @cached_property
    def hits(self) -> set[int]:
        """Return the hits as a set of document numbers."""
        return set(self.hit_docs.tolist())

    def ordered(self, limit: int | None = None, page: int | None = None) -> list[int]:
        """Return the hits' document numbers in the order asked, a page or ``limit``."""
        if page is not None:
            start = (page - 1) * self.req.per_page
            limit = start + self.req.per_page
        else:
            start = 0
        if self.req.sort == "relevance" and self.hit_scores is not None:
            best = ranking.best_first(self.hit_docs, self.hit_scores, limit)
            return best[start:limit].tolist()
        found = ranking.by_date(self.handle, self.hit_docs.tolist(), self.req.sort)
        return found[start:limit]


def _match(handle: Generation, q: str, req: SearchRequest, restrict, said=()):
    """Return the parsed query (None if empty), the query, its matches, the hits'
    scores (None when not scored) and the hits (matches and hits ascending int64).

    ``said`` are the metadata terms taken out of ``q`` (see :mod:`lookup`).
    """
    if not q.strip():
        query: Query = Every()
        parsed = ParsedQuery(query, " ".join(said)) if said else None
    else:
        parsed = _parse(q, handle, req.expand)
        query = parsed.query
        cost.check_terms(query, handle.searcher.reader())
        if said:
            parsed.understood = " ".join([parsed.understood, *said])
    docs, scores = ranking.match_docs(handle, query, scored=req.sort == "relevance")
    if restrict is None:
        return parsed, query, docs, scores, docs
    kept = restrict[docs]
    return parsed, query, docs, None if scores is None else scores[kept], docs[kept]


def _by_name(found: Matches, meta: lookup.Lookup, restrict, offers) -> Matches:
    """Answer a query by the documents the people it names wrote or received."""
    handle, req = found.handle, found.req
    named = lookup.by_name(meta, offers)
    allowed = lookup.allowed(handle, named, restrict)
    again = _match(handle, named.q, req, allowed, named.said)
    if not len(again[-1]):
        return found
    found = Matches(handle, req, *again, found.dates, req.q, offers=found.offers)
    who = " and ".join(sorted({o["value"] for o in offers}))
    found.parsed.notices.append(
        f"{who} is named by no passage; showing the documents of {who}."
    )
    return found


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
    restrict = facet_counts.allowed_mask(handle, req.filters)
    if dates is not None:
        restrict = dates if restrict is None else restrict & dates
    meta = lookup.lookup(tidy(req.q), handle.documents)
    restrict = lookup.allowed(handle, meta, restrict)
    found = Matches(
        handle, req, *_match(handle, meta.q, req, restrict, meta.said), dates, req.q
    )
    if not meta.q.strip():
        return found
    found.offers = lookup.name_offers(
        meta.q, handle.documents, lookup.in_text(handle), lookup.served_names(handle)
    )
    whole = [o for o in found.offers if o["whole"]]
    if req.correct and (whole or found.offers and not len(found.hit_docs)):
        # A whole name typed ("Theresa May"), or a name when the words find nothing.
        return _by_name(found, meta, restrict, whole or found.offers)
    parsed = found.parsed
    source = meta.q if parsed is None or not parsed.fallback else parsed.understood
    names = frozenset(o["word"].lower() for o in found.offers)
    fix = correct(source, lexicon(handle), _term_exists(handle), names)
    if fix is None:
        return found
    if not len(found.hit_docs) and req.correct and fix.confident:
        again = _match(handle, fix.text, req, restrict)
        if len(again[-1]):
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
    total = len(found.hit_docs)
    # Ordering every match is the costly part: done only for the groups; a flat
    # page sorts only the passages that can be on it, and the documents behind
    # the matches are counted without ordering them.
    if request.group:
        doc_column = handle.values["doc"]  # made on a worker's first grouped answer
        groups = group_by_document(found.ordered(), lambda n: doc_column[n][0])
        documents = len(groups)
    else:
        hits = facet_counts.passages_mask(handle, found.hit_docs)
        documents = int(np.count_nonzero(handle.facet_codes["doc"].counts(hits)))
    units = documents if request.group else total
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
        facets=facet_counts.count_facets(
            handle, found.matching_docs, request, found.dates
        ),
        description=describe(total, parsed, request, handle),
        suggestion=found.suggestion,
        corrected=found.corrected,
        expansions=expansion_chips(handle, parsed) if parsed else [],
        understood=parsed.understood if parsed else "",
        notices=notices,
        offers=lookup.offer_links(request, found.offers),
        hints=[]
        if total or found.corrected or found.suggestion or not request.q.strip()
        else advice.nothing_found(request, _term_exists(handle), handle.documents),
        chips=facet_counts.chips(handle, request),
        pager=pager(request, page, pages),
        links=result_links(request, found.suggestion, found.corrected, parsed),
        echo=echo(request, page),
        grouped=request.group,
        groups=grouped,
        documents=documents,
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
