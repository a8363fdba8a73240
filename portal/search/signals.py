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

import numpy as np
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


def _adjacent(scorer, words: list) -> np.ndarray:
    """Return which passages hold two neighbouring query words side by side.

    A bool array by document number (none where the index has no word pairs).
    """
    found = np.zeros(scorer.size, bool)
    if "pairs" not in scorer.searcher.schema or len(words) < 2:
        return found
    stems = [word_stems(w) for w in words]
    for first, second in zip(stems, stems[1:], strict=False):
        for a in first:
            for b in second:
                found |= scorer.docs("pairs", pair_term(a, b))
    return found


def _coverage(weights: list[float], held) -> float:
    """Return the coverage factor of a passage holding some of the query's words.

    ``held[i]`` says whether the passage's own text holds word ``i``.
    """
    share = sum(w for w, has in zip(weights, held, strict=True) if has)
    whole = sum(weights) or 1.0
    if share:
        share = share / whole
    else:
        share = LABEL_CREDIT / max(1, len(weights))
    return COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * share**COVERAGE_POWER


def _combinations(held: list[np.ndarray]) -> tuple[list[list[bool]], np.ndarray]:
    """Return the distinct rows of the columns ``held`` (bool), and each row's.

    Row ``n`` is ``[column[n] for column in held]``; the second value gives, per
    row, the index of its combination in the first.
    """
    if len(held) > 62:  # too many words for the bits of one integer
        rows, at = np.unique(np.stack(held, axis=1), axis=0, return_inverse=True)
        return [row.tolist() for row in rows], at.reshape(-1)
    bits = np.zeros(len(held[0]), np.int64)
    for i, column in enumerate(held):
        bits |= column.astype(np.int64) << i
    codes, at = np.unique(bits, return_inverse=True)
    rows = [[bool(code >> i & 1) for i in range(len(held))] for code in codes.tolist()]
    return rows, at


# Each one-byte length code's discount (1.0: long enough for none).
_SHORT = [
    ((size + 1) / (SHORT_WORDS + 1)) ** SHORT_POWER if size < SHORT_WORDS else 1.0
    for size in _WORDS
]
_IS_SHORT = np.array([size < SHORT_WORDS for size in _WORDS])
_SHORT_FACTOR = np.array(_SHORT, np.float64)


def rerank(
    scorer, words: list, owns: list[np.ndarray], found
) -> tuple[np.ndarray, np.ndarray]:
    """Return the matches' document numbers (ascending) and their reranked scores.

    Each BM25F score is multiplied by the coverage, adjacency and length
    factors. ``found`` is the :class:`~portal.search.scored.Scored` of the
    query, ``words`` its words (queries) and ``owns`` which passages hold each in
    their own text (bool arrays), as :meth:`Scorer.score_words` returns them.
    The factors are computed as Python floats, per distinct combination of
    words held and per length code, then spread over the matches as arrays.
    """
    docs = found.docs()
    if not len(docs):
        return docs, np.zeros(0, np.float64)
    total = scorer.searcher.doc_count()
    counts = [int(np.count_nonzero(own)) for own in owns]
    weights = [_idf(total, n) if n else 0.0 for n in counts]
    # Passages share few combinations of the words they hold: one factor each.
    combos, at = _combinations([own[docs] for own in owns])
    table = [_coverage(weights, held) for held in combos]
    factor = np.array(table, np.float64)[at]
    adjacent = _adjacent(scorer, words) if len(words) > 1 else None
    if adjacent is not None:
        apart = ~adjacent[docs]
        factor[apart] = factor[apart] * (1 - ADJACENT_SHARE)
    lengths = scorer.text_lengths()
    codes = lengths[docs]
    short = _IS_SHORT[codes]
    factor[short] = factor[short] * _SHORT_FACTOR[codes[short]]
    return docs, found.scores[docs] * factor
