"""Spelling: suggest corpus words for query words the index does not know.

Candidates come from Whoosh's spelling support (a Levenshtein automaton over the
sorted surface vocabulary) and from rapidfuzz over the same word list; they are
ranked by similarity weighted by how often the corpus uses them. Stems are never
suggested (WHOOSH-NOTES pitfall 7): the vocabulary is the words as written.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein
from whoosh.spelling import ListCorrector

from indexer.analysis.analyzer import analyze
from portal.search.expand import Lexicon
from portal.search.query import OPERATORS

MIN_LENGTH = 3
CONFIDENT_RATIO = 80.0
_WORD = re.compile(r"(?<![\w:*?])([A-Za-z]+)(?![\w:*?])")
_QUOTED_OR_FIELD = re.compile(r'"[^"]*"|\b\w+:("[^"]*"|\S+)')


@dataclass
class Correction:
    """A query rewritten with corrected words, and whether it is safe to apply."""

    text: str
    confident: bool
    words: dict[str, str]


def _score(word: str, candidate: str, frequency: int) -> float:
    """Rank a candidate by similarity, then by how common it is."""
    # Similarity first; frequency breaks near-ties (a common word beats a rare one).
    return fuzz.ratio(word, candidate) + 4.0 * math.log1p(frequency)


def allowed_distance(word: str) -> int:
    """Return how many edits a typo of a word this long may plausibly hold."""
    return 1 if len(word) <= 5 else 2 if len(word) <= 10 else 3


def plausible(word: str, candidate: str) -> bool:
    """Return whether ``candidate`` is a plausible correction of ``word``.

    Close for the word's length, and starting with the same letter unless a
    single edit apart: "Haringey" is not a misspelt "sharing", nor "Dunmore" of
    "more"; "survelliance" is of "surveillance".
    """
    distance = Levenshtein.distance(word, candidate)
    if distance > allowed_distance(word):
        return False
    return distance == 1 or word[:1] == candidate[:1]


def best_word(word: str, lexicon: Lexicon) -> tuple[str, bool] | None:
    """Return the closest corpus word to ``word`` and whether it is a confident fix."""
    words = lexicon.words
    corrector = ListCorrector(words)  # a view of the sorted list: nothing to build
    counts = lexicon.vocabulary.counts
    folded = word.lower()
    maxdist = 1 if len(folded) <= 5 else 2
    candidates = set(corrector.suggest(folded, limit=8, maxdist=maxdist))
    for found, _, _ in process.extract(
        folded, words, scorer=fuzz.ratio, limit=8, score_cutoff=70
    ):
        candidates.add(found)
    candidates.discard(folded)
    candidates = {c for c in candidates if plausible(folded, c)}
    if not candidates:
        return None
    # Fewest edits first (a swapped pair of letters is one: "recruitmnet" is
    # "recruitment", not the commoner "recruiting" three edits away), then
    # similarity with frequency.
    ranked = sorted(
        candidates,
        key=lambda c: (
            OSA.distance(folded, c),
            -_score(folded, c, counts.get(c, 0)),
            c,
        ),
    )
    best = ranked[0]
    distance = Levenshtein.distance(folded, best)
    confident = distance <= maxdist and fuzz.ratio(folded, best) >= CONFIDENT_RATIO
    if confident and len(ranked) > 1:
        # Two equally close words (e.g. "forse": force, forces) are not a sure fix
        # unless one is far more common.
        runner = ranked[1]
        if (
            Levenshtein.distance(folded, runner) == distance
            and _score(folded, best, counts.get(best, 0))
            - _score(folded, runner, counts.get(runner, 0))
            < 2.0
        ):
            confident = False
    return (best, confident)


def _is_known(word: str, lexicon: Lexicon, term_exists) -> bool:
    """Return whether the corpus or the index knows ``word``."""
    if word.lower() in lexicon.vocabulary.counts or lexicon.acronym(word):
        return True
    return any(term_exists(stem) for stem in analyze(word)[:1])


def correct(
    q: str, lexicon: Lexicon, term_exists, known: frozenset[str] = frozenset()
) -> Correction | None:
    """Return ``q`` with its unknown words corrected, or None if all are known.

    ``term_exists(stem)`` says whether the index holds a stem, so a word the
    vocabulary lacks but the index matches (a stemmed variant) is left alone;
    words in ``known`` (lower-cased: names of authors and recipients) are too.
    """
    protected = [m.span() for m in _QUOTED_OR_FIELD.finditer(q)]
    fixes: dict[str, str] = {}
    confident = True
    pieces, at = [], 0
    for match in _WORD.finditer(q):
        word = match.group(1)
        if any(s <= match.start() < e for s, e in protected):
            continue
        if word in OPERATORS or len(word) < MIN_LENGTH:
            continue
        if word.lower() in known or _is_known(word, lexicon, term_exists):
            continue
        found = best_word(word, lexicon)
        if found is None:
            confident = False
            continue
        fix, sure = found
        if word[0].isupper():
            fix = fix.capitalize()
        fixes[word] = fix
        confident = confident and sure
        pieces.append(q[at : match.start()] + fix)
        at = match.end()
    if not fixes:
        return None
    pieces.append(q[at:])
    return Correction("".join(pieces), confident, fixes)
