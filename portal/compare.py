"""Compare how a theme is talked about across years, with the passages themselves.

One column per year: how many passages match the theme, their share of that
year's passages, the best matches highlighted, and the words the year uses more
than the others. Echoes link passages of different years that share wording.
Facet filters (author, force, type) narrow every column and every year's total
alike, so shares stay comparable.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field
from urllib.parse import urlencode

from whoosh.query import NullQuery, Query

from indexer.gazetteer import FORCE_BY_CODE
from portal.distinctive import count_words, log_odds, prior_from_frequencies
from portal.echoes import Candidate, find_echoes
from portal.index import IndexHandle, get_index
from portal.search import highlight_text, parse_query, passage_record
from portal.themes import Theme

# A document's title (and a passage's section path) match every passage under
# them, which would make a theme named in a report's title cover all of it.
IGNORED_FIELDS = {"title", "section"}
# Words are counted and echoes sought over each year's best matches, not all of
# them, so a broad theme costs the same at 100k passages as at 1k.
TERMS_POOL = 50
ECHO_POOL = 25
ECHO_LIMIT = 100
BADGES = 5
_lock = threading.Lock()
_year_docs: dict[str, dict[str, frozenset[int]]] = {}
_results: dict[tuple, dict] = {}
RESULTS_CACHED = 64


@dataclass
class CompareRequest:
    """A theme or a query, the years to put side by side, and facet filters."""

    q: str
    theme: Theme | None = None
    years: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    per_column: int = 10


def passage_query(query: Query) -> Query:
    """Return ``query`` without its clauses on titles and section paths."""
    stripped = query.accept(
        lambda q: NullQuery if q.field() in IGNORED_FIELDS else q
    ).normalize()
    return stripped


def year_documents(handle: IndexHandle) -> dict[str, frozenset[int]]:
    """Return the document numbers of each year, computed once per generation."""
    key = str(handle.path)
    with _lock:
        cached = _year_docs.get(key)
    if cached is not None:
        return cached
    by_year: dict[str, set[int]] = {}
    for docnum, values in enumerate(handle.values["year"]):
        for year in values:
            by_year.setdefault(year, set()).add(docnum)
    result = {y: frozenset(d) for y, d in sorted(by_year.items())}
    with _lock:
        _year_docs.clear()  # only the served generation is worth keeping
        _year_docs[key] = result
    return result


def facet_choices(handle: IndexHandle | None = None) -> dict[str, list[dict]]:
    """Return the values the author, force and type filters can take, with labels."""
    handle = handle or get_index()
    choices = {}
    for name in ("author", "force", "type"):
        values = sorted(
            {v for vals in handle.values[name] for v in vals}, key=str.lower
        )
        choices[name] = [
            {
                "value": v,
                "label": FORCE_BY_CODE[v].name
                if name == "force" and v in FORCE_BY_CODE
                else v,
            }
            for v in values
        ]
    return choices


def available_years(handle: IndexHandle | None = None) -> list[str]:
    """Return every year with passages in the index, oldest first."""
    return list(year_documents(handle or get_index()))


def allowed_documents(
    handle: IndexHandle, filters: dict[str, list[str]]
) -> set[int] | None:
    """Return the document numbers passing every facet filter, or None for all."""
    allowed = None
    for name, chosen in filters.items():
        wanted = set(chosen)
        column = handle.values[name]
        docs = {n for n, vals in enumerate(column) if wanted.intersection(vals)}
        allowed = docs if allowed is None else allowed & docs
    return allowed


def year_scope(
    handle: IndexHandle, year: str, allowed: set[int] | None
) -> frozenset[int]:
    """Return the document numbers of ``year`` passing the facet filters."""
    docs = year_documents(handle).get(year, frozenset())
    return docs if allowed is None else docs & allowed


def _doc_url(record: dict, q: str) -> str:
    return f"/docs/{record['doc_id']}?{urlencode({'hl': q})}#{record['id']}"


def _search_url(q: str, year: str, filters: dict[str, list[str]]) -> str:
    args = [("q", q), ("year", year)]
    args += [(name, v) for name, values in filters.items() for v in values]
    return "/search?" + urlencode(args)


def _ranked_by_year(
    handle, query, scopes: dict[str, frozenset[int]], pool: int
) -> tuple[dict[str, int], dict[str, list]]:
    """Return each year's number of matches and its best ``pool`` hits, best first.

    One scoring pass serves every column: the hits are grouped by the year array
    rather than their stored fields, so only the hits kept are ever loaded.
    """
    counts = {y: 0 for y in scopes}
    everything = sum(len(s) for s in scopes.values()) >= handle.searcher.doc_count_all()
    wanted = None if everything else set().union(*scopes.values())
    if wanted is not None and not wanted:  # an empty filter means "no filter"
        return counts, {}
    results = handle.searcher.search(query, filter=wanted, limit=None)
    years = handle.values["year"]
    kept: dict[str, list[int]] = {y: [] for y in scopes}
    for position, (_, docnum) in enumerate(results.top_n):
        for year in years[docnum]:
            if year in counts and docnum in scopes[year]:
                counts[year] += 1
                if len(kept[year]) < pool:
                    kept[year].append(position)
    return counts, {y: [results[p] for p in ps] for y, ps in kept.items()}


def _column(handle, year, total, in_year, hits, q, query, filters, per_column) -> dict:
    passages, texts, candidates = [], [], []
    for rank, hit in enumerate(hits):
        stored = hit.fields()
        texts.append(stored.get("text", ""))
        if rank < ECHO_POOL and stored.get("kind") != "heading":
            candidates.append(Candidate(stored["id"], year, stored.get("text", "")))
        if rank < per_column:
            record = passage_record(handle, stored)
            record["snippet"] = str(highlight_text(record["text"], query, handle))
            record["doc_url"] = _doc_url(record, q)
            record["echoes"] = []
            passages.append(record)
    return {
        "year": int(year),
        "total": total,
        "year_total": in_year,
        "share": round(total / in_year, 6) if in_year else 0.0,
        "percent": f"{100 * total / in_year:.1f}%" if in_year else "–",
        "shown": len(passages),
        "more_url": _search_url(q, year, filters),
        "passages": passages,
        "terms": [],
        "_texts": texts,
        "_candidates": candidates,
    }


def _add_terms(handle, columns: list[dict], q: str, filters) -> None:
    counts, forms = {}, {}
    for column in columns:
        counts[column["year"]], forms[column["year"]] = count_words(column["_texts"])
    reader = handle.searcher.reader()
    vocabulary = set().union(*counts.values()) if counts else set()
    frequencies = {w: reader.frequency("text", w) for w in vocabulary}
    prior = prior_from_frequencies(frequencies, reader.field_length("text"))
    scored = log_odds(counts, prior) if len(columns) > 1 else {}
    for column in columns:
        year = column["year"]
        for term in scored.get(year, []):
            word = forms[year][term["term"]].most_common(1)[0][0]
            term["word"] = word
            term["url"] = _search_url(word, str(year), filters)
            column["terms"].append(term)


def _add_echoes(columns: list[dict]) -> list[dict]:
    candidates = [c for column in columns for c in column["_candidates"]]
    # A corpus that repeats itself (a report quoting last year's) can echo
    # hundreds of times; the strongest are the ones worth a reader's time.
    echoes = find_echoes(candidates)[:ECHO_LIMIT]
    by_id = {p["id"]: p for column in columns for p in column["passages"]}
    for echo in echoes:
        echo["diff_url"] = "/diff?" + urlencode({"a": echo["a"], "b": echo["b"]})
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

    A generation never changes once built, so a comparison is remembered per
    generation: a theme costs one Whoosh pass per worker, then nothing.
    """
    handle = get_index()
    key = (
        str(handle.path),
        effective_query(req),
        req.theme.id if req.theme else "",
        tuple(req.years),
        tuple(sorted((k, tuple(v)) for k, v in req.filters.items())),
        req.per_column,
    )
    with _lock:
        cached = _results.get(key)
    if cached is not None:
        return copy.deepcopy(cached)
    result = _compare(handle, req)
    with _lock:
        if len(_results) >= RESULTS_CACHED:
            _results.pop(next(iter(_results)))  # the oldest entry goes first
        _results[key] = result
    return copy.deepcopy(result)


def _compare(handle: IndexHandle, req: CompareRequest) -> dict:
    q = effective_query(req)
    query = passage_query(parse_query(q, handle))
    years = req.years or available_years(handle)
    allowed = allowed_documents(handle, req.filters)
    scopes = {y: year_scope(handle, y, allowed) for y in years}
    pool = max(req.per_column, TERMS_POOL)
    counts, ranked = _ranked_by_year(handle, query, scopes, pool)
    columns = [
        _column(
            handle,
            y,
            counts[y],
            len(scopes[y]),
            ranked.get(y, []),
            q,
            query,
            req.filters,
            req.per_column,
        )
        for y in years
    ]
    _add_terms(handle, columns, q, req.filters)
    echoes = _add_echoes(columns)
    for column in columns:
        del column["_texts"], column["_candidates"]
    return {
        "query": q,
        "theme": req.theme.to_dict() if req.theme else None,
        "years": [int(y) for y in years],
        "filters": req.filters,
        "columns": columns,
        "echoes": echoes,
    }
