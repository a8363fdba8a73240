"""Matching and ordering: every match scored once, then ordered and paged in Python.

Whoosh3's top-N collector gives a passage a different score depending on how
many results are asked for (its matcher replacement drops sub-queries once the
heap is full), so page 2 of a search could repeat page 1. Every match is scored
in one pass (:mod:`portal.search.scoring`), which yields the same scores every time;
the same pass gives the matching set that facets count over. Phrases are first
rewritten to the word-pair fields, which answer them without reading the
positions of every passage holding their words.
"""

from __future__ import annotations

import numpy as np
from whoosh.query import Every, Phrase, Query, Term

from indexer.analysis.analyzer import pair_term
from indexer.analysis.schema import PAIR_FIELDS
from portal.index.generation import Generation
from portal.search import signals

# The pair field answering each text field's phrases (see PairAnalyzer).
PAIRS_OF = {text: pairs for pairs, text in PAIR_FIELDS.items()}


def matching_query(query: Query, schema) -> Query:
    """Return ``query`` with its phrases over passage text answered by word pairs.

    A two-word phrase becomes its pair term: the same passages, found by one
    lookup. A longer phrase becomes the phrase of its pairs, whose positions are
    checked over posting lists far shorter than its words'. The result is for
    matching and scoring; highlighting and the query sentence keep the query as
    parsed.
    An index built before the pair field existed gets ``query`` back unchanged.
    """

    def swap(node: Query) -> Query:
        field = PAIRS_OF.get(getattr(node, "fieldname", None))
        if not (
            isinstance(node, Phrase)
            and field in schema
            and node.slop == 1
            and len(node.words) >= 2
        ):
            return node
        words = node.words
        pairs = [pair_term(a, b) for a, b in zip(words, words[1:], strict=False)]
        if len(pairs) == 1:
            return Term(field, pairs[0], boost=node.boost)
        return Phrase(field, pairs, boost=node.boost)

    return query.accept(swap)


def match(handle: Generation, query: Query, scored: bool) -> tuple[set[int], list]:
    """Return the passages ``query`` matches and, if ``scored``, them best first."""
    docs, scores = match_docs(handle, query, scored)
    ranked = best_first(docs, scores) if scores is not None else docs[:0]
    return set(docs.tolist()), ranked.tolist()


def match_docs(
    handle: Generation, query: Query, scored: bool
) -> tuple[np.ndarray, np.ndarray | None]:
    """Return the document numbers ``query`` matches (ascending int64) and, if
    ``scored``, their scores (float64, the same order; None when not scored)."""
    searcher = handle.searcher
    query = matching_query(query, searcher.schema)
    if isinstance(query, Every):
        every = list(searcher.reader().all_doc_ids())
        return np.array(sorted(every), np.int64), None
    if not scored:
        return handle.scorer.matches(query), None
    found, words, owns = handle.scorer.score_words(query)
    return signals.rerank(handle.scorer, words, owns, found)


def best_first(
    docs: np.ndarray, scores: np.ndarray, limit: int | None = None
) -> np.ndarray:
    """Return ``docs`` best score first, or only the first ``limit`` of that order.

    Equal scores keep the order of ``docs`` (ascending document numbers: index
    order, as Whoosh's collector breaks ties). With ``limit``, only the passages
    that can be among the first ``limit`` are sorted: those scoring above the
    ``limit``-th best score, and the first of those equal to it.
    """
    if limit is None or limit >= len(docs):
        return docs[np.argsort(-scores, kind="stable")]
    if limit <= 0:
        return docs[:0]
    threshold = np.partition(scores, len(scores) - limit)[len(scores) - limit]
    above = np.flatnonzero(scores > threshold)
    ties = np.flatnonzero(scores == threshold)[: limit - len(above)]
    chosen = np.sort(np.concatenate((above, ties)))
    return docs[chosen[np.argsort(-scores[chosen], kind="stable")]]


def by_date(handle: Generation, hits: list[int], sort: str) -> list[int]:
    """Return ``hits`` oldest first, or newest document first (``sort`` "newest"),
    each document's passages in order."""
    keys = handle.date_keys
    found = sorted(hits, key=keys.__getitem__)
    if sort == "newest":
        # Newest document first, but each document's passages still in order.
        found.sort(key=lambda n: keys[n][0], reverse=True)
    return found
