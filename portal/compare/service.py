"""Compare how a theme is talked about across years, with the passages themselves.

One column per year: how many passages match the theme, their share of that
year's passages, the best matches highlighted, and the words the year uses more
than the others. Echoes link passages of different years that share wording.
Facet filters (author, force, type) narrow every column and every year's total
alike, so shares stay comparable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh.query import Query

from portal.compare import theme_cache
from portal.compare.distinctive import log_odds, prior_from_frequencies
from portal.compare.echoes import find_echoes
from portal.compare.pools import (
    ECHO_LIMIT,
    IGNORED_FIELDS,
    TERMS_POOL,
    YearPool,
    passage_query,
    rank_by_year,
    read_pool,
)
from portal.compare.scope import (
    allowed_documents,
    available_years,
    facet_choices,
    year_scope,
)
from portal.compare.theme_data import ThemeData
from portal.compare.themes import Theme
from portal.index.generation import Generation
from portal.index.handle import get_index
from portal.search.highlight import mark, query_terms
from portal.search.links import diff_url, doc_url, query_url
from portal.search.service import parse_query, passage_record

__all__ = [
    "IGNORED_FIELDS",
    "CompareRequest",
    "allowed_documents",
    "available_years",
    "compare",
    "facet_choices",
    "passage_query",
    "year_scope",
]
BADGES = 5


@dataclass
class CompareRequest:
    """A theme or a query, the years to put side by side, and facet filters."""

    q: str
    theme: Theme | None = None
    years: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    per_column: int = 10


def _search_url(q: str, year: str, filters: dict[str, list[str]]) -> str:
    """Return the search page for ``q`` in ``year`` with the comparison's filters."""
    args = [("year", year)]
    args += [(name, v) for name, values in filters.items() for v in values]
    return query_url(q, args)


def _direct_pools(
    handle: Generation, query: Query, scopes: dict[str, frozenset[int]], shown: int
) -> tuple[dict[str, int], dict[str, YearPool], list[dict]]:
    """Rank ``query``'s matches and read each year's pool and echoes from the index."""
    everything = sum(len(s) for s in scopes.values()) >= handle.searcher.doc_count_all()
    wanted = None if everything else set().union(*scopes.values())
    if wanted is not None and not wanted:  # an empty filter means "no filter"
        ranked = {}
    else:
        ranked = rank_by_year(handle, query, wanted)
    terms = query_terms(query, handle.searcher.reader())
    counts = {y: len(ranked.get(y, ())) for y in scopes}
    pools = {
        y: read_pool(handle, y, ranked.get(y, [])[:TERMS_POOL], terms, shown)
        for y in scopes
    }
    candidates = [c for pool in pools.values() for c in pool.candidates]
    return counts, pools, find_echoes(candidates)[:ECHO_LIMIT]


def _theme_pools(
    handle: Generation,
    data: ThemeData,
    scopes: dict[str, frozenset[int]],
    allowed: set[int] | None,
    shown: int,
) -> tuple[dict[str, int], dict[str, YearPool], list[dict]]:
    """Take each year's matches from a theme's precomputed data.

    Without facet filters the pools, their words, spans and echoes are
    precomputed too; with them, only the matching is, and the pools are read.
    """
    counts, pools = {}, {}
    if allowed is None:
        for year in scopes:
            counts[year] = data.matches(year, None)[0]
            pools[year] = data.pool(handle, year, shown)
        return counts, pools, data.top_echoes(list(scopes))
    terms = query_terms(
        passage_query(parse_query(data.query, handle)), handle.searcher.reader()
    )
    for year, scope in scopes.items():
        counts[year], docnums = data.matches(year, scope)
        pools[year] = read_pool(handle, year, docnums, terms, shown)
    candidates = [c for pool in pools.values() for c in pool.candidates]
    return counts, pools, find_echoes(candidates)[:ECHO_LIMIT]


def _column(handle, pool: YearPool, total, in_year, q, req: CompareRequest) -> dict:
    """Return a year's column: its share, its best passages marked, no terms yet."""
    passages = []
    for stored, spans in zip(pool.stored[: req.per_column], pool.spans, strict=False):
        record = passage_record(handle, stored)
        record["snippet"] = mark(record["text"], spans)
        record["doc_url"] = doc_url(record["doc_id"], record["id"], q)
        record["echoes"] = []
        passages.append(record)
    return {
        "year": int(pool.year),
        "total": total,
        "year_total": in_year,
        "share": round(total / in_year, 6) if in_year else 0.0,
        "percent": f"{100 * total / in_year:.1f}%" if in_year else "–",
        "shown": len(passages),
        "more_url": _search_url(q, pool.year, req.filters),
        "passages": passages,
        "terms": [],
    }


def _add_terms(columns: list[dict], pools: list[YearPool], frequency, total, filters):
    """Add each column's distinctive terms, against the other columns' words."""
    counts = {int(p.year): p.stems for p in pools}
    vocabulary = set().union(*counts.values()) if counts else set()
    frequencies = {w: frequency(w) for w in vocabulary}
    prior = prior_from_frequencies(frequencies, total)
    scored = log_odds(counts, prior) if len(columns) > 1 else {}
    for column, pool in zip(columns, pools, strict=True):
        year = column["year"]
        for term in scored.get(year, []):
            word = pool.words[term["term"]]
            term["word"] = word
            term["url"] = _search_url(
                f'"{word}"' if " " in word else word, str(year), filters
            )
            column["terms"].append(term)


def _add_echoes(columns: list[dict], echoes: list[dict]) -> list[dict]:
    """Give each shown passage badges for its echoes; return the echoes linked."""
    by_id = {p["id"]: p for column in columns for p in column["passages"]}
    for echo in echoes:
        echo["diff_url"] = diff_url(echo["a"], echo["b"])
        for mine, other, year in (("a", "b", "b_year"), ("b", "a", "a_year")):
            if echo[mine] in by_id and len(by_id[echo[mine]]["echoes"]) < BADGES:
                by_id[echo[mine]]["echoes"].append(
                    {
                        "id": echo[other],
                        "year": int(echo[year]),
                        "score": echo["score"],
                        "diff_url": echo["diff_url"],
                        "anchor": f"#p-{echo[other]}" if echo[other] in by_id else "",
                    }
                )
    return echoes


def effective_query(req: CompareRequest) -> str:
    """Return the query text a request runs: its theme's query or its own."""
    return req.theme.query if req.theme else req.q


def compare(req: CompareRequest) -> dict:
    """Return one column per requested year, distinctive terms and echoes.

    A curated theme's matches come precomputed (:mod:`portal.compare.theme_cache`); a
    generation never changes once built, so a comparison is also remembered per
    generation for repeated requests (see :meth:`Generation.remember`), each
    caller getting a copy of its own.
    """
    handle = get_index()
    key = (
        "compare",
        effective_query(req),
        req.theme.id if req.theme else "",
        tuple(req.years),
        tuple(sorted((k, tuple(v)) for k, v in req.filters.items())),
        req.per_column,
    )
    return handle.remember(key, lambda: _compare(handle, req))


def _compare(handle: Generation, req: CompareRequest) -> dict:
    q = effective_query(req)
    years = req.years or available_years(handle)
    allowed = allowed_documents(handle, req.filters)
    scopes = {y: year_scope(handle, y, allowed) for y in years}
    if allowed is not None and all(
        len(scopes[y]) == len(handle.year_documents[y]) for y in years
    ):
        allowed = None  # the filters keep every passage of the years asked for
    reader = handle.searcher.reader()
    if req.theme is not None and req.per_column <= TERMS_POOL:
        data = theme_cache.theme_data(handle, req.theme)
        counts, pools, echoes = _theme_pools(
            handle, data, scopes, allowed, req.per_column
        )
        frequency = data.frequency if allowed is None else _text_frequency(reader)
    else:
        query = passage_query(parse_query(q, handle))
        counts, pools, echoes = _direct_pools(handle, query, scopes, req.per_column)
        frequency = _text_frequency(reader)
    columns = [
        _column(handle, pools[y], counts[y], len(scopes[y]), q, req) for y in years
    ]
    total = reader.field_length("text")
    _add_terms(columns, [pools[y] for y in years], frequency, total, req.filters)
    return {
        "query": q,
        "theme": req.theme.to_dict() if req.theme else None,
        "years": [int(y) for y in years],
        "filters": req.filters,
        "columns": columns,
        "echoes": _add_echoes(columns, echoes),
    }


def _text_frequency(reader):
    """Return a function giving a stem's frequency in the passages' text."""
    return lambda term: reader.frequency(_frequency_field(term), term)


def _frequency_field(term: str) -> str:
    """Return the field counting a term: two-word phrases live in ``pairs``."""
    return "pairs" if " " in term else "text"
