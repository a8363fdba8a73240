"""How closely two passages say the same thing: rapidfuzz sentences and shared terms.

One scoring for every comparison of wording in the project: the portal's letter
alignment (:mod:`portal.compare.align`) and the build's finding-response linking
(:mod:`indexer.findings.respond`) both call :func:`best_sentences`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import cache, lru_cache

from rapidfuzz import fuzz, utils

from indexer.analysis.analyzer import analyze
from indexer.document.gazetteer import FORCE_BY_CODE, find_forces
from indexer.document.sentences import sentences as split_sentences

_WORD = re.compile(r"[\w'’&-]+")
# Words too common in oversight writing to show that two passages share a topic.
_COMMON = frozenset(
    "a an and are as at be been but by can could do for from has have in into is "
    "it its more not of on or our should that the their there these they this to "
    "was we were which will with would must need needs polic forc servic make "
    "ensur improv work".split()
)


def sentences(text: str) -> list[str]:
    """Split ``text`` into sentences and clauses; those under four words are dropped.

    :return: the sentences, or ``[text]`` when none is four words long.
    """
    parts = split_sentences(text.replace("\n", " "), clauses=True)
    return [s for s in parts if len(s.split()) >= 4] or [text]


@lru_cache(maxsize=20_000)
def _prepared(text: str) -> tuple[tuple[str, str], ...]:
    # Each sentence with its rapidfuzz-normalised form, made once per text.
    return tuple((s, utils.default_process(s)) for s in sentences(text))


def best_sentences(a: str, b: str) -> tuple[float, str]:
    """Return the best rapidfuzz score between sentences of ``a`` and ``b``.

    :return: the score (0-100) and the sentence of ``a`` that scored it.
    """
    best, which = 0.0, ""
    for sa, pa in _prepared(a):
        for _, pb in _prepared(b):
            # token_set_ratio alone gives 100 to any sentence whose words are a
            # subset of the other's ("Regional findings"); token_sort_ratio
            # penalises the length mismatch, so the mean favours real restatements.
            score = (fuzz.token_set_ratio(pa, pb) + fuzz.token_sort_ratio(pa, pb)) / 2
            if score > best:
                best, which = score, sa
    return best, which


@cache
def _force_stems(code: str) -> frozenset[str]:
    force = FORCE_BY_CODE[code]
    return frozenset(analyze(" ".join((force.name, code, *force.aliases)), "index"))


@lru_cache(maxsize=200_000)
def _word_terms(word: str) -> tuple[str, ...]:
    return tuple(analyze(word, "index"))


@lru_cache(maxsize=20_000)
def key_terms(text: str) -> frozenset[str]:
    """Return the stems of ``text`` that say what it is about.

    Common words and the names of the forces it names are left out: a force's name
    says who, not what, and would make any two passages about one force look alike.
    Words are analysed one at a time and remembered: a corpus repeats its words,
    and analysing whole passages again for every comparison dominated a build.
    """
    names = set().union(*(_force_stems(c) for c in find_forces(text)))
    terms = {t for word in _WORD.findall(text) for t in _word_terms(word)}
    return frozenset(
        t for t in terms if t not in _COMMON and t not in names and len(t) > 2
    )


def term_weights(texts: Iterable[str]) -> dict[str, float]:
    """Return the inverse document frequency of every key term of ``texts``.

    A term found in every text weighs 0; one found in a single text the most.
    """
    counts: Counter[str] = Counter()
    total = 0
    for text in texts:
        total += 1
        counts.update(key_terms(text))
    return {t: math.log((1 + total) / n) for t, n in counts.items()}


def term_overlap(
    statement: str, text: str, weights: dict[str, float] | None = None
) -> float:
    """Return the weighted share (0-1) of the key terms of ``statement`` in ``text``.

    ``weights`` (from :func:`term_weights`) count rare terms more; a term they
    do not know weighs as much as the rarest. Without them every term counts 1.
    """
    wanted = key_terms(statement)
    if not wanted:
        return 0.0
    if weights is None:
        return len(wanted & key_terms(text)) / len(wanted)
    top = max(weights.values(), default=1.0) or 1.0
    weight = {t: weights.get(t, top) for t in wanted}
    total = sum(weight.values())
    if not total:
        return 0.0
    return sum(weight[t] for t in wanted & key_terms(text)) / total
