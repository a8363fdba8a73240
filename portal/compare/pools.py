"""Each year's best matches for a comparison, and what is derived from them.

A comparison ranks a query's matches in one scoring pass, keeps each year's best
``TERMS_POOL`` passages (the year's pool), and derives from the pool the words
the year uses, the passages that may echo another year's, and the highlighted
spans of the passages shown. The same functions serve a comparison computed on
request and the per-theme data precomputed once per generation
(:mod:`portal.compare.theme_cache`), so the two give the same answer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from whoosh.query import NullQuery, Query

from portal.compare.distinctive import count_words
from portal.compare.echoes import Candidate
from portal.index.generation import Generation
from portal.search import ranking
from portal.search.highlight import match_spans

# A document's title (and a passage's section path) match every passage under
# them, which would make a theme named in a report's title cover all of it.
IGNORED_FIELDS = {"title", "section"}
# Words are counted and echoes sought over each year's best matches, not all of
# them, so a broad theme costs the same at 100k passages as at 1k.
TERMS_POOL = 50
ECHO_POOL = 25
# Echoes shown at most: a corpus that repeats itself (a report quoting last
# year's) can echo hundreds of times; the strongest are worth a reader's time.
ECHO_LIMIT = 100


@dataclass
class YearPool:
    """A year's best matches and what a comparison derives from them."""

    year: str
    docnums: list[int]  # best first, at most the pool size
    stems: Counter[str]  # content-word stems counted over the pool
    words: dict[str, str]  # each stem's commonest word in the pool
    spans: list[list[tuple[int, int]]]  # highlighted spans of the first passages
    stored: list[dict]  # stored fields of (at least) the passages shown
    candidates: list[Candidate] = field(default_factory=list)  # for echoes


def passage_query(query: Query) -> Query:
    """Return ``query`` without its clauses on titles and section paths."""
    stripped = query.accept(
        lambda q: NullQuery if q.field() in IGNORED_FIELDS else q
    ).normalize()
    return stripped


def rank_by_year(
    handle: Generation, query: Query, wanted: set[int] | None = None
) -> dict[str, list[int]]:
    """Return every match of ``query`` (within ``wanted``) per year, best first.

    One scoring pass (:func:`portal.search.ranking.match`) serves every year: the
    matches are grouped by the year array rather than their stored fields, so no
    stored passage is read. Equal scores are in document-number order, so
    keeping only some documents (a facet filter) never reorders the others.
    """
    _, best_first = ranking.match(handle, query, scored=True)
    years = handle.values["year"]
    ranked: dict[str, list[int]] = {}
    for docnum in best_first:
        if wanted is not None and docnum not in wanted:
            continue
        for year in years[docnum]:
            ranked.setdefault(year, []).append(docnum)
    return ranked


def read_pool(
    handle: Generation, year: str, docnums: list[int], terms, spans_for: int
) -> YearPool:
    """Read a year's pool from the index: its words, echo candidates and spans.

    Spans are worked out for the first ``spans_for`` passages only (the ones a
    column shows): running the analyzer over a passage is the costly part.
    """
    stored = [handle.searcher.stored_fields(n) for n in docnums]
    texts = [s.get("text", "") for s in stored]
    stems, forms = count_words(texts)
    candidates = [
        Candidate(s["id"], year, s.get("text", ""))
        for rank, s in enumerate(stored)
        if rank < ECHO_POOL and s.get("kind") != "heading"
    ]
    return YearPool(
        year=year,
        docnums=list(docnums),
        stems=stems,
        words={stem: c.most_common(1)[0][0] for stem, c in forms.items()},
        spans=[match_spans(text, terms) for text in texts[:spans_for]],
        stored=stored,
        candidates=candidates,
    )
