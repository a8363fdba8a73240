"""Ranking signals on top of BM25: what a reader means by a good match.

BM25 (:mod:`portal.search.scoring`) scores each word on its own and adds the
scores up, so a passage can rank on one common word repeated, or on the heading
sentence it inherits as its label. Each passage's score is multiplied by three
factors, each at most 1:

- **coverage**: the share of the query's words found in the passage's own text,
  each word weighted by its rarity (inverse document frequency), squared-ish so
  that holding more of the words, and the rare ones, dominates. A word found only
  in the inherited label counts a little (``LABEL_CREDIT``): context, not text.
- **adjacency**: passages where two query words stand side by side (looked up in
  the word-pair field, one term per pair) keep their score; others lose a share.
- **length**: a heading or a one-line passage is discounted against paragraphs
  that discuss the query.

The benchmark in ``bench/relevance.py`` chose the constants.
"""

from __future__ import annotations

import math

from whoosh import query as wq
from whoosh.util.numeric import byte_to_length

from indexer.analysis.analyzer import pair_term

LABEL_CREDIT = 0.25  # how much a word found only in the label counts
COVERAGE_FLOOR = 0.15  # the factor of a passage holding none of the words itself
COVERAGE_POWER = 2.0
ADJACENT_SHARE = 0.3  # what a passage of scattered words loses
SHORT_WORDS = 20  # passages shorter than this many words are discounted
SHORT_POWER = 0.5
_WORDS = [byte_to_length(n) for n in range(256)]


def word_stems(clause: wq.Query) -> set[str]:
    """Return the passage-text terms a query word matches (its alternatives too)."""
    return {
        leaf.text
        for leaf in clause.leaves()
        if isinstance(leaf, wq.Term) and leaf.fieldname == "text"
    }


def _idf(total: int, count: int) -> float:
    """Return the rarity weight of a word found in ``count`` of ``total`` passages."""
    return math.log(1 + total / (1 + count))


def _adjacent(scorer, words: list, hits: dict[int, float]) -> set[int]:
    """Return the passages where two neighbouring query words stand together."""
    if "pairs" not in scorer.searcher.schema or len(words) < 2:
        return set()
    stems = [word_stems(w) for w in words]
    found: set[int] = set()
    for first, second in zip(stems, stems[1:], strict=False):
        for a in first:
            for b in second:
                found |= scorer.docs("pairs", pair_term(a, b))
    return found.intersection(hits)


def rerank(
    scorer, words: list, owns: list[set[int]], scores: dict[int, float]
) -> dict[int, float]:
    """Return ``scores`` multiplied by the coverage, adjacency and length factors.

    ``words`` are the query's words (queries) and ``owns`` the passages holding
    each in their own text, as :meth:`Scorer.score_words` returns them.
    """
    if not scores:
        return scores
    searcher = scorer.searcher
    total = searcher.doc_count()
    weights = [_idf(total, len(own)) if own else 0.0 for own in owns]
    whole = sum(weights) or 1.0
    adjacent = _adjacent(scorer, words, scores) if len(words) > 1 else None
    lengths = scorer.text_length_bytes()
    ranked = {}
    for docnum, score in scores.items():
        held = sum(w for w, own in zip(weights, owns, strict=True) if docnum in own)
        share = held / whole
        if not held:
            share = LABEL_CREDIT / max(1, len(owns))
        factor = COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * share**COVERAGE_POWER
        if adjacent is not None and docnum not in adjacent:
            factor *= 1 - ADJACENT_SHARE
        size = _WORDS[lengths[docnum]] if docnum < len(lengths) else SHORT_WORDS
        if size < SHORT_WORDS:
            factor *= ((size + 1) / (SHORT_WORDS + 1)) ** SHORT_POWER
        ranked[docnum] = score * factor
    return ranked
