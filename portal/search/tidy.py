"""Reading what people type as they mean it, before the query language sees it.

Curly quotes are straight ones, punctuation closing a word is punctuation, a
colon after a word that is not a field keeps the word, and ``=word`` asks for
one word form. :func:`tidy` is the first step of :func:`portal.search.query.parse`.
"""

from __future__ import annotations

import re

from indexer.analysis.schema import METADATA_FIELDS, QUERY_FIELDS

_QUOTES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
    }
)
# Sentence punctuation closing a word: "ROCU.", "ROCU?", "fraud," (a ? inside a
# word, as in vict?m, stays a wildcard).
_CLOSING = re.compile(r"(?<=[\w)*])[.,;!?]+(?=[\s)]|$)")
_LABEL_COLON = re.compile(r"(?<![\w\"])([^\W\d_][\w'-]*):(?=\s|$)")


_EXACT = re.compile(r"(?<![\w\"=])=(?=[^\W_])")


def tidy(q: str) -> str:
    """Read what people type as they mean it, before the query language sees it.

    Curly quotes and apostrophes are straight ones; punctuation closing a word
    (``ROCU.``, ``ROCU?``, a question's mark) is punctuation, not a wildcard; a
    colon after a word that is not a field (``Areas for improvement: SIU``)
    keeps the word; ``=word`` searches that word form alone (``exact:word``).
    Text inside quotation marks is left as typed.
    """
    q = q.translate(_QUOTES)
    pieces = re.split(r'("[^"]*")', q)
    for i in range(0, len(pieces), 2):
        piece = _EXACT.sub("exact:", _LABEL_COLON.sub(_keep_word, pieces[i]))
        pieces[i] = _CLOSING.sub("", piece)
    return "".join(pieces)


def _keep_word(match: re.Match) -> str:
    """Keep a field name with its colon, and any other word without it."""
    word = match.group(1)
    known = word.lower() in QUERY_FIELDS or word.lower() in METADATA_FIELDS
    return match.group(0) if known else word
