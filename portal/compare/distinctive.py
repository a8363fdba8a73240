"""Distinctive terms: the words a year uses more than the other years in a theme.

Each column's words are compared with the other columns' by the log-odds ratio
with an informative Dirichlet prior (Monroe, Colaresi and Quinn, "Fightin' Words",
2008). The prior adds pseudo-counts in proportion to each word's frequency in the
whole index, so a word seen twice in a small column does not outrank a word the
column really leans on; the z-score divides by the estimate's variance, so
rarely seen words need more evidence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from whoosh.analysis import STOP_WORDS, StemFilter

from indexer.analysis.analyzer import SurfaceAnalyzer

# Pseudo-counts the prior adds in total: strong enough to tame rare words, weak
# enough that a few hundred words of a column can move a term.
PRIOR_STRENGTH = 500.0
MIN_COUNT = 2
# About one standard deviation: weaker leanings are noise in columns this small.
MIN_Z = 1.0
EXTRA_STOP_WORDS = frozenset(
    """about above after again all also am any because been before being both but
    could did do does doing down during each few further had has having he her here
    hers him his how i into its itself just me more most my no nor now off once only
    other our ours out over own same she should so some such than their theirs them
    then there these they those through too under until up very was were what where
    which while who whom why would i'm it's its been per one two three against
    regarding need needs within without across upon whether yet will shall may might
    must can cannot well many much however therefore thus although though since
    already still even ever every either neither another among amongst around
    away back become becomes get gets got make makes made take takes taken give
    given see seen say says said way ways thing things part parts use used using
    including include includes new dear yours sincerely write writing wrote
    letter thank thanks please set sets like also whilst onto toward towards
    four five six seven eight nine ten first second third last next concerning
    pleased recognise recognises welcome grateful note noted ensure""".split()
)
_WORDS = SurfaceAnalyzer()
_STEM = StemFilter(lang="en", cachesize=50000)
_ALPHA = re.compile(r"^[a-z][a-z'’-]+[a-z]$")


def _tokens(text: str) -> Iterable[tuple[str, str] | None]:
    """Yield ``(stem, word)`` per content word and None per word left out."""
    for token in _WORDS(text):
        word = token.text
        if len(word) < 3 or not _ALPHA.match(word):
            yield None
        elif word in STOP_WORDS or word in EXTRA_STOP_WORDS:
            yield None
        else:
            yield _STEM._stem(word), word  # the cached wrapper of the stemmer


def words(text: str) -> Iterable[tuple[str, str]]:
    """Yield ``(stem, word)`` for each content word of ``text``, stemmed as indexed."""
    return (token for token in _tokens(text) if token is not None)


def count_words(texts: Iterable[str]) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """Return term counts over ``texts`` and, per term, the counts of its forms.

    Terms are content words' stems and two-word phrases (``"stem stem"``, the
    form the index's pair field holds) of content words standing side by side:
    "county lines" tells more than "county" and "lines" apart.
    """
    stems: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for text in texts:
        previous = None
        for token in _tokens(text):
            if token is not None:
                stem, word = token
                stems[stem] += 1
                forms.setdefault(stem, Counter())[word] += 1
                if previous is not None:
                    pair = f"{previous[0]} {stem}"
                    stems[pair] += 1
                    forms.setdefault(pair, Counter())[f"{previous[1]} {word}"] += 1
            previous = token
    return stems, forms


def prefer_phrases(terms: list[dict]) -> list[dict]:
    """Drop a word that a kept two-word phrase already shows, best terms first."""
    covered = {part for t in terms if " " in t["term"] for part in t["term"].split()}
    return [t for t in terms if " " in t["term"] or t["term"] not in covered]


def prior_from_frequencies(
    frequencies: dict[str, float], total: float, strength: float = PRIOR_STRENGTH
) -> dict[str, float]:
    """Scale background frequencies to pseudo-counts summing to ``strength``."""
    if total <= 0:
        return {}
    return {w: strength * f / total for w, f in frequencies.items() if f > 0}


def log_odds(
    counts: dict[str, Counter[str]],
    prior: dict[str, float],
    top: int = 8,
    min_count: int = MIN_COUNT,
    min_z: float = MIN_Z,
) -> dict[str, list[dict]]:
    """Return, per column, its most distinctive terms against all other columns.

    Each term is ``{"term", "z", "count"}`` with ``z`` the log-odds ratio divided by
    its standard deviation; only terms with z of at least ``min_z`` seen at least
    ``min_count`` times in the column are kept. A word missing from ``prior`` gets
    the smallest pseudo-count of any word, so it is never free of the prior.
    """
    floor = min(prior.values(), default=0.01) or 0.01
    alpha0 = sum(prior.values()) or floor
    totals = {key: sum(c.values()) for key, c in counts.items()}
    everything: Counter[str] = Counter()
    for column in counts.values():
        everything.update(column)
    grand = sum(totals.values())
    result = {}
    for key, column in counts.items():
        n_i, n_j = totals[key], grand - totals[key]
        scored = []
        for term, y_i in column.items():
            if y_i < min_count:
                continue
            a = prior.get(term, floor)
            y_j = everything[term] - y_i
            delta = math.log((y_i + a) / (n_i + alpha0 - y_i - a)) - math.log(
                (y_j + a) / (n_j + alpha0 - y_j - a)
            )
            z = delta / math.sqrt(1 / (y_i + a) + 1 / (y_j + a))
            if z >= min_z:
                scored.append({"term": term, "z": round(z, 2), "count": y_i})
        scored.sort(key=lambda t: (-t["z"], t["term"]))
        result[key] = prefer_phrases(scored[: top * 2])[:top]
    return result
