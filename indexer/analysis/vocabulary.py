"""The surface vocabulary: every word of the corpus as written, with its frequency.

Spelling suggestions must offer words a reader would type, not stems ("polise"
should become "police", not "polic"), so the build counts the unstemmed,
lower-cased words of every passage and writes them into the generation as
``vocabulary.json``. Words ever written in lower case are marked, so that an
acronym that is also an ordinary word (GAIN, gain) is only expanded when typed
in capitals.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.analysis import RegexTokenizer

from indexer.analysis.analyzer import TOKEN_PATTERN

VOCABULARY = "vocabulary.json"
_TOKENS = RegexTokenizer(TOKEN_PATTERN)


@dataclass
class Vocabulary:
    """Word frequencies, and the words that appear written in lower case."""

    counts: dict[str, int] = field(default_factory=dict)
    lowercase: set[str] = field(default_factory=set)


def count_words(texts: Iterable[str]) -> Vocabulary:
    """Return the vocabulary of ``texts``: lower-cased words of letters only."""
    counts: Counter[str] = Counter()
    lowercase: set[str] = set()
    for text in texts:
        for token in _TOKENS(text):
            word = token.text.rstrip("'’")
            if word.endswith(("'s", "’s")):
                word = word[:-2]
            # Only words made of letters are worth suggesting; codes, figures and
            # hyphenated forms are matched by the index as they are.
            if len(word) < 2 or not word.isalpha():
                continue
            folded = word.lower()
            counts[folded] += 1
            if word == folded:
                lowercase.add(folded)
    return Vocabulary(dict(counts), lowercase)


def write_vocabulary(generation: Path, vocabulary: Vocabulary) -> None:
    """Write the vocabulary into a generation directory."""
    data = {"counts": vocabulary.counts, "lowercase": sorted(vocabulary.lowercase)}
    (generation / VOCABULARY).write_text(json.dumps(data, ensure_ascii=False))


def read_vocabulary(generation: Path) -> Vocabulary:
    """Return the vocabulary a build wrote (empty for builds made before it)."""
    try:
        data = json.loads((generation / VOCABULARY).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Vocabulary()
    return Vocabulary(data["counts"], set(data["lowercase"]))
