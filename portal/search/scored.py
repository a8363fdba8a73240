"""What scoring one clause of a query yields, and how an OR rewards coordination.

:class:`Scored` is the value :class:`portal.search.scoring.Scorer` passes up the
query tree: arrays over every document number of the index, so AND, OR and NOT
are elementwise operations instead of a Python step per passage
(:func:`all_of`, :func:`minus`, :func:`maybe`). :func:`coordinate` is Whoosh's
``CoordMatcher`` formula, so scores stay equal to Whoosh's own.

The arithmetic is the same, operation for operation, as adding Python floats
passage by passage: a clause's scores are added in the clause order, and adding
0.0 where a clause does not match leaves a float unchanged, so every score is
bit for bit what a per-passage sum gives.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Scored:
    """The passages a clause matches: score, and how many of its terms matched.

    Every array has one entry per document number (``size`` of them); a passage
    the clause does not match has ``hit`` False, score 0.0 and count 0.
    """

    scores: np.ndarray  # float64 BM25F score
    matched: np.ndarray  # int32 terms of the clause the passage matched
    hit: np.ndarray  # bool: the clause matches the passage
    terms: int = 0  # terms in the clause, for coordination
    # Passages matched in their own words (text or its pairs), not only through
    # an inherited label or section: what the ranking signals count.
    own: np.ndarray | None = None  # bool; None: none

    @classmethod
    def empty(cls, size: int, terms: int = 0) -> Scored:
        """Return a clause matching nothing over ``size`` document numbers."""
        return cls(
            np.zeros(size, np.float64),
            np.zeros(size, np.int32),
            np.zeros(size, bool),
            terms,
        )

    @classmethod
    def of(cls, size: int, scores: dict[int, float], terms: int, own: bool) -> Scored:
        """Return a clause from ``{docnum: score}``, each passage matching ``terms``.

        ``own``: whether the matches are in the passages' own words.
        """
        found = cls.empty(size, terms)
        if scores:
            docs = np.fromiter(scores, np.int64, len(scores))
            found.scores[docs] = np.fromiter(scores.values(), np.float64, len(scores))
            found.matched[docs] = terms
            found.hit[docs] = True
            if own:
                found.own = found.hit.copy()
        return found

    def docs(self) -> np.ndarray:
        """Return the matching document numbers, ascending (int64)."""
        return np.flatnonzero(self.hit)

    def as_dict(self) -> dict[int, float]:
        """Return ``{docnum: score}`` of the matches, ascending document numbers."""
        docs = self.docs()
        return dict(zip(docs.tolist(), self.scores[docs].tolist(), strict=True))

    def own_or_none(self) -> np.ndarray:
        """Return :attr:`own` as an array (all False when None)."""
        return self.own if self.own is not None else np.zeros(len(self.hit), bool)


def coordinate(found: Scored, scale: float) -> None:
    """Reward passages matching more of the clause's terms (Whoosh's SQR)."""
    count = found.terms
    if count <= 1 or count == scale:
        return
    keep = (count - 1) / count
    step = (count - scale) ** 2
    hit = found.hit
    found.scores[hit] = (found.scores[hit] + (found.matched[hit] - 1) / step) * keep


def all_of(parts: list[Scored], size: int) -> Scored:
    """Keep the passages every clause matches, adding their scores."""
    # Scores are added fewest matches first, as the per-passage sum was.
    parts = sorted(parts, key=lambda p: int(np.count_nonzero(p.hit)))
    common = np.logical_and.reduce([p.hit for p in parts])
    found = Scored.empty(size, sum(p.terms for p in parts))
    for part in parts:
        found.scores += part.scores
        found.matched += part.matched
    found.scores[~common] = 0.0
    found.matched[~common] = 0
    found.hit = common
    found.own = common & np.logical_or.reduce([p.own_or_none() for p in parts])
    return found


def minus(kept: Scored, dropped: Scored) -> Scored:
    """Keep the passages of ``kept`` that ``dropped`` does not match."""
    gone = dropped.hit
    kept.scores[gone] = 0.0
    kept.matched[gone] = 0
    kept.hit &= ~gone
    kept.own = kept.own_or_none() & ~gone
    return kept


def maybe(required: Scored, optional: Scored) -> Scored:
    """Keep the passages of ``required``, adding ``optional``'s scores."""
    both = required.hit & optional.hit
    required.scores[both] += optional.scores[both]
    required.matched[both] += optional.matched[both]
    required.own = required.own_or_none() | (optional.own_or_none() & required.hit)
    required.terms += optional.terms
    return required
