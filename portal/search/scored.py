"""What scoring one clause of a query yields, and how an OR rewards coordination.

:class:`Scored` is the value :class:`portal.search.scoring.Scorer` passes up the
query tree; :func:`coordinate` is Whoosh's ``CoordMatcher`` formula, so scores
stay equal to Whoosh's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Scored:
    """The passages a clause matches: score, and how many of its terms matched."""

    scores: dict[int, float] = field(default_factory=dict)
    matched: dict[int, int] = field(default_factory=dict)
    terms: int = 0  # terms in the clause, for coordination
    # Passages matched in their own words (text or its pairs), not only through
    # an inherited label or section: what the ranking signals count.
    own: set[int] = field(default_factory=set)


def coordinate(found: Scored, scale: float) -> None:
    """Reward passages matching more of the clause's terms (Whoosh's SQR)."""
    count = found.terms
    if count <= 1 or count == scale:
        return
    keep = (count - 1) / count
    step = (count - scale) ** 2
    scores, matched = found.scores, found.matched
    for docnum, score in scores.items():
        scores[docnum] = (score + (matched[docnum] - 1) / step) * keep
